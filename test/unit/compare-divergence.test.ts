// First divergence on synthetic graphs: chains, branches, independent culprits, uncompared tensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphOrder, TensorStatus, findDivergence } from '../../src/compare/divergence';

/** Graph from "out <- in1, in2" edges, in the given (topological) order. */
function graph(edges: Record<string, string[]>): GraphOrder {
  return { order: Object.keys(edges), producerInputs: (n) => edges[n] ?? [] };
}

function statuses(s: Record<string, TensorStatus>): Map<string, TensorStatus> {
  return new Map(Object.entries(s));
}

test('chain: the first failing tensor explains everything after it', () => {
  const g = graph({ x: [], a: ['x', 'w'], b: ['a'], c: ['b'], d: ['c'] });
  const d = findDivergence(g, statuses({ a: 'pass', b: 'fail', c: 'fail', d: 'fail' }));
  assert.equal(d.first?.tensor, 'b');
  assert.equal(d.first?.position, 2);
  assert.deepEqual(d.first?.inputs, [{ name: 'a', status: 'pass' }]);
  assert.deepEqual(d.first?.explains, ['c', 'd']);
  assert.equal(d.culprits.length, 1);
});

test('a failing tensor fed only by graph inputs / initializers is a culprit', () => {
  const g = graph({ x: [], a: ['x', 'weight'], b: ['a'] });
  const d = findDivergence(g, statuses({ a: 'fail', b: 'fail' }));
  assert.equal(d.first?.tensor, 'a');
  assert.deepEqual(d.first?.inputs, [{ name: 'x', status: 'unknown' }, { name: 'weight', status: 'unknown' }]);
  assert.deepEqual(d.first?.explains, ['b']);
});

test('two independent branches diverge separately; a join is explained by both', () => {
  const g = graph({ x: [], l1: ['x'], r1: ['x'], l2: ['l1'], r2: ['r1'], join: ['l2', 'r2'], out: ['join'] });
  const d = findDivergence(g, statuses({ l1: 'pass', r1: 'pass', l2: 'fail', r2: 'fail', join: 'fail', out: 'fail' }));
  assert.deepEqual(d.culprits.map((c) => c.tensor), ['l2', 'r2']);
  assert.deepEqual(d.culprits[0].explains, ['join', 'out']);
  assert.deepEqual(d.culprits[1].explains, ['join', 'out']);
});

test('a failure whose inputs all pass is a new culprit even downstream of another failure', () => {
  // c fails, d consumes only passing tensors (a) yet fails: an independent culprit.
  const g = graph({ x: [], a: ['x'], c: ['a'], d: ['a'], e: ['c', 'd'] });
  const d = findDivergence(g, statuses({ a: 'pass', c: 'fail', d: 'fail', e: 'fail' }));
  assert.deepEqual(d.culprits.map((c) => c.tensor), ['c', 'd']);
  assert.equal(d.first?.tensor, 'c');
});

test('uncompared intermediates are looked through, so they do not create false culprits', () => {
  // a fails -> u (not compared) -> b fails: b is explained by a, not a culprit of its own.
  const g = graph({ x: [], a: ['x'], u: ['a'], b: ['u'], v: ['x'], c: ['v'] });
  const d = findDivergence(g, statuses({ a: 'fail', b: 'fail', c: 'fail' }));
  assert.deepEqual(d.culprits.map((c) => c.tensor), ['a', 'c']);
  assert.deepEqual(d.culprits[0].explains, ['b']);
  assert.deepEqual(d.culprits[1].inputs, [{ name: 'v', status: 'unknown' }]);
});

test('nothing fails -> no culprit; failures missing from the graph are listed apart', () => {
  const g = graph({ x: [], a: ['x'] });
  assert.equal(findDivergence(g, statuses({ a: 'pass' })).first, null);
  const d = findDivergence(g, statuses({ a: 'pass', ghost: 'fail' }));
  assert.equal(d.first, null);
  assert.deepEqual(d.outsideGraph, ['ghost']);
});

test('scales linearly: a 20k-node chain with a failure in the middle', () => {
  const edges: Record<string, string[]> = { t0: [] };
  const s: Record<string, TensorStatus> = {};
  for (let i = 1; i < 20000; i++) {
    edges[`t${i}`] = [`t${i - 1}`];
    s[`t${i}`] = i >= 12345 ? 'fail' : 'pass';
  }
  const t = Date.now();
  const d = findDivergence(graph(edges), statuses(s));
  assert.equal(d.first?.tensor, 't12345');
  assert.equal(d.first?.explains.length, 20000 - 12346);
  assert.equal(d.culprits.length, 1);
  assert.ok(Date.now() - t < 2000);
});

test('only the final output compared: a 50k-node uncompared chain is walked without recursion', () => {
  const edges: Record<string, string[]> = { t0: [] };
  for (let i = 1; i < 50000; i++) edges[`t${i}`] = [`t${i - 1}`];
  edges.out = ['t49999'];
  const d = findDivergence(graph(edges), statuses({ out: 'fail' }));
  assert.equal(d.first?.tensor, 'out');
  const d2 = findDivergence(graph(edges), statuses({ t10: 'fail', out: 'fail' }));
  assert.deepEqual(d2.culprits.map((c) => c.tensor), ['t10']);
  assert.deepEqual(d2.first?.explains, ['out']);
});
