// Which nodes compute only from weights: they can be folded, copied along with a cut, or left out of a search.
import { GraphModel } from './graph';

/** Nodes whose inputs are all initializers or outputs of such nodes (Constant nodes included): 1, else 0. */
export function constantNodes(graph: GraphModel): Uint8Array {
  const constant = new Uint8Array(graph.nodes.length);
  for (const i of graph.order) {
    const node = graph.nodes[i];
    constant[i] = [...node.inputs, ...node.implicitInputs].every((t) => {
      const v = t === '' ? undefined : graph.values.get(t);
      return !v || v.initializer !== undefined || (v.producer >= 0 && constant[v.producer] === 1);
    }) ? 1 : 0;
  }
  return constant;
}
