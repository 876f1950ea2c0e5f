// Model edits that write a new model: mark tensors as outputs, extract a submodel between tensors.
// Everything an edit does not change is copied as bytes (see modelWriter.ts), so nothing is lost.
import { OnnxModelError } from './errors';
import { assertValidGraph, GraphModel } from './graph';
import { OnnxModel } from './model';
import { assembleMessage } from './modelWriter';
import { FunctionMsg, onnxTypes } from './onnxSchema';
import { TensorInfo } from './tensorInfo';
import { ValueType } from './types';
import { concatBytes, FieldSpan, lengthDelimitedHeader, scanFields, utf8Encode } from './wire';

const MODEL_GRAPH = 7;
const MODEL_PRODUCER_NAME = 2;
const MODEL_PRODUCER_VERSION = 3;
const MODEL_TRAINING_INFO = 20;
const GRAPH_NAME = 2;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;

export const PRODUCER_NAME = 'onnx-inspector';

function field(num: number, body: Uint8Array): Uint8Array {
  return concatBytes([lengthDelimitedHeader(num, body.length), body]);
}

function stringField(num: number, text: string): Uint8Array {
  return field(num, utf8Encode(text));
}

function slice(model: OnnxModel, span: { start: number; end: number }): Uint8Array {
  return model.bytes.subarray(span.start, span.end);
}

/** A ValueInfoProto field (tag included) for `name`, typed when the type is known. */
function valueInfoField(num: number, name: string, type: ValueType | undefined): Uint8Array {
  // Name-only entries (most of a mark-all) are written directly: protobufjs costs ~5 us per message.
  if (!(type && type.kind === 'tensor' && type.elemType)) return field(num, stringField(1, name));
  const msg: Record<string, unknown> = { name };
  if (type && type.kind === 'tensor' && type.elemType) {
    const tensorType: Record<string, unknown> = { elem_type: type.elemType };
    if (type.shape) {
      tensorType.shape = { dim: type.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : typeof d === 'string' ? { dim_param: d } : {})) };
    }
    msg.type = { tensor_type: tensorType };
  }
  return field(num, onnxTypes.ValueInfoProto.encode(onnxTypes.ValueInfoProto.fromObject(msg)).finish());
}

/** Rebuilds the model with the graph field replaced, and other top-level fields replaced or dropped. */
function replaceGraph(model: OnnxModel, graphBody: Uint8Array, topLevel: Map<FieldSpan, Uint8Array | null> = new Map(), append: Uint8Array[] = []): Uint8Array {
  const replace = new Map(topLevel);
  replace.set(model.graphSpan, field(MODEL_GRAPH, graphBody));
  return assembleMessage(model.bytes, model.fields, replace, append);
}

function unknownNames(graph: GraphModel, names: readonly string[]): string[] {
  return names.filter((n) => !graph.values.has(n) || isOnlyDeclared(graph, n));
}

/** A name that appears only in value_info/outputs, with nothing defining it, is not a real tensor. */
function isOnlyDeclared(graph: GraphModel, name: string): boolean {
  const v = graph.values.get(name)!;
  return v.producer < 0 && !v.isInput && !v.initializer;
}

/** Every tensor a node produces that is not already a graph output, in topological order. */
export function intermediateTensors(graph: GraphModel): string[] {
  const out: string[] = [];
  for (const i of graph.order) {
    for (const name of graph.nodes[i].outputs) {
      if (name !== '' && !graph.values.get(name)?.isOutput) out.push(name);
    }
  }
  return out;
}

export interface MarkOutputsResult {
  bytes: Uint8Array;
  added: string[];
}

/** The tensors `tensors` names, checked (a valid graph, known names) before any type inference runs. */
export function checkMarkable(graph: GraphModel, tensors: readonly string[] | 'all'): string[] {
  assertValidGraph(graph);
  const names = tensors === 'all' ? intermediateTensors(graph) : [...new Set(tensors)];
  const unknown = unknownNames(graph, names);
  if (unknown.length > 0) throw new OnnxModelError(`no tensor named ${unknown.map((n) => `'${n}'`).join(', ')} in the model`, unknown);
  return names;
}

