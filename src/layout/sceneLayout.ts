// From a set of expanded groups to a Scene: which levels need a layout (bottom-up), each level's cache key,
// and composing the levels' relative layouts into absolute boxes and edges.
import type { Scene, SceneEdge, SceneNode } from '../protocol/scene';
import { LAYOUT_FORMAT_VERSION } from './elkOptions';
import { boxSize, frameMinWidth, LevelLayout, Size } from './levelGraph';
import { edgeKey, portOf, ROOT_ID, ViewItem, ViewModel } from './viewModel';

/** Open groups that are actually visible (every ancestor open too), always including the root. */
export function visibleExpanded(view: ViewModel, expanded: Iterable<string>): Set<string> {
  const want = new Set(expanded);
  const out = new Set<string>([ROOT_ID]);
  const stack = [view.root];
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const id of g.children ?? []) {
      const c = view.items.get(id)!;
      if (c.kind === 'group' && want.has(id)) { out.add(id); stack.push(c); }
    }
  }
  return out;
}

/** Levels to lay out, deepest first; levels in one batch do not depend on each other. */
export function levelBatches(view: ViewModel, open: Set<string>): string[][] {
  const byDepth = new Map<number, string[]>();
  for (const id of open) {
    const d = view.items.get(id)!.depth;
    let list = byDepth.get(d);
    if (!list) byDepth.set(d, (list = []));
    list.push(id);
  }
  return [...byDepth.keys()].sort((a, b) => b - a).map((d) => byDepth.get(d)!);
}

/** What a level's layout depends on: the group and which groups below it are open (they change child sizes). */
export function levelKey(view: ViewModel, groupId: string, open: Set<string>): string {
  const below: string[] = [];
  const stack = [view.items.get(groupId)!];
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const id of g.children ?? []) {
      if (open.has(id)) { below.push(id); stack.push(view.items.get(id)!); }
    }
  }
  below.sort();
  return `v${LAYOUT_FORMAT_VERSION}|${groupId}|${below.join('\u0001')}`;
}

/** Size of a child box at its parent's level: an open group takes its interior layout's size. */
export function childSize(item: ViewItem, open: Set<string>, layouts: Map<string, LevelLayout>): Size {
  if (item.kind === 'group' && open.has(item.id)) {
    const inner = layouts.get(item.id);
    if (!inner) throw new Error(`level ${item.id} must be laid out before its parent`);
    return { width: Math.max(inner.width, frameMinWidth(item)), height: inner.height };
  }
  return boxSize(item);
}

interface Placed { x: number; y: number; width: number; inPorts: number[]; outPorts: number[] }

/** Length of the straight piece leaving and entering a port on an edge drawn outside ELK's routing. */
const EDGE_STUB = 12;

