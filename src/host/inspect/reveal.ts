// Where a search result or link lands in the view: the box to center (a node, or the node producing a
// tensor) and the groups to open first, from the view model's hierarchy.
import type { GraphModel } from '../../core/graph';
import { ancestorsOf, ROOT_ID, type ViewModel } from '../../layout/viewModel';
import type { RevealTarget } from '../../protocol/inspect';

/** The box showing node `index`: its quantization fold (drawn as the op), itself (a Q/DQ node inside a fold is
 *  shown by opening the fold), or (folded Constant) its first consumer. */
function boxOfNode(graph: GraphModel, view: ViewModel, index: number): string | undefined {
  if (view.items.has(`q:${index}`)) return `q:${index}`;
  if (view.items.has(`n:${index}`)) return `n:${index}`;
  for (const out of graph.nodes[index]?.outputs ?? []) {
    for (const c of graph.values.get(out)?.consumers ?? []) if (view.items.has(`n:${c}`)) return `n:${c}`;
  }
  return undefined;
}

/** `id`: `n:<index>` for a node, `t:<name>` for a tensor (its producer, graph input box, or first consumer). */
export function revealTarget(graph: GraphModel, view: ViewModel, id: string): RevealTarget {
  let box: string | undefined;
  let tensor: string | undefined;
  if (id.startsWith('t:')) {
    tensor = id.slice(2);
    const v = graph.values.get(tensor);
    if (!v) throw new Error(`no tensor '${tensor}' in this graph`);
    if (v.producer >= 0) box = boxOfNode(graph, view, v.producer);
    else if (view.items.has(`i:${tensor}`)) box = `i:${tensor}`;
    for (const c of v.consumers) if (!box) box = boxOfNode(graph, view, c);
    if (!box && view.items.has(`o:${tensor}`)) box = `o:${tensor}`;
  } else if (/^n:\d+$/.test(id)) {
    box = boxOfNode(graph, view, Number(id.slice(2)));
  } else if (view.items.has(id)) {
    box = id;
  }
  if (!box) throw new Error(`'${id.replace(/^[nt]:/, '')}' has no box in the graph view`);
  const expand = ancestorsOf(view.items, box).filter((g) => g !== ROOT_ID).reverse();
  return tensor === undefined ? { box, expand } : { box, expand, tensor };
}
