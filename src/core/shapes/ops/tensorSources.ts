// Ops that make tensors from attributes or from other tensors' shapes: Constant, Shape, Size,
// ConstantOfShape, Range, EyeLike, OneHot, the random generators and the window functions.
import { int64ToNumber } from '../../onnxSchema';
import { Dim } from '../../types';
import { staticSize } from '../broadcast';
import { normAxis, OpContext } from '../context';
import { dimProduct, dimSub } from '../dimExpr';
import { FLOAT, INT64, MAX_FOLDED_ELEMENTS, STRING, tensorMsgValues } from '../facts';
import type { OpRules } from './registry';

function constant(c: OpContext): void {
  const t = c.tensor('value');
  // Decoded only if a shape computation reads it (most Constants are weights or scalars of float math).
  if (t) return c.out(0, t.data_type ?? 0, (t.dims ?? []).map(int64ToNumber), () => tensorMsgValues(t));
  const sparse = c.attr('sparse_value')?.sparse_tensor;
  if (sparse) return c.out(0, sparse.values?.data_type ?? 0, (sparse.dims ?? []).map(int64ToNumber));
  if (c.hasAttr('value_float')) return c.out(0, FLOAT, [], [c.float('value_float', 0)]);
  if (c.hasAttr('value_int')) return c.out(0, INT64, [], [c.int('value_int', 0)]);
  const floats = c.floats('value_floats');
  if (floats) return c.out(0, FLOAT, [floats.length], floats);
  const ints = c.ints('value_ints');
  if (ints) return c.out(0, INT64, [ints.length], ints);
  if (c.hasAttr('value_string')) return c.out(0, STRING, []);
  const strings = c.attr('value_strings');
  if (strings) return c.out(0, STRING, [(strings.strings ?? []).length]);
  c.fail('Constant has no value attribute');
}

function shape(c: OpContext): void {
  const s = c.shape(0);
  if (!s) {
    return c.out(0, INT64, [null]);
  }
  const r = s.length;
  const clamp = (x: number) => Math.min(Math.max(x < 0 ? x + r : x, 0), r);
  const start = clamp(c.int('start', 0));
  const end = clamp(c.int('end') ?? r);
  const dims = s.slice(start, Math.max(start, end));
  c.out(0, INT64, [dims.length], dims);
}

function size(c: OpContext): void {
  const s = c.shape(0);
  const n = s ? dimProduct(s) : null;
  c.out(0, INT64, [], n !== null ? [n] : undefined);
}

function constantOfShape(c: OpContext): void {
  const t = c.tensor('value');
  const et = t ? t.data_type ?? FLOAT : FLOAT;
  const fill = t ? tensorMsgValues(t)?.[0] ?? null : 0;
  const target = c.value(0);
  if (!target) {
    const n = c.shape(0)?.[0];
    return c.out(0, et, typeof n === 'number' ? new Array(n).fill(null) : undefined);
  }
  for (const d of target) if (typeof d === 'number' && d < 0) c.fail(`shape has a negative dimension ${d}`);
  const count = staticSize(target);
  const value = count !== undefined && count <= MAX_FOLDED_ELEMENTS && fill !== null ? new Array(count).fill(fill) : undefined;
  c.out(0, et, target, value);
}

function range(c: OpContext): void {
  const et = c.elemType(0);
  const [start, limit, delta] = [c.value(0)?.[0], c.value(1)?.[0], c.value(2)?.[0]];
  if (typeof start === 'number' && typeof limit === 'number' && typeof delta === 'number') {
    if (delta === 0) c.fail('delta is 0');
    const n = Math.max(Math.ceil((limit - start) / delta), 0);
    const value = n <= MAX_FOLDED_ELEMENTS ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined;
    return c.out(0, et, [n], value);
  }
  // `arange(n)` over a symbolic n (position ids): n - start elements.
  if (delta === 1 && typeof limit === 'string' && typeof start === 'number') return c.out(0, et, [dimSub(limit, start)]);
  c.out(0, et, [null]);
}

function eyeLike(c: OpContext): void {
  c.out(0, c.int('dtype') ?? c.elemType(0), c.shape(0));
}

function oneHot(c: OpContext): void {
  const s = c.shape(0);
  const depth = c.value(1)?.[0];
  if (!s) return c.out(0, c.elemType(2), undefined);
  const rank = s.length + 1;
  const axis = normAxis(c, c.int('axis', -1), rank);
  const out: Dim[] = [...s];
  out.splice(axis, 0, typeof depth === 'number' ? Math.trunc(depth) : depth ?? null);
  c.out(0, c.elemType(2), out);
}

function randomWithShape(c: OpContext): void {
  c.out(0, c.int('dtype', FLOAT), c.ints('shape'));
}

function windowFunction(c: OpContext): void {
  const n = c.value(0)?.[0];
  c.out(0, c.int('output_datatype', FLOAT), [typeof n === 'number' || typeof n === 'string' ? n : null]);
}

function randomMultinomial(c: OpContext): void {
  const s = c.shape(0);
  c.out(0, c.int('dtype', 6), s ? [s[0], c.int('sample_size', 1)] : undefined);
}

/** ImageDecoder: [height, width, channels] uint8; the size is in the encoded bytes. */
function imageDecoder(c: OpContext): void {
  c.out(0, 2, [c.freshDim(), c.freshDim(), c.string('pixel_format', 'RGB') === 'Grayscale' ? 1 : 3]);
}

export const TENSOR_SOURCE_OPS: OpRules = {
  Constant: constant, Shape: shape, Size: size, ConstantOfShape: constantOfShape, Range: range, EyeLike: eyeLike,
  OneHot: oneHot, RandomNormal: randomWithShape, RandomUniform: randomWithShape, Multinomial: randomMultinomial,
  ImageDecoder: imageDecoder, HannWindow: windowFunction, HammingWindow: windowFunction, BlackmanWindow: windowFunction,
};