export interface MarkOutputsOptions {
  /** Bytes of external tensors to write inline (by tensor name), as for extractSubmodel. */
  inlineData?: ReadonlyMap<string, Uint8Array>;
  /** Types for tensors the model does not declare (inferred by onnxruntime): the checker requires one per output. */
  types?: ReadonlyMap<string, ValueType>;
}

/**
 * Adds tensors to the graph outputs (appended after the existing ones). Tensors already outputs are skipped.
 * New outputs carry their declared type, else the one in `types`; without either they are name-only, which
 * onnxruntime accepts (runs use that) but the ONNX checker does not, so models written for users pass types.
 */
export function markOutputs(
  model: OnnxModel, graph: GraphModel, tensors: readonly string[] | 'all', opts: MarkOutputsOptions = {},
): MarkOutputsResult {
  const names = checkMarkable(graph, tensors);
  const added = names.filter((n) => !graph.values.get(n)!.isOutput);
  const typeOf = (n: string) => { const t = graph.values.get(n)!.type; return t?.kind === 'tensor' && t.elemType ? t : opts.types?.get(n) ?? t; };
  const appended = added.map((n) => valueInfoField(GRAPH_OUTPUT, n, typeOf(n)));
  // Initializers whose external bytes are given are rewritten inline (for a copy written in another folder).
  const replace = new Map<FieldSpan, Uint8Array | null>();
  const byStart = new Map(model.graph.fields.map((f) => [f.start, f]));
  for (const t of model.graph.initializers) {
    const inline = opts.inlineData?.get(t.name);
    if (inline) replace.set(byStart.get(t.span.start)!, initializerBytes(model, t, inline));
  }
  const graphBody = assembleMessage(model.bytes, model.graph.fields, replace, appended);
  return { bytes: replaceGraph(model, graphBody), added };
}

export interface ExtractOptions {
  inputs: readonly string[];
  outputs: readonly string[];
  /** Types for tensors the model does not declare (for example inferred by onnxruntime). */
  types?: ReadonlyMap<string, ValueType>;
  /** Bytes of external tensors to write inline (by tensor name); others keep their external references. */
  inlineData?: ReadonlyMap<string, Uint8Array>;
}

export interface ExtractResult {
  bytes: Uint8Array;
  nodes: number[];
  initializers: string[];
  inputs: string[];
  outputs: string[];
}

/**
 * Keeps exactly the nodes needed to compute `outputs` from `inputs` (plus initializers and constants), like
 * onnx.utils.extract_model, but in linear time, and an impossible cut is an error naming what is missing.
 */
/** The part of the graph a cut keeps, before anything is written. */
export interface CutPlan {
  inputs: string[];
  outputs: string[];
  /** keep[i] is 1 for the nodes the outputs need. */
  keep: Uint8Array;
  /** Initializers the kept nodes (or their subgraphs) read, by name. */
  initializers: Set<string>;
  /** Every tensor the search reached: the outputs and everything kept nodes read. */
  visited: Set<string>;
}

/**
 * Finds the nodes needed to compute `outputs` from `inputs` (linear time). Throws for unknown names and for
 * impossible cuts (naming the tensors to add to the inputs). Needs no types, so callers can check a cut
 * before inferring types.
 */
export function planCut(graph: GraphModel, requestedInputs: readonly string[], requestedOutputs: readonly string[]): CutPlan {
  assertValidGraph(graph);
  if (requestedOutputs.length === 0) throw new OnnxModelError('choose at least one output tensor to extract');
  // A name listed twice would become a duplicate graph input/output, which no runtime loads.
  const inputs = [...new Set(requestedInputs)];
  const outputs = [...new Set(requestedOutputs)];
  const unknown = unknownNames(graph, [...inputs, ...outputs]);
  if (unknown.length > 0) throw new OnnxModelError(`no tensor named ${unknown.map((n) => `'${n}'`).join(', ')} in the model`, unknown);
  const inputSet = new Set(inputs);

  const keep = new Uint8Array(graph.nodes.length);
  const usedInitializers = new Set<string>();
  const missing: string[] = [];
  const visited = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === '' || visited.has(name)) continue;
    visited.add(name);
    const v = graph.values.get(name);
    if (inputSet.has(name)) {
      if (v?.initializer) usedInitializers.add(name); // kept as the input's default, like onnx's extract
      continue;
    }
    if (v && v.producer >= 0) {
      if (keep[v.producer]) continue;
      keep[v.producer] = 1;
      const node = graph.nodes[v.producer];
      for (const i of node.inputs) stack.push(i);
      for (const i of node.implicitInputs) stack.push(i);
    } else if (v?.initializer) {
      usedInitializers.add(name);
    } else {
      missing.push(name);
    }
  }
  if (missing.length > 0) throw impossibleCut(graph, keep, inputSet, outputs, new Set(missing));
  return { inputs, outputs, keep, initializers: usedInitializers, visited };
}

