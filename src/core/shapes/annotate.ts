// Writes inferred types into a model: a value_info entry for every tensor a node produces whose type is
// known, typed graph outputs where the file declared less. Like our other edits, every byte not changed is
// copied: untouched value_info entries, nodes, initializers and top-level fields keep their exact bytes. Only
// nodes with subgraphs (If/Loop/Scan) are re-encoded, to carry their bodies' value_info.
import { initializerBytes } from '../edit';
import { GraphModel } from '../graph';
import { OnnxModel } from '../model';
import { assembleMessage } from '../modelWriter';
import { AttributeMsg, GraphMsg, NodeMsg, onnxTypes, ValueInfoMsg } from '../onnxSchema';
import { Dim, ValueType, valueTypeOf } from '../types';
import { concatBytes, FieldSpan, lengthDelimitedHeader } from '../wire';
import { sameType } from './apply';
import { ShapeInference } from './infer';

const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
const GRAPH_VALUE_INFO = 13;

/** A TypeProto (plain object) for a type we can state, or undefined (unknown element type, maps...). */
export function typeProtoOf(t: ValueType | undefined): object | undefined {
  if (!t) return undefined;
  switch (t.kind) {
    case 'tensor': {
      if (!t.elemType) return undefined;
      const tensor: Record<string, unknown> = { elem_type: t.elemType };
      if (t.shape) tensor.shape = { dim: t.shape.map(dimProto) };
      return { tensor_type: tensor };
    }
    case 'sequence': {
      const elem = typeProtoOf(t.elem);
      return elem ? { sequence_type: { elem_type: elem } } : undefined;
    }
    case 'optional': {
      const elem = typeProtoOf(t.elem);
      return elem ? { optional_type: { elem_type: elem } } : undefined;
    }
    default:
      return undefined;
  }
}

function dimProto(d: Dim): object {
  return typeof d === 'number' ? { dim_value: d } : typeof d === 'string' ? { dim_param: d } : {};
}

function field(num: number, body: Uint8Array): Uint8Array {
  return concatBytes([lengthDelimitedHeader(num, body.length), body]);
}

function valueInfoBytes(msg: ValueInfoMsg, type: object): Uint8Array {
  return onnxTypes.ValueInfoProto.encode(onnxTypes.ValueInfoProto.fromObject({ ...msg, type })).finish();
}

export interface AnnotateResult {
  bytes: Uint8Array;
  /** value_info entries written (new or updated), graph outputs typed, in the main graph and subgraphs. */
  added: number;
  updated: number;
  outputsTyped: number;
  /** Tensors produced by nodes that stay without a type (nothing known). */
  unknown: string[];
}

/**
 * The model with value_info for every inferred tensor (see the file comment). `inlineData`: bytes of external
 * initializers to write inline (for a copy written in another folder, where the external files are not).
 */
