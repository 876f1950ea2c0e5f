// Which QuantizeLinear/DequantizeLinear nodes fold into the op they quantize (Netron-like: a Q/DQ model reads as
// its float graph, each quantized op one box with a badge, its Q/DQ nodes one click away). One linear pass.
import { isDefaultDomain, type GraphModel, type GraphNode } from '../core/graph';
import { elementTypeName } from '../core/types';

export type QuantSide = 'input' | 'weight' | 'output';

/** A Q or DQ node folded into an op, and on which side of it. */
export interface QuantMember { node: number; side: QuantSide }

const QUANTIZE_OPS = new Set(['QuantizeLinear', 'DequantizeLinear']);

export function isQuantizeOp(node: GraphNode): boolean {
  return QUANTIZE_OPS.has(node.opType) && (isDefaultDomain(node) || node.domain === 'com.microsoft');
}

const isQ = (n: GraphNode) => n.opType === 'QuantizeLinear' && isQuantizeOp(n);
export const isDequantize = (n: GraphNode) => n.opType === 'DequantizeLinear' && isQuantizeOp(n);

/**
 * Folds by op index (members in graph order). Each Q/DQ node folds into at most one op:
 * - weight side: a DequantizeLinear whose inputs are all folded weights (or the output of a QuantizeLinear of
 *   folded weights read by it alone), read by exactly one op -> that op, with its QuantizeLinear;
 * - input side: a QuantizeLinear -> DequantizeLinear pair whose DequantizeLinear output is read by one op alone
 *   (and is no graph output) -> that op;
 * - output side: an op's output read by a QuantizeLinear alone, whose output is read by one DequantizeLinear
 *   alone, the pair not taken as an input pair -> the producing op.
 * `folded` marks nodes drawn as nobody's box (Constants); `isFoldedTensor` says which tensors are weights.
 */
export function quantFolds(g: GraphModel, folded: Uint8Array, isFoldedTensor: (name: string) => boolean): Map<number, QuantMember[]> {
  const claimed = new Uint8Array(g.nodes.length);
  const folds = new Map<number, QuantMember[]>();
  /** The one node reading a node's only output (-1: none, several, or a graph output). */
  const soleReader = (node: GraphNode): number => {
    if (node.outputs.length !== 1) return -1;
    const v = g.values.get(node.outputs[0]);
    if (!v || v.isOutput || v.consumers.length !== 1) return -1;
    return v.consumers[0];
  };
  /** A box an op can fold into: shown, and no Q/DQ itself. */
  const isFoldTarget = (i: number) => i >= 0 && !folded[i] && !isQuantizeOp(g.nodes[i]);
  const producerOf = (name: string | undefined): number => (name ? g.values.get(name)?.producer ?? -1 : -1);
  const add = (op: number, node: number, side: QuantSide) => {
    claimed[node] = 1;
    let list = folds.get(op);
    if (!list) folds.set(op, (list = []));
    list.push({ node, side });
  };
  /** Whether inputs from `from` on are all weights (or omitted). */
  const weightsFrom = (n: GraphNode, from: number): boolean => {
    for (let k = from; k < n.inputs.length; k++) if (n.inputs[k] !== '' && !isFoldedTensor(n.inputs[k])) return false;
    return true;
  };

  for (const i of g.order) {
    const dq = g.nodes[i];
    if (folded[i] || !isDequantize(dq)) continue;
    const reader = soleReader(dq);
    if (!isFoldTarget(reader)) continue;
    const p = producerOf(dq.inputs[0]);
    const q = p >= 0 && isQ(g.nodes[p]) && !claimed[p] && soleReader(g.nodes[p]) === i ? p : -1;
    if (weightsFrom(dq, 1) && (isFoldedTensor(dq.inputs[0]) || (q >= 0 && g.nodes[q].inputs[0] !== '' && weightsFrom(g.nodes[q], 0)))) {
      if (q >= 0) add(reader, q, 'weight');
      add(reader, i, 'weight');
    } else if (q >= 0) {
      add(reader, q, 'input');
      add(reader, i, 'input');
    }
  }
  for (const i of g.order) {
    const q = g.nodes[i];
    if (folded[i] || claimed[i] || !isQ(q)) continue;
    const d = soleReader(q);
    if (d < 0 || claimed[d] || !isDequantize(g.nodes[d]) || g.nodes[d].inputs[0] !== q.outputs[0]) continue;
    const v = g.values.get(q.inputs[0]);
    if (!v || v.isOutput || v.consumers.length !== 1 || !isFoldTarget(v.producer)) continue;
    add(v.producer, i, 'output');
    add(v.producer, d, 'output');
  }
  // Output pairs were added after the rest: put every list in graph order.
  const position = new Int32Array(g.nodes.length);
  g.order.forEach((n, k) => { position[n] = k; });
  for (const list of folds.values()) if (list.length > 2) list.sort((a, b) => position[a.node] - position[b.node]);
  return folds;
}

/** Element type of a tensor (`int8`), if known. */
function elementOf(g: GraphModel, name: string | undefined): string | undefined {
  const t = name ? g.values.get(name)?.type : undefined;
  return t && (t.kind === 'tensor' || t.kind === 'sparse_tensor') ? elementTypeName(t.elemType) : undefined;
}

/** The quantized element type a Q/DQ node works with: the DQ's input (weights: the initializer), the Q's output,
 *  else the zero point's type. */
export function quantizedType(g: GraphModel, node: GraphNode): string | undefined {
  const own = node.opType === 'DequantizeLinear' ? node.inputs[0] : node.outputs[0];
  return elementOf(g, own) ?? elementOf(g, node.inputs[2]);
}

/** Whether a node's scale is per channel (or per block): a shape with more than one element. */
export function isPerChannel(g: GraphModel, node: GraphNode): boolean {
  const t = g.values.get(node.inputs[1] ?? '')?.type;
  if (!t || t.kind !== 'tensor' || !t.shape) return false;
  return t.shape.some((d) => typeof d === 'number' && d > 1);
}

/** Short badge names: the float8 variants read as `fp8`. */
function badgeName(type: string): string {
  if (type.startsWith('float8')) return 'fp8';
  if (type.startsWith('float4')) return 'fp4';
  return type;
}

/** A fold's badge: its quantized types (`int8`, `uint8/int8` when activations and weights differ; `QDQ` when
 *  unknown) and whether any scale is per channel. */
export function quantBadge(g: GraphModel, members: readonly QuantMember[]): { badge: string; perChannel: boolean } {
  const types: string[] = [];
  let perChannel = false;
  for (const m of members) {
    const node = g.nodes[m.node];
    const t = quantizedType(g, node);
    if (t !== undefined && !types.includes(badgeName(t))) types.push(badgeName(t));
    if (isPerChannel(g, node)) perChannel = true;
  }
  // An int32 bias goes with int8 or uint8 weights and activations: it says nothing more.
  const told = types.length > 1 ? types.filter((t) => t !== 'int32') : types;
  return { badge: told.length ? told.join('/') : 'QDQ', perChannel };
}
