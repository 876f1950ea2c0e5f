// The graph model: nodes, values with producer and consumers, topological order, nested subgraphs and
// the scope hierarchy. Problems (cycles, dangling inputs, ...) are collected so a broken model still opens
// for viewing; edits call assertValidGraph first.
import { OnnxModelError } from './errors';
import { OnnxModel } from './model';
import { AttributeMsg, GraphMsg, int64ToNumber, NodeMsg, TensorMsg, ValueInfoMsg } from './onnxSchema';
import { parseStackTrace, STACK_TRACE_KEY, StackFrame } from './pytorchMetadata';
import { buildScopeTree, nodeScope, ScopeNode } from './scopes';
import { TensorInfo } from './tensorInfo';
import { Dim, ValueType, valueTypeOf } from './types';

export interface GraphNode {
  index: number;
  name: string;
  opType: string;
  domain: string;
  overload: string;
  inputs: string[];
  outputs: string[];
  attributes: AttributeMsg[];
  metadata: Record<string, string>;
  scope: string[];
  stackTrace?: StackFrame[];
  subgraphs: { attribute: string; graph: GraphModel }[];
  /** Values from enclosing scopes that this node's subgraphs read: real dependencies for ordering and cuts. */
  implicitInputs: string[];
  msg: NodeMsg;
}

export interface InitializerRef {
  dataType: number;
  dims: number[];
  /** Present for the main graph's initializers (data located in the file, read lazily). */
  info?: TensorInfo;
  /** Present for initializers of nested subgraphs (already decoded). */
  msg?: TensorMsg;
}

export interface GraphValue {
  name: string;
  type?: ValueType;
  /** Index of the producing node, or -1 (graph input, initializer, outer scope or missing). */
  producer: number;
  consumers: number[];
  isInput: boolean;
  isOutput: boolean;
  initializer?: InitializerRef;
  docString?: string;
  /** Set by shape inference (shapes/apply.ts): `type` is (partly) inferred rather than declared in the file. */
  typeInferred?: boolean;
  /** Elements shape inference folded (small shape tensors such as Reshape targets), symbolic dims included. */
  foldedValue?: Dim[];
  /** A contradiction shape inference found where this tensor is produced. */
  shapeProblem?: string;
}

export type ProblemKind = 'cycle' | 'duplicate-output' | 'dangling-input' | 'empty-graph' | 'duplicate-graph-output' | 'unknown-graph-output';

export interface GraphProblem {
  kind: ProblemKind;
  message: string;
  tensors?: string[];
  nodes?: number[];
}

export interface GraphModel {
  name: string;
  nodes: GraphNode[];
  values: Map<string, GraphValue>;
  /** Graph inputs that are not initializers (what a run must feed), in declared order. */
  inputs: string[];
  outputs: string[];
  initializers: string[];
  /** Node indices in topological order (all nodes; those in a cycle come last, in file order). */
  order: number[];
  problems: GraphProblem[];
  /** Names read by this graph but defined in an enclosing scope (subgraphs only). */
  outerReferences: string[];
  scopes: ScopeNode;
}

export interface GraphSource {
  name: string;
  nodes: NodeMsg[];
  inputs: ValueInfoMsg[];
  outputs: ValueInfoMsg[];
  valueInfo: ValueInfoMsg[];
  initializers: InitializerRef[];
  initializerNames: string[];
}

export function graphSourceOfModel(model: OnnxModel): GraphSource {
  const g = model.graph;
  return {
    name: g.name,
    nodes: g.nodes.map((n) => n.value),
    inputs: g.inputs.map((v) => v.value),
    outputs: g.outputs.map((v) => v.value),
    valueInfo: g.valueInfo.map((v) => v.value),
    initializers: g.initializers.map((t) => ({ dataType: t.dataType, dims: t.dims, info: t })),
    initializerNames: g.initializers.map((t) => t.name),
  };
}

export function graphSourceOfMsg(g: GraphMsg): GraphSource {
  const inits = g.initializer ?? [];
  return {
    name: g.name ?? '',
    nodes: g.node ?? [],
    inputs: g.input ?? [],
    outputs: g.output ?? [],
    valueInfo: g.value_info ?? [],
    initializers: inits.map((t) => ({ dataType: t.data_type ?? 0, dims: (t.dims ?? []).map(int64ToNumber), msg: t })),
    initializerNames: inits.map((t) => t.name ?? ''),
  };
}

export function buildModelGraph(model: OnnxModel): GraphModel {
  return buildGraph(graphSourceOfModel(model));
}

