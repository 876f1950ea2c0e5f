// The reduce engine and CLI on small built models: a failure that needs two nodes (each alone stays within
// tolerance), cancellation, a saved results file as the reference, files never replaced, and exit codes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunCancelledError } from '../../src/backends/backend';
import { FileExistsError } from '../../src/node/writeNewFile';
import { reductionPaths, writeReduction } from '../../src/reduce/writeReduction';
import { buildCli, runCli } from './cliSupport';
import { computingNodes, reduceMutated, scaledChain, writeModel } from './reduceSupport';


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-reduce-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const original = writeModel(dir, 'orig.onnx', scaledChain(1, 1));
// Each scale is off by 6e-6 (relative): alone within rtol 1e-5, together 1.2e-5 past it.
const drifted = writeModel(dir, 'drift.onnx', scaledChain(1.000006, 1.000006));
const subbed = writeModel(dir, 'sub.onnx', scaledChain(1, 1, 'Sub'));
const tight = { default: { atol: 0, rtol: 1e-5 } };

describe('reduce engine', () => {
  it('grows upstream when the first diverging node passes alone (the failure needs context)', async () => {
    const r = await reduceMutated(drifted, original, { tolerances: tight });
    assert.equal(r.status, 'reduced');
    assert.equal(r.divergence?.tensor, 'm2');
    assert.deepEqual(computingNodes(drifted, r), ['mul1', 'mul2']);
    assert.deepEqual(r.steps.map((s) => [s.phase, s.failed]), [['full', true], ['single', false], ['upstream', true]]);
    assert.deepEqual(r.minimal?.inputs, ['r']);
  });

  it('says no-failure when the full models agree', async () => {
    const r = await reduceMutated(original, original);
    assert.equal(r.status, 'no-failure');
    assert.equal(r.candidateRuns, 0);
  });

  it('is cancelled through its AbortSignal between steps', async () => {
    const ac = new AbortController();
    await assert.rejects(reduceMutated(subbed, original, { signal: ac.signal, onStep: () => ac.abort() }), RunCancelledError);
  });

  it('never replaces an existing file, and leaves nothing behind when it refuses', async () => {
    const r = await reduceMutated(subbed, original);
    const p = reductionPaths(path.join(dir, 'taken.onnx'));
    fs.writeFileSync(p.report, 'mine');
    await assert.rejects(writeReduction(r, p), FileExistsError);
    assert.equal(fs.readFileSync(p.report, 'utf8'), 'mine');
    assert.ok(!fs.existsSync(p.model) && !fs.existsSync(p.inputs));
  });
});

describe('onnx-inspector reduce', () => {
  let cli: { file: string; dispose(): void };
  before(async () => { cli = await buildCli(); });
  after(() => cli.dispose());

  it('exit 0: writes the minimal model, its inputs, the reference subgraph and the report', () => {
    const out = path.join(dir, 'cli-min.onnx');
    const r = runCli(cli.file, ['reduce', subbed, '--against', original, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /minimal failing subgraph: 1 node\(s\): 'residual' \(Sub\)/);
    for (const p of Object.values(reductionPaths(out))) assert.ok(fs.existsSync(p), p);
  });

  it('exit 0 with a saved results file as the reference (--backend-b results:FILE)', () => {
    const results = path.join(dir, 'orig.json');
    assert.equal(runCli(cli.file, ['run', original, '--save-results', results]).code, 0);
    const out = path.join(dir, 'cli-results.onnx');
    const r = runCli(cli.file, ['reduce', subbed, '--backend-b', `results:${results}`, '--inputs', path.join(dir, 'orig.inputs.json'), '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /'residual' \(Sub\)/);
  });

  it('exit 1 when the full models do not fail (two onnxruntime optimization levels agree here)', () => {
    const r = runCli(cli.file, ['reduce', original, '--backend-b', 'onnxruntime:opt-level=disabled', '-o', path.join(dir, 'none.onnx')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /do not fail/);
    assert.ok(!fs.existsSync(path.join(dir, 'none.onnx')));
  });

  it('exit 1 when an output file exists, before any run', () => {
    const out = path.join(dir, 'exists.onnx');
    fs.writeFileSync(out, 'x');
    const r = runCli(cli.file, ['reduce', subbed, '--against', original, '-o', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'x');
  });

  it('exit 2 on usage errors', () => {
    for (const args of [
      ['reduce', subbed, '-o', path.join(dir, 'u.onnx')],
      ['reduce', subbed, '--against', original],
      ['reduce', subbed, '--backend-b', 'nosuch', '-o', path.join(dir, 'u.onnx')],
      ['reduce', subbed, '--backend-b', 'onnxruntime:opt-level=some', '-o', path.join(dir, 'u.onnx')],
      ['reduce', subbed, '--backend-a', 'results:x.json', '--against', original, '-o', path.join(dir, 'u.onnx')],
      ['reduce', subbed, '--against', original, '--atol', '-1', '-o', path.join(dir, 'u.onnx')],
    ]) {
      const r = runCli(cli.file, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });
});
