// The view model: what the graph view can show, as a hierarchy that big graphs open collapsed by.
// Pure: built once per model from the core's GraphModel; scenes are then laid out from it for any set of
// expanded groups. Folding follows Netron: initializers and input-less Constant nodes become `initializers`
// ports on the boxes that read them, not boxes of their own; so do Identity nodes of weights.
import { isDefaultDomain, isIdentityCopy, type GraphModel, type GraphNode } from '../core/graph';
import type { ScopeNode } from '../core/scopes';
import { formatValueType } from '../core/types';
import type { OpCategory, SceneFold, ScenePort } from '../protocol/scene';
import { levelStructures } from './levelStructure';
import { opCategory } from './opCategory';
import { relocatedNodes } from './placement';
import { isDequantize, quantBadge, quantFolds, type QuantMember } from './quantFolds';
import { RunChild, RunEntry, splitIntoRuns } from './runs';

/** Most children one level may have; more are split into consecutive runs (`layers.0-99`, ...). */
export const MAX_CHILDREN = 100;
/** Id of the (always open, never drawn) top level. */
export const ROOT_ID = 'g:';

export type ViewItemKind = 'op' | 'input' | 'output' | 'group';

export interface ViewItem {
  id: string;
  kind: ViewItemKind;
  label: string;
  /** Node name (ops), tensor name (inputs/outputs), scope path or run span (groups). */
  name: string;
  category: OpCategory;
  /** Enclosing group's id (ROOT_ID at the top); undefined only for the root itself. */
  parent?: string;
  /** 0 for children of the root (-1 for the root). */
  depth: number;
  /** Topological position of the first op inside (inputs -1, outputs after every op): sorts siblings. */
  order: number;
  inputs: ScenePort[];
  outputs: ScenePort[];
  initializers?: ScenePort[];
  /** Ops: the schema name (`W`, `B`, `scale`) or position of each of `initializers`. */
  initializerNames?: string[];
  /** Folds: per initializer, a quantized weight the op reads through a folded DequantizeLinear. */
  quantizedWeights?: boolean[];
  /** Groups: a quantization fold (`q:<op index>`), the op with the Q/DQ nodes around it (quantFolds.ts); label,
   *  name, category and weight rows are the op's, so that it is drawn as the op's box until opened. */
  fold?: SceneFold;
  /** Folds: the Q/DQ nodes folded in, and on which side of the op. */
  foldMembers?: QuantMember[];
  /** Groups: child ids in topological order, and how many op boxes they hold in all. */
  children?: string[];
  opCount?: number;
  /** Ops: index into GraphModel.nodes. */
  nodeIndex?: number;
  /** Inputs: a value of an enclosing graph read by this subgraph. */
  outer?: boolean;
}

/** A dataflow edge between two leaves (ops, inputs, outputs), with port indices on both. */
export interface LeafEdge {
  tensor: string;
  from: string;
  fromPort: number;
  to: string;
  toPort: number;
}

/** An edge between two direct children of one group: what that level's layout routes. */
export interface LevelEdge {
  key: string;
  from: string;
  fromPort: number;
  to: string;
  toPort: number;
  tensors: string[];
}

export interface ViewModel {
  /** Identifies the model for caches (e.g. sha256 of its bytes). */
  modelKey: string;
  items: Map<string, ViewItem>;
  root: ViewItem;
  edges: LeafEdge[];
  /** Level edges by group id: every leaf edge belongs to the level of its endpoints' lowest common group. */
  levelEdges: Map<string, LevelEdge[]>;
  /** Type text per tensor, for edge labels. */
  tensorTypes: Map<string, string>;
  /** Ops shown as boxes (Constant nodes folded away are not counted; a quantization fold counts as its op). */
  opCount: number;
  /** Node indices of Constant nodes folded into their consumers. */
  foldedConstants: number[];
  /** Port index of a tensor on a group's boundary, by group id and side. */
  groupPorts: Map<string, { in: Map<string, number>; out: Map<string, number> }>;
}

/** Port index of `tensor` on an item's input or output side (-1 if it has none). */
export function portOf(view: ViewModel, item: ViewItem, side: 'in' | 'out', tensor: string): number {
  if (item.kind === 'group') return view.groupPorts.get(item.id)?.[side].get(tensor) ?? -1;
  return (side === 'in' ? item.inputs : item.outputs).findIndex((p) => p.tensor === tensor);
}

