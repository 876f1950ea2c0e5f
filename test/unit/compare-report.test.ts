// Pairing, run comparison, report JSON/Markdown and histograms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NdArray, fromNumbers } from '../../src/compare/ndarray';
import { pairTensors } from '../../src/compare/pairing';
import { compareRuns, TensorProvider } from '../../src/compare/compareRuns';
import { renderMarkdown } from '../../src/compare/reportMarkdown';
import { pairHistograms, valueHistogram } from '../../src/compare/histogram';
import { compareTensorPair, DEFAULT_TOLERANCE } from '../../src/compare/verdict';

function provider(t: Record<string, NdArray>): TensorProvider & { loads: string[] } {
  const loads: string[] = [];
  return { names: Object.keys(t), loads, load: async (n) => { loads.push(n); return t[n]; } };
}

const f32 = (v: number[], shape = [v.length]) => fromNumbers('float32', shape, v);

test('pairing is by exact name or explicit map, never by substring', () => {
  const p = pairTensors(['conv1', 'conv1_out', 'relu', 'x'], ['conv1', 'conv1_out:0', 'relu_trt', 'y'], { relu: 'relu_trt', x: 'missing' });
  assert.deepEqual(p.pairs, [{ a: 'conv1', b: 'conv1' }, { a: 'relu', b: 'relu_trt' }]);
  assert.deepEqual(p.onlyA, ['conv1_out', 'x']);
  assert.deepEqual(p.onlyB, ['conv1_out:0', 'y']);
  assert.deepEqual(p.brokenMap, [{ a: 'x', b: 'missing' }]);
  // A map target wins over a same-named tensor in A.
  const q = pairTensors(['a', 'b'], ['b'], { a: 'b' });
  assert.deepEqual(q.pairs, [{ a: 'a', b: 'b' }]);
  assert.deepEqual(q.onlyA, ['b']);
});

