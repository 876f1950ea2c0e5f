// Ops that move elements without computing them: Reshape, Flatten, Squeeze/Unsqueeze, Transpose, Concat,
// Split, Slice, Expand, Tile, Pad, DepthToSpace/SpaceToDepth. Small values are carried through, so shape
// vectors built by Concat/Slice/Unsqueeze stay known.
import { Dim } from '../../types';
import { broadcastShapes, foldBroadcast } from '../broadcast';
import { MAX_FOLDED_ELEMENTS } from '../facts';
import { normAxis, OpContext } from '../context';
import { dimAdd, dimDivExact, dimMul, dimProduct, dimsConflict, dimSub } from '../dimExpr';
import type { OpRules } from './registry';

/** Axes from the attribute (older opsets) or from input `inputIndex` (newer), undefined when unknown. */
export function axesOf(c: OpContext, inputSince: number, inputIndex: number, attr = 'axes'): number[] | null | undefined {
  if (c.opset >= inputSince) {
    if (!c.hasInput(inputIndex)) return null; // absent: the op's default
    return c.numbers(inputIndex);
  }
  return c.ints(attr) ?? null;
}

function reshape(c: OpContext): void {
  const input = c.shape(0);
  const target = c.opset >= 5 ? c.value(1) : c.ints('shape');
  const allowZero = c.int('allowzero', 0) === 1;
  const value = c.lazyValue(0);
  if (!target) {
    const n = c.shape(1)?.[0];
    c.out(0, c.elemType(0), typeof n === 'number' ? new Array(n).fill(null) : undefined);
    return;
  }
  const out: Dim[] = target.map((d, i) => {
    if (d === 0 && !allowZero) return input ? input[i] ?? c.fail(`shape[${i}] is 0 (copy) but the input has rank ${input.length}`) : null;
    if (d === -1) return -1;
    if (typeof d === 'number' && d < -1) c.fail(`shape[${i}] is ${d}`);
    return d;
  });
  const inferred = out.indexOf(-1);
  if (inferred >= 0) {
    if (out.indexOf(-1, inferred + 1) >= 0) c.fail('shape has more than one -1');
    const others = out.filter((_, i) => i !== inferred);
    const total = input ? dimProduct(input) : null;
    const known = others.includes(null) ? null : dimProduct(others);
    let d = dimDivExact(total, known);
    if (d === null && typeof total === 'number' && typeof known === 'number' && known !== 0) c.fail(`cannot reshape ${total} elements into a shape with ${known} elements per -1 step`);
    if (d === null && total !== null && known !== null && typeof known === 'number' && known !== 0 && typeof total === 'string') d = null;
    out[inferred] = d;
  } else if (input) {
    const a = dimProduct(input);
    const b = dimProduct(out);
    if (dimsConflict(a, b)) c.fail(`cannot reshape ${a} elements into ${b}`);
  }
  c.out(0, c.elemType(0), out, value);
}

function flatten(c: OpContext): void {
  const s = c.shape(0);
  if (!s) return c.out(0, c.elemType(0), undefined);
  let axis = c.int('axis', 1);
  if (axis < 0) axis += s.length;
  if (axis < 0 || axis > s.length) c.fail(`axis ${c.int('axis', 1)} is out of range for rank ${s.length}`);
  c.out(0, c.elemType(0), [dimProduct(s.slice(0, axis)), dimProduct(s.slice(axis))], c.lazyValue(0));
}

function squeeze(c: OpContext): void {
  const s = c.shape(0);
  const axes = axesOf(c, 13, 1);
  if (!s || axes === undefined) return c.out(0, c.elemType(0), undefined);
  let drop: Set<number>;
  if (axes === null) {
    if (s.some((d) => typeof d !== 'number')) return c.out(0, c.elemType(0), undefined, c.lazyValue(0));
    drop = new Set(s.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0));
  } else {
    drop = new Set(axes.map((a) => normAxis(c, a, s.length)));
    for (const a of drop) if (typeof s[a] === 'number' && s[a] !== 1) c.fail(`cannot squeeze axis ${a} of size ${s[a]}`);
  }
  c.out(0, c.elemType(0), s.filter((_, i) => !drop.has(i)), c.lazyValue(0));
}

