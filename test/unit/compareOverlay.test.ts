// Compare Backends, the pure parts: the overlay (an op takes its worst output, a group its worst descendant,
// checked against an independent walk up the hierarchy), threshold classification and colors, table sorting,
// report export naming, and the first divergence's reveal target — on mobilenet_v3_small's real view model.
// Run: node --import tsx --test test/unit/compareOverlay.test.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { graphOrderOf } from '../../src/backends/compareBackends';
import { compareRuns, type TensorProvider } from '../../src/compare/compareRuns';
import { makeNdArray, type NdArray } from '../../src/compare/ndarray';
import { jsonNumber, type ComparisonReport, type TensorReport } from '../../src/compare/report';
import { DEFAULT_TOLERANCE } from '../../src/compare/verdict';
import { buildModelGraph, type GraphModel } from '../../src/core/graph';
import { ancestorsOf, buildViewModel, ROOT_ID, type ViewModel } from '../../src/layout/viewModel';
import { computeOverlay } from '../../src/host/compare/overlay';
import { defaultReportPath, reportText } from '../../src/host/compare/reportFiles';
import { compareResultView } from '../../src/host/compare/resultView';
import { readModelFileSync } from '../../src/node/modelFile';
import type { CompareTableRow } from '../../src/protocol/compare';
import { classify, fromPosition, logPosition, overlayColor, scaleFor } from '../../webview/compare/errorScale';
import { countByClass, overlayMarks, worstTensorError } from '../../webview/compare/overlayMarks';
import { filterRows, sortRows } from '../../webview/compare/tableSort';
import type { Scene } from '../../src/protocol/scene';

const MODEL = ['../shared/models/mobilenet_v3_small.onnx', '/work/shared/models/mobilenet_v3_small.onnx'].map((p) => path.resolve(__dirname, '../..', p)).find((p) => fs.existsSync(p));
const skip = MODEL ? false : 'mobilenet_v3_small.onnx not found under ../shared/models';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tensorReport(name: string, abs: number, rel: number, opts: { noMetrics?: boolean } = {}): TensorReport {
  const failed = opts.noMetrics || rel > 1e-5;
  const stats = (v: number) => ({ max: jsonNumber(v), mean: jsonNumber(v / 2), median: jsonNumber(v / 3), quantile: jsonNumber(v) });
  return {
    name, nameB: name, shape: [[1], [1]], dtype: ['float32', 'float32'], tolerance: DEFAULT_TOLERANCE,
    status: failed ? 'fail' : 'pass', reason: 'test',
    metrics: opts.noMetrics ? null : { count: 1, abs: stats(abs), rel: stats(rel), cosineSimilarity: 1, nan: [0, 0], inf: [0, 0], mismatches: failed ? 1 : 0, firstMismatch: failed ? 0 : -1 },
  };
}

function reportOf(tensors: TensorReport[]): ComparisonReport {
  const failed = tensors.filter((t) => t.status === 'fail').length;
  return {
    version: 1, runners: { a: { runnerName: 'a', iteration: 0 }, b: { runnerName: 'b', iteration: 0 } },
    options: { tolerances: {}, infinitiesCompareEqual: false, dtypeMismatch: 'fail', nameMap: {} },
    tensors, unpaired: { onlyA: [], onlyB: [], brokenMap: [] },
    summary: { compared: tensors.length, passed: tensors.length - failed, failed, onlyA: 0, onlyB: 0, bytes: 0, seconds: 0 },
    firstDivergence: null,
  };
}

function load(): { graph: GraphModel; view: ViewModel } {
  const graph = buildModelGraph(readModelFileSync(MODEL!).model);
  return { graph, view: buildViewModel(graph, 'test') };
}

/** The box (view item) of every node output, found by walking nodes rather than the hierarchy. */
function boxOfTensor(graph: GraphModel, view: ViewModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of graph.nodes) for (const t of n.outputs) if (view.items.has(`n:${n.index}`)) out.set(t, `n:${n.index}`);
  return out;
}

