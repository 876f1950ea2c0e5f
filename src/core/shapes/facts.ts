// What inference knows about one value: its type and, for small tensors that shape computations read (the
// `Shape -> Gather -> Concat -> Reshape` chains exporters write), its elements, which may be symbolic dims.
import { int64ToNumber, TensorMsg } from '../onnxSchema';
import { decodeRaw, TensorValues } from '../tensorValues';
import { Dim, ValueType } from '../types';

/** Tensors up to this many elements are folded as values; bigger ones only get types. */
export const MAX_FOLDED_ELEMENTS = 1024;

export interface Fact {
  type: ValueType;
  /** Elements in row-major order, when known (numbers, symbolic dims for shape values, null where unknown). */
  value?: Dim[];
  /** Decodes the elements on first use (initializers: most are never read by a shape computation). */
  lazyValue?: () => Dim[] | undefined;
}

export const INT_TYPES = new Set([2, 3, 4, 5, 6, 7, 12, 13, 21, 22, 25, 26]);
export const FLOAT_TYPES = new Set([1, 10, 11, 16, 17, 18, 19, 20, 23, 24, 27, 28]);
export const BOOL = 9;
export const INT64 = 7;
export const INT32 = 6;
export const FLOAT = 1;
export const STRING = 8;

export function tensorType(elemType: number, shape?: Dim[]): ValueType {
  return shape ? { kind: 'tensor', elemType, shape } : { kind: 'tensor', elemType };
}

export function factValue(f: Fact | undefined): Dim[] | undefined {
  if (!f) return undefined;
  if (f.value === undefined && f.lazyValue) {
    f.value = f.lazyValue();
    f.lazyValue = undefined;
  }
  return f.value;
}

/** Plain numbers of decoded elements (int64 exactly while below 2^53; larger ones unknown). */
export function valuesToDims(v: TensorValues): Dim[] | undefined {
  if (v.kind === 'string' || v.kind === 'complex') return undefined;
  const out: Dim[] = new Array(v.count);
  for (let i = 0; i < v.count; i++) {
    const x = v.kind === 'bigint' ? Number(v.values[i]) : v.values[i];
    out[i] = Number.isSafeInteger(x) || (v.kind === 'number' && !Number.isInteger(x)) ? x : Number.isFinite(x) ? x : null;
  }
  return out;
}

/** Elements of a decoded TensorProto message (Constant attributes, subgraph initializers). */
export function tensorMsgValues(t: TensorMsg): Dim[] | undefined {
  const dims = (t.dims ?? []).map(int64ToNumber);
  let count = 1;
  for (const d of dims) count *= d;
  if (count > MAX_FOLDED_ELEMENTS) return undefined;
  const dataType = t.data_type ?? 0;
  try {
    if (t.raw_data && t.raw_data.length > 0) return valuesToDims(decodeRaw(dataType, count, t.raw_data));
    const list: unknown[] | undefined =
      t.int64_data?.length ? t.int64_data : t.int32_data?.length ? t.int32_data : t.float_data?.length ? t.float_data
        : t.double_data?.length ? t.double_data : t.uint64_data?.length ? t.uint64_data : undefined;
    if (count === 0) return [];
    if (!list || list.length !== count) return undefined;
    // float16/bfloat16 in int32_data are bit patterns, not values.
    if (t.int32_data?.length && (dataType === 10 || dataType === 16 || dataType >= 17)) return undefined;
    if (dataType === 9) return (list as number[]).map((x) => (x ? 1 : 0));
    return list.map((x) => int64ToNumber(x as number));
  } catch {
    return undefined;
  }
}

export function shapeOfFact(f: Fact | undefined): Dim[] | undefined {
  return f && (f.type.kind === 'tensor' || f.type.kind === 'sparse_tensor') ? f.type.shape : undefined;
}

export function elemTypeOfFact(f: Fact | undefined): number {
  return f && (f.type.kind === 'tensor' || f.type.kind === 'sparse_tensor') ? f.type.elemType : 0;
}
