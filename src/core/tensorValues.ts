// Decodes a tensor's element values from raw little-endian bytes or from TensorProto's typed fields, for
// every ONNX element type, plus summary statistics. Pure: the caller supplies the bytes (the model file's
// bytes for inline data, the external file's slice for external data).
import { OnnxFormatError } from './errors';
import { minifloatTable, MinifloatName } from './minifloat';
import { elementCount, TensorData, TensorInfo } from './tensorInfo';
import { ELEMENT_TYPE_NAMES, elementTypeName } from './types';
import { utf8Decode } from './wire';

type NumberArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Decoded elements. Complex values are interleaved (re, im); `count` is the number of elements. */
export type TensorValues =
  | { kind: 'number'; dataType: number; count: number; values: NumberArray }
  | { kind: 'bigint'; dataType: number; count: number; values: BigInt64Array | BigUint64Array }
  | { kind: 'string'; dataType: number; count: number; values: string[] }
  | { kind: 'complex'; dataType: number; count: number; values: Float32Array | Float64Array };

type TypedField = Extract<TensorData, { kind: 'typed' }>['field'];
type TypedSpans = Extract<TensorData, { kind: 'typed' }>['spans'];

const MINIFLOATS: Record<number, MinifloatName> = {
  10: 'float16', 16: 'bfloat16', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz',
  23: 'float4e2m1', 24: 'float8e8m0', 27: 'float6e2m3', 28: 'float6e3m2',
};

const PLAIN: Record<number, { size: number; make: (buf: ArrayBuffer, n: number) => NumberArray; get: (v: DataView, o: number) => number }> = {
  1: { size: 4, make: (b, n) => new Float32Array(b, 0, n), get: (v, o) => v.getFloat32(o, true) },
  2: { size: 1, make: (b, n) => new Uint8Array(b, 0, n), get: (v, o) => v.getUint8(o) },
  3: { size: 1, make: (b, n) => new Int8Array(b, 0, n), get: (v, o) => v.getInt8(o) },
  4: { size: 2, make: (b, n) => new Uint16Array(b, 0, n), get: (v, o) => v.getUint16(o, true) },
  5: { size: 2, make: (b, n) => new Int16Array(b, 0, n), get: (v, o) => v.getInt16(o, true) },
  6: { size: 4, make: (b, n) => new Int32Array(b, 0, n), get: (v, o) => v.getInt32(o, true) },
  9: { size: 1, make: (b, n) => new Uint8Array(b, 0, n), get: (v, o) => v.getUint8(o) },
  11: { size: 8, make: (b, n) => new Float64Array(b, 0, n), get: (v, o) => v.getFloat64(o, true) },
  12: { size: 4, make: (b, n) => new Uint32Array(b, 0, n), get: (v, o) => v.getUint32(o, true) },
};

/** Sub-byte integer and float types: bits per element. */
const PACKED_BITS: Record<number, number> = { 21: 4, 22: 4, 23: 4, 25: 2, 26: 2, 27: 6, 28: 6 };
const SIGNED_PACKED = new Set([22, 26]);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(what: string, message: string): never {
  throw new OnnxFormatError(message, what);
}

/** Bytes the raw (packed) form of `count` elements of `dataType` takes. */
export function rawByteLength(dataType: number, count: number): number | undefined {
  const bits = PACKED_BITS[dataType];
  if (bits) return Math.ceil((count * bits) / 8);
  const size = rawElementSize(dataType);
  return size === undefined ? undefined : size * count;
}

function rawElementSize(dataType: number): number | undefined {
  if (PLAIN[dataType]) return PLAIN[dataType].size;
  switch (dataType) {
    case 7: case 13: case 14: return 8;
    case 15: return 16;
    case 10: case 16: return 2;
    case 17: case 18: case 19: case 20: case 24: return 1;
    default: return undefined;
  }
}

/** An aligned copy of `bytes` (typed arrays need alignment; raw_data views usually are not aligned). */
function alignedCopy(bytes: Uint8Array): ArrayBuffer {
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  return buf;
}

