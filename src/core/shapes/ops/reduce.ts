// Reductions (Reduce*, ArgMax/ArgMin) and the ops that pick along an axis (TopK).
import { Dim } from '../../types';
import { normAxis, OpContext } from '../context';
import { dimMul } from '../dimExpr';
import { INT64 } from '../facts';
import type { OpRules } from './registry';
import { axesOf } from './shapeOps';

/** The opset from which each reduction takes its axes as an input rather than an attribute. */
const AXES_INPUT_SINCE: Record<string, number> = {
  ReduceSum: 13, ReduceMean: 18, ReduceMax: 18, ReduceMin: 18, ReduceProd: 18, ReduceL1: 18, ReduceL2: 18,
  ReduceLogSum: 18, ReduceLogSumExp: 18, ReduceSumSquare: 18,
};

function reduce(op: string) {
  return (c: OpContext): void => {
    const s = c.shape(0);
    const et = c.elemType(0);
    const keep = c.int('keepdims', 1) === 1;
    const axes = axesOf(c, AXES_INPUT_SINCE[op], 1);
    if (!s) return c.out(0, et, undefined);
    if (axes === undefined) return c.out(0, et, keep ? s.map(() => null) : undefined);
    let set: Set<number>;
    if (axes === null || axes.length === 0) {
      if (axes !== null || c.int('noop_with_empty_axes', 0) === 1) {
        if (c.int('noop_with_empty_axes', 0) === 1) return c.out(0, et, s, c.value(0));
      }
      set = new Set(s.map((_, i) => i));
    } else set = new Set(axes.map((a) => normAxis(c, a, s.length)));
    const out: Dim[] = [];
    s.forEach((d, i) => {
      if (!set.has(i)) out.push(d);
      else if (keep) out.push(1);
    });
    let value: Dim[] | undefined;
    const v = c.value(0);
    if (v && s.length === 1 && set.has(0) && (op === 'ReduceProd' || op === 'ReduceMax' || op === 'ReduceMin' || op === 'ReduceSum')) {
      let acc: Dim = op === 'ReduceProd' ? 1 : op === 'ReduceSum' ? 0 : v[0];
      for (const x of v) {
        if (acc === null) break;
        if (op === 'ReduceProd') acc = dimMul(acc, x);
        else if (typeof acc === 'number' && typeof x === 'number') acc = op === 'ReduceSum' ? acc + x : op === 'ReduceMax' ? Math.max(acc, x) : Math.min(acc, x);
        else acc = null;
      }
      if (acc !== null) value = [acc];
    }
    c.out(0, et, out, value);
  };
}

function argReduce(c: OpContext): void {
  const s = c.shape(0);
  if (!s) return c.out(0, INT64, undefined);
  const axis = normAxis(c, c.int('axis', 0), s.length);
  const keep = c.int('keepdims', 1) === 1;
  const out = keep ? s.map((d, i) => (i === axis ? 1 : d)) : s.filter((_, i) => i !== axis);
  c.out(0, INT64, out);
}

function topK(c: OpContext): void {
  const s = c.shape(0);
  const et = c.elemType(0);
  if (!s) {
    c.out(0, et, undefined);
    return c.out(1, INT64, undefined);
  }
  const axis = normAxis(c, c.int('axis', -1), s.length);
  const k = c.opset >= 10 ? c.value(1)?.[0] ?? null : c.int('k', 0);
  if (typeof k === 'number' && typeof s[axis] === 'number' && k > s[axis]!) c.fail(`k = ${k} is larger than the axis (${s[axis]})`);
  const out = s.map((d, i) => (i === axis ? k : d));
  c.out(0, et, out);
  c.out(1, INT64, out);
}

export const REDUCE_OPS: OpRules = { ArgMax: argReduce, ArgMin: argReduce, TopK: topK };
for (const op of Object.keys(AXES_INPUT_SINCE)) REDUCE_OPS[op] = reduce(op);
