// The search for the smallest failing set of nodes, independent of ONNX and of running anything: a graph of
// node indices, the node where the runs first diverge, and a probe that says whether a set of nodes, run on
// its own with reference inputs, still fails. Polygraphy's `debug reduce` bisects the whole graph order; we
// start where the first divergence points, so the common case (the node fails alone) costs one probe:
//   1. the target node alone;
//   2. the target with its nearest ancestors: galloping (1, 2, 4, ... ancestors in graph order), then bisection;
//   3. if even all its ancestors pass (the failure needs what follows it): windows of the whole graph order
//      around the target, end then start, galloping then bisection;
//   4. dropping what the failure does not need: halves, quarters, ... of the other nodes (branches), down to
//      single nodes (linear), keeping each removal that still fails.

export interface SearchGraph {
  /** Node indices in topological order. */
  order: readonly number[];
  /** For each node index: the nodes producing its inputs. */
  producers: readonly (readonly number[])[];
}

export type SearchPhase = 'single' | 'upstream' | 'window' | 'branches' | 'linear';

/** True when the nodes (topological order), run alone with reference inputs, still fail. */
export type Probe = (nodes: readonly number[], phase: SearchPhase) => Promise<boolean>;

export interface SearchOptions {
  /** Most single-node removals tried in the linear phase (default 64): each costs a probe. */
  linearLimit?: number;
}

/** The target and every node it depends on, in topological order (target last). */
export function ancestorsOf(g: SearchGraph, target: number): number[] {
  const seen = new Set<number>([target]);
  const stack = [target];
  while (stack.length > 0) {
    for (const p of g.producers[stack.pop()!]) {
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return g.order.filter((i) => seen.has(i));
}

/**
 * The smallest `k` in (lo, hi] for which `fails(k)` holds, assuming it is monotonic and `fails(lo)` is false:
 * galloping from lo (lo+1, lo+2, lo+4, ...) so a small answer costs few probes, then bisection. `hiKnownToFail`
 * skips probing hi itself. Null when even hi passes.
 */
async function smallestFailing(lo: number, hi: number, fails: (k: number) => Promise<boolean>, hiKnownToFail = false): Promise<number | null> {
  let pass = lo;
  let found: number | null = null;
  for (let step = 1; pass + step < hi; step *= 2) {
    if (await fails(pass + step)) {
      found = pass + step;
      break;
    }
    pass += step;
  }
  if (found === null && !hiKnownToFail && !(await fails(hi))) return null;
  let fail: number = found ?? hi;
  while (fail - pass > 1) {
    const mid = pass + Math.floor((fail - pass) / 2);
    if (await fails(mid)) fail = mid;
    else pass = mid;
  }
  return fail;
}

/**
 * The smallest failing set found around `target` (topological order, target included), or null when no
 * candidate fails (the failure needs the whole model as it was run: outputs marked differently, say).
 */
export async function searchMinimalFailing(g: SearchGraph, target: number, probe: Probe, o: SearchOptions = {}): Promise<number[] | null> {
  if (await probe([target], 'single')) return [target];
  let best = await upstream(g, target, probe) ?? await window(g, target, probe);
  if (!best) return null;
  best = await dropUnneeded(best, target, probe, o.linearLimit ?? 64);
  return best;
}

/** Step 2: the target with its last m ancestors in graph order, m as small as still fails. */
async function upstream(g: SearchGraph, target: number, probe: Probe): Promise<number[] | null> {
  const cone = ancestorsOf(g, target);
  const k = cone.length - 1;
  if (k === 0) return null;
  const withAncestors = (m: number) => cone.slice(k - m);
  const m = await smallestFailing(0, k, (x) => probe(withAncestors(x), 'upstream'));
  return m === null ? null : withAncestors(m);
}

/** Step 3: windows [s, e] of the graph order holding the target: the nearest end, then the nearest start. */
async function window(g: SearchGraph, target: number, probe: Probe): Promise<number[] | null> {
  const p = g.order.indexOf(target);
  const last = g.order.length - 1;
  const span = (s: number, e: number) => g.order.slice(s, e + 1);
  // The prefix up to the target is all its ancestors and more, which step 2 found passing.
  const e = await smallestFailing(p, last, (x) => probe(span(0, x), 'window'));
  if (e === null) return null;
  const back = await smallestFailing(0, p, (d) => probe(span(p - d, e), 'window'), true);
  return span(p - (back ?? p), e);
}

/** Step 4: removes chunks of the non-target nodes (halves first, single nodes last) while the rest still fails. */
async function dropUnneeded(nodes: number[], target: number, probe: Probe, linearLimit: number): Promise<number[]> {
  let rest = nodes.filter((n) => n !== target);
  const withTarget = (xs: number[]) => [...xs, target].sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
  let chunk = Math.ceil(rest.length / 2);
  while (chunk >= 1 && rest.length > 0) {
    if (chunk === 1 && rest.length > linearLimit) break;
    for (let i = 0; i < rest.length;) {
      const without = [...rest.slice(0, i), ...rest.slice(i + chunk)];
      if (await probe(withTarget(without), chunk === 1 ? 'linear' : 'branches')) rest = without;
      else i += chunk;
    }
    if (chunk === 1) break;
    chunk = Math.ceil(Math.min(chunk, rest.length) / 2);
  }
  return withTarget(rest);
}