/** Key of a level edge; edges touching a group are merged into one per pair of boxes. */
export function edgeKey(from: ViewItem, fromPort: number, to: ViewItem, toPort: number): string {
  if (from.kind === 'group' || to.kind === 'group') return `${from.id}>${to.id}`;
  return `${from.id}:${fromPort}>${to.id}:${toPort}`;
}

/**
 * Netron's rule: a Constant with no inputs, read by some node and not itself a graph output, is folded. So is an
 * Identity of a folded tensor (PyTorch's exporter writes one per shared or deduplicated parameter, e.g.
 * squeezenet's `features.3.expand1x1.bias`): it is a weight, not a step of the computation.
 */
function isFoldable(g: GraphModel, node: GraphNode, isFoldedTensor: (name: string) => boolean): boolean {
  if (node.opType === 'Constant' && isDefaultDomain(node)) {
    if (node.inputs.some((i) => i !== '')) return false;
  } else if (isSharedWeightDequantize(g, node, isFoldedTensor)) {
    // A stored quantized weight's DequantizeLinear read by several ops is a weight too: a row of each reader.
  } else if (!isIdentityCopy(node) || !isFoldedTensor(node.inputs[0])) {
    return false;
  }
  return node.outputs.length > 0 && node.outputs.every((o) => {
    const v = g.values.get(o);
    return v !== undefined && !v.isOutput && v.consumers.length > 0;
  });
}

/**
 * A DequantizeLinear of stored weights (every input an initializer or folded constant) whose output several nodes
 * read: PyTorch's exporter shares equal parameters (e.g. zero biases) through Identity copies, and the quantizer
 * then gives the shared tensor one DequantizeLinear. A DequantizeLinear with one reader folds into that op's
 * quantization fold instead (quantFolds.ts), where it stays one click away.
 */
function isSharedWeightDequantize(g: GraphModel, node: GraphNode, isFoldedTensor: (name: string) => boolean): boolean {
  if (!isDequantize(node) || node.outputs.length !== 1) return false;
  if (!node.inputs.every((i) => i === '' || isFoldedTensor(i))) return false;
  return (g.values.get(node.outputs[0])?.consumers.length ?? 0) > 1;
}

/** The schema names of a node's inputs by position (`X`, `W`, `B`), when its op's schema is known. */
export type InputNamer = (node: GraphNode) => readonly string[] | undefined;