/** `outer` answers whether a name is defined in an enclosing graph (for subgraphs). */
export function buildGraph(src: GraphSource, outer?: (name: string) => boolean): GraphModel {
  const values = new Map<string, GraphValue>();
  const problems: GraphProblem[] = [];
  const value = (name: string): GraphValue => {
    let v = values.get(name);
    if (!v) {
      v = { name, producer: -1, consumers: [], isInput: false, isOutput: false };
      values.set(name, v);
    }
    return v;
  };

  const initializers: string[] = [];
  src.initializers.forEach((init, i) => {
    const name = src.initializerNames[i];
    const v = value(name);
    v.initializer = init;
    v.type = { kind: 'tensor', elemType: init.dataType, shape: init.dims };
    initializers.push(name);
  });
  const inputs: string[] = [];
  for (const vi of src.inputs) {
    const name = vi.name ?? '';
    const v = value(name);
    v.isInput = true;
    v.type = valueTypeOf(vi.type) ?? v.type;
    if (vi.doc_string) v.docString = vi.doc_string;
    if (!v.initializer) inputs.push(name);
  }
  for (const vi of src.valueInfo) {
    const v = value(vi.name ?? '');
    v.type ??= valueTypeOf(vi.type);
  }

  const nodes: GraphNode[] = src.nodes.map((msg, index) => makeNode(msg, index));
  // Producers first, so consumers can tell missing values from values produced later in the file.
  for (const node of nodes) {
    for (const out of node.outputs) {
      if (out === '') continue;
      const v = value(out);
      if (v.producer >= 0 || v.initializer || v.isInput) {
        const first = v.producer >= 0 ? `node ${describeNode(nodes[v.producer])}` : v.initializer ? 'an initializer' : 'a graph input';
        problems.push({ kind: 'duplicate-output', message: `tensor '${out}' is produced by node ${describeNode(node)} and already by ${first}`, tensors: [out], nodes: [node.index] });
        continue;
      }
      v.producer = node.index;
    }
  }
  const outerReferences = new Set<string>();
  const isDefined = (name: string) => {
    const v = values.get(name);
    return v !== undefined && (v.producer >= 0 || v.isInput || v.initializer !== undefined);
  };
  const definedHereOrOuter = (name: string) => isDefined(name) || (outer ? outer(name) : false);
  for (const node of nodes) {
    // Subgraphs see this graph's values and everything the enclosing graphs see.
    for (const attr of node.attributes) {
      const graphs = attr.g ? [attr.g] : attr.graphs ?? [];
      for (const g of graphs) {
        const sub = buildGraph(graphSourceOfMsg(g), definedHereOrOuter);
        node.subgraphs.push({ attribute: attr.name ?? '', graph: sub });
        for (const ref of sub.outerReferences) if (!node.implicitInputs.includes(ref)) node.implicitInputs.push(ref);
      }
    }
    const nInputs = node.inputs.length;
    for (let k = 0; k < nInputs + node.implicitInputs.length; k++) {
      const name = k < nInputs ? node.inputs[k] : node.implicitInputs[k - nInputs];
      if (name === '') continue; // an omitted optional input
      const v = value(name);
      // Nodes are visited in index order, so a repeat read by this node can only be the last consumer.
      if (v.consumers[v.consumers.length - 1] !== node.index) v.consumers.push(node.index);
      if (!(v.producer >= 0 || v.isInput || v.initializer !== undefined)) {
        if (outer && outer(name)) outerReferences.add(name);
        else problems.push({ kind: 'dangling-input', message: `node ${describeNode(node)} reads '${name}', which no node, input or initializer defines`, tensors: [name], nodes: [node.index] });
      }
    }
  }

  const outputs: string[] = [];
  const seenOutputs = new Set<string>();
  for (const vi of src.outputs) {
    const name = vi.name ?? '';
    if (seenOutputs.has(name)) problems.push({ kind: 'duplicate-graph-output', message: `graph output '${name}' is listed twice`, tensors: [name] });
    seenOutputs.add(name);
    const v = value(name);
    v.isOutput = true;
    v.type = valueTypeOf(vi.type) ?? v.type;
    outputs.push(name);
    if (!isDefined(name)) {
      if (outer && outer(name)) outerReferences.add(name);
      else problems.push({ kind: 'unknown-graph-output', message: `graph output '${name}' is not produced by any node, input or initializer`, tensors: [name] });
    }
  }
  if (nodes.length === 0 && outputs.length === 0) problems.push({ kind: 'empty-graph', message: 'the graph has no nodes and no outputs' });

  const order = topologicalOrder(nodes, values, problems);
  const scopes = buildScopeTree(nodes.map((n) => n.scope));
  return { name: src.name, nodes, values, inputs, outputs, initializers, order, problems, outerReferences: [...outerReferences], scopes };
}