/** Unpacks sub-byte codes, lowest bits first (ONNX packs int4 low nibble first, 6-bit as 4 per 3 bytes). */
function unpackCodes(bytes: Uint8Array, bits: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const mask = (1 << bits) - 1;
  for (let i = 0; i < count; i++) {
    const bit = i * bits;
    const byte = bit >> 3;
    const shift = bit & 7;
    const word = bytes[byte] | (shift + bits > 8 ? bytes[byte + 1] << 8 : 0);
    out[i] = (word >> shift) & mask;
  }
  return out;
}

function fromCodes(dataType: number, codes: Uint8Array | Uint16Array): TensorValues {
  const count = codes.length;
  const mini = MINIFLOATS[dataType];
  if (mini) {
    const t = minifloatTable(mini);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = t[codes[i]];
    return { kind: 'number', dataType, count, values };
  }
  if (SIGNED_PACKED.has(dataType)) {
    const bits = PACKED_BITS[dataType];
    const values = new Int8Array(count);
    for (let i = 0; i < count; i++) values[i] = (codes[i] << (32 - bits)) >> (32 - bits);
    return { kind: 'number', dataType, count, values };
  }
  return { kind: 'number', dataType, count, values: codes instanceof Uint8Array ? codes : Uint8Array.from(codes) };
}

/** Decodes `count` elements from raw little-endian bytes (raw_data or an external file's slice). */
export function decodeRaw(dataType: number, count: number, raw: Uint8Array, what = 'tensor'): TensorValues {
  if (dataType === 8) fail(what, 'string tensors have no raw_data form');
  const need = rawByteLength(dataType, count);
  if (need === undefined) fail(what, `element type ${elementTypeName(dataType)} cannot be decoded`);
  if (raw.length !== need) {
    fail(what, `raw data holds ${raw.length} bytes but ${count} element(s) of ${elementTypeName(dataType)} need ${need}`);
  }
  const bits = PACKED_BITS[dataType];
  if (bits) return fromCodes(dataType, unpackCodes(raw, bits, count));
  const plain = PLAIN[dataType];
  if (plain) {
    if (LITTLE_ENDIAN) return { kind: 'number', dataType, count, values: plain.make(alignedCopy(raw), count) };
    const out = plain.make(new ArrayBuffer(need), count);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) out[i] = plain.get(view, i * plain.size);
    return { kind: 'number', dataType, count, values: out };
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (dataType) {
    case 7: case 13: {
      const out = dataType === 7 ? new BigInt64Array(count) : new BigUint64Array(count);
      for (let i = 0; i < count; i++) out[i] = dataType === 7 ? view.getBigInt64(i * 8, true) : view.getBigUint64(i * 8, true);
      return { kind: 'bigint', dataType, count, values: out };
    }
    case 14: case 15: {
      const n = count * 2;
      const out = dataType === 14 ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = dataType === 14 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
      return { kind: 'complex', dataType, count, values: out };
    }
    case 10: case 16: {
      const codes = new Uint16Array(count);
      for (let i = 0; i < count; i++) codes[i] = view.getUint16(i * 2, true);
      return fromCodes(dataType, codes);
    }
    default:
      return fromCodes(dataType, raw.slice());
  }
}

// ---- typed fields (float_data, int32_data, ...) ----

/** Reads one varint at `pos` as [low 32 bits, high 32 bits, next position]. */
function varintAt(bytes: Uint8Array, pos: number, end: number, what: string): [number, number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) fail(what, 'truncated varint in typed data');
    const b = bytes[pos++];
    if (i < 4) lo |= (b & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >> 4;
    } else hi |= (b & 0x7f) << (7 * i - 32);
    if ((b & 0x80) === 0) return [lo >>> 0, hi >>> 0, pos];
  }
  return fail(what, 'varint longer than 10 bytes in typed data');
}

function collectVarints(bytes: Uint8Array, spans: TypedSpans, what: string): { lo: number[]; hi: number[] } {
  const lo: number[] = [];
  const hi: number[] = [];
  for (const s of spans) {
    let p = s.start;
    do {
      const [l, h, next] = varintAt(bytes, p, s.end, what);
      lo.push(l);
      hi.push(h);
      p = next;
    } while (s.packed && p < s.end);
  }
  return { lo, hi };
}