function unsqueeze(c: OpContext): void {
  const s = c.shape(0);
  const axes = axesOf(c, 13, 1);
  if (!s || !axes) return c.out(0, c.elemType(0), undefined);
  const rank = s.length + axes.length;
  const set = new Set(axes.map((a) => normAxis(c, a, rank)));
  if (set.size !== axes.length) c.fail('axes repeat');
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : s[j++]);
  c.out(0, c.elemType(0), out, c.lazyValue(0));
}

function transpose(c: OpContext): void {
  const s = c.shape(0);
  if (!s) return c.out(0, c.elemType(0), undefined);
  const perm = c.ints('perm') ?? s.map((_, i) => s.length - 1 - i);
  if (perm.length !== s.length) c.fail(`perm has ${perm.length} entries for rank ${s.length}`);
  const p = perm.map((a) => normAxis(c, a, s.length, 'perm entry'));
  const out = p.map((a) => s[a]);
  c.out(0, c.elemType(0), out, c.lazyValue(0, (v) => (s.length <= 1 ? v : rearrange(s, v, out, p, (_, i) => i))));
}

function concat(c: OpContext): void {
  const shapes: (Dim[] | undefined)[] = [];
  for (let i = 0; i < c.inputCount; i++) if (c.hasInput(i)) shapes.push(c.shape(i));
  let et = 0;
  for (let i = 0; i < c.inputCount && !et; i++) et = c.elemType(i);
  const known = shapes.find((s) => s);
  if (!known) return c.out(0, et, undefined);
  const rank = known.length;
  const axis = normAxis(c, c.int('axis', 0), rank);
  if (shapes.some((s) => !s)) {
    // Every dim but the axis is shared; the axis sum needs every input.
    return c.out(0, et, known.map((d, i) => (i === axis ? null : d)));
  }
  const out = [...known];
  out[axis] = 0;
  for (const s of shapes as Dim[][]) {
    if (s.length !== rank) c.fail(`inputs have ranks ${rank} and ${s.length}`);
    for (let i = 0; i < rank; i++) {
      if (i === axis) out[i] = dimAdd(out[i], s[i]);
      else if (dimsConflict(out[i], s[i])) c.fail(`inputs differ in dimension ${i}: ${out[i]} and ${s[i]}`);
      else if (typeof s[i] === 'number' || out[i] === null) out[i] = s[i];
    }
  }
  let value: Dim[] | undefined;
  if (rank === 1) {
    value = [];
    for (let i = 0; i < c.inputCount && value; i++) {
      if (!c.hasInput(i)) continue;
      const v = c.value(i);
      value = v ? value.concat(v) : undefined;
    }
  }
  c.out(0, et, out, value);
}

function split(c: OpContext): void {
  const s = c.shape(0);
  const et = c.elemType(0);
  const n = c.node.outputs.length;
  if (!s) {
    for (let k = 0; k < n; k++) c.out(k, et, undefined);
    return;
  }
  const axis = normAxis(c, c.int('axis', 0), s.length);
  let sizes: Dim[] | undefined;
  const given = c.opset >= 13 ? (c.hasInput(1) ? c.numbers(1) : null) : c.ints('split') ?? null;
  if (given) {
    if (given.length !== n) c.fail(`split has ${given.length} sizes for ${n} outputs`);
    const total = given.reduce((a, b) => a + b, 0);
    if (typeof s[axis] === 'number' && s[axis] !== total) c.fail(`split sizes add up to ${total} but the axis has ${s[axis]}`);
    sizes = given;
  } else if (given === null) {
    const d = s[axis];
    const parts = c.int('num_outputs') ?? n;
    if (typeof d === 'number') {
      // Opset 18: an uneven split makes the last chunk smaller.
      const chunk = Math.ceil(d / parts);
      if (d % parts !== 0 && c.opset < 18) c.fail(`axis of size ${d} does not split evenly into ${parts}`);
      sizes = Array.from({ length: n }, (_, k) => Math.max(0, Math.min(chunk, d - chunk * k)));
    } else {
      const chunk = dimDivExact(d, parts);
      sizes = new Array(n).fill(chunk);
    }
  }
  const value = s.length === 1 ? c.value(0) : undefined;
  let offset = 0;
  for (let k = 0; k < n; k++) {
    const size = sizes ? sizes[k] : null;
    const out = [...s];
    out[axis] = size;
    const part = value && typeof size === 'number' ? value.slice(offset, offset + size) : undefined;
    if (typeof size === 'number') offset += size;
    c.out(k, et, out, part);
  }
}