/**
 * Keeps exactly the nodes needed to compute `outputs` from `inputs` (plus initializers and constants), like
 * onnx.utils.extract_model, but in linear time, and an impossible cut is an error naming what is missing.
 */
export function extractSubmodel(model: OnnxModel, graph: GraphModel, opts: ExtractOptions): ExtractResult {
  const { inputs, outputs, keep, initializers: usedInitializers, visited } = planCut(graph, opts.inputs, opts.outputs);

  // Kept nodes are copied in runs: a cut is mostly contiguous in the file, so this is a few large slices.
  const nodes: number[] = [];
  const nodeFields: Uint8Array[] = [];
  let runStart = -1;
  let runEnd = -1;
  model.graph.nodes.forEach((n, i) => {
    if (!keep[i]) return;
    nodes.push(i);
    if (n.span.start !== runEnd) {
      if (runStart >= 0) nodeFields.push(model.bytes.subarray(runStart, runEnd));
      runStart = n.span.start;
    }
    runEnd = n.span.end;
  });
  if (runStart >= 0) nodeFields.push(model.bytes.subarray(runStart, runEnd));
  // A tensor a kept node reads or writes: every read was visited by the search above.
  const touched = (name: string): boolean => {
    if (visited.has(name)) return true;
    const p = graph.values.get(name)?.producer ?? -1;
    return p >= 0 && keep[p] === 1;
  };
  const initializerFields: Uint8Array[] = [];
  const initializers: string[] = [];
  for (const t of model.graph.initializers) {
    if (!usedInitializers.has(t.name)) continue;
    initializers.push(t.name);
    initializerFields.push(initializerBytes(model, t, opts.inlineData?.get(t.name)));
  }

  // The first declaration that carries a type (a name-only value_info entry must not hide a typed input).
  const declared = new Map<string, Uint8Array>();
  for (const list of [model.graph.inputs, model.graph.outputs, model.graph.valueInfo]) {
    for (const vi of list) {
      const name = vi.value.name ?? '';
      if (!declared.has(name) && vi.value.type) declared.set(name, model.bytes.subarray(vi.span.valueStart, vi.span.end));
    }
  }
  const ioField = (num: number, name: string, required: boolean): Uint8Array => {
    const v = graph.values.get(name)!;
    const type = v.type ?? opts.types?.get(name);
    const declaredBody = declared.get(name);
    if (declaredBody) return field(num, declaredBody);
    // Only tensor types can be written from a ValueType; anything else would become an untyped input.
    if (required && !(type?.kind === 'tensor' && type.elemType > 0)) {
      throw new OnnxModelError(`the type of input '${name}' is unknown (the model declares no value_info for it); it cannot become a graph input`, [name]);
    }
    return valueInfoField(num, name, type);
  };
  const inputFields = inputs.map((n) => ioField(GRAPH_INPUT, n, true));
  const outputFields = outputs.map((n) => ioField(GRAPH_OUTPUT, n, false));
  const ioNames = new Set([...inputs, ...outputs]);
  const valueInfoFields: Uint8Array[] = [];
  for (const vi of model.graph.valueInfo) {
    const name = vi.value.name ?? '';
    if (!ioNames.has(name) && touched(name)) valueInfoFields.push(slice(model, vi.span));
  }

  const graphBody = concatBytes([
    ...nodeFields,
    stringField(GRAPH_NAME, `Extracted from {${model.graph.name}}`),
    ...initializerFields,
    ...inputFields,
    ...outputFields,
    ...valueInfoFields,
  ]);

  // Top level: keep everything but training info and unreferenced functions; say who wrote it.
  const referenced = referencedFunctions(model, nodes);
  const topLevel = new Map<FieldSpan, Uint8Array | null>();
  for (const f of model.fields) {
    if (f.field === MODEL_TRAINING_INFO || f.field === MODEL_PRODUCER_NAME || f.field === MODEL_PRODUCER_VERSION) topLevel.set(f, null);
  }
  model.functions.forEach((fn, i) => {
    if (!referenced.has(i)) topLevel.set(fn.span, null);
  });
  const bytes = replaceGraph(model, graphBody, topLevel, [stringField(MODEL_PRODUCER_NAME, PRODUCER_NAME)]);
  return { bytes, nodes, initializers, inputs, outputs };
}