describe('compare overlay on mobilenet_v3_small', { skip }, () => {
  test('ops take their worst output; every group its worst descendant (independent walk up ancestorsOf)', () => {
    const { graph, view } = load();
    const r = rng(7);
    const errs = new Map<string, { abs: number; rel: number }>();
    const tensors: TensorReport[] = [];
    for (const name of graphOrderOf(graph).order) {
      const e = { abs: 10 ** (-9 + 8 * r()), rel: 10 ** (-9 + 8 * r()) };
      errs.set(name, e);
      tensors.push(tensorReport(name, e.abs, e.rel));
    }
    const overlay = computeOverlay(reportOf(tensors), graph, view);
    // Expected: for each tensor, raise its box and every ancestor group to at least its error.
    const expected = new Map<string, { abs: number; rel: number; failed: boolean }>();
    const boxes = boxOfTensor(graph, view);
    const bump = (id: string, e: { abs: number; rel: number }, failed: boolean) => {
      const cur = expected.get(id) ?? { abs: -1, rel: -1, failed: false };
      expected.set(id, { abs: Math.max(cur.abs, e.abs), rel: Math.max(cur.rel, e.rel), failed: cur.failed || failed });
    };
    for (const [t, e] of errs) {
      const box = boxes.get(t) ?? (view.items.has(`i:${t}`) ? `i:${t}` : undefined);
      if (!box) continue;
      const failed = e.rel > 1e-5;
      for (const id of [box, ...ancestorsOf(view.items, box)]) bump(id, e, failed);
      if (view.items.has(`o:${t}`)) for (const id of [`o:${t}`, ...ancestorsOf(view.items, `o:${t}`)]) bump(id, e, failed);
    }
    assert.ok(expected.size > 50);
    for (const [id, e] of expected) {
      assert.ok(overlay.items[id], `no overlay for ${id}`);
      assert.equal(overlay.items[id].abs, e.abs, `${id} abs`);
      assert.equal(overlay.items[id].rel, e.rel, `${id} rel`);
      assert.equal(overlay.items[id].failed, e.failed, `${id} failed`);
      // The named worst tensor really carries the worst relative error.
      assert.equal(errs.get(overlay.items[id].worst)?.rel, e.rel, `${id} worst`);
    }
    const groups = Object.keys(overlay.items).filter((id) => id.startsWith('g:') && id !== ROOT_ID);
    assert.ok(groups.length > 20, 'collapsed groups get values');
  });

  test('a non-comparable failure and NaN errors count as the worst', () => {
    const { graph, view } = load();
    const order = graphOrderOf(graph).order;
    const target = graph.nodes.find((n) => n.opType === 'HardSigmoid')!;
    const broken = target.outputs[0];
    const nanT = order.find((t) => t !== broken && boxOfTensor(graph, view).has(t))!;
    const tensors = order.map((t) => (t === broken ? tensorReport(t, 0, 0, { noMetrics: true }) : t === nanT ? tensorReport(t, NaN, NaN) : tensorReport(t, 1e-7, 1e-7)));
    const overlay = computeOverlay(reportOf(tensors), graph, view);
    assert.equal(overlay.tensors[broken].rel, Number.MAX_VALUE);
    assert.equal(overlay.tensors[broken].status, 'fail');
    assert.equal(overlay.tensors[nanT].abs, Number.MAX_VALUE);
    for (const g of ancestorsOf(view.items, `n:${target.index}`).filter((id) => id !== ROOT_ID)) {
      assert.equal(overlay.items[g].rel, Number.MAX_VALUE, `${g} takes the broken child's error`);
      assert.equal(overlay.items[g].failed, true);
    }
    assert.ok(JSON.stringify(overlay).length > 0 && !JSON.stringify(overlay).includes('null,"rel":null,"status":"fail"'));
  });

  test('first divergence: the perturbed node, with the groups to open to reach it', async () => {
    const { graph, view } = load();
    const order = graphOrderOf(graph);
    const culprit = graph.nodes.filter((n) => n.opType === 'Conv')[5];
    // Every tensor downstream of the culprit's output differs; everything else matches.
    const tainted = new Set<string>([culprit.outputs[0]]);
    for (const t of order.order) if (order.producerInputs(t).some((i) => tainted.has(i))) tainted.add(t);
    const provider = (shift: number): TensorProvider => ({
      names: order.order,
      load: (n): NdArray => makeNdArray('float32', [2], new Float32Array([1, tainted.has(n) ? 1 + shift : 1])),
    });
    const report = await compareRuns(provider(0), provider(0.5), { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 }, graph: order });
    const v = compareResultView(report, graph, view, DEFAULT_TOLERANCE, []);
    assert.equal(v.firstDivergence?.tensor, culprit.outputs[0]);
    assert.equal(v.firstDivergence?.node, culprit.name);
    assert.equal(v.firstDivergence?.op, 'Conv');
    assert.equal(v.firstDivergence?.target?.box, `n:${culprit.index}`);
    assert.deepEqual(v.firstDivergence?.target?.expand, ancestorsOf(view.items, `n:${culprit.index}`).filter((g) => g !== ROOT_ID).reverse());
    assert.equal(v.rows.filter((r) => r.status === 'fail').length, tainted.size);
    // The report lists failures first; the rows go in graph order (the webview opens them failures first).
    assert.deepEqual(report.tensors.slice(0, tainted.size).map((t) => t.status), Array(tainted.size).fill('fail'));
    assert.equal(report.tensors[0].name, culprit.outputs[0], 'the first divergence heads the report');
    const pos = new Map(order.order.map((t, i) => [t, i]));
    assert.deepEqual(v.rows.map((r) => r.name), report.tensors.map((t) => t.name).sort((x, y) => pos.get(x)! - pos.get(y)!), 'rows in graph order');
  });
});