export function buildViewModel(g: GraphModel, modelKey: string, inputNames?: InputNamer): ViewModel {
  const items = new Map<string, ViewItem>();
  const tensorTypes = new Map<string, string>();
  const typeText = (name: string): string | undefined => {
    let t = tensorTypes.get(name);
    if (t === undefined) {
      const vt = g.values.get(name)?.type;
      if (!vt) return undefined;
      t = formatValueType(vt);
      tensorTypes.set(name, t);
    }
    return t;
  };
  // One port object per tensor, shared by its producer and consumers (plain data, never mutated): halves the
  // allocations on 50k-node graphs.
  const ports = new Map<string, ScenePort>();
  const port = (tensor: string): ScenePort => {
    let p = ports.get(tensor);
    if (!p) {
      const type = typeText(tensor);
      p = type === undefined ? { tensor } : { tensor, type };
      ports.set(tensor, p);
    }
    return p;
  };

  const position = new Int32Array(g.nodes.length);
  g.order.forEach((nodeIndex, pos) => { position[nodeIndex] = pos; });

  const folded = new Uint8Array(g.nodes.length);
  const foldedConstants: number[] = [];
  const isFoldedTensor = (name: string): boolean => {
    const v = g.values.get(name);
    if (!v) return false;
    return (v.initializer !== undefined && v.producer < 0) || (v.producer >= 0 && folded[v.producer] === 1);
  };
  // In topological order, so an Identity of a folded Identity folds too.
  for (const i of g.order) if (isFoldable(g, g.nodes[i], isFoldedTensor)) { folded[i] = 1; foldedConstants.push(i); }
  foldedConstants.sort((a, b) => a - b);

  // Leaves: ops (with their dataflow ports), graph inputs and outputs.
  const opItems: ViewItem[] = new Array(g.nodes.length);
  for (const node of g.nodes) {
    if (folded[node.index]) continue;
    const inputs: ScenePort[] = [];
    const initializers: ScenePort[] = [];
    const initializerNames: string[] = [];
    // Implicit inputs (values a subgraph reads) are real dependencies: they get ports after the declared ones.
    const reads = node.implicitInputs.length === 0 ? node.inputs : [...node.inputs, ...node.implicitInputs.filter((n) => !node.inputs.includes(n))];
    let names: readonly string[] | undefined;
    for (let k = 0; k < reads.length; k++) {
      const name = reads[k];
      if (name === '') continue;
      if (isFoldedTensor(name)) {
        initializers.push(port(name));
        if (names === undefined) names = inputNames?.(node) ?? [];
        initializerNames.push(names[k] ?? String(k));
      } else {
        inputs.push(port(name));
      }
    }
    const item: ViewItem = {
      id: `n:${node.index}`, kind: 'op', label: node.opType, name: node.name, category: opCategory(node.opType, node.domain),
      depth: 0, order: position[node.index], inputs, outputs: node.outputs.filter((o) => o !== '').map(port), nodeIndex: node.index,
    };
    if (initializers.length > 0) { item.initializers = initializers; item.initializerNames = initializerNames; }
    items.set(item.id, item);
    opItems[node.index] = item;
  }
  for (const name of g.inputs) {
    items.set(`i:${name}`, { id: `i:${name}`, kind: 'input', label: name, name, category: 'data', depth: 0, order: -1, inputs: [], outputs: [port(name)] });
  }
  // A subgraph's reads of enclosing values are drawn as inputs from the outer scope, with edges to their readers.
  const outerReads = g.outerReferences.filter((name) => !items.has(`i:${name}`) && !isFoldedTensor(name));
  for (const name of outerReads) {
    items.set(`i:${name}`, { id: `i:${name}`, kind: 'input', label: name, name, category: 'data', depth: 0, order: -1, inputs: [], outputs: [port(name)], outer: true });
  }
  for (const name of g.outputs) {
    items.set(`o:${name}`, { id: `o:${name}`, kind: 'output', label: name, name, category: 'data', depth: 0, order: g.nodes.length, inputs: [port(name)], outputs: [] });
  }

  const edges = leafEdges(g, items, folded, position, opItems, outerReads);
  const shown = foldItems(g, items, opItems, quantFolds(g, folded, isFoldedTensor), isFoldedTensor, port, inputNames);
  const root = buildGroups(g, items, folded, shown, relocatedNodes(g, folded, isFoldedTensor), edges);
  const groupPorts = new Map<string, { in: Map<string, number>; out: Map<string, number> }>();
  const levelEdges = assignGroupPortsAndLevelEdges(items, edges, port, groupPorts);
  return { modelKey, items, root, edges, levelEdges, tensorTypes, opCount: root.opCount ?? 0, foldedConstants, groupPorts };
}

/**
 * Quantization folds: per op with Q/DQ nodes to fold, a group of them (`q:<op index>`) that stands in the op's
 * place. Its weight rows are the op's, except that a weight read through a folded DequantizeLinear shows as the
 * quantized initializer under the op's input name. Returns what each node is drawn as at its scope's level: its
 * fold, its own box, or nothing (a Q/DQ node inside a fold).
 */
function foldItems(
  g: GraphModel, items: Map<string, ViewItem>, opItems: ViewItem[], folds: Map<number, QuantMember[]>,
  isFoldedTensor: (name: string) => boolean, port: (tensor: string) => ScenePort, inputNames: InputNamer | undefined,
): (ViewItem | undefined)[] {
  if (folds.size === 0) return opItems;
  const shown: (ViewItem | undefined)[] = opItems.slice();
  for (const [i, members] of folds) {
    const op = opItems[i];
    const node = g.nodes[i];
    const kids: ViewItem[] = [];
    for (const m of members) { shown[m.node] = undefined; kids.push(opItems[m.node]); }
    kids.push(op);
    kids.sort((a, b) => a.order - b.order);
    const initializers: ScenePort[] = [];
    const initializerNames: string[] = [];
    const quantizedWeights: boolean[] = [];
    let names: readonly string[] | undefined;
    for (let k = 0; k < node.inputs.length; k++) {
      const name = node.inputs[k];
      if (name === '') continue;
      let weight = isFoldedTensor(name) ? name : undefined;
      let quantized = false;
      const p = weight === undefined ? g.values.get(name)?.producer ?? -1 : -1;
      if (p >= 0 && members.some((m) => m.node === p && m.side === 'weight')) {
        // The weight a folded DequantizeLinear reads: quantized in the file, or a float weight quantized by a
        // folded QuantizeLinear (shown as that float weight).
        const x = g.nodes[p].inputs[0];
        quantized = isFoldedTensor(x);
        weight = quantized ? x : g.nodes[g.values.get(x)!.producer].inputs[0];
      }
      if (weight === undefined) continue;
      names ??= inputNames?.(node) ?? [];
      initializerNames.push(names[k] ?? String(k));
      initializers.push(port(weight));
      quantizedWeights.push(quantized);
    }
    const { badge, perChannel } = quantBadge(g, members);
    const item: ViewItem = {
      id: `q:${i}`, kind: 'group', label: op.label, name: op.name, category: op.category, depth: 0, order: kids[0].order,
      inputs: [], outputs: [], children: kids.map((c) => c.id), opCount: kids.length,
      fold: perChannel ? { op: op.id, badge, perChannel } : { op: op.id, badge }, foldMembers: members,
    };
    if (initializers.length > 0) { item.initializers = initializers; item.initializerNames = initializerNames; item.quantizedWeights = quantizedWeights; }
    items.set(item.id, item);
    shown[i] = item;
  }
  return shown;
}

