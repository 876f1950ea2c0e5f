// ONNX test-data tensors (`input_0.pb`: one serialized TensorProto) as NdArrays, decoded with the core's
// TensorProto reader and value decoder (raw_data and typed fields alike).
import { decodeTensorValues } from '../../core/tensorValues';
import { readTensorInfo } from '../../core/tensorInfo';
import { elementTypeName } from '../../core/types';
import { NdArray, floatToBfloat16, floatToHalf, makeNdArray } from '../../compare/ndarray';
import { InputError, ONNX_TO_DTYPE } from './inputSpecs';

export function decodeTensorProto(bytes: Uint8Array, where: string): { name: string; array: NdArray } {
  let info;
  let values;
  try {
    info = readTensorInfo(bytes, { field: 0, wire: 2, start: 0, valueStart: 0, end: bytes.length }, where);
    if (info.data.kind === 'external') throw new InputError(`${where}: the TensorProto keeps its data in an external file, which test-data tensors do not`);
    values = decodeTensorValues(info, bytes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${where}: not a serialized ONNX TensorProto: ${(e as Error).message}`);
  }
  const dtype = ONNX_TO_DTYPE[info.dataType];
  if (!dtype || values.kind === 'string' || values.kind === 'complex') {
    throw new InputError(`${where}: TensorProto of type ${elementTypeName(info.dataType)} cannot be fed`);
  }
  const a = makeNdArray(dtype, info.dims.slice());
  if (dtype === 'float16' || dtype === 'bfloat16') {
    // The decoder widens minifloats to numbers; narrowing back is exact.
    const conv = dtype === 'float16' ? floatToHalf : floatToBfloat16;
    for (let i = 0; i < a.data.length; i++) a.data[i] = conv(Number(values.values[i]));
  } else {
    (a.data as { set(v: ArrayLike<number | bigint>): void }).set(values.values as ArrayLike<number | bigint>);
  }
  return { name: info.name, array: a };
}
