// `onnx-inspector ... | head` closes the CLI's stdout early: the CLI must end quietly, not die on EPIPE with a stack
// trace (seen on the GPU machine with `run ... | head -1`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DT, makeModel } from '../fixtures/builders';
import { buildCli } from './cliSupport';

let cli: { file: string; dispose(): void };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-pipe-'));
before(async () => { cli = await buildCli(); });
after(() => { cli.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });

test("a reader that closes the pipe early ends the CLI quietly", () => {
  // A 4,000-node chain prints far more than a pipe holds, so writes go on after the reader has left.
  const n = 4000;
  const nodes = Array.from({ length: n }, (_, i) => ({ op: 'Relu', name: `relu_${i}`, inputs: [i ? `t${i - 1}` : 'x'], outputs: [i === n - 1 ? 'y' : `t${i}`] }));
  const model = path.join(dir, 'chain.onnx');
  fs.writeFileSync(model, makeModel({ inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1] }], outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1] }], nodes }));
  // A real shell pipe: Node's own child stdio are sockets, which do not fail the same way.
  const r = spawnSync('bash', ['-c', '"$0" "$1" print "$2" 2>"$3" | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"', process.execPath, cli.file, model, path.join(dir, 'stderr')], { encoding: 'utf8' });
  const stderr = fs.readFileSync(path.join(dir, 'stderr'), 'utf8');
  assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event/, stderr);
  assert.equal(r.stdout.trim(), '0');
});