function makeNode(msg: NodeMsg, index: number): GraphNode {
  const metadata: Record<string, string> = {};
  for (const e of msg.metadata_props ?? []) metadata[e.key ?? ''] = e.value ?? '';
  const name = msg.name ?? '';
  const trace = metadata[STACK_TRACE_KEY];
  return {
    index, name, opType: msg.op_type ?? '', domain: msg.domain ?? '', overload: msg.overload ?? '',
    inputs: msg.input ?? [], outputs: msg.output ?? [], attributes: msg.attribute ?? [], metadata,
    scope: nodeScope(name, metadata), stackTrace: trace !== undefined ? parseStackTrace(trace) : undefined,
    subgraphs: [], implicitInputs: [], msg,
  };
}

/** A node of the default ONNX domain ('' or 'ai.onnx'). */
export function isDefaultDomain(node: GraphNode): boolean {
  return node.domain === '' || node.domain === 'ai.onnx';
}

/** An ONNX Identity: its one output is a copy of its one input. */
export function isIdentityCopy(node: GraphNode): boolean {
  return node.opType === 'Identity' && isDefaultDomain(node) && node.inputs.length === 1 && node.implicitInputs.length === 0;
}

export function describeNode(node: GraphNode): string {
  return node.name ? `'${node.name}' (${node.opType})` : `#${node.index} (${node.opType})`;
}

/** Kahn's algorithm; keeps file order when the file is already sorted. Reports cycles as a problem. */
function topologicalOrder(nodes: GraphNode[], values: Map<string, GraphValue>, problems: GraphProblem[]): number[] {
  const n = nodes.length;
  const pending = new Int32Array(n);
  // stamp[p] === i + 1 marks producer p as already counted for node i (a Set per node costs far more).
  const stamp = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    const nInputs = node.inputs.length;
    let count = 0;
    for (let k = 0; k < nInputs + node.implicitInputs.length; k++) {
      const name = k < nInputs ? node.inputs[k] : node.implicitInputs[k - nInputs];
      const p = name === '' ? -1 : values.get(name)?.producer ?? -1;
      if (p === i) pending[i] = -1; // reads its own output: a one-node cycle
      else if (p >= 0 && stamp[p] !== i + 1) {
        stamp[p] = i + 1;
        count++;
      }
    }
    pending[i] = pending[i] === 0 ? count : count + 1;
  }
  const order: number[] = [];
  const ready: number[] = [];
  for (let i = n - 1; i >= 0; i--) if (pending[i] === 0) ready.push(i);
  // A stack seeded in reverse file order keeps an already sorted file in its own order.
  const seen = new Int32Array(n);
  const unblocked: number[] = [];
  while (ready.length > 0) {
    const i = ready.pop()!;
    order.push(i);
    unblocked.length = 0;
    for (const out of nodes[i].outputs) {
      if (out === '') continue;
      const v = values.get(out);
      if (!v || v.producer !== i) continue;
      for (const c of v.consumers) {
        if (c === i || seen[c] === i + 1) continue;
        seen[c] = i + 1;
        if (--pending[c] === 0) unblocked.push(c);
      }
    }
    if (unblocked.length > 1) unblocked.sort((a, b) => b - a);
    for (const c of unblocked) ready.push(c);
  }
  if (order.length < nodes.length) {
    const placed = new Uint8Array(nodes.length);
    for (const i of order) placed[i] = 1;
    const stuck = nodes.filter((n) => !placed[n.index]).map((n) => n.index);
    problems.push({
      kind: 'cycle',
      message: `the graph has a cycle: ${stuck.length} node(s) depend on each other, e.g. ${stuck.slice(0, 5).map((i) => describeNode(nodes[i])).join(', ')}`,
      nodes: stuck,
    });
    order.push(...stuck);
  }
  return order;
}

/** Throws when the graph has problems that make an edit or a run meaningless. */
export function assertValidGraph(graph: GraphModel): void {
  if (graph.problems.length > 0) {
    throw new OnnxModelError(`the model's graph is invalid: ${graph.problems[0].message}` +
      (graph.problems.length > 1 ? ` (and ${graph.problems.length - 1} more problem(s))` : ''), graph.problems.map((p) => p.message));
  }
}
