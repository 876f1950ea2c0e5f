// The difference between two models, node by node: which nodes were added, removed or changed (and how), in
// the order a reader meets them in the new model's graph, plus the graph's inputs and outputs. Pure.
import { matchNodes, tensorCounterpart, type MatchedBy, type NodeMatching } from './match';
import { InitializerComparer, nodeChanges, type DiffSide, type NodeChange } from './nodeChanges';
import { formatValueType } from '../types';
import type { GraphModel } from '../graph';

export type { DiffSide, NodeChange } from './nodeChanges';
export type { MatchedBy } from './match';

export type NodeDiffStatus = 'added' | 'removed' | 'changed';

export interface NodeDiff {
  status: NodeDiffStatus;
  /** Index in A's graph (removed, changed). */
  a?: number;
  /** Index in B's graph (added, changed). */
  b?: number;
  /** The node's name (B's when both), or `#index` when it has none. */
  name: string;
  /** Op type (B's when both; a changed op shows in `changes`). */
  opType: string;
  /** For changed nodes: what changed, old → new. */
  changes: NodeChange[];
  matchedBy?: MatchedBy;
}

/** A graph input or output present on one side only, or typed differently. */
export interface GraphValueDiff {
  kind: 'input' | 'output';
  name: string;
  status: NodeDiffStatus;
  before: string;
  after: string;
}

export interface ModelDiff {
  /** Added, removed and changed nodes, in B's graph order (removed ones after the node they used to follow). */
  nodes: NodeDiff[];
  graph: GraphValueDiff[];
  summary: { added: number; removed: number; changed: number; unchanged: number; nodesA: number; nodesB: number };
  matching: NodeMatching;
}

function nodeLabel(g: GraphModel, i: number): string {
  return g.nodes[i].name || `#${i}`;
}

function graphValueDiffs(a: GraphModel, b: GraphModel): GraphValueDiff[] {
  const out: GraphValueDiff[] = [];
  const typeOf = (g: GraphModel, name: string) => formatValueType(g.values.get(name)?.type);
  for (const kind of ['input', 'output'] as const) {
    const listA = kind === 'input' ? a.inputs : a.outputs, listB = kind === 'input' ? b.inputs : b.outputs;
    const inA = new Set(listA), inB = new Set(listB);
    for (const name of listB) {
      if (!inA.has(name)) out.push({ kind, name, status: 'added', before: '', after: typeOf(b, name) });
      else if (typeOf(a, name) !== typeOf(b, name)) out.push({ kind, name, status: 'changed', before: typeOf(a, name), after: typeOf(b, name) });
    }
    for (const name of listA) if (!inB.has(name)) out.push({ kind, name, status: 'removed', before: typeOf(a, name), after: '' });
  }
  return out;
}

/** The difference between models A (old) and B (new). */
export function diffModels(a: DiffSide, b: DiffSide): ModelDiff {
  const matching = matchNodes(a.graph, b.graph);
  const tensorInA = (name: string) => tensorCounterpart(a.graph, b.graph, matching, name);
  const inits = new InitializerComparer(a, b);
  // Where each entry sorts: B nodes at their place in B's order; a removed node just after the B counterpart
  // of the last matched node before it in A's order (or first of all when none precedes it).
  const rankB = new Float64Array(b.graph.nodes.length);
  b.graph.order.forEach((ib, pos) => { rankB[ib] = pos; });
  const entries: { rank: number; tie: number; diff: NodeDiff }[] = [];
  let unchanged = 0;
  for (const ib of b.graph.order) {
    const ia = matching.aOfB[ib];
    const nb = b.graph.nodes[ib];
    if (ia < 0) {
      entries.push({ rank: rankB[ib], tie: 0, diff: { status: 'added', b: ib, name: nodeLabel(b.graph, ib), opType: nb.opType, changes: [] } });
      continue;
    }
    const changes = nodeChanges(a, ia, b, ib, tensorInA, inits);
    if (changes.length === 0) unchanged++;
    else entries.push({ rank: rankB[ib], tie: 0, diff: { status: 'changed', a: ia, b: ib, name: nodeLabel(b.graph, ib), opType: nb.opType, changes, matchedBy: matching.how[ib] } });
  }
  let after = -1;
  a.graph.order.forEach((ia, pos) => {
    const ib = matching.bOfA[ia];
    if (ib >= 0) {
      after = rankB[ib];
      return;
    }
    entries.push({ rank: after + 0.5, tie: pos, diff: { status: 'removed', a: ia, name: nodeLabel(a.graph, ia), opType: a.graph.nodes[ia].opType, changes: [] } });
  });
  entries.sort((x, y) => x.rank - y.rank || x.tie - y.tie);
  const nodes = entries.map((e) => e.diff);
  const count = (s: NodeDiffStatus) => nodes.filter((n) => n.status === s).length;
  return {
    nodes,
    graph: graphValueDiffs(a.graph, b.graph),
    summary: { added: count('added'), removed: count('removed'), changed: count('changed'), unchanged, nodesA: a.graph.nodes.length, nodesB: b.graph.nodes.length },
    matching,
  };
}

/** Whether the two models are the same as far as the diff sees (nodes, graph inputs and outputs). */
export function isSameModel(d: ModelDiff): boolean {
  return d.nodes.length === 0 && d.graph.length === 0;
}