describe('threshold classification and colors', () => {
  const colors = { pass: 'rgb(0, 200, 0)', warn: 'rgb(200, 200, 0)', fail: 'rgb(200, 0, 0)', background: 'rgb(0, 0, 0)' };

  test('above the threshold fails, at or below passes, no value is unclassified', () => {
    for (const thr of [1e-8, 1e-5, 0.1]) {
      assert.equal(classify(thr, thr), 'pass');
      assert.equal(classify(thr * 1.0001, thr), 'fail');
      assert.equal(classify(0, thr), 'pass');
      assert.equal(classify(Number.MAX_VALUE, thr), 'fail');
      assert.equal(classify(null, thr), 'none');
    }
  });

  test('scale, slider positions and colors: moving the threshold moves boxes between pass and fail', () => {
    const values = [0, 1e-9, 3e-7, 2e-5, 4e-3, 0.9, Number.MAX_VALUE];
    const s = scaleFor(values, 1e-5);
    assert.deepEqual(s, { lo: -9, hi: 0 });
    for (const t of [0, 0.25, 0.5, 1]) assert.ok(Math.abs(logPosition(fromPosition(t, s), s) - t) < 1e-12);
    assert.equal(logPosition(Number.MAX_VALUE, s), 1);
    const scene = {
      nodes: values.map((_, i) => ({ id: `n:${i}` })), edges: values.map((_, i) => ({ id: `e${i}`, tensor: `t${i}` })),
    } as unknown as Scene;
    const overlay = {
      tensors: Object.fromEntries(values.map((v, i) => [`t${i}`, { abs: v, rel: v, status: 'pass' as const }])),
      items: Object.fromEntries(values.map((v, i) => [`n:${i}`, { abs: v, rel: v, worst: `t${i}`, failed: false }])),
    };
    for (const thr of [1e-10, 1e-6, 1e-2, 2]) {
      const marks = overlayMarks(scene, overlay, { metric: 'rel', threshold: thr, scale: s, colors, culpritColor: 'x' });
      const failColors = new Set(values.filter((v) => v > thr).map((v) => overlayColor(v, thr, s, colors)));
      const failing = [...marks.boxes.entries()].filter(([, c]) => failColors.has(c)).map(([id]) => Number(id.slice(2)));
      assert.deepEqual(failing, values.map((v, i) => [v, i] as const).filter(([v]) => v > thr).map(([, i]) => i), `threshold ${thr}`);
      assert.deepEqual(countByClass(overlay, 'rel', thr), { fail: failing.length, pass: values.length - failing.length });
      assert.equal(marks.edges.get('e3'), marks.boxes.get('n:3'), 'an edge takes its tensor\'s color');
      for (const v of values.filter((x) => x <= thr)) assert.ok(!failColors.has(overlayColor(v, thr, s, colors)!), 'pass and fail colors differ');
    }
  });

  test('an aggregate edge takes the worst of its tensors', () => {
    const overlay = { tensors: { a: { abs: 1, rel: 1e-3, status: 'fail' as const }, b: { abs: 2e-9, rel: 5e-2, status: 'fail' as const } }, items: {} };
    assert.equal(worstTensorError(overlay, ['a', 'b', 'missing'], 'rel'), 5e-2);
    assert.equal(worstTensorError(overlay, ['a', 'b'], 'abs'), 1);
    assert.equal(worstTensorError(overlay, ['missing'], 'abs'), null);
  });
});

