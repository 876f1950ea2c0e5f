// `onnx-inspector run` and `compare` as users call them: exit codes, one-line errors, no overwrites,
// repeatable runs from the saved inputs, dims of dynamic inputs, tolerances.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRunResults } from '../../src/backends/results/readRunResults';
import { readInputsFile } from '../../src/backends/results/readInputs';
import { buildCli, runCli } from './cliSupport';
import { DT, makeModel } from '../fixtures/builders';

let cli: { file: string; dispose(): void };
let dir: string;
let model: string;

before(async () => {
  cli = await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-run-'));
  model = path.join(dir, 'dyn.onnx');
  // y = relu(x) * 2 + ids-shaped nothing: a dynamic batch, an int64 input, an intermediate.
  fs.writeFileSync(model, makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 4] }, { name: 'ids', elemType: DT.INT64, shape: ['batch'] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT }, { name: 'n', elemType: DT.INT64 }],
    initializers: [{ name: 'two', dataType: DT.FLOAT, dims: [], floatData: [2] }],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'Mul', inputs: ['r', 'two'], outputs: ['y'] },
      { op: 'Neg', inputs: ['ids'], outputs: ['n'] },
    ],
  }));
});

after(() => {
  cli.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const p = (f: string) => path.join(dir, f);
const oneLine = (s: string) => s.trim().split('\n').length === 1;

test('run writes results and OUT.inputs.json; --dim sets the batch; running again from the inputs file gives the same results', async () => {
  const r = runCli(cli.file, ['run', model, '--dim', 'batch=3', '--seed', '5', '--save-results', p('a.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*a\.json: 3 tensors .* generated with seed 5/);
  const feeds = await readInputsFile(p('a.inputs.json'));
  assert.deepEqual(feeds[0].get('x')!.shape, [3, 4]);
  assert.deepEqual(feeds[0].get('ids')!.shape, [3]);
  const again = runCli(cli.file, ['run', model, '--inputs', p('a.inputs.json'), '--save-results', p('b.json')]);
  assert.equal(again.code, 0, again.stderr);
  const [ra, rb] = [await loadRunResults(p('a.json')), await loadRunResults(p('b.json'))];
  const [oa, ob] = [ra.runs[0].iterations[0].outputs, rb.runs[0].iterations[0].outputs];
  assert.deepEqual([...oa.keys()], ['y', 'n', 'r']);
  for (const n of oa.keys()) assert.deepEqual(await oa.get(n)!.load(), await ob.get(n)!.load(), n);
  const c = runCli(cli.file, ['compare', p('a.json'), p('b.json'), '--model', model]);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  // The inputs each run was fed (OUT.inputs.json beside each file) are compared too: the same here.
  assert.match(c.stdout, /5 compared, 5 passed, 0 failed/);
  assert.doesNotMatch(c.stdout, /WARNING|inputs .* unknown/);
  assert.match(c.stdout, /^A: results file a\.json, runner \S+ vs B: results file b\.json, runner \S+ \(reference\)/);
});

test('--capture outputs / a list; --opt-level disabled is noted', () => {
  const r = runCli(cli.file, ['run', model, '--capture', 'r', '--opt-level', 'disabled', '--save-results', p('c.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 tensors/);
  assert.match(r.stdout, /note: graph optimization level: disabled/);
  const o = runCli(cli.file, ['run', model, '--capture', 'outputs', '--save-results', p('d.json')]);
  assert.match(o.stdout, /2 tensors/);
});

test('compare fails (exit 1) when a seed differs, and passes with loose enough tolerances', () => {
  runCli(cli.file, ['run', model, '--seed', '1', '--save-results', p('s1.json')]);
  runCli(cli.file, ['run', model, '--seed', '2', '--save-results', p('s2.json')]);
  const c = runCli(cli.file, ['compare', p('s1.json'), p('s2.json'), '--model', model, '--json', p('s.json')]);
  assert.equal(c.code, 1, c.stderr);
  // The runs were fed different inputs: said first, and the inputs are where the runs diverge, not Relu.
  assert.match(c.stdout, /\nWARNING: The runs were fed different inputs \(x: max abs difference [\d.e-]+; ids: /);
  assert.match(c.stdout, /first divergence: x, a graph input; its inputs: none/);
  const report = JSON.parse(fs.readFileSync(p('s.json'), 'utf8'));
  assert.deepEqual(report.inputs, { sources: { a: 's1.inputs.json', b: 's2.inputs.json' }, compared: ['x', 'ids'], differing: ['x', 'ids'] });
  assert.deepEqual(report.tensors.slice(0, 2).map((t: { name: string }) => t.name), ['x', 'ids'], 'the inputs are the first failures');
  const loose = runCli(cli.file, ['compare', p('s1.json'), p('s2.json'), '--atol', '3', '--check-error-stat', 'max']);
  assert.equal(loose.code, 0, loose.stdout);
  // Within the tolerances, but not the same data: still said, since it is no evidence about any layer.
  assert.match(loose.stdout, /\nWARNING: The runs were fed different inputs \(x: /);
});

test('usage errors exit 2 and errors exit 1, each on one line; nothing is overwritten', () => {
  const cases: [string[], number, RegExp][] = [
    [['run', model], 2, /give the results file with --save-results/],
    [['run', model, '--save-results', p('x.json'), '--opt-level', 'max'], 2, /--opt-level must be one of all, disabled/],
    [['run', model, '--save-results', p('x.json'), '--seed', '-1'], 2, /--seed must be an integer/],
    [['run', model, '--save-results', p('x.json'), '--dim', 'nope=2'], 1, /--dim nope: no input has such a dim; dims: batch/],
    [['run', model, '--save-results', p('x.json'), '--ep', 'cuda'], 1, /^onnx-inspector: the CUDA execution provider is not available in this onnxruntime-node install: /],
    [['run', model, '--save-results', p('x.json'), '--inputs', p('none.npz')], 1, /none\.npz: no such inputs file/],
    [['run', model, '--save-results', p('a.json')], 1, /a\.json already exists; choose another output file or pass --force/],
    [['run', model, '--save-results', p('x.json'), '--capture', 'nothere'], 1, /no tensor named 'nothere'/],
    [['compare', p('a.json'), p('b.json'), '--check-error-stat', 'p99'], 2, /--check-error-stat must be one of/],
    [['compare', p('a.json'), p('b.json'), '--runner-a', 'trt'], 1, /no runner 'trt' in: onnxruntime-node-cpu/],
    [['compare', p('a.json'), p('a.inputs.json')], 1, /not a Polygraphy RunResults file/],
    [['compare', p('a.json')], 1, /no runner #1/],
  ];
  const before = fs.statSync(p('a.json')).mtimeMs;
  for (const [args, code, re] of cases) {
    const r = runCli(cli.file, args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
  assert.equal(fs.statSync(p('a.json')).mtimeMs, before);
  assert.equal(fs.existsSync(p('x.json')), false, 'a failed run leaves no results file');
});