/** Fixed-width elements (float_data: 4 bytes, double_data: 8) concatenated from packed and unpacked spans. */
function collectFixed(bytes: Uint8Array, spans: TypedSpans, size: number, what: string): Uint8Array {
  let total = 0;
  for (const s of spans) total += s.end - s.start;
  if (total % size !== 0) fail(what, `typed data of ${total} bytes is not a whole number of ${size}-byte values`);
  const out = new Uint8Array(total);
  let o = 0;
  for (const s of spans) {
    out.set(bytes.subarray(s.start, s.end), o);
    o += s.end - s.start;
  }
  return out;
}

/** Which typed field carries each element type (the ONNX spec's table). */
const FIELD_OF: Record<number, TypedField> = {
  1: 'float_data', 14: 'float_data', 11: 'double_data', 15: 'double_data', 7: 'int64_data', 12: 'uint64_data', 13: 'uint64_data',
  8: 'string_data',
};
export function typedFieldFor(dataType: number): TypedField | undefined {
  return FIELD_OF[dataType] ?? (ELEMENT_TYPE_NAMES[dataType] ? 'int32_data' : undefined);
}

/** The raw little-endian bytes (raw_data form) of values carried in a typed field, so both forms decode
 * through decodeRaw. Strings have no raw form. `bytes` are the model file's bytes the spans point into. */
export function typedToRaw(dataType: number, count: number, field: TypedField, spans: TypedSpans, bytes: Uint8Array, what = 'tensor'): Uint8Array {
  const expected = typedFieldFor(dataType);
  if (field !== expected) fail(what, `${elementTypeName(dataType)} values cannot be stored in ${field} (expected ${expected ?? 'raw_data'})`);
  const perElement = dataType === 14 || dataType === 15 ? 2 : 1;
  const check = (n: number) => {
    if (n !== count * perElement) fail(what, `${field} holds ${n} value(s) but the dims need ${count * perElement}`);
  };
  switch (field) {
    case 'float_data': case 'double_data': {
      const size = field === 'float_data' ? 4 : 8;
      const raw = collectFixed(bytes, spans, size, what);
      check(raw.length / size);
      return raw; // the wire's fixed-width values are already little-endian
    }
    case 'string_data':
      return fail(what, 'string tensors have no raw byte form');
    case 'int64_data': case 'uint64_data': {
      const { lo, hi } = collectVarints(bytes, spans, what);
      check(lo.length);
      const size = dataType === 12 ? 4 : 8;
      const out = new Uint8Array(count * size);
      const view = new DataView(out.buffer);
      for (let i = 0; i < count; i++) {
        view.setUint32(i * size, lo[i], true);
        if (size === 8) view.setUint32(i * size + 4, hi[i], true);
      }
      return out;
    }
    case 'int32_data':
      return int32DataToRaw(dataType, count, collectVarints(bytes, spans, what).lo, what);
  }
}

/** int32_data rules (numpy_helper's): 16-bit types hold their bit pattern, 8-bit types theirs, int4/uint4/
 * float4 and int2/uint2 one packed byte per entry, 6-bit floats one code per entry; all in the low bits. */
function int32DataToRaw(dataType: number, count: number, lo: number[], what: string): Uint8Array {
  const bits = PACKED_BITS[dataType];
  if (bits === 4 || bits === 2) {
    const need = Math.ceil((count * bits) / 8);
    if (lo.length !== need) fail(what, `int32_data holds ${lo.length} packed byte(s) but ${count} element(s) need ${need}`);
    return Uint8Array.from(lo, (v) => v & 0xff);
  }
  if (lo.length !== count) fail(what, `int32_data holds ${lo.length} value(s) but the dims need ${count}`);
  if (bits === 6) return packCodes(lo, 6);
  const size = rawElementSize(dataType)!;
  const out = new Uint8Array(count * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < count; i++) {
    if (size === 4) view.setUint32(i * 4, lo[i], true);
    else if (size === 2) view.setUint16(i * 2, lo[i] & 0xffff, true);
    else out[i] = lo[i] & 0xff;
  }
  return out;
}

