// What structural splitting (structure.ts) needs to know of one level of the view: its children's kinds and op
// counts, and how many tensors are live across each boundary between consecutive children.
import { addCounts, type LevelStructure } from './structure';
import type { LeafEdge, ViewItem } from './viewModel';

/**
 * What structural splitting needs of a level's children (structure.ts): their kinds and op counts, and how many
 * values are live across each boundary between them. Edges are indexed once, on first use.
 */
export function levelStructures(items: Map<string, ViewItem>, edges: LeafEdge[]): (kids: ViewItem[]) => LevelStructure {
  let from: Map<string, LeafEdge[]> | undefined;
  let to: Map<string, LeafEdge[]> | undefined;
  const countsMemo = new Map<string, Map<string, number>>();
  // A quantization fold counts as its op (its label is the op's type).
  const opCounts = (item: ViewItem): Map<string, number> => {
    if (item.kind !== 'group' || item.fold) return new Map(item.kind === 'op' || item.fold ? [[item.label, 1]] : []);
    let m = countsMemo.get(item.id);
    if (!m) {
      m = new Map();
      for (const id of item.children ?? []) addCounts(m, opCounts(items.get(id)!));
      countsMemo.set(item.id, m);
    }
    return m;
  };
  const leavesOf = (item: ViewItem, out: string[]): void => {
    if (item.kind !== 'group') out.push(item.id);
    else for (const id of item.children ?? []) leavesOf(items.get(id)!, out);
  };
  return (kids) => {
    if (!from || !to) {
      from = new Map();
      to = new Map();
      for (const e of edges) {
        let a = from.get(e.from);
        if (!a) from.set(e.from, (a = []));
        a.push(e);
        let b = to.get(e.to);
        if (!b) to.set(e.to, (b = []));
        b.push(e);
      }
    }
    const n = kids.length;
    const position = new Map<string, number>();
    kids.forEach((k, i) => {
      const leaves: string[] = [];
      leavesOf(k, leaves);
      for (const id of leaves) position.set(id, i);
    });
    // Each tensor's live span in child positions: from its producer (-1: made outside) to its last reader (n: read outside).
    const live = new Map<string, [number, number]>();
    const extend = (tensor: string, start: number, end: number) => {
      const s = live.get(tensor);
      if (!s) live.set(tensor, [start, end]);
      else { s[0] = Math.min(s[0], start); s[1] = Math.max(s[1], end); }
    };
    for (const [id, i] of position) {
      for (const e of from.get(id) ?? []) extend(e.tensor, i, position.get(e.to) ?? n);
      for (const e of to.get(id) ?? []) if (!position.has(e.from)) extend(e.tensor, -1, i);
    }
    const diff = new Int32Array(n + 1);
    for (const [start, end] of live.values()) {
      const lo = Math.max(start, 0);
      const hi = Math.min(end, n - 1);
      if (hi > lo) { diff[lo]++; diff[hi]--; }
    }
    const crossing = new Int32Array(Math.max(n - 1, 0));
    let run = 0;
    for (let i = 0; i < n - 1; i++) { run += diff[i]; crossing[i] = run; }
    const opCountsList = kids.map(opCounts);
    const kinds = kids.map((k, i) => (k.fold ? `op:${k.label}` : k.kind === 'group' ? [...opCountsList[i]].map(([op, c]) => `${op}:${c}`).sort().join(',') : `${k.kind}:${k.label}`));
    return { kinds, opCounts: opCountsList, crossing };
  };
}
