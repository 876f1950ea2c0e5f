// Prints a model in ONNX's textual syntax: the form onnx.printer.to_text prints and onnx.parser.parse_model
// reads (onnx docs/Syntax.md). Layout mirrors onnx's C++ printer (onnx/defs/printer.cc) so texts can be
// compared; the one addition is elision of large tensors, which the parser cannot read back (see PrintOptions).
import {
  AttributeMsg, FunctionMsg, GraphMsg, int64ToString, ModelMsg, NodeMsg, onnxTypes, OperatorSetId,
  StringStringEntry, TensorMsg, TensorShape, TypeMsg, ValueInfoMsg,
} from './onnxSchema';
import { OnnxModel } from './model';
import { elementTypeName } from './types';
import { formatFloat, rawElementCount, rawElements } from './textNumbers';
import { tensorDigest } from './textTensor';
import { utf8Decode } from './wire';

export interface PrintOptions {
  /**
   * Tensors (initializers and tensor attributes) storing more values than this print `...` with a comment
   * giving the count and a SHA-256 of the values, instead of the values. onnx.parser cannot read `...`, so
   * text meant to be parsed back needs Infinity. Default 16.
   */
  maxElements?: number;
  /** Whether elision comments carry a SHA-256 of the values (hashes every elided tensor). Default true. */
  digests?: boolean;
  /**
   * Lines longer than this are split: a node's attributes and inputs, and the initializer list, one per line
   * (the syntax ignores line breaks, so the text still parses). For diffs, where one long line per node hides
   * the changed token off-screen. Default Infinity (onnx's layout).
   */
  lineWidth?: number;
}

const ATTRIBUTE_TYPE_NAMES: Record<number, string> = {
  0: 'undefined', 1: 'float', 2: 'int', 3: 'string', 4: 'tensor', 5: 'graph', 6: 'floats', 7: 'ints', 8: 'strings',
  9: 'tensors', 10: 'graphs', 11: 'sparse_tensor', 12: 'sparse_tensors', 13: 'type_proto', 14: 'type_protos',
};

/** A printed piece and the comment to put at the end of its line (elided values). */
interface Piece { text: string; comment?: string }

const ID_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Protobuf presence: decoded protobufjs messages own only the fields that were on the wire. */
function has<T extends object>(msg: T, key: keyof T): boolean {
  return Object.prototype.hasOwnProperty.call(msg, key) && msg[key] !== undefined && msg[key] !== null;
}

export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A name as onnx prints it: bare when it is a C identifier, else quoted (`"/features/Conv_output_0"`). */
export function printId(s: string): string {
  return ID_RE.test(s) ? s : quote(s);
}

const bytesText = (b: Uint8Array | string | undefined): string => (typeof b === 'string' ? b : b ? utf8Decode(b, 0, b.length) : '');

