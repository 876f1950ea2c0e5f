// Type and shape inference over a whole model: graph inputs, initializers and Constants flow through every
// node in topological order (subgraphs and model-local functions included). Each op's rule lives in ops/;
// an op without a rule leaves its outputs unknown (never guessed). Declared value_info and graph outputs are
// merged in, and where they contradict what the node computes, the node is reported.
import { buildGraph, describeNode, GraphModel, GraphNode } from '../graph';
import { OnnxModel } from '../model';
import { AttributeMsg, FunctionMsg, int64ToNumber } from '../onnxSchema';
import { decodeTensorValues } from '../tensorValues';
import { Dim, formatValueType, ValueType } from '../types';
import { Env, InferHost, OpContext, ShapeContradiction } from './context';
import { BOOL, Fact, INT_TYPES, MAX_FOLDED_ELEMENTS, tensorMsgValues, valuesToDims } from './facts';
import { DOMAIN_OPS, OPS } from './ops/registry';

export interface ShapeDiagnostic {
  /** The node's index in its graph, and the path of subgraph attributes above it ('' for the main graph). */
  node: number;
  graph: string;
  nodeName: string;
  opType: string;
  tensor?: string;
  message: string;
}

export interface ShapeInference {
  /** Every main-graph tensor whose type is known (declared or inferred), by name. */
  types: Map<string, ValueType>;
  /** Elements of the main graph's small tensors that inference folded (shape values), by name. */
  values: Map<string, Dim[]>;
  /** Types of each subgraph's own tensors (If branches, Loop and Scan bodies). */
  subgraphTypes: Map<GraphModel, Map<string, ValueType>>;
  diagnostics: ShapeDiagnostic[];
  /** Op types (domain-qualified outside the default domain) that have no rule here, with node counts. */
  unsupported: Map<string, number>;
}

export interface InferOptions {
  /**
   * Infer node outputs from the nodes alone, ignoring value_info and graph output declarations (the oracle
   * tests compare what we compute, not what the file already says).
   */
  ignoreDeclared?: boolean;
}

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

interface Scope {
  opsets: Map<string, number>;
  /** Attributes of the calling node while inside a model-local function. */
  callerAttrs?: Map<string, AttributeMsg>;
  path: string;
}

class Inference implements InferHost {
  readonly diagnostics: ShapeDiagnostic[] = [];
  readonly unsupported = new Map<string, number>();
  readonly subgraphTypes = new Map<GraphModel, Map<string, ValueType>>();
  private readonly functions = new Map<string, { msg: FunctionMsg; graph?: GraphModel }>();
  private readonly freshCounts = new Map<string, number>();
  private functionDepth = 0;
  private scope: Scope;

  constructor(private readonly model: OnnxModel, private readonly opts: InferOptions) {
    this.scope = { opsets: new Map(model.opsets.map((o) => [DEFAULT_DOMAINS.has(o.domain) ? '' : o.domain, o.version])), path: '' };
    for (const f of model.functions) this.functions.set(`${f.value.domain ?? ''}\u0000${f.value.name ?? ''}`, { msg: f.value });
  }

  freshDim(prefix: string): string {
    const n = (this.freshCounts.get(prefix) ?? 0) + 1;
    this.freshCounts.set(prefix, n);
    return `${prefix.toLowerCase()}_${n}`;
  }

  private readonly reported = new Set<string>();