/**
 * The error for a cut whose outputs reach tensors that are neither chosen inputs nor initializers (`leaves`,
 * usually the model's own inputs). It names the tensors to add: where the computation from the chosen inputs
 * reads a value computed from a leaf (or the leaf itself, or an output computed without the chosen inputs).
 */
function impossibleCut(graph: GraphModel, keep: Uint8Array, inputSet: Set<string>, outputs: string[], leaves: Set<string>): OnnxModelError {
  const fromInputs = new Uint8Array(graph.nodes.length); // downstream of a chosen input
  const fromLeaves = new Uint8Array(graph.nodes.length); // downstream of a missing leaf
  const boundary = new Set<string>();
  const crossing = (t: string): boolean => {
    if (leaves.has(t)) return true;
    const p = t === '' || inputSet.has(t) ? -1 : graph.values.get(t)?.producer ?? -1;
    return p >= 0 && keep[p] === 1 && fromLeaves[p] === 1 && fromInputs[p] === 0;
  };
  for (const i of graph.order) {
    if (!keep[i]) continue;
    const reads = [...graph.nodes[i].inputs, ...graph.nodes[i].implicitInputs];
    for (const t of reads) {
      if (t === '') continue;
      const p = inputSet.has(t) ? -1 : graph.values.get(t)?.producer ?? -1;
      if (inputSet.has(t) || (p >= 0 && fromInputs[p])) fromInputs[i] = 1;
      if (leaves.has(t) || (p >= 0 && fromLeaves[p])) fromLeaves[i] = 1;
    }
    if (fromInputs[i]) for (const t of reads) if (crossing(t)) boundary.add(t);
  }
  for (const o of outputs) if (crossing(o)) boundary.add(o);
  const names = [...boundary];
  const list = (xs: string[]) => xs.map((n) => `'${n}'`).join(', ');
  const them = names.length === 1 ? 'it' : 'them';
  return new OnnxModelError(
    `impossible cut: the outputs also depend on ${list(names)}, computed from ${list([...leaves])} rather than from the chosen inputs; add ${them} to the inputs`,
    names);
}

/** The initializer's TensorProto field, with external data written inline when its bytes are given. */
export function initializerBytes(model: OnnxModel, t: TensorInfo, inline: Uint8Array | undefined): Uint8Array {
  if (!inline || t.data.kind !== 'external') return slice(model, t.span);
  const fields = scanFields(model.bytes, t.span.valueStart, t.span.end, `initializer '${t.name}'`);
  const replace = new Map<FieldSpan, Uint8Array | null>();
  for (const f of fields) if (f.field === TENSOR_EXTERNAL_DATA || f.field === TENSOR_DATA_LOCATION) replace.set(f, null);
  const body = assembleMessage(model.bytes, fields, replace, [field(TENSOR_RAW_DATA, inline)]);
  return field(GRAPH_INITIALIZER, body);
}

/** Local functions called by the kept nodes, directly or through other functions (by index). */
function referencedFunctions(model: OnnxModel, nodes: number[]): Set<number> {
  if (model.functions.length === 0) return new Set();
  const byKey = new Map<string, number>();
  model.functions.forEach((fn, i) => byKey.set(`${fn.value.domain ?? ''}\u0000${fn.value.name ?? ''}`, i));
  const found = new Set<number>();
  const queue: { op_type?: string; domain?: string }[] = nodes.map((i) => model.graph.nodes[i].value);
  while (queue.length > 0) {
    const n = queue.pop()!;
    const i = byKey.get(`${n.domain ?? ''}\u0000${n.op_type ?? ''}`);
    if (i === undefined || found.has(i)) continue;
    found.add(i);
    const fn: FunctionMsg = model.functions[i].value;
    queue.push(...(fn.node ?? []));
  }
  return found;
}