export function annotateModel(
  model: OnnxModel, graph: GraphModel, inference: ShapeInference, opts: { inlineData?: ReadonlyMap<string, Uint8Array> } = {},
): AnnotateResult {
  const result: AnnotateResult = { bytes: new Uint8Array(), added: 0, updated: 0, outputsTyped: 0, unknown: [] };
  const g = model.graph;
  const replace = new Map<FieldSpan, Uint8Array | null>();
  const append: Uint8Array[] = [];
  const byStart = new Map(g.fields.map((f) => [f.start, f]));
  const typeOf = (name: string) => inference.types.get(name);

  // Graph outputs declared with less than we know.
  for (const vi of g.outputs) {
    const name = vi.value.name ?? '';
    const ours = typeOf(name);
    const proto = typeProtoOf(ours);
    if (proto && !sameType(valueTypeOf(vi.value.type), ours)) {
      replace.set(byStart.get(vi.span.start)!, field(GRAPH_OUTPUT, valueInfoBytes(vi.value, proto)));
      result.outputsTyped++;
    }
  }
  const isIo = new Set([...g.inputs, ...g.outputs].map((v) => v.value.name ?? ''));
  for (const t of g.initializers) isIo.add(t.name);
  // Existing value_info entries: updated in place where we know more, the first one per name.
  const covered = new Set<string>();
  for (const vi of g.valueInfo) {
    const name = vi.value.name ?? '';
    if (covered.has(name)) continue;
    covered.add(name);
    const ours = typeOf(name);
    const proto = typeProtoOf(ours);
    if (proto && !isIo.has(name) && !sameType(valueTypeOf(vi.value.type), ours)) {
      replace.set(byStart.get(vi.span.start)!, field(GRAPH_VALUE_INFO, valueInfoBytes(vi.value, proto)));
      result.updated++;
    }
  }
  // Every other tensor a node produces.
  for (const i of graph.order) {
    for (const name of graph.nodes[i].outputs) {
      if (name === '' || covered.has(name) || isIo.has(name)) continue;
      covered.add(name);
      const proto = typeProtoOf(typeOf(name));
      if (!proto) {
        result.unknown.push(name);
        continue;
      }
      append.push(field(GRAPH_VALUE_INFO, valueInfoBytes({ name }, proto)));
      result.added++;
    }
  }
  for (const t of g.initializers) {
    const inline = opts.inlineData?.get(t.name);
    if (inline) replace.set(byStart.get(t.span.start)!, initializerBytes(model, t, inline));
  }
  // Nodes whose subgraphs gain value_info are re-encoded.
  g.nodes.forEach((n, i) => {
    const node = graph.nodes[i];
    if (node.subgraphs.length === 0) return;
    const msg = annotateNodeMsg(n.value, node.subgraphs.map((s) => s.graph), inference, result);
    if (msg) replace.set(byStart.get(n.span.start)!, field(GRAPH_NODE, onnxTypes.NodeProto.encode(onnxTypes.NodeProto.fromObject(msg)).finish()));
  });
  const graphBody = assembleMessage(model.bytes, g.fields, replace, append);
  const top = new Map<FieldSpan, Uint8Array | null>([[model.graphSpan, field(MODEL_GRAPH, graphBody)]]);
  result.bytes = assembleMessage(model.bytes, model.fields, top);
  return result;
}

/** A copy of the node with value_info in its subgraphs (recursively), or undefined when nothing is added. */
function annotateNodeMsg(node: NodeMsg, graphs: GraphModel[], inference: ShapeInference, result: AnnotateResult): NodeMsg | undefined {
  let k = 0;
  let changed = false;
  const attribute: AttributeMsg[] = (node.attribute ?? []).map((a) => {
    if (a.g) {
      const g = annotateGraphMsg(a.g, graphs[k++], inference, result);
      if (g) { changed = true; return { ...a, g }; }
      return a;
    }
    if (a.graphs && a.graphs.length > 0) {
      const gs = a.graphs.map((sub) => annotateGraphMsg(sub, graphs[k++], inference, result));
      if (gs.some((x) => x)) { changed = true; return { ...a, graphs: gs.map((x, j) => x ?? a.graphs![j]) }; }
    }
    return a;
  });
  return changed ? { ...node, attribute } : undefined;
}

function annotateGraphMsg(msg: GraphMsg, graph: GraphModel | undefined, inference: ShapeInference, result: AnnotateResult): GraphMsg | undefined {
  if (!graph) return undefined;
  const types = inference.subgraphTypes.get(graph);
  let changed = false;
  const declared = new Set([...(msg.input ?? []), ...(msg.output ?? []), ...(msg.value_info ?? [])].map((v) => v.name ?? ''));
  const valueInfo = [...(msg.value_info ?? [])];
  for (const n of graph.nodes) {
    for (const name of n.outputs) {
      if (name === '' || declared.has(name)) continue;
      declared.add(name);
      const proto = typeProtoOf(types?.get(name));
      if (!proto) continue;
      valueInfo.push({ name, type: proto as ValueInfoMsg['type'] });
      result.added++;
      changed = true;
    }
  }
  const node = (msg.node ?? []).map((n, i) => {
    const sub = graph.nodes[i];
    const m = sub && sub.subgraphs.length ? annotateNodeMsg(n, sub.subgraphs.map((s) => s.graph), inference, result) : undefined;
    if (m) changed = true;
    return m ?? n;
  });
  return changed ? { ...msg, node, value_info: valueInfo } : undefined;
}
