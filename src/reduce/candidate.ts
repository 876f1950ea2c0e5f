// A candidate of the reduction as a cut of the model: a set of nodes closed over what it cannot do without
// (constant producers, producers of tensors the reference run did not capture), and its boundary tensors:
// inputs fed with the reference run's values, outputs compared between the two sides.
import { GraphModel } from '../core/graph';
import { constantNodes } from '../core/constantNodes';
import { SearchGraph } from './search';

/** The graph as the search sees it: topological order, and each node's producers (initializers excluded). */
export function searchGraphOf(graph: GraphModel): SearchGraph {
  const producers = graph.nodes.map((node) => {
    const ps = new Set<number>();
    for (const t of [...node.inputs, ...node.implicitInputs]) {
      const p = t === '' ? -1 : graph.values.get(t)?.producer ?? -1;
      if (p >= 0) ps.add(p);
    }
    return [...ps];
  });
  return { order: graph.order, producers };
}


export interface Cut {
  /** Node indices in topological order. */
  nodes: number[];
  /** Tensors the nodes read and do not compute (initializers excluded): fed from the reference run. */
  inputs: string[];
  /** Tensors the nodes compute that the rest of the model (or its outputs) reads, plus `keep`. */
  outputs: string[];
}

export class CutBuilder {
  private readonly constant: Uint8Array;
  private readonly position: Int32Array;

  /**
   * `available`: whether the reference run captured a tensor (its value can be fed); `keep`: a tensor to
   * output whenever its producer is in the cut (the first divergence, even when nothing reads it).
   */
  constructor(private readonly graph: GraphModel, private readonly available: (tensor: string) => boolean, private readonly keep: ReadonlySet<string> = new Set()) {
    this.constant = constantNodes(graph);
    this.position = new Int32Array(graph.nodes.length);
    graph.order.forEach((n, i) => { this.position[n] = i; });
  }

  /** The cut for `nodes` after closing them over constant producers and uncaptured inputs. */
  cut(nodes: readonly number[]): Cut {
    const set = new Set(nodes);
    const stack = [...nodes];
    while (stack.length > 0) {
      const node = this.graph.nodes[stack.pop()!];
      for (const t of [...node.inputs, ...node.implicitInputs]) {
        const v = t === '' ? undefined : this.graph.values.get(t);
        if (!v || v.initializer || v.producer < 0 || set.has(v.producer)) continue;
        if (this.constant[v.producer] || !this.available(t)) {
          set.add(v.producer);
          stack.push(v.producer);
        }
      }
    }
    const sorted = [...set].sort((a, b) => this.position[a] - this.position[b]);
    const inputs: string[] = [];
    const outputs: string[] = [];
    const seen = new Set<string>();
    for (const i of sorted) {
      const node = this.graph.nodes[i];
      for (const t of [...node.inputs, ...node.implicitInputs]) {
        const v = t === '' ? undefined : this.graph.values.get(t);
        if (!v || v.initializer || seen.has(t) || (v.producer >= 0 && set.has(v.producer))) continue;
        seen.add(t);
        inputs.push(t);
      }
    }
    for (const i of sorted) {
      for (const t of this.graph.nodes[i].outputs) {
        const v = t === '' ? undefined : this.graph.values.get(t);
        if (!v) continue;
        if (v.isOutput || this.keep.has(t) || v.consumers.some((c) => !set.has(c))) outputs.push(t);
      }
    }
    return { nodes: sorted, inputs, outputs };
  }
}