/**
 * Groups from the scope tree: single-op groups dropped, empty ones too, long levels split into runs (by numbering,
 * then by structure). `moved` ops are drawn in another scope than their name's (placement.ts); `shown` is what
 * each node is drawn as (foldItems).
 */
function buildGroups(
  g: GraphModel, items: Map<string, ViewItem>, folded: Uint8Array, shown: (ViewItem | undefined)[], moved: Map<number, string>, edges: LeafEdge[],
): ViewItem {
  const movedInto = new Map<string, number[]>();
  for (const [i, scope] of moved) {
    let list = movedInto.get(scope);
    if (!list) movedInto.set(scope, (list = []));
    list.push(i);
  }
  const structureOf = levelStructures(items, edges);
  const visit = (scope: ScopeNode): ViewItem[] => {
    const kids: ViewItem[] = [];
    for (const child of scope.children) kids.push(...visit(child));
    for (const i of scope.nodes) if (!folded[i] && !moved.has(i) && shown[i]) kids.push(shown[i]!);
    for (const i of movedInto.get(scope.id) ?? []) if (shown[i]) kids.push(shown[i]!);
    // Graph inputs and outputs sit at the top level with the ops.
    if (scope.id === '') {
      for (const item of items.values()) if (item.kind === 'input' || item.kind === 'output') kids.push(item);
    }
    const ops = countOps(kids);
    if (scope.id === '' || ops > 1) return [makeGroup(`g:${scope.id}`, scope.label, scope.id, kids)];
    return kids; // zero or one op: the op (if any) shows directly
  };
  const makeGroup = (id: string, label: string, name: string, kids: ViewItem[]): ViewItem => {
    kids.sort((a, b) => a.order - b.order);
    const group: ViewItem = {
      id, kind: 'group', label, name, category: 'other', depth: 0, order: kids.length ? kids[0].order : 0,
      inputs: [], outputs: [], children: [], opCount: countOps(kids),
    };
    items.set(id, group);
    const runs = splitIntoRuns(kids.map((k): RunChild<ViewItem> => ({ value: k, label: runLabelOf(k) })), MAX_CHILDREN, () => structureOf(kids));
    group.children = runs.map((r) => entryItem(id, r).id);
    return group;
  };
  // Runs are groups too (`g:<parent>#<first>-<last>`, span in the sorted child list); members are already sorted.
  const entryItem = (parentId: string, r: RunEntry<ViewItem>): ViewItem => {
    if (r.kind === 'child') return r.value;
    const members = r.members.map((m) => entryItem(parentId, m));
    const run: ViewItem = {
      id: `${parentId}#${r.first}-${r.last}`, kind: 'group', label: r.label, name: r.name ?? r.label, category: 'other', depth: 0,
      order: members[0].order, inputs: [], outputs: [], children: members.map((m) => m.id),
      opCount: countOps(members),
    };
    items.set(run.id, run);
    return run;
  };

  const [root] = visit(g.scopes);
  root.depth = -1;
  setParents(items, root);
  return root;
}

/** Op boxes among `kids`, a quantization fold counting as its op. */
function countOps(kids: readonly ViewItem[]): number {
  return kids.reduce((s, k) => s + (k.kind === 'op' || k.fold ? 1 : k.kind === 'group' ? k.opCount ?? 0 : 0), 0);
}

/** Run labels use op names (more telling than op types) and group labels. */
function runLabelOf(item: ViewItem): string {
  return item.kind === 'op' || item.fold ? item.name || item.label : item.label;
}

