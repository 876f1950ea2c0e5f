// What a comparison is read for, first: failures on top in graph order (weights last, 0/0 never on top), both runs
// named so they cannot be confused, and a warning when the runs were fed different inputs — with those inputs as
// the first divergence. Run: node --import tsx --test test/unit/compare-triage.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareRuns, type TensorProvider } from '../../src/compare/compareRuns';
import { NdArray } from '../../src/compare/ndarray';
import { computeMetrics } from '../../src/compare/tensorMetrics';
import { inputMismatchWarning, inputsUnknownNote, maxRelOf, metricsReport } from '../../src/compare/report';
import { renderMarkdown } from '../../src/compare/reportMarkdown';
import { distinctLabels } from '../../src/compare/runnerLabels';
import { triageRank, triageSort } from '../../src/compare/triageOrder';
import { compareBackends, graphOrderOf } from '../../src/backends/compareBackends';
import { createOrtBackend } from '../../src/backends/onnxruntime/ortBackend';
import { resultsFileLabel } from '../../src/backends/results/resultsLabel';
import { inputsPathFor } from '../../src/backends/results/siblingInputs';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { writeInputsFile, writeRunResults } from '../../src/backends/results/writeResults';
import { createResultsBackend } from '../../src/backends/resultsBackend';
import { runKind } from '../../src/backends/runKinds';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { CompareState } from '../../src/host/compare/compareState';
import { tensorError } from '../../src/host/compare/overlay';
import { sideLabels } from '../../src/host/compare/sideLabels';
import { compareResultView } from '../../src/host/compare/resultView';
import { DEFAULT_TOLERANCE } from '../../src/compare/verdict';
import { buildViewModel } from '../../src/layout/viewModel';
import { sortRows } from '../../webview/compare/tableSort';
import { summaryText } from '../../src/cli/compare';
import { DT, makeModel } from '../fixtures/builders';

const f32 = (v: number[]): NdArray => ({ dtype: 'float32', shape: [v.length], data: new Float32Array(v) });
const i64 = (v: number[]): NdArray => ({ dtype: 'int64', shape: [v.length], data: new BigInt64Array(v.map(BigInt)) });
const provider = (t: Record<string, NdArray>): TensorProvider => ({ names: Object.keys(t), load: (n) => t[n] });
const runners = { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 } };

test('triage: failures, then passes, then passing weights; graph order within each; stable outside it', () => {
  const items = ['w', 'p1', 'f2', 'out', 'f1', 'p2'];
  const status: Record<string, 'pass' | 'fail'> = { w: 'pass', p1: 'pass', f2: 'fail', out: 'fail', f1: 'fail', p2: 'pass' };
  const pos: Record<string, number> = { w: 0, p1: 1, f1: 2, p2: 3, f2: 4 };
  const sorted = triageSort(items, (n) => triageRank(status[n], n === 'w'), (n) => pos[n]);
  assert.deepEqual(sorted, ['f1', 'f2', 'out', 'p1', 'p2', 'w']);
  assert.equal(triageRank('fail', true), 0, 'a failing weight is a failure like any other');
});

