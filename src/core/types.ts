// ONNX element types and value types as the UI, the CLI and the text form show them.
import { int64ToNumber, TensorShape, TypeMsg } from './onnxSchema';

/** ONNX TensorProto.DataType number -> the name the ONNX text form uses. */
export const ELEMENT_TYPE_NAMES: Record<number, string> = {
  1: 'float', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
  17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4',
  23: 'float4e2m1', 24: 'float8e8m0', 25: 'uint2', 26: 'int2', 27: 'float6e2m3', 28: 'float6e3m2',
};

/** Bits per element for fixed-size element types (strings have none). */
export const ELEMENT_BITS: Record<number, number> = {
  1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64, 15: 128, 16: 16,
  17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2, 26: 2, 27: 6, 28: 6,
};

export function elementTypeName(t: number | undefined): string {
  if (t === undefined || t === 0) return 'undefined';
  return ELEMENT_TYPE_NAMES[t] ?? `dtype${t}`;
}

/** A dimension: a number, a symbolic name, or unknown (null). */
export type Dim = number | string | null;

/** A value's type in plain data, safe to post to the webview (no Long objects). */
export type ValueType =
  | { kind: 'tensor'; elemType: number; shape?: Dim[] }
  | { kind: 'sparse_tensor'; elemType: number; shape?: Dim[] }
  | { kind: 'sequence'; elem?: ValueType }
  | { kind: 'optional'; elem?: ValueType }
  | { kind: 'map'; keyType: number; value?: ValueType }
  | { kind: 'opaque'; domain: string; name: string }
  | { kind: 'unknown' };

function shapeOf(shape: TensorShape | undefined): Dim[] | undefined {
  if (!shape) return undefined;
  return (shape.dim ?? []).map((d) => {
    // A oneof: protobufjs names the member that is set in the virtual `value` field.
    const which = (d as { value?: string }).value;
    if (which === 'dim_value') return int64ToNumber(d.dim_value);
    if (which === 'dim_param') return d.dim_param ?? null;
    return null;
  });
}

export function valueTypeOf(t: TypeMsg | undefined | null): ValueType | undefined {
  if (!t) return undefined;
  if (t.tensor_type) return { kind: 'tensor', elemType: t.tensor_type.elem_type ?? 0, shape: shapeOf(t.tensor_type.shape ?? undefined) };
  if (t.sparse_tensor_type) return { kind: 'sparse_tensor', elemType: t.sparse_tensor_type.elem_type ?? 0, shape: shapeOf(t.sparse_tensor_type.shape ?? undefined) };
  if (t.sequence_type) return { kind: 'sequence', elem: valueTypeOf(t.sequence_type.elem_type) };
  if (t.optional_type) return { kind: 'optional', elem: valueTypeOf(t.optional_type.elem_type) };
  if (t.map_type) return { kind: 'map', keyType: t.map_type.key_type ?? 0, value: valueTypeOf(t.map_type.value_type) };
  if (t.opaque_type) return { kind: 'opaque', domain: t.opaque_type.domain ?? '', name: t.opaque_type.name ?? '' };
  return { kind: 'unknown' };
}

export function formatDims(shape: Dim[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

/** `float[N,3,224,224]`, `seq(float[?])`, ... */
export function formatValueType(t: ValueType | undefined): string {
  if (!t) return '?';
  switch (t.kind) {
    case 'tensor': return `${elementTypeName(t.elemType)}${t.shape ? formatDims(t.shape) : ''}`;
    case 'sparse_tensor': return `sparse_tensor(${elementTypeName(t.elemType)}${t.shape ? formatDims(t.shape) : ''})`;
    case 'sequence': return `seq(${formatValueType(t.elem)})`;
    case 'optional': return `optional(${formatValueType(t.elem)})`;
    case 'map': return `map(${elementTypeName(t.keyType)}, ${formatValueType(t.value)})`;
    case 'opaque': return `opaque(${t.domain}${t.domain ? '.' : ''}${t.name})`;
    default: return '?';
  }
}