test('compareRuns: per-tensor verdicts, tolerances, graph order, divergence, JSON round trip, markdown', async () => {
  const a = provider({
    out: f32([1, 2, 3.5]),
    mid: f32([1, 2.1, 3]),
    inp: f32([1, 2, 3]),
    nan: f32([NaN, 1]),
    shape: f32([1, 2, 3, 4], [2, 2]),
    onlyA: f32([0]),
  });
  const b = provider({
    inp: f32([1, 2, 3]),
    mid: f32([1, 2, 3]),
    out: f32([1, 2, 3]),
    nan: f32([NaN, 1]),
    shape: f32([1, 2, 3, 4], [4]),
    onlyB: f32([0]),
  });
  const graph = { order: ['inp', 'mid', 'out', 'nan', 'shape'], producerInputs: (n: string) => ({ mid: ['inp'], out: ['mid'], nan: ['inp'], shape: ['inp'] } as Record<string, string[]>)[n] ?? [] };
  const r = await compareRuns(a, b, {
    runnerA: { runnerName: 'trt-runner', iteration: 0 },
    runnerB: { runnerName: 'onnxrt-runner', iteration: 0 },
    tolerances: { default: { checkErrorStat: 'max' }, perTensor: { mid: { atol: 0.2 } } },
    graph,
  });
  const st = Object.fromEntries(r.tensors.map((t) => [t.name, t.status]));
  assert.deepEqual(st, { inp: 'pass', mid: 'pass', out: 'fail', nan: 'fail', shape: 'fail' });
  assert.deepEqual(r.tensors.map((t) => t.name), ['out', 'nan', 'shape', 'inp', 'mid'], 'failures first, then passes, each in graph order');
  assert.equal(r.tensors.find((t) => t.name === 'mid')?.tolerance.atol, 0.2);
  assert.match(r.tensors.find((t) => t.name === 'shape')?.reason ?? '', /shape mismatch: \(2, 2\) vs \(4,\)/);
  assert.match(r.tensors.find((t) => t.name === 'out')?.reason ?? '', /max abs error 0\.5 > atol 1e-5, max rel error 0\.16667 > rtol 1e-5/);
  assert.deepEqual(r.unpaired, { onlyA: ['onlyA'], onlyB: ['onlyB'], brokenMap: [] });
  assert.deepEqual(r.summary.compared, 5);
  assert.equal(r.summary.failed, 3);
  assert.deepEqual(r.firstDivergence?.culprits.map((c) => c.tensor), ['out', 'nan', 'shape']);
  // Both NaN still fails (Polygraphy: NaN - NaN is NaN) and the report keeps NaN as a string.
  const nan = r.tensors.find((t) => t.name === 'nan');
  assert.equal(nan?.metrics?.abs.max, 'NaN');
  assert.deepEqual(nan?.metrics?.nan, [1, 1]);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  // One tensor pair in memory at a time, each loaded once.
  assert.deepEqual(a.loads, ['out', 'mid', 'inp', 'nan', 'shape']);

  const md = renderMarkdown(r);
  assert.match(md, /^# Comparison: A: trt-runner vs B: onnxrt-runner/);
  assert.match(md, /\*\*FAILED\*\*: 2 of 5 tensors match, 3 fail; 1 only in A, 1 only in B\./);
  assert.match(md, /Likely culprit: `out` \(#2 in graph order\) — producer inputs: `mid` \(pass\)/);
  assert.match(md, /Only in A, trt-runner \(1\): `onlyA`/);
  const failRows = md.split('\n').filter((l) => l.startsWith('| **FAIL**'));
  assert.equal(failRows.length, 3);
});

test('infinities compare equal only with the option; cosine similarity and counts', () => {
  const a = f32([Infinity, -Infinity, 1]);
  const b = f32([Infinity, -Infinity, 1]);
  assert.equal(compareTensorPair(a, b, DEFAULT_TOLERANCE).passed, false);
  const v = compareTensorPair(a, b, DEFAULT_TOLERANCE, { infinitiesCompareEqual: true });
  assert.equal(v.passed, true);
  assert.deepEqual(v.metrics?.inf, [2, 2]);
  const c = compareTensorPair(f32([1, 0]), f32([0, 1]), DEFAULT_TOLERANCE);
  assert.equal(c.metrics?.cosineSimilarity, 0);
  const d = compareTensorPair(fromNumbers('float16', [2], [1, 2]), f32([1, 2]), DEFAULT_TOLERANCE);
  assert.equal(d.passed, false);
  assert.match(d.reason, /dtype mismatch: float16 vs float32/);
  assert.equal(compareTensorPair(fromNumbers('float16', [2], [1, 2]), f32([1, 2]), DEFAULT_TOLERANCE, { dtypeMismatch: 'compare' }).passed, true);
});

test('histograms: shared range for both sides, non-finite counted apart, error bins', () => {
  const a = f32([0, 1, 2, 3, NaN, Infinity]);
  const b = f32([0, 1, 2, 5, 1, -Infinity]);
  const h = pairHistograms(a, b, 5);
  assert.deepEqual(h.actual.edges, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(h.expected.edges, h.actual.edges);
  assert.deepEqual(h.actual.counts, [1, 1, 1, 1, 0]);
  assert.equal(h.actual.nan, 1);
  assert.equal(h.actual.posInf, 1);
  assert.deepEqual(h.expected.counts, [1, 2, 1, 0, 1]);
  assert.equal(h.expected.negInf, 1);
  assert.deepEqual(h.absError.counts, [3, 0, 0, 0, 1]); // errors 0,0,0,2 over [0, 2]; NaN and inf apart
  assert.equal(h.absError.nan, 1);
  assert.equal(h.absError.posInf, 1);
  const c = valueHistogram(f32([7, 7, 7]), 4);
  assert.deepEqual(c.counts.reduce((s, x) => s + x, 0), 3);
});
