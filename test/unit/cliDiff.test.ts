// `onnx-inspector diff A B [--json]` through the real CLI bundle: the same model exits 0, a changed copy exits 1
// and lists what changed (old → new, long values elided in the middle), --json carries the structured diff,
// and a missing argument is a usage error (2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shortValue } from '../../src/cli/diff';
import { buildCli, runCli } from './cliSupport';
import { DT, makeModel } from '../fixtures/builders';

const base = {
  inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['N', 4] }],
  outputs: [{ name: 'y', elemType: DT.FLOAT, shape: ['N', 4] }],
};

describe('onnx-inspector diff', () => {
  let cli: string;
  let dispose = () => {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-diff-'));
  const a = path.join(dir, 'a.onnx'), b = path.join(dir, 'b.onnx');
  before(async () => {
    ({ file: cli, dispose } = await buildCli());
    fs.writeFileSync(a, makeModel({ ...base, nodes: [
      { name: 'act', op: 'Relu', inputs: ['x'], outputs: ['r'] },
      { name: 'clip', op: 'Clip', inputs: ['r'], outputs: ['c'] },
      { name: 'neg', op: 'Neg', inputs: ['c'], outputs: ['y'] },
    ] }));
    fs.writeFileSync(b, makeModel({ ...base, nodes: [
      { name: 'act', op: 'LeakyRelu', inputs: ['x'], outputs: ['r'], attrs: [{ name: 'alpha', f: 0.5 }] },
      { name: 'neg', op: 'Neg', inputs: ['r'], outputs: ['n'] },
      { name: 'abs', op: 'Abs', inputs: ['n'], outputs: ['y'] },
    ] }));
  });
  after(() => {
    dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the same model: exit 0, nothing listed', () => {
    const r = runCli(cli, ['diff', a, a]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 added, 0 removed, 0 changed, 3 unchanged/);
  });

  it('changed models: exit 1, each added, removed and changed node with old → new', () => {
    const r = runCli(cli, ['diff', a, b]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^a\.onnx \(3 nodes\) → b\.onnx \(3 nodes\): 1 added, 1 removed, 2 changed, 0 unchanged$/);
    assert.ok(lines.includes('~ LeakyRelu act (A #0 → B #0, matched by name)'), r.stdout);
    assert.ok(lines.includes('    op: Relu → LeakyRelu'));
    assert.ok(lines.includes('    attribute alpha: (none) → float = 0.5'));
    assert.ok(lines.includes('- Clip clip (A #1)'));
    assert.ok(lines.includes('    input 0: c → r'), 'neg now reads what act produces');
    assert.ok(lines.includes('    output 0: y → n'));
    assert.ok(lines.includes('+ Abs abs (B #2)'));
  });

  it('--json: the structured diff', () => {
    const r = runCli(cli, ['diff', a, b, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.same, false);
    assert.deepEqual(json.summary, { added: 1, removed: 1, changed: 2, unchanged: 0, nodesA: 3, nodesB: 3 });
    assert.deepEqual(json.nodes.map((n: { status: string; name: string }) => `${n.status} ${n.name}`), ['changed act', 'removed clip', 'changed neg', 'added abs']);
    assert.deepEqual(json.nodes[0].changes[0], { kind: 'op', key: 'op', before: 'Relu', after: 'LeakyRelu' });
  });

  it('usage: both models are needed (2); a missing file is an error (1)', () => {
    const r = runCli(cli, ['diff', a]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs A\.onnx B\.onnx/);
    const m = runCli(cli, ['diff', a, path.join(dir, 'missing.onnx')]);
    assert.equal(m.code, 1);
    assert.match(m.stderr, /missing\.onnx: no such file/);
  });

  it('long values keep their start and end', () => {
    const long = `${'a'.repeat(200)}END`;
    const s = shortValue(long, 41);
    assert.equal(s.length, 41);
    assert.ok(s.startsWith('aaaa') && s.endsWith('END') && s.includes('\u2026'));
    assert.equal(shortValue('short'), 'short');
  });
});
