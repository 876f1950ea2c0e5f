// Plain n-dimensional array used by results files and comparisons. Pure: no Node, no DOM.

export type DType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool';

export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** C-order array. float16/bfloat16 hold raw bits in a Uint16Array; bool holds 0/1 in a Uint8Array. */
export interface NdArray {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export const DTYPES: readonly DType[] = [
  'float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'uint16',
  'int32', 'uint32', 'int64', 'uint64', 'bool',
];

const ITEMSIZE: Record<DType, number> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2,
  int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

export function itemSize(dtype: DType): number {
  return ITEMSIZE[dtype];
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Allocates the typed array that holds `count` elements of `dtype`. */
export function allocData(dtype: DType, count: number): TypedArray {
  return viewData(dtype, new ArrayBuffer(count * ITEMSIZE[dtype]), 0, count);
}

/** Views `count` elements of `dtype` at `byteOffset` (must be aligned to the item size). */
export function viewData(dtype: DType, buf: ArrayBufferLike, byteOffset: number, count: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(buf, byteOffset, count);
    case 'float64': return new Float64Array(buf, byteOffset, count);
    case 'float16': case 'bfloat16': case 'uint16': return new Uint16Array(buf, byteOffset, count);
    case 'int8': return new Int8Array(buf, byteOffset, count);
    case 'uint8': case 'bool': return new Uint8Array(buf, byteOffset, count);
    case 'int16': return new Int16Array(buf, byteOffset, count);
    case 'int32': return new Int32Array(buf, byteOffset, count);
    case 'uint32': return new Uint32Array(buf, byteOffset, count);
    case 'int64': return new BigInt64Array(buf, byteOffset, count);
    case 'uint64': return new BigUint64Array(buf, byteOffset, count);
  }
}

export function makeNdArray(dtype: DType, shape: number[], data?: TypedArray): NdArray {
  const n = elementCount(shape);
  const d = data ?? allocData(dtype, n);
  if (d.length !== n) throw new Error(`NdArray ${dtype}${JSON.stringify(shape)} needs ${n} elements, got ${d.length}`);
  return { dtype, shape, data: d };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Round-to-nearest-even float -> IEEE half bits (what numpy's astype(float16) does). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  if (e === 0xff) return sign | 0x7c00 | (m ? 0x200 : 0);
  const he = e - 127 + 15;
  if (he >= 31) return sign | 0x7c00;
  if (he <= 0) {
    if (he < -10) return sign;
    const mant = m | 0x800000;
    const shift = 14 - he;
    let r = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (r & 1))) r++;
    return sign | r;
  }
  let r = (he << 10) | (m >>> 13);
  const rem = m & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1))) r++;
  return sign | r;
}

export function bfloat16ToFloat(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

export function floatToBfloat16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff)) return ((b >>> 16) | 0x40) & 0xffff;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Element i as a JS number (int64 beyond 2^53 loses precision, like any float view). */
export function getNumber(a: NdArray, i: number): number {
  const v = a.data[i];
  if (a.dtype === 'float16') return halfToFloat(v as number);
  if (a.dtype === 'bfloat16') return bfloat16ToFloat(v as number);
  return Number(v);
}

/** Whole array as float32 values (float16/bfloat16 widened exactly; wider types rounded). */
export function toFloat32(a: NdArray): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  const n = a.data.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = getNumber(a, i);
  return out;
}

/** Whole array as float64 values. */
export function toFloat64(a: NdArray): Float64Array {
  if (a.data instanceof Float64Array) return a.data;
  const n = a.data.length;
  const out = new Float64Array(n);
  if (a.data instanceof Float32Array) {
    out.set(a.data);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = getNumber(a, i);
  return out;
}

/** Builds an array of `dtype` from JS numbers (floats rounded as numpy's astype would). */
export function fromNumbers(dtype: DType, shape: number[], values: ArrayLike<number>): NdArray {
  const a = makeNdArray(dtype, shape);
  const d = a.data;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (dtype === 'float16') d[i] = floatToHalf(v);
    else if (dtype === 'bfloat16') d[i] = floatToBfloat16(v);
    else if (dtype === 'int64' || dtype === 'uint64') d[i] = BigInt(Math.trunc(v));
    else if (dtype === 'bool') d[i] = v ? 1 : 0;
    else d[i] = v;
  }
  return a;
}

export function shapeToString(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}