  report(node: GraphNode, message: string, tensor?: string): void {
    // A Loop body is inferred twice when its carried shapes change: report each problem once.
    const key = `${this.scope.path}\u0000${node.index}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push({ node: node.index, graph: this.scope.path, nodeName: node.name, opType: node.opType, tensor, message });
  }

  /** Facts for a graph's initializers and inputs; inputs bound by a caller (subgraph, function) win. */
  seed(graph: GraphModel, env: Env, bound?: (Fact | undefined)[], bytes?: Uint8Array): void {
    for (const name of graph.initializers) {
      const v = graph.values.get(name)!;
      const init = v.initializer!;
      const fact: Fact = { type: { kind: 'tensor', elemType: init.dataType, shape: init.dims } };
      let count = 1;
      for (const d of init.dims) count *= d;
      // Shape computations read integers and a few float scales: big float weights are never decoded.
      if (count <= MAX_FOLDED_ELEMENTS && (INT_TYPES.has(init.dataType) || init.dataType === BOOL || count <= 64)) {
        fact.lazyValue = () => {
          try {
            if (init.info && bytes && init.info.data.kind !== 'external') return valuesToDims(decodeTensorValues(init.info, bytes));
            if (init.msg) return tensorMsgValues(init.msg);
          } catch { /* undecodable data: the value stays unknown */ }
          return undefined;
        };
      }
      env.set(name, fact);
    }
    graph.inputs.forEach((name, i) => {
      const declared = graph.values.get(name)?.type;
      const given = bound?.[i];
      const type = given ? (declared ? mergeTypes(declared, given.type).type : given.type) : declared;
      if (type) env.set(name, given && type === given.type ? given : { type, value: given?.value });
    });
  }

  /** Infers every node of `graph` in order, into `env`. */
  run(graph: GraphModel, env: Env): void {
    for (const i of graph.order) this.inferNode(graph, graph.nodes[i], env);
    const types = new Map<string, ValueType>();
    for (const [name, f] of env.own()) types.set(name, f.type);
    this.subgraphTypes.set(graph, types);
  }

  private inferNode(graph: GraphModel, node: GraphNode, env: Env): void {
    const domain = DEFAULT_DOMAINS.has(node.domain) ? '' : node.domain;
    const fn = this.functions.size > 0 ? this.functions.get(`${node.domain}\u0000${node.opType}`) : undefined;
    const rule = domain === '' ? OPS[node.opType] : DOMAIN_OPS[domain]?.[node.opType];
    let outputs: (Fact | undefined)[] = [];
    if (fn && (domain !== '' || !rule)) {
      outputs = this.inferFunctionCall(node, fn, env);
    } else if (rule) {
      const ctx = new OpContext(node, this.scope.opsets.get(domain) ?? 1, env, this, this.scope.callerAttrs);
      try {
        rule(ctx);
        outputs = ctx.outputs;
      } catch (e) {
        if (e instanceof ShapeContradiction) this.report(node, `node ${describeNode(node)}: ${e.message}`);
        else this.report(node, `node ${describeNode(node)}: inference failed: ${(e as Error).message}`);
      }
    } else {
      const key = domain ? `${domain}.${node.opType}` : node.opType;
      this.unsupported.set(key, (this.unsupported.get(key) ?? 0) + 1);
    }
    const names = node.outputs;
    for (let k = 0; k < names.length; k++) {
      const name = names[k];
      if (name === '') continue;
      const inferred = outputs[k];
      const declared = this.opts.ignoreDeclared ? undefined : graph.values.get(name)?.type;
      if (!declared) {
        if (inferred) env.set(name, inferred);
        continue;
      }
      if (!inferred) {
        env.set(name, { type: declared });
        continue;
      }
      const merged = mergeTypes(declared, inferred.type);
      if (merged.conflict) {
        this.report(node, `node ${describeNode(node)}: output '${name}' is declared ${formatValueType(declared)} but the node computes ${formatValueType(inferred.type)} (${merged.conflict})`, name);
      }
      env.set(name, merged.type === inferred.type ? inferred
        : merged.conflict ? { type: merged.type } : { type: merged.type, value: inferred.value, lazyValue: inferred.lazyValue });
    }
  }

  private inferFunctionCall(node: GraphNode, fn: { msg: FunctionMsg; graph?: GraphModel }, env: Env): (Fact | undefined)[] {
    if (this.functionDepth > 16) return []; // a function calling itself: no rule for recursion
    const msg = fn.msg;
    fn.graph ??= buildGraph({
      name: msg.name ?? '', nodes: msg.node ?? [], inputs: (msg.input ?? []).map((name) => ({ name })),
      outputs: (msg.output ?? []).map((name) => ({ name })), valueInfo: msg.value_info ?? [], initializers: [], initializerNames: [],
    });
    const callerAttrs = new Map<string, AttributeMsg>();
    for (const a of msg.attribute_proto ?? []) callerAttrs.set(a.name ?? '', a);
    for (const a of node.attributes) {
      // An attribute of a call inside a function may itself refer to the outer caller's attribute.
      const resolved = a.ref_attr_name ? this.scope.callerAttrs?.get(a.ref_attr_name) : a;
      if (resolved) callerAttrs.set(a.name ?? '', { ...resolved, name: a.name });
    }
    const opsets = new Map(this.scope.opsets);
    for (const o of msg.opset_import ?? []) opsets.set(DEFAULT_DOMAINS.has(o.domain ?? '') ? '' : o.domain ?? '', int64ToNumber(o.version));
    const saved = this.scope;
    this.scope = { opsets, callerAttrs, path: `${saved.path}${saved.path ? '/' : ''}${msg.name}` };
    this.functionDepth++;
    try {
      const body = new Env();
      const inputs = msg.input ?? [];
      inputs.forEach((name, i) => {
        const f = i < node.inputs.length && node.inputs[i] !== '' ? env.get(node.inputs[i]) : undefined;
        if (f) body.set(name, f);
      });
      for (const i of fn.graph.order) this.inferNode(fn.graph, fn.graph.nodes[i], body);
      return (msg.output ?? []).map((name) => body.get(name));
    } finally {
      this.functionDepth--;
      this.scope = saved;
    }
  }

  inferSubgraph(graph: GraphModel, inputs: (Fact | undefined)[], outerEnv: Env): (Fact | undefined)[] {
    const env = new Env(outerEnv);
    const saved = this.scope;
    // Problems inside say which subgraph they are in (node indices are the subgraph's own).
    this.scope = { ...saved, path: `${saved.path}${saved.path ? '/' : ''}${graph.name || 'subgraph'}` };
    try {
      this.seed(graph, env, inputs);
      this.run(graph, env);
    } finally {
      this.scope = saved;
    }
    return graph.outputs.map((name) => env.get(name));
  }
}


/**
 * Merges a declared type with an inferred one, dim by dim: a number beats a symbol or unknown, a declared
 * symbol names an inferred unknown or expression. Two different numbers, ranks or element types conflict:
 * the declared type is kept and the conflict described.
 */
export function mergeTypes(declared: ValueType, inferred: ValueType): { type: ValueType; conflict?: string } {
  if (declared.kind !== 'tensor' || inferred.kind !== 'tensor') return { type: declared.kind === 'unknown' ? inferred : declared };
  const elemType = declared.elemType || inferred.elemType;
  if (declared.elemType && inferred.elemType && declared.elemType !== inferred.elemType) return { type: declared, conflict: 'element types differ' };
  if (!declared.shape) return { type: inferred.shape && elemType === inferred.elemType ? inferred : { kind: 'tensor', elemType, shape: inferred.shape } };
  if (!inferred.shape) return { type: { kind: 'tensor', elemType, shape: declared.shape } };
  if (declared.shape.length !== inferred.shape.length) return { type: declared, conflict: 'ranks differ' };
  const shape: Dim[] = [];
  let same = elemType === inferred.elemType;
  for (let i = 0; i < declared.shape.length; i++) {
    const d = declared.shape[i];
    const n = inferred.shape[i];
    if (typeof d === 'number' && typeof n === 'number' && d !== n) return { type: declared, conflict: `dimension ${i} differs` };
    const m = typeof n === 'number' ? n : typeof d === 'number' ? d : d ?? n;
    if (m !== n) same = false;
    shape.push(m);
  }
  return { type: same ? inferred : { kind: 'tensor', elemType, shape } };
}

/** Infers types and shapes for every tensor of the model (main graph, subgraphs, function calls). */
export function inferShapes(model: OnnxModel, graph: GraphModel, opts: InferOptions = {}): ShapeInference {
  const inf = new Inference(model, opts);
  const env = new Env();
  inf.seed(graph, env, undefined, model.bytes);
  inf.run(graph, env);
  const types = inf.subgraphTypes.get(graph)!;
  inf.subgraphTypes.delete(graph);
  const values = new Map<string, Dim[]>();
  for (const [name, f] of env.own()) if (f.value) values.set(name, f.value);
  return { types, values, subgraphTypes: inf.subgraphTypes, diagnostics: inf.diagnostics, unsupported: inf.unsupported };
}
