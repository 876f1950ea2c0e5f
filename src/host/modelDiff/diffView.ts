// From the core's diff of two models to what the webview shows: entries with their box ids in the union graph
// (B's nodes at their indices, A's removed nodes after them), and a mark per box and per group holding changes,
// so a collapsed group still says that something inside changed. Pure: no vscode.
import type { ModelDiff, NodeDiff } from '../../core/diff/modelDiff';
import { shortValue } from '../../core/diff/shortValue';
import type { UnionModel } from '../../core/diff/unionModel';
import type { GraphModel } from '../../core/graph';
import { ancestorsOf, ROOT_ID, type ViewModel } from '../../layout/viewModel';
import type { DiffEntryView, DiffStatus, ModelDiffView } from '../../protocol/modelDiff';
import { revealTarget } from '../inspect/reveal';

const MAX_VALUE_CHARS = 600;

/** The union graph's node index of a diff entry. */
export function unionIndexOf(entry: NodeDiff, union: UnionModel, removedAt: ReadonlyMap<number, number>): number {
  if (entry.status === 'removed') return union.nodesB + (removedAt.get(entry.a!) ?? -1);
  return entry.b!;
}

function markOf(previous: DiffStatus | 'mixed' | undefined, status: DiffStatus): DiffStatus | 'mixed' {
  return previous === undefined || previous === status ? status : 'mixed';
}

/** Marks by view item: a node's box gets its status, each group above it what it holds (`mixed`: several). */
export function diffMarks(entries: readonly DiffEntryView[], unionGraph: GraphModel, view: ViewModel): Record<string, DiffStatus | 'mixed'> {
  const marks: Record<string, DiffStatus | 'mixed'> = {};
  for (const e of entries) {
    let box: string;
    try {
      box = revealTarget(unionGraph, view, e.id).box;
    } catch {
      continue; // a node with no box (a Constant folded into nothing): listed, not drawn
    }
    // A folded Constant's box is its consumer's: the consumer shows as changed, not as added or removed. An op's
    // quantization fold (`q:<index>`) is the op's own box.
    const status: DiffStatus = box === e.id || box === `q:${e.id.slice(2)}` ? e.status : 'changed';
    marks[box] = markOf(marks[box], status);
    for (const g of ancestorsOf(view.items, box)) if (g !== ROOT_ID) marks[g] = markOf(marks[g], status);
  }
  return marks;
}

export function modelDiffView(names: { a: string; b: string }, diff: ModelDiff, union: UnionModel, unionGraph: GraphModel, view: ViewModel): ModelDiffView {
  const removedAt = new Map(union.removed.map((ia, k) => [ia, k]));
  const entries: DiffEntryView[] = diff.nodes.map((n) => ({
    status: n.status,
    id: `n:${unionIndexOf(n, union, removedAt)}`,
    name: n.name,
    opType: n.opType,
    // A subgraph attribute prints whole: the list shows its start and end.
    changes: n.changes.map((c) => ({ ...c, before: shortValue(c.before, MAX_VALUE_CHARS), after: shortValue(c.after, MAX_VALUE_CHARS) })),
    ...(n.matchedBy ? { matchedBy: n.matchedBy } : {}),
  }));
  const graphChanges = diff.graph.map((g) => `${g.status} graph ${g.kind} ${g.name}: ${g.before || '(none)'} \u2192 ${g.after || '(none)'}`);
  const { added, removed, changed, unchanged } = diff.summary;
  return { a: names.a, b: names.b, summary: { added, removed, changed, unchanged }, entries, graphChanges, marks: diffMarks(entries, unionGraph, view) };
}
