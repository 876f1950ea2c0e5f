// Tensors a backend fused away (TensorRT) or could not capture: explained in the report instead of listed as
// unpaired, never culprits, and walked through by the first-divergence search; JSON and markdown say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromNumbers, NdArray } from '../../src/compare/ndarray';
import { compareRuns, TensorProvider } from '../../src/compare/compareRuns';
import { renderMarkdown } from '../../src/compare/reportMarkdown';
import { findDivergence } from '../../src/compare/divergence';
import { compareBackends } from '../../src/backends/compareBackends';
import type { Backend, RunOutput } from '../../src/backends/backend';
import type { ComparisonReport } from '../../src/compare/report';

const f32 = (v: number[]) => fromNumbers('float32', [v.length], v);

function provider(t: Record<string, NdArray>): TensorProvider {
  return { names: Object.keys(t), load: (n) => t[n] };
}

// x -> conv -> relu -> pool -> out, each tensor produced from the previous one.
const EDGES: Record<string, string[]> = { x: [], conv: ['x'], relu: ['conv'], pool: ['relu'], out: ['pool'] };
const GRAPH = { order: Object.keys(EDGES), producerInputs: (n: string) => EDGES[n] ?? [] };
const OK = f32([1, 2, 3]);
const BAD = f32([1, 2, 9]);
const runners = { runnerA: { runnerName: 'trt-runner', iteration: 0 }, runnerB: { runnerName: 'onnxrt-runner', iteration: 0 } };

/** B (onnxruntime) has every tensor; A's tensors as given. */
function compare(a: Record<string, NdArray>, o: Partial<Parameters<typeof compareRuns>[2]> = {}): Promise<ComparisonReport> {
  const b = provider({ x: OK, conv: OK, relu: OK, pool: OK, out: OK });
  return compareRuns(provider(a), b, { ...runners, graph: GRAPH, ...o });
}

test('fused on A: listed as fused with its layer, not as only in B; its consumer is the first divergence', async () => {
  const r = await compare({ x: OK, relu: BAD, pool: BAD, out: BAD }, { fused: { a: new Map([['conv', 'Conv_3 + Relu_4']]) } });
  assert.deepEqual(r.fused, [{ tensor: 'conv', side: 'a', layer: 'Conv_3 + Relu_4' }]);
  assert.deepEqual(r.skipped, []);
  assert.deepEqual(r.unpaired.onlyB, []);
  assert.equal(r.summary.onlyB, 0);
  assert.equal(r.summary.fused, 1);
  assert.equal(r.summary.skipped, 0);
  assert.equal(r.summary.failed, 3, 'the fused tensor is not a failure');
  assert.deepEqual(r.tensors.map((t) => t.name), ['relu', 'pool', 'out', 'x'], 'failures first, in graph order');
  const first = r.firstDivergence?.first;
  assert.equal(first?.tensor, 'relu');
  assert.deepEqual(first?.inputs, [{ name: 'conv', status: 'unknown', fusedInto: 'Conv_3 + Relu_4' }]);
  assert.deepEqual(first?.explains, ['pool', 'out']);
  assert.equal(r.firstDivergence?.culprits.length, 1);
});

test('a failure upstream of a fused tensor explains the failures past it (the chain walks through)', async () => {
  const r = await compare({ x: OK, conv: BAD, pool: BAD, out: BAD }, { fused: { a: new Map([['relu', null]]) } });
  assert.deepEqual(r.fused, [{ tensor: 'relu', side: 'a', layer: null }]);
  assert.deepEqual(r.firstDivergence?.culprits.map((c) => c.tensor), ['conv'], 'pool is fed by conv through the fused relu');
  assert.deepEqual(r.firstDivergence?.first?.explains, ['pool', 'out']);
  // Everything passing around a fused tensor: no divergence at all.
  const clean = await compare({ x: OK, conv: OK, pool: OK, out: OK }, { fused: { a: new Map([['relu', 'Relu_4']]) } });
  assert.equal(clean.firstDivergence?.first, null);
  assert.equal(clean.summary.failed, 0);
});

test('several fused in a row: the first failing compared tensor after them is the culprit, its fused input named', async () => {
  const fused = new Map<string, string | null>([['conv', 'Conv_3 + Relu_4'], ['relu', 'Conv_3 + Relu_4']]);
  const r = await compare({ x: OK, pool: BAD, out: BAD }, { fused: { a: fused } });
  assert.deepEqual(r.fused?.map((f) => f.tensor), ['conv', 'relu'], 'graph order');
  assert.equal(r.firstDivergence?.first?.tensor, 'pool');
  assert.deepEqual(r.firstDivergence?.first?.inputs, [{ name: 'relu', status: 'unknown', fusedInto: 'Conv_3 + Relu_4' }]);
  assert.deepEqual(r.firstDivergence?.first?.explains, ['out']);
});

