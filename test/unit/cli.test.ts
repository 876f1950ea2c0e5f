// The built CLI: help, info (against python onnx), print, and one-line errors with non-zero exit codes for
// bad files, bad arguments, unknown tensors, impossible cuts and existing outputs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCli, CliResult, runCli } from './cliSupport';
import { missingPythonOnnx, missingShared, modelsDir, runPython } from './editSupport';
import { DT, makeModel } from '../fixtures/builders';

/** A failure: the exit code, and exactly one line on stderr that says why (no stack trace). */
function assertFails(r: CliResult, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0], /^onnx-inspector: /);
  assert.doesNotMatch(lines[0], /\bat .*:\d+:\d+/, 'no stack trace');
  assert.match(lines[0], pattern);
}

describe('onnx-inspector CLI', () => {
  let cli: string;
  let dispose = () => {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-cli-'));
  const small = path.join(dir, 'small.onnx');
  before(async () => {
    ({ file: cli, dispose } = await buildCli());
    fs.writeFileSync(small, makeModel({
      inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['N', 4] }],
      outputs: [{ name: 'y', elemType: DT.FLOAT, shape: ['N', 4] }],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['r'] }, { op: 'Neg', inputs: ['r'], outputs: ['y'] }],
    }));
  });
  after(() => {
    dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists the commands; no command is a usage error', () => {
    const help = runCli(cli, ['--help']);
    assert.equal(help.code, 0);
    for (const c of ['info', 'print', 'mark-outputs', 'extract']) assert.match(help.stdout, new RegExp(`^  ${c} `, 'm'));
    const none = runCli(cli, []);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /usage: onnx-inspector COMMAND/);
    const sub = runCli(cli, ['extract', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /--inputs/);
    assert.match(sub.stdout, /--force/);
  });

  it('usage mistakes exit 2 with one line', () => {
    assertFails(runCli(cli, ['frobnicate']), 2, /unknown command 'frobnicate'/);
    assertFails(runCli(cli, ['info']), 2, /needs MODEL/);
    assertFails(runCli(cli, ['info', small, '--bogus']), 2, /unknown option '--bogus'/);
    assertFails(runCli(cli, ['mark-outputs', small, '-o', path.join(dir, 'm.onnx')]), 2, /--tensors or --all/);
    assertFails(runCli(cli, ['mark-outputs', small, '--all']), 2, /-o OUT/);
    assertFails(runCli(cli, ['extract', small, '--inputs', 'r', '-o', path.join(dir, 'e.onnx')]), 2, /--outputs/);
    assertFails(runCli(cli, ['print', small, '--max-elements', 'many']), 2, /non-negative integer/);
  });

  it('bad model files exit 1 with one line naming the file', () => {
    assertFails(runCli(cli, ['info', path.join(dir, 'missing.onnx')]), 1, /missing\.onnx: no such file/);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'this is not a model\n'.repeat(10));
    assertFails(runCli(cli, ['info', text]), 1, /notes\.txt.*not an ONNX model/);
    const truncated = path.join(dir, 'truncated.onnx');
    fs.writeFileSync(truncated, fs.readFileSync(small).subarray(0, 40));
    assertFails(runCli(cli, ['info', truncated]), 1, /truncated\.onnx.*(truncated|corrupt)/);
    assertFails(runCli(cli, ['print', truncated]), 1, /truncated\.onnx/);
    assertFails(runCli(cli, ['info', dir]), 1, /is a folder/);
  });

  it('unknown tensors and impossible cuts are one-line errors', () => {
    const out = path.join(dir, 'never.onnx');
    assertFails(runCli(cli, ['mark-outputs', small, '--tensors', 'r,nope', '-o', out]), 1, /no tensor named 'nope'/);
    assertFails(runCli(cli, ['extract', small, '--inputs', 'x', '--outputs', 'zz', '-o', out]), 1, /no tensor named 'zz'/);
    assertFails(runCli(cli, ['extract', small, '--inputs', 'r', '--outputs', 'y,x', '-o', out]), 1, /impossible cut.*'x'/);
    assert.ok(!fs.existsSync(out), 'nothing was written');
  });

  it('an existing output file is kept unless --force; the input model never', () => {
    const out = path.join(dir, 'exists.onnx');
    fs.writeFileSync(out, 'precious');
    assertFails(runCli(cli, ['mark-outputs', small, '--tensors', 'r', '-o', out]), 1, /exists\.onnx already exists.*--force/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'precious');
    const forced = runCli(cli, ['mark-outputs', small, '--tensors', 'r', '-o', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /1 outputs added/);
    const before = fs.readFileSync(small);
    assertFails(runCli(cli, ['mark-outputs', small, '--all', '-o', small, '--force']), 1, /is the input model/);
    assertFails(runCli(cli, ['extract', small, '--inputs', 'x', '--outputs', 'r', '-o', path.join(dir, '.', 'small.onnx'), '--force']), 1, /is the input model/);
    assert.deepEqual(fs.readFileSync(small), before);
    assertFails(runCli(cli, ['mark-outputs', small, '--all', '-o', path.join(dir, 'no/such/folder.onnx')]), 1, /does not exist/);
  });

  const models = ['squeezenet1_1', 'mobilenet_v3_small', 'resnet18_dynamo', 'swin_tiny', 'synth_10k'];
  it('info --json agrees with python onnx on the real models', { skip: missingShared(...models.map((m) => `models/${m}.onnx`)) || missingPythonOnnx() }, () => {
    const paths = models.map((m) => path.join(modelsDir, `${m}.onnx`));
    const { models: expected } = runPython<{ models: Record<string, unknown>[] }>('model_summary_oracle.py', { paths });
    paths.forEach((file, i) => {
      const r = runCli(cli, ['info', file, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const info = JSON.parse(r.stdout);
      const e = expected[i];
      for (const key of ['irVersion', 'producer', 'opsets', 'nodes', 'initializers', 'ops']) assert.deepEqual(info[key], e[key], `${models[i]} ${key}`);
      assert.deepEqual(info.inputs.map((v: { name: string }) => v.name), e.inputs);
      assert.deepEqual(info.outputs.map((v: { name: string }) => v.name), e.outputs);
      for (const v of [...info.inputs, ...info.outputs]) assert.match(v.type, /^float\[/, `${models[i]} ${v.name} is typed`);
    });
  });

  it('info reports missing external data as a problem; text mode too', { skip: missingShared('models/resnet18_dynamo.onnx') }, () => {
    const file = path.join(modelsDir, 'resnet18_dynamo.onnx');
    const json = JSON.parse(runCli(cli, ['info', file, '--json']).stdout);
    assert.equal(json.externalData.length, 1);
    assert.equal(json.externalData[0].exists, false);
    assert.ok(json.externalData[0].tensors.length > 0);
    assert.ok(json.problems.some((p: string) => p.includes(json.externalData[0].location)));
    const text = runCli(cli, ['info', file]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`${json.externalData[0].location}: MISSING`));
    assert.match(text.stdout, /problems \(1\)/);
  });

  it('print writes the text form', () => {
    const r = runCli(cli, ['print', small]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ir_version: 10/);
    assert.match(r.stdout, /r = Relu \(x\)/);
    assert.match(r.stdout, /y = Neg \(r\)/);
  });
});