describe('table sorting', () => {
  const row = (name: string, status: 'pass' | 'fail', maxRel: number | null, maxAbs: number | null = maxRel): CompareTableRow =>
    ({ name, status, maxRel, maxAbs, cosine: maxRel === null ? null : 1 - maxRel, shape: '[1]', dtype: 'float32', reason: '' });
  const rows = [row('x10', 'pass', 1e-7), row('x2', 'fail', 3e-2), row('x1', 'fail', null), row('y', 'fail', 3e-2), row('z', 'pass', 0)];

  test('numbers descending with missing values last, ties in graph order', () => {
    assert.deepEqual(sortRows(rows, 'maxRel', 'desc').map((r) => r.name), ['x2', 'y', 'x10', 'z', 'x1']);
    assert.deepEqual(sortRows(rows, 'maxRel', 'asc').map((r) => r.name), ['z', 'x10', 'x2', 'y', 'x1']);
  });
  test('names in natural order, verdicts failures first, graph order restored', () => {
    assert.deepEqual(sortRows(rows, 'name', 'asc').map((r) => r.name), ['x1', 'x2', 'x10', 'y', 'z']);
    assert.deepEqual(sortRows(rows, 'status', 'desc').map((r) => r.name), ['x2', 'x1', 'y', 'x10', 'z']);
    assert.deepEqual(sortRows(rows, 'order', 'asc'), rows);
    assert.deepEqual(sortRows(rows, 'order', 'desc'), [...rows].reverse());
  });
  test('fused and not-captured rows: after passes by verdict, last by numbers, filtered by status', () => {
    const absent = (name: string, status: 'fused' | 'skipped'): CompareTableRow =>
      ({ name, status, maxRel: null, maxAbs: null, cosine: null, shape: '', dtype: '', reason: status === 'fused' ? 'fused into L' : 'inside a Loop body' });
    const mixed = [absent('f1', 'fused'), ...rows.slice(0, 2), absent('s1', 'skipped'), ...rows.slice(2), absent('f2', 'fused')];
    assert.deepEqual(sortRows(mixed, 'status', 'desc').map((r) => r.name), ['x2', 'x1', 'y', 'x10', 'z', 'f1', 'f2', 's1']);
    assert.deepEqual(sortRows(mixed, 'maxAbs', 'desc').map((r) => r.name).slice(-4), ['f1', 's1', 'x1', 'f2'], 'no number: last, in graph order');
    assert.deepEqual(sortRows(mixed, 'reason', 'asc').map((r) => r.name).slice(-3), ['f1', 'f2', 's1']);
    assert.deepEqual(filterRows(mixed, 'fused').map((r) => r.name), ['f1', 'f2']);
    assert.deepEqual(filterRows(mixed, 'skipped').map((r) => r.name), ['s1']);
    assert.equal(filterRows(mixed, 'all').length, mixed.length);
  });
});

describe('report export', () => {
  test('default names beside the model skip existing files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-export-'));
    try {
      const model = path.join(dir, 'net.v2.onnx');
      const first = defaultReportPath(model, 'json', fs.existsSync);
      assert.equal(first, path.join(dir, 'net.v2.compare.json'));
      fs.writeFileSync(first, '{}');
      assert.equal(defaultReportPath(model, 'json', fs.existsSync), path.join(dir, 'net.v2.compare-2.json'));
      assert.equal(defaultReportPath(model, 'markdown', fs.existsSync), path.join(dir, 'net.v2.compare.md'));
      assert.throws(() => defaultReportPath(model, 'json', () => true, 3), /no free file name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('JSON parses back to the report; Markdown names the failing tensor', () => {
    const report = reportOf([tensorReport('ok', 1e-9, 1e-9), tensorReport('bad/out', 0.5, NaN)]);
    assert.deepEqual(JSON.parse(reportText(report, 'json')), report);
    assert.match(reportText(report, 'markdown'), /bad\/out/);
  });
});