/** Packs `bits`-wide codes into a little-endian bit stream (the inverse of unpackCodes). */
function packCodes(codes: readonly number[], bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((codes.length * bits) / 8));
  const mask = (1 << bits) - 1;
  codes.forEach((c, i) => {
    const bit = i * bits;
    const word = (c & mask) << (bit & 7);
    out[bit >> 3] |= word & 0xff;
    if (word > 0xff) out[(bit >> 3) + 1] |= word >> 8;
  });
  return out;
}

/** Decodes elements carried in a typed field; `bytes` are the model file's bytes the spans point into. */
export function decodeTyped(dataType: number, count: number, field: TypedField, spans: TypedSpans, bytes: Uint8Array, what = 'tensor'): TensorValues {
  if (field === 'string_data' && dataType === 8) {
    if (spans.length !== count) fail(what, `string_data holds ${spans.length} string(s) but the dims need ${count}`);
    return { kind: 'string', dataType, count, values: spans.map((s) => utf8Decode(bytes, s.start, s.end)) };
  }
  return decodeRaw(dataType, count, typedToRaw(dataType, count, field, spans, bytes, what), what);
}

/**
 * Decodes a tensor's values. `bytes`: the model file's bytes for raw/typed data, or the external data's bytes
 * (already sliced at offset/length) for external data. A tensor without data decodes to no values when it
 * has no elements, else it is an error.
 */
export function decodeTensorValues(info: TensorInfo, bytes: Uint8Array): TensorValues {
  const what = `tensor '${info.name}'`;
  const count = elementCount(info.dims);
  if (!Number.isSafeInteger(count)) fail(what, `dims ${JSON.stringify(info.dims)} have too many elements`);
  switch (info.data.kind) {
    case 'raw': return decodeRaw(info.dataType, count, bytes.subarray(info.data.start, info.data.end), what);
    case 'typed': return decodeTyped(info.dataType, count, info.data.field, info.data.spans, bytes, what);
    case 'external': return decodeRaw(info.dataType, count, bytes, what);
    case 'none':
      if (count === 0 && info.dataType === 8) return { kind: 'string', dataType: 8, count: 0, values: [] };
      if (count === 0) return decodeRaw(info.dataType, 0, new Uint8Array(0), what);
      return fail(what, `has ${count} element(s) but no data`);
  }
}

// ---- summaries ----

export interface TensorStats {
  count: number;
  /** Over finite values only (NaN and ±Inf are counted apart); undefined when there are none. */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  nan: number;
  posInf: number;
  negInf: number;
  zero: number;
}

/** Element i as a number (complex: its magnitude; int64: nearest double). Strings have none. */
function numberAt(v: TensorValues, i: number): number {
  switch (v.kind) {
    case 'number': return v.values[i];
    case 'bigint': return Number(v.values[i]);
    case 'complex': return Math.hypot(v.values[2 * i], v.values[2 * i + 1]);
    case 'string': return NaN;
  }
}

/** min, max, mean and std (population) of the finite values, counts of NaN, ±Inf and zeros. */
export function tensorStats(v: TensorValues): TensorStats {
  const s: TensorStats = { count: v.count, nan: 0, posInf: 0, negInf: 0, zero: 0 };
  if (v.kind === 'string') return s;
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < v.count; i++) {
    const x = numberAt(v, i);
    if (Number.isNaN(x)) { s.nan++; continue; }
    if (x === Infinity) { s.posInf++; continue; }
    if (x === -Infinity) { s.negInf++; continue; }
    if (x === 0) s.zero++;
    if (x < min) min = x;
    if (x > max) max = x;
    // Welford's update: stable for large tensors.
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  if (n > 0) Object.assign(s, { min, max, mean, std: Math.sqrt(m2 / n) });
  return s;
}

/** The first `n` elements as plain JS values (complex as [re, im]). */
export function firstValues(v: TensorValues, n: number): (number | bigint | string | [number, number])[] {
  const k = Math.min(n, v.count);
  const out: (number | bigint | string | [number, number])[] = [];
  for (let i = 0; i < k; i++) out.push(v.kind === 'complex' ? [v.values[2 * i], v.values[2 * i + 1]] : v.values[i]);
  return out;
}