function setParents(items: Map<string, ViewItem>, root: ViewItem): void {
  const stack: ViewItem[] = [root];
  while (stack.length > 0) {
    const group = stack.pop()!;
    for (const id of group.children ?? []) {
      const child = items.get(id)!;
      child.parent = group.id;
      child.depth = group.depth + 1;
      if (child.kind === 'group') stack.push(child);
    }
  }
}

/** Every dataflow edge between leaves, in topological order of producers (so group ports read in that order). */
function leafEdges(
  g: GraphModel, items: Map<string, ViewItem>, folded: Uint8Array, position: Int32Array, opItems: ViewItem[], outerReads: string[],
): LeafEdge[] {
  const edges: LeafEdge[] = [];
  const connect = (tensor: string, from: string, fromPort: number) => {
    const v = g.values.get(tensor);
    if (!v) return;
    const consumers = v.consumers.length > 1 ? [...v.consumers].sort((a, b) => position[a] - position[b]) : v.consumers;
    for (const c of consumers) {
      if (folded[c]) continue;
      const to = opItems[c];
      const ins = to.inputs;
      for (let k = 0; k < ins.length; k++) if (ins[k].tensor === tensor) edges.push({ tensor, from, fromPort, to: to.id, toPort: k });
    }
    if (v.isOutput && items.has(`o:${tensor}`)) edges.push({ tensor, from, fromPort, to: `o:${tensor}`, toPort: 0 });
  };
  for (const name of g.inputs) connect(name, `i:${name}`, 0);
  for (const name of outerReads) connect(name, `i:${name}`, 0);
  for (const i of g.order) {
    if (folded[i]) continue;
    const op = opItems[i];
    const outs = op.outputs;
    for (let k = 0; k < outs.length; k++) if (g.values.get(outs[k].tensor)?.producer === i) connect(outs[k].tensor, op.id, k);
  }
  return edges;
}

/** Ancestor groups of an item, nearest first, ending at the root. */
export function ancestorsOf(items: Map<string, ViewItem>, id: string): string[] {
  const out: string[] = [];
  let p = items.get(id)?.parent;
  while (p !== undefined) { out.push(p); p = items.get(p)?.parent; }
  return out;
}

/** Gives groups their boundary ports (tensors entering/leaving) and files each leaf edge under its level. */
function assignGroupPortsAndLevelEdges(
  items: Map<string, ViewItem>, edges: LeafEdge[], port: (t: string) => ScenePort,
  groupPorts: Map<string, { in: Map<string, number>; out: Map<string, number> }>,
): Map<string, LevelEdge[]> {
  const addPort = (group: ViewItem, side: 'in' | 'out', tensor: string): number => {
    let maps = groupPorts.get(group.id);
    if (!maps) { maps = { in: new Map(), out: new Map() }; groupPorts.set(group.id, maps); }
    const m = maps[side];
    let k = m.get(tensor);
    if (k === undefined) {
      k = m.size;
      m.set(tensor, k);
      (side === 'in' ? group.inputs : group.outputs).push(port(tensor));
    }
    return k;
  };
  const parentOf = (item: ViewItem): ViewItem => items.get(item.parent!)!;
  const levelEdges = new Map<string, Map<string, LevelEdge>>();
  for (const e of edges) {
    if (e.from === e.to) continue; // an op reading its own output (a cycle the core reported): nothing to draw
    // Climb to the lowest common group: the edge leaves every group around its source below it and enters
    // every group around its target; the last ports added are those on the level's boxes.
    let a = items.get(e.from)!;
    let b = items.get(e.to)!;
    let fp = e.fromPort;
    let tp = e.toPort;
    while (a.depth > b.depth) { a = parentOf(a); fp = addPort(a, 'out', e.tensor); }
    while (b.depth > a.depth) { b = parentOf(b); tp = addPort(b, 'in', e.tensor); }
    while (a.parent !== b.parent) {
      a = parentOf(a); fp = addPort(a, 'out', e.tensor);
      b = parentOf(b); tp = addPort(b, 'in', e.tensor);
    }
    const lca = a.parent!;
    const key = edgeKey(a, fp, b, tp);
    let level = levelEdges.get(lca);
    if (!level) { level = new Map(); levelEdges.set(lca, level); }
    const existing = level.get(key);
    if (existing) { if (!existing.tensors.includes(e.tensor)) existing.tensors.push(e.tensor); }
    else level.set(key, { key, from: a.id, fromPort: fp, to: b.id, toPort: tp, tensors: [e.tensor] });
  }
  const out = new Map<string, LevelEdge[]>();
  for (const [g, m] of levelEdges) out.set(g, [...m.values()]);
  return out;
}
