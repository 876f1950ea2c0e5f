// Sequence and optional ops: the element type travels with the sequence; lengths are not tracked.
import { ValueType } from '../../types';
import { normAxis, OpContext } from '../context';
import { BOOL, FLOAT, INT64, tensorType } from '../facts';
import { joinTypes } from './controlFlow';
import type { OpRules } from './registry';

function elemOf(t: ValueType | undefined): ValueType | undefined {
  return t && (t.kind === 'sequence' || t.kind === 'optional') ? t.elem : undefined;
}

function sequenceEmpty(c: OpContext): void {
  c.outType(0, { kind: 'sequence', elem: tensorType(c.int('dtype', FLOAT)) });
}

function sequenceConstruct(c: OpContext): void {
  let elem = c.type(0);
  for (let i = 1; i < c.inputCount; i++) elem = joinTypes(elem, c.type(i));
  c.outType(0, { kind: 'sequence', elem });
}

function sequenceInsert(c: OpContext): void {
  const seq = c.type(0);
  const existing = elemOf(seq);
  // An empty sequence's element shape says nothing; a first insert defines it.
  c.outType(0, { kind: 'sequence', elem: existing && existing.kind === 'tensor' && !existing.shape ? c.type(1) && { ...c.type(1)!, shape: undefined } as ValueType : joinTypes(existing, c.type(1)) });
}

function sequenceAt(c: OpContext): void {
  c.outType(0, elemOf(c.type(0)));
}

function sequenceLength(c: OpContext): void {
  c.out(0, INT64, []);
}

function sameSequence(c: OpContext): void {
  c.outType(0, c.type(0));
}

function splitToSequence(c: OpContext): void {
  const s = c.shape(0);
  const et = c.elemType(0);
  if (!s) return c.outType(0, { kind: 'sequence', elem: tensorType(et) });
  const axis = normAxis(c, c.int('axis', 0), s.length);
  if (!c.hasInput(1)) {
    const keep = c.int('keepdims', 1) === 1;
    return c.outType(0, { kind: 'sequence', elem: tensorType(et, keep ? s.map((d, i) => (i === axis ? 1 : d)) : s.filter((_, i) => i !== axis)) });
  }
  const split = c.shape(1);
  const splitValue = c.numbers(1);
  const same = split && split.length === 0 ? splitValue?.[0] ?? null : splitValue && splitValue.every((x) => x === splitValue[0]) ? splitValue[0] : null;
  c.outType(0, { kind: 'sequence', elem: tensorType(et, s.map((d, i) => (i === axis ? same : d))) });
}

function concatFromSequence(c: OpContext): void {
  const e = elemOf(c.type(0));
  if (!e || e.kind !== 'tensor') return;
  if (!e.shape) return c.out(0, e.elemType, undefined);
  const newAxis = c.int('new_axis', 0) === 1;
  const rank = e.shape.length + (newAxis ? 1 : 0);
  const axis = normAxis(c, c.int('axis', 0), rank);
  const out = [...e.shape];
  if (newAxis) out.splice(axis, 0, null);
  else out[axis] = null;
  c.out(0, e.elemType, out);
}

function optional(c: OpContext): void {
  const t = c.attr('type')?.tp;
  if (c.hasInput(0)) return c.outType(0, { kind: 'optional', elem: c.type(0) });
  if (t) {
    const tt = t.tensor_type;
    if (tt) return c.outType(0, { kind: 'optional', elem: tensorType(tt.elem_type ?? 0, tt.shape ? (tt.shape.dim ?? []).map(() => null) : undefined) });
    if (t.sequence_type?.elem_type?.tensor_type) return c.outType(0, { kind: 'optional', elem: { kind: 'sequence', elem: tensorType(t.sequence_type.elem_type.tensor_type.elem_type ?? 0) } });
  }
}

function optionalHasElement(c: OpContext): void {
  c.out(0, BOOL, []);
}

function optionalGetElement(c: OpContext): void {
  const t = c.type(0);
  c.outType(0, t?.kind === 'optional' ? t.elem : t);
}

function sequenceMap(c: OpContext): void {
  const body = c.subgraph('body');
  if (!body) c.fail('the body is missing');
  const inputs = [];
  for (let i = 0; i < c.inputCount; i++) {
    const t = c.type(i);
    const e = t?.kind === 'sequence' ? t.elem : t;
    inputs.push(e ? { type: e } : undefined);
  }
  const out = c.host.inferSubgraph(body, inputs, c.env);
  out.forEach((f, k) => c.outType(k, { kind: 'sequence', elem: f?.type && f.type.kind === 'tensor' ? tensorType(f.type.elemType, f.type.shape?.map(() => null)) : undefined }));
}

export const SEQUENCE_OPS: OpRules = {
  SequenceEmpty: sequenceEmpty, SequenceConstruct: sequenceConstruct, SequenceInsert: sequenceInsert, SequenceAt: sequenceAt,
  SequenceLength: sequenceLength, SequenceErase: sameSequence, SplitToSequence: splitToSequence,
  ConcatFromSequence: concatFromSequence, Optional: optional, OptionalHasElement: optionalHasElement,
  OptionalGetElement: optionalGetElement, SequenceMap: sequenceMap,
};