/**
 * Small values rearranged: output element at index (i0, i1, ...) is input element at (src(0, i0), ...) for
 * axis `src(axis of input, index)`. Both shapes static; undefined otherwise.
 */
function rearrange(inShape: Dim[], value: Dim[] | undefined, outShape: Dim[], axisOf: number[], indexOf: (outAxis: number, i: number) => number): Dim[] | undefined {
  if (!value || !inShape.every((d) => typeof d === 'number') || !outShape.every((d) => typeof d === 'number')) return undefined;
  const total = (outShape as number[]).reduce((a, b) => a * b, 1);
  if (total > MAX_FOLDED_ELEMENTS) return undefined;
  const inStrides = new Array(inShape.length).fill(1);
  for (let i = inShape.length - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * (inShape[i + 1] as number);
  const out: Dim[] = new Array(total);
  const idx = new Array(outShape.length).fill(0);
  for (let k = 0; k < total; k++) {
    let off = 0;
    for (let a = 0; a < outShape.length; a++) off += indexOf(a, idx[a]) * inStrides[axisOf[a]];
    out[k] = value[off];
    for (let a = outShape.length - 1; a >= 0; a--) {
      if (++idx[a] < (outShape[a] as number)) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** Elements a Slice keeps along one axis of numeric size d. */
function sliceLength(d: number, start: number, end: number, step: number): { start: number; len: number } {
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), d);
    e = Math.min(Math.max(e, 0), d);
    return { start: s, len: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), d - 1);
  e = Math.min(Math.max(e, -1), d - 1);
  return { start: s, len: Math.max(0, Math.ceil((s - e) / -step)) };
}

const HUGE = 2 ** 31 - 1;

function slice(c: OpContext): void {
  const s = c.shape(0);
  const et = c.elemType(0);
  let starts: number[] | undefined, ends: number[] | undefined, axes: number[] | undefined, steps: number[] | undefined;
  if (c.opset < 10) {
    starts = c.ints('starts');
    ends = c.ints('ends');
    axes = c.ints('axes');
  } else {
    starts = c.numbers(1);
    ends = c.numbers(2);
    axes = c.hasInput(3) ? c.numbers(3) : undefined;
    steps = c.hasInput(4) ? c.numbers(4) : undefined;
    if (c.hasInput(3) && !axes) return c.out(0, et, s ? new Array(s.length).fill(null) : undefined);
    if (c.hasInput(4) && !steps) return c.out(0, et, s ? new Array(s.length).fill(null) : undefined);
  }
  if (!s) return c.out(0, et, undefined);
  if (!starts || !ends) {
    // Unknown bounds: the axes sliced are unknown (all of them when axes are not given).
    const sliced = axes ? new Set(axes.map((a) => normAxis(c, a, s.length))) : undefined;
    return c.out(0, et, s.map((d, i) => (!sliced || sliced.has(i) ? null : d)));
  }
  if (starts.length !== ends.length) c.fail(`starts has ${starts.length} entries but ends ${ends.length}`);
  axes ??= starts.map((_, i) => i);
  steps ??= starts.map(() => 1);
  const out = [...s];
  const first = new Array(s.length).fill(0);
  const stride = new Array(s.length).fill(1);
  for (let k = 0; k < axes.length; k++) {
    const a = normAxis(c, axes[k], s.length);
    const d = s[a];
    const step = steps[k];
    if (step === 0) c.fail('a step is 0');
    if (typeof d === 'number') {
      const r = sliceLength(d, starts[k], ends[k], step);
      out[a] = r.len;
      first[a] = r.start;
      stride[a] = step;
    } else if (d !== null && step === 1 && starts[k] >= 0 && ends[k] >= HUGE) {
      out[a] = dimSub(d, starts[k]); // `x[k:]` of a symbolic dim
    } else if (d !== null && step === 1 && starts[k] < 0 && ends[k] >= HUGE) {
      out[a] = null; // -k of a dim that might be shorter than k
    } else {
      out[a] = null;
    }
  }
  c.out(0, et, out, c.lazyValue(0, (v) => rearrange(s, v, out, s.map((_, i) => i), (a, i) => first[a] + i * stride[a])));
}

function expand(c: OpContext): void {
  const s = c.shape(0);
  const target = c.value(1);
  const et = c.elemType(0);
  if (!target) {
    const n = c.shape(1)?.[0];
    if (typeof n === 'number' && s) return c.out(0, et, new Array(Math.max(n, s.length)).fill(null));
    return c.out(0, et, undefined);
  }
  // A target dim of 1 keeps the input's dim; unknown target dims stay unknown unless the input's is > 1.
  const shape = broadcastShapes(c, [s, target]);
  if (shape && s) {
    const off = shape.length - target.length;
    const sOff = shape.length - s.length;
    for (let i = 0; i < target.length; i++) {
      const sd = i + off - sOff >= 0 ? s[i + off - sOff] : 1;
      if (target[i] === null && sd === 1) shape[i + off] = null;
    }
  }
  c.out(0, et, shape, c.lazyValue(0, (v) => foldBroadcast(shape, [{ shape: s, value: v }], (xs) => xs[0])));
}

function tile(c: OpContext): void {
  const s = c.shape(0);
  const reps = c.value(1);
  if (!s) return c.out(0, c.elemType(0), undefined);
  if (!reps) return c.out(0, c.elemType(0), s.map(() => null));
  if (reps.length !== s.length) c.fail(`repeats has ${reps.length} entries for rank ${s.length}`);
  c.out(0, c.elemType(0), s.map((d, i) => dimMul(d, reps[i])));
}

function pad(c: OpContext): void {
  const s = c.shape(0);
  const et = c.elemType(0);
  if (!s) return c.out(0, et, undefined);
  const pads = c.opset >= 11 ? c.value(1) : c.ints('pads') ?? c.ints('paddings');
  let axes = s.map((_, i) => i);
  if (c.opset >= 18 && c.hasInput(3)) {
    const given = c.numbers(3);
    if (!given) return c.out(0, et, s.map(() => null));
    axes = given.map((a) => normAxis(c, a, s.length));
  }
  if (!pads) {
    const set = new Set(axes);
    return c.out(0, et, s.map((d, i) => (set.has(i) ? null : d)));
  }
  if (pads.length !== 2 * axes.length) c.fail(`pads has ${pads.length} entries for ${axes.length} axes`);
  const out = [...s];
  axes.forEach((a, k) => {
    out[a] = dimAdd(dimAdd(s[a], pads[k]), pads[k + axes.length]);
  });
  c.out(0, et, out);
}

function depthToSpace(c: OpContext): void {
  const s = c.shape(0);
  const b = c.int('blocksize', 1);
  if (!s) return c.out(0, c.elemType(0), undefined);
  if (s.length !== 4) c.fail(`input rank is ${s.length}, not 4`);
  c.out(0, c.elemType(0), [s[0], dimDivExact(s[1], b * b), dimMul(s[2], b), dimMul(s[3], b)]);
}

function spaceToDepth(c: OpContext): void {
  const s = c.shape(0);
  const b = c.int('blocksize', 1);
  if (!s) return c.out(0, c.elemType(0), undefined);
  if (s.length !== 4) c.fail(`input rank is ${s.length}, not 4`);
  c.out(0, c.elemType(0), [s[0], dimMul(s[1], b * b), dimDivExact(s[2], b), dimDivExact(s[3], b)]);
}

function centerCropPad(c: OpContext): void {
  const s = c.shape(0);
  const sizes = c.value(1);
  if (!s || !sizes) return c.out(0, c.elemType(0), s?.map(() => null));
  const axes = (c.ints('axes') ?? s.map((_, i) => i)).map((a) => normAxis(c, a, s.length));
  const out = [...s];
  axes.forEach((a, k) => (out[a] = sizes[k]));
  c.out(0, c.elemType(0), out);
}

export const SHAPE_OPS: OpRules = {
  Reshape: reshape, Flatten: flatten, Squeeze: squeeze, Unsqueeze: unsqueeze, Transpose: transpose, Concat: concat,
  Split: split, Slice: slice, Expand: expand, Tile: tile, Pad: pad, DepthToSpace: depthToSpace, SpaceToDepth: spaceToDepth,
  CenterCropPad: centerCropPad,
};
