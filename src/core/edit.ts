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
const MODEL_FUNCTIONS = 25;
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

/**
 * Adds tensors to the graph outputs (appended after the existing ones). Tensors already outputs are skipped.
 * New outputs carry their declared type when the model has one; onnxruntime infers the rest.
 */
export function markOutputs(model: OnnxModel, graph: GraphModel, tensors: readonly string[] | 'all'): MarkOutputsResult {
  assertValidGraph(graph);
  const names = tensors === 'all' ? intermediateTensors(graph) : [...new Set(tensors)];
  const unknown = unknownNames(graph, names);
  if (unknown.length > 0) throw new OnnxModelError(`no tensor named ${unknown.map((n) => `'${n}'`).join(', ')} in the model`, unknown);
  const added = names.filter((n) => !graph.values.get(n)!.isOutput);
  const appended = added.map((n) => valueInfoField(GRAPH_OUTPUT, n, graph.values.get(n)!.type));
  const graphBody = assembleMessage(model.bytes, model.graph.fields, new Map(), appended);
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
export function extractSubmodel(model: OnnxModel, graph: GraphModel, opts: ExtractOptions): ExtractResult {
  assertValidGraph(graph);
  if (opts.outputs.length === 0) throw new OnnxModelError('choose at least one output tensor to extract');
  const unknown = unknownNames(graph, [...opts.inputs, ...opts.outputs]);
  if (unknown.length > 0) throw new OnnxModelError(`no tensor named ${unknown.map((n) => `'${n}'`).join(', ')} in the model`, unknown);
  const inputSet = new Set(opts.inputs);

  const keep = new Uint8Array(graph.nodes.length);
  const usedInitializers = new Set<string>();
  const missing: string[] = [];
  const visited = new Set<string>();
  const stack = [...opts.outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === '' || visited.has(name)) continue;
    visited.add(name);
    if (inputSet.has(name)) continue;
    const v = graph.values.get(name);
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
  if (missing.length > 0) {
    throw new OnnxModelError(
      `impossible cut: the outputs depend on ${missing.map((n) => `'${n}'`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} upstream of the chosen inputs and neither a chosen input nor an initializer; add ${missing.length === 1 ? 'it' : 'them'} to the inputs`,
      missing);
  }

  const nodes: number[] = [];
  const tensorsOfKept = new Set<string>();
  const nodeFields: Uint8Array[] = [];
  model.graph.nodes.forEach((n, i) => {
    if (!keep[i]) return;
    nodes.push(i);
    nodeFields.push(slice(model, n.span));
    for (const t of n.value.input ?? []) tensorsOfKept.add(t);
    for (const t of n.value.output ?? []) tensorsOfKept.add(t);
  });
  // Initializers read directly by kept nodes (like onnx's extract) or by their subgraphs.
  const initializerFields: Uint8Array[] = [];
  const initializers: string[] = [];
  for (const t of model.graph.initializers) {
    if (!usedInitializers.has(t.name) && !(tensorsOfKept.has(t.name))) continue;
    initializers.push(t.name);
    initializerFields.push(initializerBytes(model, t, opts.inlineData?.get(t.name)));
  }

  const declared = new Map<string, Uint8Array>();
  for (const list of [model.graph.valueInfo, model.graph.inputs, model.graph.outputs]) {
    for (const vi of list) {
      const name = vi.value.name ?? '';
      if (!declared.has(name)) declared.set(name, model.bytes.subarray(vi.span.valueStart, vi.span.end));
    }
  }
  const ioField = (num: number, name: string, required: boolean): Uint8Array => {
    const v = graph.values.get(name)!;
    const type = v.type ?? opts.types?.get(name);
    const declaredBody = declared.get(name);
    if (declaredBody && graph.values.get(name)?.type) return field(num, declaredBody);
    if (required && !type) {
      throw new OnnxModelError(`the type of input '${name}' is unknown (the model declares no value_info for it); it cannot become a graph input`, [name]);
    }
    return valueInfoField(num, name, type);
  };
  const inputFields = opts.inputs.map((n) => ioField(GRAPH_INPUT, n, true));
  const outputFields = opts.outputs.map((n) => ioField(GRAPH_OUTPUT, n, false));
  const ioNames = new Set([...opts.inputs, ...opts.outputs]);
  const valueInfoFields: Uint8Array[] = [];
  for (const vi of model.graph.valueInfo) {
    const name = vi.value.name ?? '';
    if (tensorsOfKept.has(name) && !ioNames.has(name)) valueInfoFields.push(slice(model, vi.span));
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
  return { bytes, nodes, initializers, inputs: [...opts.inputs], outputs: [...opts.outputs] };
}

/** The initializer's TensorProto field, with external data written inline when its bytes are given. */
function initializerBytes(model: OnnxModel, t: TensorInfo, inline: Uint8Array | undefined): Uint8Array {
  if (!inline || t.data.kind !== 'external') return slice(model, t.span);
  const fields = scanFields(model.bytes, t.span.valueStart, t.span.end, `initializer '${t.name}'`);
  const replace = new Map<FieldSpan, Uint8Array | null>();
  for (const f of fields) if (f.field === TENSOR_EXTERNAL_DATA || f.field === TENSOR_DATA_LOCATION) replace.set(f, null);
  const body = assembleMessage(model.bytes, fields, replace, [field(TENSOR_RAW_DATA, inline)]);
  return field(GRAPH_INITIALIZER, body);
}

/** Local functions called by the kept nodes, directly or through other functions (by index). */
function referencedFunctions(model: OnnxModel, nodes: number[]): Set<number> {
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

