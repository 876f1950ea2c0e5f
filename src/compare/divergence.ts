// First divergence in graph order: the earliest failing tensor whose producer's inputs are all fine
// is where the two backends start to disagree; everything failing downstream of it may be fallout.

/** Kept independent of the ONNX core: any topologically ordered graph of named tensors. */
export interface GraphOrder {
  /** Tensors in topological order (producers before consumers). */
  order: readonly string[];
  /** Inputs of the node producing `name`; empty for graph inputs and initializers. */
  producerInputs(name: string): readonly string[];
  /** Weights (initializers, Constant outputs): listed after the other passing tensors. */
  weights?: ReadonlySet<string>;
}

export type TensorStatus = 'pass' | 'fail';

/** Why an uncompared tensor is missing: a backend fused it into a layer, or could not capture it. */
export type AbsentNote = { fusedInto: string | null } | { skipped: string };

export interface CulpritInput {
  name: string;
  status: TensorStatus | 'unknown';
  /** Set when the input was not compared because a backend fused it (the layer; null: unknown layer). */
  fusedInto?: string | null;
  /** Set when the input was not compared because a backend could not capture it. */
  skipped?: string;
}

export interface Culprit {
  tensor: string;
  /** Position in graph order. */
  position: number;
  /** The producer's inputs and how each compared ('unknown' = not compared, with why when a backend said). */
  inputs: CulpritInput[];
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
 * other uncompared tensors (otherwise a single unmarked tensor would hide the true culprit). Fused tensors
 * are such uncompared tensors: never culprits, walked through both ways; `absent` only names why.
 */
export function findDivergence(graph: GraphOrder, status: ReadonlyMap<string, TensorStatus>, absent?: ReadonlyMap<string, AbsentNote>): Divergence {
  const position = new Map<string, number>();
  graph.order.forEach((t, i) => position.set(t, i));
  const taint = new Map<string, boolean>(); // uncompared tensor -> fed by a failure?
  // Iterative post-order walk: with only final outputs compared, uncompared chains span the graph.
  const failsUpstream = (root: string): boolean => {
    const direct = status.get(root);
    if (direct) return direct === 'fail';
    const stack: { name: string; inputs: readonly string[]; next: number }[] = [];
    const enter = (name: string) => {
      taint.set(name, false); // provisional: also guards cycles in malformed graphs
      stack.push({ name, inputs: graph.producerInputs(name), next: 0 });
    };
    if (!taint.has(root)) enter(root);
    while (stack.length) {
      const f = stack[stack.length - 1];
      if (f.next >= f.inputs.length) {
        stack.pop();
        continue;
      }
      const inp = f.inputs[f.next++];
      const s = status.get(inp);
      let bad: boolean;
      if (s) bad = s === 'fail';
      else if (taint.has(inp)) bad = taint.get(inp) as boolean;
      else {
        enter(inp);
        f.next--; // revisit this input once its own walk is done
        continue;
      }
      if (bad) {
        // Everything on the current path is fed by this failure.
        for (const g of stack) taint.set(g.name, true);
        f.next = f.inputs.length;
      }
    }
    return taint.get(root) as boolean;
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
      inputs: inputs.map((name) => culpritInput(name, status, absent)),
      explains: downstreamFailures(t, consumers, status, position),
    });
  });
  const outsideGraph = [...status].filter(([n, s]) => s === 'fail' && !position.has(n)).map(([n]) => n);
  return { first: culprits[0] ?? null, culprits, outsideGraph };
}

function culpritInput(name: string, status: ReadonlyMap<string, TensorStatus>, absent: ReadonlyMap<string, AbsentNote> | undefined): CulpritInput {
  const s = status.get(name);
  const note = s ? undefined : absent?.get(name);
  if (!note) return { name, status: s ?? 'unknown' };
  return 'fusedInto' in note ? { name, status: 'unknown', fusedInto: note.fusedInto } : { name, status: 'unknown', skipped: note.skipped };
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
