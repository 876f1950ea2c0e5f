// Attention (opset 23) and RotaryEmbedding: 4-D inputs are [batch, heads, seq, head_size]; 3-D inputs pack
// the heads into the last axis (q_num_heads / kv_num_heads say how many).
import { Dim } from '../../types';
import { OpContext } from '../context';
import { dimAdd, dimDivExact, dimMul } from '../dimExpr';
import type { OpRules } from './registry';

function attention(c: OpContext): void {
  const q = c.shape(0);
  const k = c.shape(1);
  const v = c.shape(2);
  const et = c.elemType(0);
  if (!q || !k || !v) return c.out(0, et, undefined);
  let kvHeads: Dim, kvSeq: Dim, headSize: Dim, vHead: Dim;
  if (k.length === 4) {
    [kvHeads, kvSeq, headSize] = [k[1], k[2], k[3]];
    vHead = v[3];
  } else {
    const n = c.int('kv_num_heads') ?? null;
    [kvHeads, kvSeq] = [n, k[1]];
    headSize = dimDivExact(k[2], n);
    vHead = dimDivExact(v[2], n);
  }
  const pastSeq = c.hasInput(4) ? c.shape(4)?.[2] ?? null : 0;
  const total = dimAdd(pastSeq, kvSeq);
  if (q.length === 4) c.out(0, et, [q[0], q[1], q[2], vHead]);
  else c.out(0, et, [q[0], q[1], dimMul(c.int('q_num_heads') ?? null, vHead)]);
  c.out(1, et, [q[0], kvHeads, total, headSize]);
  c.out(2, et, [q[0], kvHeads, total, vHead]);
  const qHeads = q.length === 4 ? q[1] : c.int('q_num_heads') ?? null;
  c.out(3, et, [q[0], qHeads, q.length === 4 ? q[2] : q[1], total]);
}

function sameShape(c: OpContext): void {
  c.out(0, c.elemType(0), c.shape(0));
}

export const ATTENTION_OPS: OpRules = { Attention: attention, RotaryEmbedding: sameShape };
