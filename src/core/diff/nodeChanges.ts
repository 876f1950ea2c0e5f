// What changed between two matched nodes: op, name, attributes, inputs (by what they read, so a tensor renamed
// along with its producer is no change), outputs, and the initializers they read (dtype, dims, values).
import type { GraphModel, GraphNode, InitializerRef } from '../graph';
import type { OnnxModel } from '../model';
import { TextPrinter } from '../textPrinter';
import { tensorDigest } from '../textTensor';
import { Sha256 } from '../textDigest';
import { elementTypeName } from '../types';

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

/** Where an initializer's values are: byte ranges of its model file, or a text naming them (external, nested). */
type ValueSource = { bytes: Uint8Array; ranges: [number, number][] } | string;

function valueSource(side: DiffSide, init: InitializerRef): ValueSource {
  if (init.msg) return tensorDigest(init.msg);
  const d = init.info?.data;
  if (!d) return '';
  switch (d.kind) {
    case 'raw': return { bytes: side.model.bytes, ranges: [[d.start, d.end]] };
    case 'typed': return { bytes: side.model.bytes, ranges: d.spans.map((r) => [r.start, r.end]) };
    case 'external': return `external ${d.location} @${d.offset}${d.length !== undefined ? `+${d.length}` : ''}`;
    case 'none': return '';
  }
}

/** Byte ranges compared in place (no copies: a 50,000-node model has as many ranges). */
function sameRange(x: Uint8Array, xs: number, xe: number, y: Uint8Array, ys: number, ye: number): boolean {
  const n = xe - xs;
  if (n !== ye - ys) return false;
  for (let i = 0; i < n; i++) if (x[xs + i] !== y[ys + i]) return false;
  return true;
}

function sameValues(x: ValueSource, y: ValueSource): boolean {
  if (typeof x === 'string' || typeof y === 'string') return x === y;
  if (x.ranges.length !== y.ranges.length) return false;
  return x.ranges.every(([xs, xe], i) => sameRange(x.bytes, xs, xe, y.bytes, y.ranges[i][0], y.ranges[i][1]));
}

function describeValues(v: ValueSource): string {
  if (typeof v === 'string') return v.startsWith('external') ? v : v === '' ? 'no values' : `sha256:${v.slice(0, 12)}`;
  const h = new Sha256();
  for (const [start, end] of v.ranges) h.update(v.bytes.subarray(start, end));
  return `sha256:${h.hex().slice(0, 12)}`;
}

function initText(init: InitializerRef): string {
  return `${elementTypeName(init.dataType)}[${init.dims.join(',')}]`;
}

/**
 * Compares the initializers two matched nodes read, by position; each pair of initializers once per diff (a
 * weight shared by many nodes is compared once).
 */
export class InitializerComparer {
  private readonly cache = new Map<string, { before: string; after: string } | null>();

  constructor(private readonly a: DiffSide, private readonly b: DiffSide) {}

  private pair(nameA: string, ia: InitializerRef, nameB: string, ib: InitializerRef): { before: string; after: string } | null {
    const key = `${nameA}\u0000${nameB}`;
    let r = this.cache.get(key);
    if (r !== undefined) return r;
    const shapeA = initText(ia), shapeB = initText(ib);
    if (shapeA !== shapeB) r = { before: shapeA, after: shapeB };
    else {
      const va = valueSource(this.a, ia), vb = valueSource(this.b, ib);
      r = sameValues(va, vb) ? null : { before: `${shapeA} ${describeValues(va)}`, after: `${shapeB} ${describeValues(vb)}` };
    }
    this.cache.set(key, r);
    return r;
  }

  changes(na: GraphNode, nb: GraphNode): NodeChange[] {
    const out: NodeChange[] = [];
    const n = Math.min(na.inputs.length, nb.inputs.length);
    for (let k = 0; k < n; k++) {
      const ia = this.a.graph.values.get(na.inputs[k])?.initializer;
      if (!ia) continue;
      const ib = this.b.graph.values.get(nb.inputs[k])?.initializer;
      if (!ib) continue;
      const r = this.pair(na.inputs[k], ia, nb.inputs[k], ib);
      if (r) out.push({ kind: 'initializer', key: `${nb.inputs[k]} (input ${k})`, ...r });
    }
    return out;
  }
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
  if (!sa || !sb) return false;
  return sameRange(a.model.bytes, sa.start, sa.end, b.model.bytes, sb.start, sb.end);
}

/**
 * Differences between A's node `ia` and B's node `ib`; `tensorInA` names B's tensors as A does (matching).
 * Nodes stored as the same bytes differ only by the initializers they read.
 */
export function nodeChanges(a: DiffSide, ia: number, b: DiffSide, ib: number, tensorInA: (name: string) => string | undefined, inits: InitializerComparer): NodeChange[] {
  const na = a.graph.nodes[ia], nb = b.graph.nodes[ib];
  const initChanges = inits.changes(na, nb);
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
