// First divergence in graph order: the earliest failing tensor whose producer's inputs are all fine
// is where the two backends start to disagree; everything failing downstream of it may be fallout.

/** Kept independent of the ONNX core: any topologically ordered graph of named tensors. */
export interface GraphOrder {
  /** Tensors in topological order (producers before consumers). */
  order: readonly string[];
  /** Inputs of the node producing `name`; empty for graph inputs and initializers. */
  producerInputs(name: string): readonly string[];
}

export type TensorStatus = 'pass' | 'fail';

export interface Culprit {
  tensor: string;
  /** Position in graph order. */
  position: number;
  /** The producer's inputs and how each compared ('unknown' = not compared). */
  inputs: { name: string; status: TensorStatus | 'unknown' }[];
  /** Failing tensors downstream of this culprit (reachable from it), in graph order. */
  explains: string[];
}

export interface Divergence {
  /** The earliest culprit, or null when nothing fails in the graph. */
  first: Culprit | null;
  /** All culprits in graph order (first included): independent places where results diverge. */
  culprits: Culprit[];
  /** Failing tensors that are not in the graph order at all. */
  outsideGraph: string[];
}

/**
 * A failing tensor is a culprit when none of its producer's inputs fail. Inputs that were not compared
 * are looked through: an uncompared tensor counts as failing if a failing tensor feeds it through
 * other uncompared tensors (otherwise a single unmarked tensor would hide the true culprit).
 */
export function findDivergence(graph: GraphOrder, status: ReadonlyMap<string, TensorStatus>): Divergence {
  const position = new Map<string, number>();
  graph.order.forEach((t, i) => position.set(t, i));
  const taint = new Map<string, boolean>(); // uncompared tensor -> fed by a failure?
  const failsUpstream = (name: string): boolean => {
    const s = status.get(name);
    if (s) return s === 'fail';
    const known = taint.get(name);
    if (known !== undefined) return known;
    taint.set(name, false); // guards cycles in malformed graphs
    // Iterative over uncompared chains would be nicer for very deep graphs; recursion depth is the
    // length of an uncompared chain, which marking all outputs keeps at 0.
    const v = graph.producerInputs(name).some(failsUpstream);
    taint.set(name, v);
    return v;
  };

  const consumers = new Map<string, string[]>();
  for (const t of graph.order) {
    for (const inp of graph.producerInputs(t)) {
      let list = consumers.get(inp);
      if (!list) consumers.set(inp, (list = []));
      list.push(t);
    }
  }

  const culprits: Culprit[] = [];
  graph.order.forEach((t, i) => {
    if (status.get(t) !== 'fail') return;
    const inputs = graph.producerInputs(t);
    if (inputs.some(failsUpstream)) return;
    culprits.push({
      tensor: t,
      position: i,
      inputs: inputs.map((name) => ({ name, status: status.get(name) ?? 'unknown' })),
      explains: downstreamFailures(t, consumers, status, position),
    });
  });
  const outsideGraph = [...status].filter(([n, s]) => s === 'fail' && !position.has(n)).map(([n]) => n);
  return { first: culprits[0] ?? null, culprits, outsideGraph };
}

function downstreamFailures(
  from: string,
  consumers: ReadonlyMap<string, string[]>,
  status: ReadonlyMap<string, TensorStatus>,
  position: ReadonlyMap<string, number>,
): string[] {
  const seen = new Set<string>([from]);
  const stack = [from];
  const out: string[] = [];
  while (stack.length) {
    const t = stack.pop() as string;
    for (const c of consumers.get(t) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (status.get(c) === 'fail') out.push(c);
      stack.push(c);
    }
  }
  return out.sort((x, y) => (position.get(x) ?? 0) - (position.get(y) ?? 0));
}