test('compareRuns lists failures first in graph order, then passes, passing weights (Constant outputs, initializers) last', async () => {
  // x -> Relu r -> Add(r, c) -> y, with c a Constant and w an unused initializer that a results file may carry.
  const graph = buildModelGraph(readModel(makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }], outputs: [{ name: 'y', elemType: DT.FLOAT }],
    initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [2], floatData: [1, 2] }],
    nodes: [
      { op: 'Constant', inputs: [], outputs: ['c'], name: 'const', attrs: [{ name: 'value_float', f: 1 }] },
      { op: 'Relu', inputs: ['x'], outputs: ['r'], name: 'relu' },
      { op: 'Add', inputs: ['r', 'c'], outputs: ['y'], name: 'add' },
    ],
  })));
  const order = graphOrderOf(graph);
  assert.deepEqual([...order.weights!].sort(), ['c', 'w']);
  const same = { x: f32([1, 2]), c: f32([1, 1]), w: f32([1, 2]), r: f32([1, 2]), y: f32([2, 3]) };
  const r = await compareRuns(provider({ ...same, y: f32([2, 9]) }), provider(same), { ...runners, graph: order });
  assert.deepEqual(r.tensors.map((t) => `${t.name}:${t.status}`), ['y:fail', 'x:pass', 'r:pass', 'c:pass', 'w:pass']);
  // The Markdown and the CLI keep that order.
  const md = renderMarkdown(r);
  const listed = [...md.matchAll(/^\| (?:pass|\*\*FAIL\*\*) \| `([^`]+)`/gm)].map((m) => m[1]);
  assert.deepEqual(listed, ['y', 'x', 'r', 'c', 'w']);
  // The table's rows (graph order) carry the weight flag, and open failures first, weights last.
  const rows = compareResultView(r, graph, buildViewModel(graph, 'test'), DEFAULT_TOLERANCE, []).rows;
  assert.deepEqual(rows.filter((x) => x.weight).map((x) => x.name).sort(), ['c', 'w']);
  assert.deepEqual(sortRows(rows, 'triage', 'asc').map((x) => x.name), ['y', 'x', 'r', 'c', 'w']);
  // Without a graph: failures first, each part in run A's order.
  const loose = await compareRuns(provider({ ...same, r: f32([0, 0]), y: f32([0, 0]) }), provider(same), runners);
  assert.deepEqual(loose.tensors.map((t) => t.name), ['r', 'y', 'x', 'c', 'w']);
});

test('a 0/0 relative error (identical integer zeros) counts as 0, not as NaN at the top; real NaNs still do', async () => {
  const opts = { atol: 1e-5, rtol: 1e-5, errorQuantile: 0.99, infinitiesCompareEqual: false };
  const zeros = computeMetrics(i64([0, 0, 3]), i64([0, 0, 3]), opts);
  assert.ok(Number.isNaN(zeros.rel.max), "Polygraphy's own statistic stays NaN");
  assert.equal(zeros.relDefinedMax, 0);
  assert.equal(zeros.mismatches, 0);
  const some = computeMetrics(i64([0, 2, 3]), i64([0, 4, 3]), opts);
  assert.equal(some.relDefinedMax, 0.5, 'the max over the defined elements');
  assert.equal(computeMetrics(f32([1, 2]), f32([1, 2]), opts).relDefinedMax, undefined, 'floats divide by epsilon: never 0/0');
  assert.equal(computeMetrics(f32([NaN, 2]), f32([NaN, 2]), opts).relDefinedMax, undefined, 'a NaN in the data is a real NaN');
  const m = metricsReport(zeros);
  assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  assert.equal(maxRelOf(m), 0);

  const a = { ids: i64([0, 0, 3]), nan: f32([NaN, 1]), big: f32([1, 5]) };
  const b = { ids: i64([0, 0, 3]), nan: f32([NaN, 1]), big: f32([1, 1]) };
  const r = await compareRuns(provider(a), provider(b), runners);
  const err = Object.fromEntries(r.tensors.map((t) => [t.name, tensorError(t)]));
  assert.equal(err.ids.rel, 0);
  assert.equal(err.ids.status, 'pass');
  assert.equal(err.nan.rel, Number.MAX_VALUE, 'NaN data is the worst');
  // The table sorted by max rel, worst first: the 0/0 tensor is not on top.
  const rows = r.tensors.map((t) => ({ name: t.name, status: t.status, maxAbs: err[t.name].abs, maxRel: err[t.name].rel, cosine: null, shape: '', dtype: '', reason: '' }));
  assert.deepEqual(sortRows(rows, 'maxRel', 'desc').map((x) => x.name), ['nan', 'big', 'ids']);
  assert.deepEqual(sortRows(rows, 'triage', 'asc').map((x) => x.name), ['nan', 'big', 'ids']);
  assert.match(renderMarkdown(r), /\| pass \| `ids` \| \(3,\) \| int64 \| 0 \| 0 \| 0 \|/);
});

test('labels say what each side was and never read the same', () => {
  assert.equal(runKind('onnxruntime').describe(runKind('onnxruntime').parseOptions({ optLevel: 'all' })), 'onnxruntime CPU, opt all');
  assert.equal(resultsFileLabel('/w/pert.json', 'trt-runner-N0-12/06/26'), 'results file pert.json, runner trt-runner-N0-12/06/26');
  assert.deepEqual(distinctLabels('x', 'y'), { a: 'x', b: 'y' });
  assert.deepEqual(distinctLabels('x', 'x', { a: '/1/x', b: '/2/x' }), { a: '/1/x', b: '/2/x' });
  assert.deepEqual(distinctLabels('x', 'x'), { a: 'x (run A)', b: 'x (run B)' });
  const ort = (optLevel: string) => {
    const k = runKind('onnxruntime');
    const o = k.parseOptions({ optLevel });
    return { kind: 'onnxruntime', options: { ...o }, label: k.describe(o) };
  };
  const file = (p: string) => {
    const k = runKind('results');
    const o = k.parseOptions({ path: p, runner: 0, runnerName: 'onnxrt-runner' });
    return { kind: 'results', options: { ...o }, label: k.describe(o) };
  };
  assert.deepEqual(sideLabels([ort('all'), ort('disabled')]), { a: 'onnxruntime CPU, opt all', b: 'onnxruntime CPU, opt disabled' });
  assert.deepEqual(sideLabels([ort('all'), ort('all')]), { a: 'onnxruntime CPU, opt all (run A)', b: 'onnxruntime CPU, opt all (run B)' });
  assert.deepEqual(sideLabels([file('/one/r.json'), file('/two/r.json')]),
    { a: 'results file /one/r.json, runner onnxrt-runner', b: 'results file /two/r.json, runner onnxrt-runner' });
  assert.deepEqual(sideLabels([ort('all'), file('/w/pert.json')]), { a: 'onnxruntime CPU, opt all', b: 'results file pert.json, runner onnxrt-runner' });
});

/** x -> Relu r -> Neg y. */
function chain(): Uint8Array {
  return makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [3] }], outputs: [{ name: 'y', elemType: DT.FLOAT }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['r'], name: 'relu' }, { op: 'Neg', inputs: ['r'], outputs: ['y'], name: 'neg' }],
  });
}

test('different inputs: found from the inputs files beside results files and from our own runs; the inputs are the first divergence', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-inputs-'));
  try {
    const modelPath = path.join(dir, 'chain.onnx');
    fs.writeFileSync(modelPath, chain());
    const graph = buildModelGraph(readModel(chain()));
    const save = async (name: string, x: number[], withInputs = true) => {
      const file = path.join(dir, `${name}.json`);
      const r = x.map((v) => Math.max(0, v));
      await writeRunResults(file, runResultsFromArrays([{ runnerName: `run-${name}`, iterations: [{ outputs: { r: f32(r), y: f32(r.map((v) => -v)) } }] }]));
      if (withInputs) await writeInputsFile(inputsPathFor(file), [{ x: f32(x) }]);
      return file;
    };
    const one = await save('one', [1, 2, 3]);
    const same = await save('same', [1, 2, 3]);
    const other = await save('other', [1, 2, 7]);
    const bare = await save('bare', [1, 2, 3], false);
    const req = { modelPath: '', inputs: new Map(), capture: 'all' as const };
    const compare = async (a: string, b: string) => (await compareBackends(
      { backend: createResultsBackend(a), request: req }, { backend: createResultsBackend(b), request: req }, { graph, parallel: false })).report;

    const ok = await compare(one, same);
    assert.deepEqual(ok.inputs, { sources: { a: 'one.inputs.json', b: 'same.inputs.json' }, compared: ['x'], differing: [] });
    assert.equal(ok.summary.compared, 3, 'the input is compared as a tensor');
    assert.equal(inputMismatchWarning(ok), null);
    assert.equal(inputsUnknownNote(ok), null);

    const bad = await compare(other, one);
    assert.deepEqual(bad.inputs?.differing, ['x']);
    assert.deepEqual(bad.tensors.map((t) => `${t.name}:${t.status}`), ['x:fail', 'r:fail', 'y:fail']);
    assert.equal(bad.firstDivergence?.first?.tensor, 'x', 'the input itself is where the runs start to differ');
    assert.deepEqual(bad.firstDivergence?.first?.explains, ['r', 'y']);
    const warning = inputMismatchWarning(bad)!;
    assert.match(warning, /^The runs were fed different inputs \(x: max abs difference 4\.00\): the tensors after them differ because of the inputs, not because of a layer\.$/);
    assert.ok(renderMarkdown(bad).includes(`> **Warning:** ${warning}`));
    // What the dock gets: the warning, the input as the first divergence with its box, the rows in graph order.
    const view = compareResultView(bad, graph, buildViewModel(graph, 'test'), DEFAULT_TOLERANCE, [], 240);
    assert.deepEqual(view.inputs, { warning, note: null });
    assert.equal(view.dockHeight, 240);
    assert.equal(view.firstDivergence?.tensor, 'x');
    assert.equal(view.firstDivergence?.op, '');
    assert.ok(view.firstDivergence?.target?.box, 'the graph input box is revealed');
    assert.deepEqual(view.rows.map((r) => r.name), ['x', 'r', 'y']);
    assert.deepEqual(view.runners, { a: 'run-other', b: 'run-one' });
    const text = summaryText(bad, graph);
    assert.match(text.split('\n')[1], /^WARNING: The runs were fed different inputs/);
    assert.match(text, /first divergence: x, a graph input; its inputs: none/);

    const unknown = await compare(one, bare);
    assert.deepEqual(unknown.inputs?.sources, { a: 'one.inputs.json', b: null });
    assert.deepEqual(unknown.unpaired.onlyA, ['x']);
    assert.equal(inputMismatchWarning(unknown), null);
    assert.match(inputsUnknownNote(unknown)!, /^The inputs of run B \(run-bare\) are unknown, so they could not be checked against run A's\.$/);

    // Our own run knows its inputs: onnxruntime fed x = [1, 2, 3] against the file made from [1, 2, 7].
    const ort = createOrtBackend();
    const fed = new Map([['x', f32([1, 2, 3])]]);
    const own = await compareBackends({ backend: ort, request: { modelPath, inputs: fed, capture: 'all' } }, { backend: createResultsBackend(other), request: req },
      { graph, parallel: false, labels: { a: 'onnxruntime CPU, opt all', b: 'results file other.json, runner run-other' } });
    assert.deepEqual(own.report.inputs, { sources: { a: 'fed by this run', b: 'other.inputs.json' }, compared: ['x'], differing: ['x'] });
    assert.equal(own.report.runners.a.label, 'onnxruntime CPU, opt all');
    assert.match(renderMarkdown(own.report), /^# Comparison: A: onnxruntime CPU, opt all vs B: results file other\.json, runner run-other/);

    // The histograms of an input come from what the runs were fed (it is in neither results file).
    const state = new CompareState(bad, [{ path: other, runner: 0 }, { path: one, runner: 0 }], undefined, [new Map([['x', f32([1, 2, 7])]]), new Map([['x', f32([1, 2, 3])]])]);
    try {
      const h = await state.histograms('x');
      assert.equal(h.absError.counts.reduce((s, c) => s + c, 0), 3);
      assert.deepEqual(h.runners, { a: 'run-other', b: 'run-one' });
    } finally {
      state.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