test('fused on B through a name map: the counterpart leaves only-in-A; skipped tensors likewise', async () => {
  const a = provider({ x: OK, conv: OK, relu: OK, pool: OK, out: OK });
  const b = provider({ x: OK, relu: OK, out: OK });
  const r = await compareRuns(a, b, {
    ...runners,
    graph: GRAPH,
    nameMap: { conv: 'conv_b' },
    fused: { b: new Map([['conv_b', 'fc + act']]) },
    skipped: { b: new Map([['pool', 'inside a Loop body']]) },
  });
  assert.deepEqual(r.fused, [{ tensor: 'conv_b', side: 'b', layer: 'fc + act', counterpart: 'conv' }]);
  assert.deepEqual(r.skipped, [{ tensor: 'pool', side: 'b', reason: 'inside a Loop body' }]);
  assert.deepEqual(r.unpaired.onlyA, []);
  assert.equal(r.summary.skipped, 1);
  assert.equal(r.summary.compared, 3);
});

test('a fused claim the run contradicts (it produced the tensor) is ignored: the tensor is compared', async () => {
  const r = await compare({ x: OK, conv: OK, relu: OK, pool: OK, out: OK }, { fused: { a: new Map([['relu', 'X']]) } });
  assert.deepEqual(r.fused, []);
  assert.equal(r.summary.compared, 5);
});

test('findDivergence names a fused or skipped input only when it was not compared', () => {
  const d = findDivergence(GRAPH, new Map([['relu', 'fail'], ['conv', 'pass']]), new Map([['conv', { fusedInto: 'L' }]]));
  assert.deepEqual(d.first?.inputs, [{ name: 'conv', status: 'pass' }]);
  const e = findDivergence(GRAPH, new Map([['relu', 'fail']]), new Map([['conv', { skipped: 'why' }]]));
  assert.deepEqual(e.first?.inputs, [{ name: 'conv', status: 'unknown', skipped: 'why' }]);
});

test('report JSON round-trips the new sections; markdown says "fused into <layer>"', async () => {
  const r = await compare({ x: OK, relu: BAD, out: BAD }, {
    fused: { a: new Map([['conv', 'Conv_3 + Relu_4']]) },
    skipped: { a: new Map([['pool', 'inside a Loop body']]) },
  });
  const json = JSON.parse(JSON.stringify(r));
  assert.deepEqual(json, r);
  assert.equal(json.version, 1);
  assert.deepEqual(json.fused, [{ tensor: 'conv', side: 'a', layer: 'Conv_3 + Relu_4' }]);
  assert.deepEqual(json.skipped, [{ tensor: 'pool', side: 'a', reason: 'inside a Loop body' }]);
  assert.equal(json.summary.fused, 1);
  const md = renderMarkdown(r);
  assert.match(md, /\*\*FAILED\*\*: 1 of 3 tensors match, 2 fail; 0 only in A, 0 only in B; 1 fused away by a backend \(not compared, not failures\); 1 not captured\./);
  assert.match(md, /Likely culprit: `relu` \(#2 in graph order\) — producer inputs: `conv` \(fused into `Conv_3 \+ Relu_4`\)/);
  assert.match(md, /## Fused tensors/);
  assert.match(md, /\| `conv` \| trt-runner \(A\) \| fused into `Conv_3 \+ Relu_4` \|/);
  assert.match(md, /## Tensors not captured[\s\S]*\| `pool` \| trt-runner \(A\) \| inside a Loop body \|/);
  assert.doesNotMatch(md, /## Unpaired tensors/);
  // An older report (no fused fields) still renders.
  const old = { ...r, fused: undefined, skipped: undefined, summary: { ...r.summary, fused: undefined, skipped: undefined } };
  const oldMd = renderMarkdown(old);
  assert.doesNotMatch(oldMd, /## Fused tensors|fused away by a backend|not captured/);
  assert.match(oldMd, /\*\*FAILED\*\*: 1 of 3 tensors match, 2 fail; 0 only in A, 0 only in B\./);
});

test('compareBackends passes each RunOutput.fused and .skipped to the comparison', async () => {
  const backend = (name: string, tensors: Record<string, NdArray>, extra: Partial<RunOutput>): Backend => ({
    id: name,
    label: name,
    run: async () => ({ runnerName: name, captured: Object.keys(tensors), tensors: provider(tensors), notes: [], timings: {}, dispose: () => undefined, ...extra }),
  });
  const request = { modelPath: '', inputs: new Map(), capture: 'all' as const, keep: 'memory' as const };
  const { report } = await compareBackends(
    { backend: backend('trt', { x: OK, relu: BAD }, { fused: [{ tensor: 'conv', layer: 'Conv_3 + Relu_4' }], skipped: [{ name: 'pool', reason: 'r' }] }), request },
    { backend: backend('ort', { x: OK, conv: OK, relu: OK, pool: OK }, {}), request },
    { parallel: false },
  );
  assert.deepEqual(report.fused, [{ tensor: 'conv', side: 'a', layer: 'Conv_3 + Relu_4' }]);
  assert.deepEqual(report.skipped, [{ tensor: 'pool', side: 'a', reason: 'r' }]);
  assert.deepEqual(report.unpaired.onlyB, []);
  assert.equal(report.summary.failed, 1);
});