function joinPieces(open: string, sep: string, close: string, pieces: Piece[], indent: number, width = Infinity): string {
  const line = open + pieces.map((p) => p.text).join(sep) + close;
  if (!pieces.some((p) => p.comment) && (indent + line.length <= width || pieces.length === 0)) return line;
  // A `#` comment runs to the end of the line, so each commented piece ends its line.
  const pad = ' '.repeat(indent + 3);
  const lines = pieces.map((p, i) => `${pad}${p.text}${i < pieces.length - 1 ? sep.trimEnd() : ''}${p.comment ? `  # ${p.comment}` : ''}`);
  return `${open.trimEnd()}\n${lines.join('\n')}\n${' '.repeat(indent)}${close.trimStart()}`;
}

export class TextPrinter {
  private readonly maxElements: number;
  private readonly digests: boolean;
  private readonly width: number;

  constructor(options: PrintOptions = {}) {
    this.maxElements = options.maxElements ?? 16;
    this.digests = options.digests ?? true;
    this.width = options.lineWidth ?? Infinity;
  }

  dims(shape: TensorShape): string {
    return `[${(shape.dim ?? []).map((d) => {
      if (has(d, 'dim_value')) return int64ToString(d.dim_value);
      if (has(d, 'dim_param')) return printId(d.dim_param ?? '');
      return '?';
    }).join(',')}]`;
  }

  private shaped(name: string, t: { elem_type?: number; shape?: TensorShape }): string {
    const shape = has(t, 'shape') ? ((t.shape?.dim?.length ?? 0) > 0 ? this.dims(t.shape as TensorShape) : '') : '[]';
    return `${name}${shape}`;
  }

  type(t: TypeMsg | undefined): string {
    if (!t) return '';
    if (t.tensor_type) return this.shaped(elementTypeName(t.tensor_type.elem_type), t.tensor_type);
    if (t.sequence_type) return `seq(${this.type(t.sequence_type.elem_type)})`;
    if (t.map_type) return `map(${elementTypeName(t.map_type.key_type)}, ${this.type(t.map_type.value_type)})`;
    if (t.optional_type) return `optional(${this.type(t.optional_type.elem_type)})`;
    if (t.sparse_tensor_type) return `sparse_tensor(${this.shaped(elementTypeName(t.sparse_tensor_type.elem_type), t.sparse_tensor_type)})`;
    if (t.opaque_type) {
      const { domain, name } = t.opaque_type;
      return `opaque(${domain ? `${domain},` : ''}${name ?? ''})`;
    }
    return '';
  }

  valueInfo(v: ValueInfoMsg): string {
    return `${this.type(v.type)} ${printId(v.name ?? '')}`;
  }

  /** `float[2,3] name {1,2,...}`; initializers put ` = ` between the declaration and the values. */
  tensor(t: TensorMsg, isInitializer = false): Piece {
    const dt = t.data_type ?? 0;
    let head = elementTypeName(dt);
    if (t.dims && t.dims.length > 0) head += `[${t.dims.map((d) => int64ToString(d)).join(',')}]`;
    if (t.name) head += ` ${printId(t.name)}`;
    if (isInitializer) head += ' = ';
    if (t.data_location === 1) {
      return { text: `${head}[${(t.external_data ?? []).map((e) => this.entry(e)).join(', ')}]` };
    }
    const count = storedCount(t);
    if (count !== undefined && count > this.maxElements) {
      const digest = this.digests ? `, sha256:${tensorDigest(t)}` : '';
      return { text: `${head}${isInitializer ? '' : ' '}...`, comment: `${count} values elided${digest}` };
    }
    return { text: head + tensorValues(t) };
  }

  private entry(e: StringStringEntry): string {
    return `${quote(e.key ?? '')}: ${quote(e.value ?? '')}`;
  }

  attribute(a: AttributeMsg, indent: number): Piece {
    const head = `${a.name ?? ''}: ${ATTRIBUTE_TYPE_NAMES[a.type ?? 0] ?? 'undefined'} = `;
    if (has(a, 'ref_attr_name')) return { text: `${head}@${a.ref_attr_name}` };
    const list = <T>(xs: T[] | undefined, f: (x: T) => string) => `[${(xs ?? []).map(f).join(', ')}]`;
    switch (a.type) {
      case 1: return { text: head + formatFloat(a.f ?? 0) };
      case 2: return { text: head + int64ToString(a.i) };
      case 3: return { text: head + quote(bytesText(a.s)) };
      case 4: return this.prefixed(head, [this.tensor(a.t ?? {})], '', '');
      case 5: return { text: head + this.graph(a.g ?? {}, indent + 3) };
      case 6: return { text: head + list(a.floats, (x) => formatFloat(x)) };
      case 7: return { text: head + list(a.ints, (x) => int64ToString(x)) };
      case 8: return { text: head + list(a.strings, (x) => quote(bytesText(x))) };
      case 9: return this.prefixed(head, (a.tensors ?? []).map((t) => this.tensor(t)), '[', ']');
      case 10: return { text: head + list(a.graphs, (g) => this.graph(g, indent + 3)) };
      case 13: return { text: head + this.type(a.tp) };
      case 14: return { text: head + list(a.type_protos, (t) => this.type(t)) };
      default: return { text: head };
    }
  }

  private prefixed(head: string, pieces: Piece[], open: string, close: string): Piece {
    const comments = pieces.map((p) => p.comment).filter((c) => c);
    return { text: head + open + pieces.map((p) => p.text).join(', ') + close, comment: comments.length ? comments.join('; ') : undefined };
  }

  node(n: NodeMsg, indent: number): string {
    let s = ' '.repeat(indent);
    if (has(n, 'name')) s += `[${printId(n.name ?? '')}] `;
    s += `${(n.output ?? []).map(printId).join(', ')} = `;
    if (n.domain) s += `${n.domain}.`;
    s += n.op_type ?? '';
    if (n.overload) s += `:${n.overload}`;
    const attrs = n.attribute ?? [];
    const subgraph = attrs.some((a) => has(a, 'g') || (a.graphs?.length ?? 0) > 0);
    const attrPieces = attrs.map((a) => this.attribute(a, indent));
    const attrText = attrs.length > 0 ? joinPieces(' <', ', ', '>', attrPieces, indent) : '';
    const inputs = ` (${(n.input ?? []).map(printId).join(', ')})`;
    const line = s + (subgraph ? inputs + attrText : attrText + inputs);
    if (subgraph || line.length <= this.width || line.includes('\n')) return line;
    // Too long for one line: each attribute and each input on its own line, the changed one then in view.
    const split = attrs.length > 0 ? joinPieces(' <', ', ', '>', attrPieces, indent, 0) : '';
    const inputPieces = (n.input ?? []).map((x) => ({ text: printId(x) }));
    return s + split + (inputPieces.length > 0 ? joinPieces(' (', ', ', ')', inputPieces, indent, 0) : ' ()');
  }

  /** `{` node lines `}`, the closing brace indented one level less than the nodes. */
  nodes(ns: NodeMsg[], indent: number): string {
    const close = indent > 3 ? ' '.repeat(indent - 3) : '';
    return `{\n${ns.map((n) => `${this.node(n, indent)}\n`).join('')}${close}}`;
  }

  graph(g: GraphMsg, indent = 3, initializers?: Piece[]): string {
    let s = `${printId(g.name ?? '')} (${(g.input ?? []).map((v) => this.valueInfo(v)).join(', ')}) => (${(g.output ?? []).map((v) => this.valueInfo(v)).join(', ')}) `;
    const inits = initializers ?? (g.initializer ?? []).map((t) => this.tensor(t, true));
    const decls = [...inits, ...(g.value_info ?? []).map((v) => ({ text: this.valueInfo(v) }))];
    if (decls.length > 0) s += `\n${' '.repeat(indent)}${joinPieces('<', ', ', '>', decls, indent, this.width)}\n`;
    return s + this.nodes(g.node ?? [], indent);
  }

  function(f: FunctionMsg): string {
    let s = `<\n  domain: ${quote(f.domain ?? '')},\n`;
    if (f.overload) s += `  overload: ${quote(f.overload)},\n`;
    s += `  opset_import: [${(f.opset_import ?? []).map(opset).join(',')}]\n>\n`;
    s += `${printId(f.name ?? '')} `;
    if ((f.attribute ?? []).length > 0) s += `<${(f.attribute ?? []).join(',')}>`;
    s += `(${(f.input ?? []).map(printId).join(', ')}) => (${(f.output ?? []).map(printId).join(', ')})\n`;
    return s + this.nodes(f.node ?? [], 3);
  }

  model(m: ModelMsg, present: (field: keyof ModelMsg) => boolean, initializers?: Piece[]): string {
    const kv: string[] = [`ir_version: ${int64ToString(m.ir_version)}`, `opset_import: [${(m.opset_import ?? []).map(opset).join(', ')}]`];
    for (const k of ['producer_name', 'producer_version', 'domain'] as const) if (present(k)) kv.push(`${k}: ${quote(m[k] ?? '')}`);
    if (present('model_version')) kv.push(`model_version: ${int64ToString(m.model_version)}`);
    if (present('doc_string')) kv.push(`doc_string: ${quote(m.doc_string ?? '')}`);
    if ((m.metadata_props ?? []).length > 0) kv.push(`metadata_props: [${(m.metadata_props ?? []).map((e) => this.entry(e)).join(', ')}]`);
    let s = `<\n${kv.map((l) => `   ${l}`).join(',\n')}\n>\n${this.graph(m.graph ?? {}, 3, initializers)}`;
    for (const f of m.functions ?? []) s += `\n${this.function(f)}`;
    return s;
  }
}

function opset(o: OperatorSetId): string {
  return `${quote(o.domain ?? '')} : ${int64ToString(o.version)}`;
}

/** Values actually stored (onnx prints what is stored, whatever dims say); undefined when not printable. */
function storedCount(t: TensorMsg): number | undefined {
  const dt = t.data_type ?? 0;
  if (has(t, 'raw_data')) return rawElementCount(dt, t.raw_data as Uint8Array);
  const typed = typedValues(t);
  return typed?.length;
}

/** The typed field onnx's printer reads for each element type (printer.cc), or undefined (`...`). */
function typedValues(t: TensorMsg): unknown[] | undefined {
  switch (t.data_type ?? 0) {
    case 1: return t.float_data ?? [];
    case 11: return t.double_data ?? [];
    case 7: return t.int64_data ?? [];
    case 12: case 13: return t.uint64_data ?? [];
    case 8: return t.string_data ?? [];
    case 2: case 3: case 4: case 5: case 6: case 9: case 10: case 16: case 17: case 18: case 19: case 20: case 24:
      return t.int32_data ?? [];
    default: return undefined;
  }
}

function tensorValues(t: TensorMsg): string {
  const dt = t.data_type ?? 0;
  if (has(t, 'raw_data')) {
    const xs = rawElements(dt, t.raw_data as Uint8Array);
    return xs ? ` {${xs.join(',')}}` : '...';
  }
  const xs = typedValues(t);
  if (!xs) return '...';
  if (dt === 8) return `{${(xs as Uint8Array[]).map((b) => quote(bytesText(b))).join(', ')}}`;
  if (dt === 1) return ` {${(xs as number[]).map((x) => formatFloat(x)).join(',')}}`;
  if (dt === 11) return ` {${(xs as number[]).map((x) => formatFloat(x, false)).join(',')}}`;
  if (dt === 13 || dt === 12) return ` {${(xs as Parameters<typeof int64ToString>[0][]).map(uint64ToString).join(',')}}`;
  return ` {${(xs as Parameters<typeof int64ToString>[0][]).map((x) => int64ToString(x)).join(',')}}`;
}

function uint64ToString(v: Parameters<typeof int64ToString>[0]): string {
  const s = int64ToString(v);
  return s.startsWith('-') ? (BigInt(s) + (1n << 64n)).toString() : s;
}

function isOnnxModel(m: OnnxModel | ModelMsg): m is OnnxModel {
  return (m as OnnxModel).bytes instanceof Uint8Array && Array.isArray((m as OnnxModel).graph?.nodes);
}

/** Initializers of a readModel() model, decoded one by one from their bytes (raw_data stays a view). */
function onnxModelInitializers(m: OnnxModel, p: TextPrinter): Piece[] {
  const spans = m.graph.fields.filter((f) => f.field === 5);
  return spans.map((f) => p.tensor(onnxTypes.TensorProto.decode(m.bytes.subarray(f.valueStart, f.end)) as unknown as TensorMsg, true));
}

const MODEL_FIELD_NUMBERS: Partial<Record<keyof ModelMsg, number>> = {
  producer_name: 2, producer_version: 3, domain: 4, model_version: 5, doc_string: 6,
};

/** The whole model in ONNX's text syntax. With `maxElements: Infinity` the text parses back with onnx.parser. */
export function printModel(model: OnnxModel | ModelMsg, options?: PrintOptions): string {
  const p = new TextPrinter(options);
  if (!isOnnxModel(model)) return p.model(model, (k) => has(model, k));
  const g = model.graph;
  const msg: ModelMsg = {
    ir_version: model.irVersion, opset_import: model.opsets, producer_name: model.producerName,
    producer_version: model.producerVersion, domain: model.domain, model_version: model.modelVersion,
    doc_string: model.docString, metadata_props: model.metadata,
    graph: {
      name: g.name, node: g.nodes.map((n) => n.value), input: g.inputs.map((v) => v.value),
      output: g.outputs.map((v) => v.value), value_info: g.valueInfo.map((v) => v.value),
    },
    functions: model.functions.map((f) => f.value),
  };
  const present = (k: keyof ModelMsg) => model.fields.some((f) => f.field === MODEL_FIELD_NUMBERS[k]);
  return p.model(msg, present, onnxModelInitializers(model, p));
}

/** One graph (e.g. a subgraph attribute) in the text syntax, as it appears inside a model. */
export function printGraph(graph: GraphMsg, options?: PrintOptions): string {
  return new TextPrinter(options).graph(graph);
}

export function printNode(node: NodeMsg, options?: PrintOptions): string {
  return new TextPrinter(options).node(node, 0);
}
