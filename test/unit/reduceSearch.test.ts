// The reduction's search on synthetic graphs: a probe fails exactly when the candidate holds every node of a
// hidden "needed" set, so the answer is known and the number of probes is counted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ancestorsOf, Probe, SearchGraph, SearchPhase, searchMinimalFailing } from '../../src/reduce/search';

/** A graph from edges [producer, consumer]; node indices are already a topological order. */
function graphOf(n: number, edges: [number, number][]): SearchGraph {
  const producers: number[][] = Array.from({ length: n }, () => []);
  for (const [p, c] of edges) producers[c].push(p);
  return { order: Array.from({ length: n }, (_, i) => i), producers };
}

function chain(n: number): SearchGraph {
  return graphOf(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
}

function needing(needed: number[]): { probe: Probe; calls: { nodes: number[]; phase: SearchPhase }[] } {
  const calls: { nodes: number[]; phase: SearchPhase }[] = [];
  const probe: Probe = async (nodes, phase) => {
    calls.push({ nodes: [...nodes], phase });
    return needed.every((x) => nodes.includes(x));
  };
  return { probe, calls };
}

describe('searchMinimalFailing', () => {
  it('stops after one probe when the target fails alone', async () => {
    const { probe, calls } = needing([40]);
    assert.deepEqual(await searchMinimalFailing(chain(100), 40, probe), [40]);
    assert.deepEqual(calls, [{ nodes: [40], phase: 'single' }]);
  });

  it('finds a target that needs its producer with a handful of probes on a long chain', async () => {
    const { probe, calls } = needing([498, 499]);
    assert.deepEqual(await searchMinimalFailing(chain(1000), 499, probe), [498, 499]);
    assert.ok(calls.length <= 4, `${calls.length} probes`);
    assert.deepEqual(calls.slice(0, 2).map((c) => c.phase), ['single', 'upstream']);
  });

  it('finds a distant ancestor by galloping then bisection, and drops what lies between', async () => {
    const { probe, calls } = needing([300, 700]);
    const found = await searchMinimalFailing(chain(1000), 700, probe);
    assert.deepEqual(found, [300, 700]);
    // galloping (~9) + bisection (~8) + dropping the 399 nodes between in halves (~2 per level, 9 levels)
    assert.ok(calls.length < 60, `${calls.length} probes`);
  });

  it('drops a side branch the failure does not need (across a branch point)', async () => {
    // 0 -> 1 -> 3, 0 -> 2 -> 3, 3 -> 4: the target 3 needs branch 1 only
    const g = graphOf(5, [[0, 1], [0, 2], [1, 3], [2, 3], [3, 4]]);
    const { probe } = needing([1, 3]);
    assert.deepEqual(await searchMinimalFailing(g, 3, probe), [1, 3]);
  });

  it('keeps both inputs of a merge when the failure needs both branches', async () => {
    const g = graphOf(6, [[0, 1], [0, 2], [1, 3], [2, 4], [3, 5], [4, 5]]);
    const { probe } = needing([3, 4, 5]);
    assert.deepEqual(await searchMinimalFailing(g, 5, probe), [3, 4, 5]);
  });

  it('looks downstream when every ancestor passes (a failure that needs its consumer)', async () => {
    const { probe, calls } = needing([10, 11]);
    assert.deepEqual(await searchMinimalFailing(chain(30), 10, probe), [10, 11]);
    assert.ok(calls.some((c) => c.phase === 'window'));
  });

  it('says null when no candidate fails', async () => {
    const { probe } = needing([99]); // never inside a candidate around node 5 of a 20-node chain
    assert.equal(await searchMinimalFailing(chain(20), 5, probe), null);
  });

  it('respects the linear limit', async () => {
    // Needing every other node of 40: chunk removal cannot succeed, single removals are capped.
    const needed = Array.from({ length: 20 }, (_, i) => i * 2 + 1);
    const { probe, calls } = needing(needed);
    const found = await searchMinimalFailing(chain(40), 39, probe, { linearLimit: 5 });
    assert.ok(found && needed.every((x) => found.includes(x)));
    assert.equal(calls.filter((c) => c.phase === 'linear').length, 0);
  });

  it('ancestorsOf lists the target and its ancestors in graph order', () => {
    const g = graphOf(5, [[0, 1], [0, 2], [1, 3], [2, 4]]);
    assert.deepEqual(ancestorsOf(g, 3), [0, 1, 3]);
    assert.deepEqual(ancestorsOf(g, 0), [0]);
  });
});
