// Control flow: If (both branches inferred; outputs are what the branches agree on), Loop and Scan (bodies
// inferred with the carried and sliced inputs; scan outputs gain the iteration axis).
import { Dim, ValueType } from '../../types';
import { normAxis, OpContext } from '../context';
import { BOOL, Fact, INT64, tensorType } from '../facts';
import type { OpRules } from './registry';

/** What two possible values have in common: equal dims kept, differing ones unknown. */
export function joinTypes(a: ValueType | undefined, b: ValueType | undefined): ValueType | undefined {
  if (!a || !b) return undefined;
  if (a.kind === 'tensor' && b.kind === 'tensor') {
    const elemType = a.elemType === b.elemType ? a.elemType : 0;
    if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return tensorType(elemType);
    return tensorType(elemType, a.shape.map((d, i) => (d === b.shape![i] ? d : null)));
  }
  if ((a.kind === 'sequence' && b.kind === 'sequence') || (a.kind === 'optional' && b.kind === 'optional')) {
    return { kind: a.kind, elem: joinTypes(a.elem, b.elem) };
  }
  return JSON.stringify(a) === JSON.stringify(b) ? a : undefined;
}

function ifOp(c: OpContext): void {
  const thenG = c.subgraph('then_branch');
  const elseG = c.subgraph('else_branch');
  if (!thenG || !elseG) c.fail('a branch is missing');
  const cond = c.value(0)?.[0];
  const thenOut = c.host.inferSubgraph(thenG, [], c.env);
  const elseOut = c.host.inferSubgraph(elseG, [], c.env);
  if (thenOut.length !== elseOut.length) c.fail(`the branches have ${thenOut.length} and ${elseOut.length} outputs`);
  for (let k = 0; k < thenOut.length; k++) {
    if (typeof cond === 'number') c.outFact(k, cond ? thenOut[k] : elseOut[k]);
    else c.outType(k, joinTypes(thenOut[k]?.type, elseOut[k]?.type));
  }
}

/** A tensor type with `d` inserted at `axis` (scan outputs stack iterations). */
function stacked(t: ValueType | undefined, d: Dim, axis = 0): ValueType | undefined {
  if (!t || t.kind !== 'tensor') return undefined;
  if (!t.shape) return tensorType(t.elemType);
  const shape = [...t.shape];
  shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, d);
  return tensorType(t.elemType, shape);
}

function loop(c: OpContext): void {
  const body = c.subgraph('body');
  if (!body) c.fail('the body is missing');
  const n = c.inputCount - 2;
  const carried: (Fact | undefined)[] = [];
  for (let i = 0; i < n; i++) carried.push(c.fact(i + 2));
  const scalar = (et: number): Fact => ({ type: tensorType(et, []) });
  let out = c.host.inferSubgraph(body, [scalar(INT64), scalar(BOOL), ...carried], c.env);
  // Carried values may change shape across iterations: infer again from what both passes agree on.
  const joined = carried.map((f, i) => joinTypes(f?.type, out[i + 1]?.type));
  if (joined.some((t, i) => JSON.stringify(t) !== JSON.stringify(carried[i]?.type))) {
    out = c.host.inferSubgraph(body, [scalar(INT64), scalar(BOOL), ...joined.map((t) => (t ? { type: t } : undefined))], c.env);
  }
  for (let i = 0; i < n; i++) c.outType(i, joinTypes(joined[i], out[i + 1]?.type) ?? joined[i]);
  // Without a condition the body runs exactly M times.
  const m = c.value(0)?.[0];
  const trips: Dim = !c.hasInput(1) && (typeof m === 'number' || typeof m === 'string') ? m : c.freshDim();
  for (let k = n; k < c.node.outputs.length; k++) c.outType(k, stacked(out[k + 1]?.type, trips));
}

function scan(c: OpContext): void {
  const body = c.subgraph('body');
  if (!body) c.fail('the body is missing');
  const m = c.int('num_scan_inputs', 0);
  // Opset 8 has a leading optional sequence_lens input and a batch axis before the scan axis.
  const v8 = c.opset < 9;
  const first = v8 ? 1 : 0;
  const nInputs = c.inputCount - first;
  const nState = nInputs - m;
  const inputAxes = c.ints('scan_input_axes') ?? new Array(m).fill(0);
  const outputAxes = c.ints('scan_output_axes');
  let seqLen: Dim = null;
  const bodyInputs: (Fact | undefined)[] = [];
  let batch: Dim = null;
  for (let i = 0; i < nState; i++) {
    const f = c.fact(first + i);
    if (v8 && f && f.type.kind === 'tensor' && f.type.shape) {
      batch = f.type.shape[0];
      bodyInputs.push({ type: tensorType(f.type.elemType, f.type.shape.slice(1)) });
    } else bodyInputs.push(f ? { type: f.type } : undefined);
  }
  for (let j = 0; j < m; j++) {
    const s = c.shape(first + nState + j);
    const et = c.elemType(first + nState + j);
    if (!s) {
      bodyInputs.push(et ? { type: tensorType(et) } : undefined);
      continue;
    }
    const axis = v8 ? 1 : normAxis(c, inputAxes[j], s.length);
    if (seqLen === null) seqLen = s[axis];
    const sliced = s.filter((_, i) => i !== axis && !(v8 && i === 0));
    if (v8) batch = s[0];
    bodyInputs.push({ type: tensorType(et, sliced) });
  }
  const out = c.host.inferSubgraph(body, bodyInputs, c.env);
  for (let i = 0; i < nState; i++) {
    const t = out[i]?.type;
    c.outType(i, v8 ? stacked(t, batch, 0) : t);
  }
  for (let k = nState; k < c.node.outputs.length; k++) {
    const t = out[k]?.type;
    if (v8) c.outType(k, stacked(stacked(t, seqLen, 0), batch, 0));
    else {
      const axis = outputAxes?.[k - nState] ?? 0;
      c.outType(k, stacked(t, seqLen, axis));
    }
  }
}

export const CONTROL_FLOW_OPS: OpRules = { If: ifOp, Loop: loop, Scan: scan };
