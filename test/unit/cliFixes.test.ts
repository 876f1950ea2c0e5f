// The CLI as a new user meets it: --version, compare on files that are not results, info --tensors,
// run's --dim and missing output folders, extract without --inputs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DT, makeModel } from '../fixtures/builders';
import { buildCli, CliResult, runCli } from './cliSupport';
import { repoRoot } from './editSupport';

function fails(r: CliResult, code: number, re: RegExp): void {
  assert.equal(r.code, code, `exit code: ${r.stdout}${r.stderr}`);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /internal error|undefined/);
}

describe('CLI fixes', () => {
  let cli: string;
  let dispose = () => {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-cli-fixes-'));
  const model = path.join(dir, 'small.onnx');
  before(async () => {
    ({ file: cli, dispose } = await buildCli());
    fs.writeFileSync(model, makeModel({
      inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 4] }],
      outputs: [{ name: 'y', elemType: DT.FLOAT, shape: ['batch', 4] }],
      valueInfo: [{ name: 'r', elemType: DT.FLOAT, shape: ['batch', 4] }],
      nodes: [
        { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['r'] },
        { op: 'Add', name: 'add', inputs: ['r', 'w'], outputs: ['s'] },
        { op: 'Neg', inputs: ['s'], outputs: ['y'] },
      ],
      initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [4], floatData: [1, 2, 3, 4] }],
    }));
  });
  after(() => {
    dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = runCli(cli, [flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `onnx-inspector ${version}\n`);
    }
  });

  it('compare on files that are not results files says so in plain words', () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello\n');
    fails(runCli(cli, ['compare', text]), 1, /notes\.txt is not a results file: it is not JSON: it looks like a text file; compare takes the RunResults \.json files/);
    fails(runCli(cli, ['compare', model]), 1, /small\.onnx is not a results file: it is not JSON: it looks like an ONNX model \(give the model with --model\)/);
    const empty = path.join(dir, 'empty.json');
    fs.writeFileSync(empty, '');
    fails(runCli(cli, ['compare', empty]), 1, /empty\.json is not a results file: it is empty/);
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, '{"a": 1}');
    fails(runCli(cli, ['compare', other]), 1, /other\.json: not a results file: it is JSON, but not the RunResults that `onnx-inspector run`/);
  });

  it('info --tensors lists every tensor with producer, consumers, type and shape (text and --json)', () => {
    const r = runCli(cli, ['info', model, '--tensors']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /tensors \(5\)/);
    assert.match(r.stdout, /\n {4}x: float\[batch,4\] \[input\] -> 'relu' \(Relu\)\n/);
    assert.match(r.stdout, /\n {4}w: float\[4\] \[initializer\] -> 'add' \(Add\)\n/);
    assert.match(r.stdout, /\n {4}r: float\[batch,4\] \[intermediate\] <- 'relu' \(Relu\) -> 'add' \(Add\)\n/);
    // s has no declared type: the built-in shape inference gives it (marked *).
    assert.match(r.stdout, /\(the types of 1 tensors are not \(fully\) declared in the model: shape inference gave them \(marked \*\)\)/);
    assert.match(r.stdout, /\n {4}s: float\[batch,4\]\* \[intermediate\] <- 'add' \(Add\) -> 'Neg_2' \(Neg\)\n/);
    assert.match(r.stdout, /\n {4}y: float\[batch,4\] \[output\] <- 'Neg_2' \(Neg\)\n/);
    const j = runCli(cli, ['info', model, '--tensors', '--json']);
    assert.equal(j.code, 0, j.stderr);
    const tensors = (JSON.parse(j.stdout) as { tensors: unknown[] }).tensors;
    assert.deepEqual(tensors[0], { name: 'x', kind: 'input', type: 'float[batch,4]', elemType: 1, shape: ['batch', 4], producer: null, consumers: ["'relu' (Relu)"] });
    assert.deepEqual((tensors as { name: string }[]).map((t) => t.name), ['x', 'w', 'r', 's', 'y']);
    assert.deepEqual(tensors[3], { name: 's', kind: 'intermediate', type: 'float[batch,4]', elemType: 1, shape: ['batch', 4], producer: "'add' (Add)", consumers: ["'Neg_2' (Neg)"], inferred: true, inferredBy: 'shapes' });
    assert.equal((JSON.parse(runCli(cli, ['info', model, '--json']).stdout) as { tensors?: unknown }).tensors, undefined, 'only with --tensors');
  });

  it('run --dim batch=0 is a usage error; a missing --save-results folder gets extract\'s message', () => {
    fails(runCli(cli, ['run', model, '--dim', 'batch=0', '--save-results', path.join(dir, 'r.json')]), 2, /bad --dim 'batch=0': the size must be at least 1/);
    assert.ok(!fs.existsSync(path.join(dir, 'r.json')));
    const missing = path.join(dir, 'nofolder');
    const run = runCli(cli, ['run', model, '--save-results', path.join(missing, 'r.json')]);
    const extract = runCli(cli, ['extract', model, '--inputs', 'x', '--outputs', 'r', '-o', path.join(missing, 'r.json')]);
    const expected = `onnx-inspector: ${path.join(missing, 'r.json')}: cannot write: the folder ${missing} does not exist\n`;
    assert.equal(run.stderr, expected);
    assert.equal(extract.stderr, expected);
    assert.equal(run.code, 1);
  });

  it('extract without --inputs says --inputs is missing', () => {
    fails(runCli(cli, ['extract', model, '--outputs', 'r', '-o', path.join(dir, 'e.onnx')]), 2, /give the input tensors of the cut with --inputs/);
  });
});
