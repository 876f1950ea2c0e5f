// onnxruntime tensors <-> NdArray. Data is shared, not copied: ORT's CPU tensors own plain typed arrays
// (float16 as Uint16Array bits on Node 20, int64 as BigInt64Array, bool as Uint8Array).
import { DType, NdArray, TypedArray } from '../../compare/ndarray';
import { BackendError } from '../backend';

type OrtModule = typeof import('onnxruntime-node');
type OrtTensor = InstanceType<OrtModule['Tensor']>;

const FROM_ORT: Record<string, DType> = {
  float32: 'float32', float64: 'float64', float16: 'float16', bfloat16: 'bfloat16', int8: 'int8', uint8: 'uint8',
  int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', int64: 'int64', uint64: 'uint64', bool: 'bool',
};

/** null for tensors an NdArray cannot hold (strings, 4-bit types). */
export function ndarrayFromOrt(t: OrtTensor): NdArray | null {
  const dtype = FROM_ORT[t.type];
  if (!dtype) return null;
  let data = t.data as unknown as TypedArray;
  // Node 20 has no Float16Array, but a newer runtime may hand one over: keep raw bits either way.
  if (dtype === 'float16' && !(data instanceof Uint16Array)) {
    const v = data as unknown as ArrayBufferView;
    data = new Uint16Array(v.buffer, v.byteOffset, v.byteLength / 2);
  }
  return { dtype, shape: t.dims.map(Number), data };
}

export function ortFromNdarray(ort: OrtModule, name: string, a: NdArray): OrtTensor {
  if (a.dtype === 'bfloat16') throw new BackendError(`input '${name}' is bfloat16, which onnxruntime-node cannot feed`);
  // The binding wants a plain Uint8Array for bool and Uint16Array for float16, as NdArray holds them.
  return new ort.Tensor(a.dtype, a.data as never, a.shape);
}