export function composeScene(view: ViewModel, open: Set<string>, layouts: Map<string, LevelLayout>, version: number, layoutMs: number, cached: boolean): Scene {
  const nodes: SceneNode[] = [];
  const placed = new Map<string, Placed>();
  const origin = new Map<string, { x: number; y: number }>([[ROOT_ID, { x: 0, y: 0 }]]);
  const place = (group: ViewItem, ox: number, oy: number) => {
    const level = layouts.get(group.id)!;
    for (const id of group.children ?? []) {
      const item = view.items.get(id)!;
      const box = level.nodes[id];
      const x = ox + box.x;
      const y = oy + box.y;
      placed.set(id, { x, y, width: box.width, inPorts: box.in, outPorts: box.out });
      // A collapsed quantization fold is drawn as its op's box.
      const kind = item.fold && !open.has(id) ? 'op' : item.kind;
      const node: SceneNode = {
        id, kind, label: item.label, name: item.name, category: item.category, x, y, width: box.width, height: box.height,
        depth: item.depth, inputs: item.inputs, outputs: item.outputs,
      };
      if (group.id !== ROOT_ID) node.parent = group.id;
      if (item.initializers) { node.initializers = item.initializers; node.initializerNames = item.initializerNames; }
      if (item.quantizedWeights) node.quantizedWeights = item.quantizedWeights;
      if (item.fold) node.fold = item.fold;
      if (item.outer) node.outer = true;
      if (kind === 'group') {
        node.opCount = item.opCount;
        node.expanded = open.has(id);
      }
      nodes.push(node);
      if (item.kind === 'group' && open.has(id)) {
        origin.set(id, { x, y });
        place(item, x, y);
      }
    }
  };
  place(view.root, 0, 0);

  // The box standing for an item: itself if visible, else its outermost closed ancestor.
  const shownMemo = new Map<string, ViewItem>();
  const shown = (item: ViewItem): ViewItem => {
    if (item.parent === ROOT_ID || item.parent === undefined) return item;
    let s = shownMemo.get(item.parent);
    if (!s) {
      const parent = view.items.get(item.parent)!;
      const p = shown(parent);
      s = p === parent && open.has(parent.id) ? parent : p;
      shownMemo.set(item.parent, s);
    }
    return s.id === item.parent && open.has(s.id) ? item : s;
  };

  const edges = new Map<string, SceneEdge>();
  for (const e of view.edges) {
    const a = shown(view.items.get(e.from)!);
    const b = shown(view.items.get(e.to)!);
    if (a === b) continue;
    const fp = a.id === e.from ? e.fromPort : portOf(view, a, 'out', e.tensor);
    const tp = b.id === e.to ? e.toPort : portOf(view, b, 'in', e.tensor);
    const key = edgeKey(a, fp, b, tp);
    const existing = edges.get(key);
    if (existing) {
      if (existing.tensors && !existing.tensors.includes(e.tensor)) existing.tensors.push(e.tensor);
      else if (!existing.tensors && existing.tensor !== e.tensor) existing.tensors = [existing.tensor, e.tensor];
      continue;
    }
    const edge: SceneEdge = { id: key, tensor: e.tensor, from: a.id, to: b.id, fromPort: fp, toPort: tp, points: route(a, fp, b, tp, key) };
    const label = view.tensorTypes.get(e.tensor);
    if (label !== undefined) edge.label = label;
    edges.set(key, edge);
  }

  // Siblings use their level's ELK route; endpoints at different levels get a simple S-spline between ports.
  function route(a: ViewItem, fp: number, b: ViewItem, tp: number, key: string): number[] {
    if (a.parent === b.parent) {
      const o = origin.get(a.parent!)!;
      const pts = layouts.get(a.parent!)!.edges[key];
      if (pts && pts.length >= 4) return pts.map((v, i) => v + (i % 2 === 0 ? o.x : o.y));
    }
    const pa = placed.get(a.id)!;
    const pb = placed.get(b.id)!;
    const sx = pa.x + (pa.outPorts[2 * fp] ?? 0);
    const sy = pa.y + (pa.outPorts[2 * fp + 1] ?? 0);
    const tx = pb.x + (pb.inPorts[2 * tp] ?? 0);
    const ty = pb.y + (pb.inPorts[2 * tp + 1] ?? 0);
    if (ty >= sy + 2 * EDGE_STUB) {
      const dy = Math.max(24, Math.abs(ty - sy) / 2);
      return [sx, sy, sx, sy + dy, tx, ty - dy, tx, ty];
    }
    // A target above its source (the two sit in a cycle between groups): out below the source, up a lane beside
    // both boxes, into the target from above, instead of a diagonal that overshoots the drawing.
    const lane = Math.max(pa.x + pa.width, pb.x + pb.width, sx, tx) + EDGE_STUB;
    return [sx, sy, sx, sy + EDGE_STUB, lane, sy + EDGE_STUB, lane, ty - EDGE_STUB, tx, ty - EDGE_STUB, tx, ty];
  }

  const top = layouts.get(ROOT_ID)!;
  return {
    version, nodes, edges: [...edges.values()], width: top.width, height: top.height,
    expanded: [...open].filter((id) => id !== ROOT_ID).sort(), layoutMs, cached,
  };
}
