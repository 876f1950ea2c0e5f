// What changed between two matched nodes: op, name, attributes, inputs (by what they read, so a tensor renamed
// along with its producer is no change), outputs, and the initializers they read (dtype, dims, values).
import type { GraphModel, GraphNode, InitializerRef } from '../graph';
import type { OnnxModel } from '../model';
import { TextPrinter } from '../textPrinter';
import { tensorDigest } from '../textTensor';
import { Sha256 } from '../textDigest';
import { elementTypeName } from '../types';
import { concatBytes } from '../wire';

export type ChangeKind = 'op' | 'name' | 'attribute' | 'input' | 'output' | 'initializer';

export interface NodeChange {
  kind: ChangeKind;
  /** The attribute name, the input's or output's position, `W (input 1)` for an initializer, or the kind (op, name). */
  key: string;
  /** As the text form prints it; '' when absent on that side. */
  before: string;
  after: string;
}

/** One side of a diff: its model (bytes of initializers) and graph. */
export interface DiffSide { model: OnnxModel; graph: GraphModel }

const printer = new TextPrinter({ maxElements: 16 });

function opText(n: GraphNode): string {
  return n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
}

/** The bytes that hold an initializer's values (for equality), or a text naming where they are (external). */
function valueBytes(side: DiffSide, init: InitializerRef): Uint8Array | string {
  if (init.msg) return tensorDigest(init.msg);
  const info = init.info;
  if (!info) return '';
  const d = info.data;
  switch (d.kind) {
    case 'raw': return side.model.bytes.subarray(d.start, d.end);
    case 'typed': return concatBytes(d.spans.map((s) => side.model.bytes.subarray(s.start, s.end)));
    case 'external': return `external ${d.location} @${d.offset}${d.length !== undefined ? `+${d.length}` : ''}`;
    case 'none': return '';
  }
}

function sameValues(x: Uint8Array | string, y: Uint8Array | string): boolean {
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function describeValues(v: Uint8Array | string): string {
  if (typeof v === 'string') return v.startsWith('external') ? v : v === '' ? 'no values' : `sha256:${v.slice(0, 12)}`;
  return `sha256:${new Sha256().update(v).hex().slice(0, 12)}`;
}

function initText(init: InitializerRef): string {
  return `${elementTypeName(init.dataType)}[${init.dims.join(',')}]`;
}

/** Initializer differences for the inputs both nodes read from initializers, by position. */
function initializerChanges(a: DiffSide, na: GraphNode, b: DiffSide, nb: GraphNode): NodeChange[] {
  const out: NodeChange[] = [];
  const n = Math.min(na.inputs.length, nb.inputs.length);
  for (let k = 0; k < n; k++) {
    const ia = a.graph.values.get(na.inputs[k])?.initializer;
    const ib = b.graph.values.get(nb.inputs[k])?.initializer;
    if (!ia || !ib) continue;
    const key = `${nb.inputs[k]} (input ${k})`;
    const shapeA = initText(ia), shapeB = initText(ib);
    if (shapeA !== shapeB) {
      out.push({ kind: 'initializer', key, before: shapeA, after: shapeB });
      continue;
    }
    const va = valueBytes(a, ia), vb = valueBytes(b, ib);
    if (!sameValues(va, vb)) out.push({ kind: 'initializer', key, before: `${shapeA} ${describeValues(va)}`, after: `${shapeB} ${describeValues(vb)}` });
  }
  return out;
}

/** Each attribute's type and value as the text form prints them (`ints = [3, 3]`), by name. */
function attributeTexts(n: GraphNode): Map<string, string> {
  return new Map(n.attributes.map((x) => {
    const name = x.name ?? '';
    return [name, printer.attribute(x, 0).text.slice(name.length + 2)];
  }));
}

function sameBytes(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const sa = a.model.graph.nodes[ia]?.span, sb = b.model.graph.nodes[ib]?.span;
  if (!sa || !sb || a.model.graph.nodes.length !== a.graph.nodes.length) return false;
  return sameValues(a.model.bytes.subarray(sa.start, sa.end), b.model.bytes.subarray(sb.start, sb.end));
}

/**
 * Differences between A's node `ia` and B's node `ib`; `tensorInA` names B's tensors as A does (matching).
 * Nodes stored as the same bytes differ only by the initializers they read.
 */
export function nodeChanges(a: DiffSide, ia: number, b: DiffSide, ib: number, tensorInA: (name: string) => string | undefined): NodeChange[] {
  const na = a.graph.nodes[ia], nb = b.graph.nodes[ib];
  const initChanges = initializerChanges(a, na, b, nb);
  if (sameBytes(a, ia, b, ib)) return initChanges;
  const out: NodeChange[] = [];
  if (opText(na) !== opText(nb) || na.overload !== nb.overload) out.push({ kind: 'op', key: 'op', before: opText(na), after: opText(nb) });
  if (na.name !== nb.name) out.push({ kind: 'name', key: 'name', before: na.name, after: nb.name });
  const attrsA = attributeTexts(na), attrsB = attributeTexts(nb);
  for (const [name, textB] of attrsB) {
    const textA = attrsA.get(name);
    if (textA !== textB) out.push({ kind: 'attribute', key: name, before: textA ?? '', after: textB });
  }
  for (const [name, textA] of attrsA) if (!attrsB.has(name)) out.push({ kind: 'attribute', key: name, before: textA, after: '' });
  for (let k = 0; k < Math.max(na.inputs.length, nb.inputs.length); k++) {
    const before = na.inputs[k], after = nb.inputs[k];
    if (after === undefined || before === undefined || tensorInA(after) !== before) {
      out.push({ kind: 'input', key: String(k), before: before ?? '', after: after ?? '' });
    }
  }
  for (let k = 0; k < Math.max(na.outputs.length, nb.outputs.length); k++) {
    if (na.outputs[k] !== nb.outputs[k]) out.push({ kind: 'output', key: String(k), before: na.outputs[k] ?? '', after: nb.outputs[k] ?? '' });
  }
  return [...out, ...initChanges];
}
