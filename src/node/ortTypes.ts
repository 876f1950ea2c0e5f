// Tensor types from onnxruntime for models that declare none (torch.onnx exports often have no value_info):
// mark the tensors as outputs by name only, create a session and read the inferred output metadata.
import { markOutputs } from '../core/edit';
import { OnnxModelError } from '../core/errors';
import { ExternalDataError } from '../core/externalData';
import { buildModelGraph } from '../core/graph';
import { readModel } from '../core/model';
import { Dim, ValueType } from '../core/types';
import { createSession, externalDataFiles, loadOrt, OrtSession } from '../backends/onnxruntime/ortSession';

/** onnxruntime's tensor type strings -> ONNX TensorProto.DataType. */
export const ORT_ELEM_TYPES: Record<string, number> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, string: 8, bool: 9, float16: 10,
  float64: 11, uint32: 12, uint64: 13, bfloat16: 16, uint4: 21, int4: 22,
};

interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string | undefined | null)[];
}

/** An onnxruntime value description as an ONNX value type (unknown dims become null). */
export function valueTypeFromOrt(meta: OrtValueMetadata): ValueType {
  if (!meta.isTensor) return { kind: 'unknown' };
  const elemType = ORT_ELEM_TYPES[meta.type ?? ''];
  if (elemType === undefined) throw new OnnxModelError(`onnxruntime reports type '${meta.type}' for '${meta.name}', which has no ONNX element type here`, [meta.name]);
  const shape: Dim[] | undefined = meta.shape?.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d !== '' ? d : null));
  return { kind: 'tensor', elemType, shape };
}

/**
 * Types of `names` (graph inputs or node outputs) as onnxruntime infers them. `modelPath` locates the model's
 * external data files, loaded through the one resolver (loading bytes, onnxruntime cannot find them itself).
 */
export async function inferTensorTypes(modelBytes: Uint8Array, names: readonly string[], modelPath: string): Promise<Map<string, ValueType>> {
  const model = readModel(modelBytes);
  const graph = buildModelGraph(model);
  const inputs = new Set(graph.inputs);
  const produced = names.filter((n) => !inputs.has(n));
  const marked = produced.length > 0 ? markOutputs(model, graph, produced).bytes : modelBytes;
  const quoted = names.map((n) => `'${n}'`).join(', ');
  let external;
  try {
    external = externalDataFiles(model, modelPath);
  } catch (e) {
    if (!(e instanceof ExternalDataError)) throw e;
    throw new OnnxModelError(`cannot infer the types of ${quoted}: onnxruntime needs the model's weights, and ${e.message}`, [e.tensor, e.path]);
  }
  let session: OrtSession;
  try {
    session = await createSession(loadOrt(), marked, external, { optLevel: 'disabled', ep: 'cpu' });
  } catch (e) {
    throw new OnnxModelError(`onnxruntime could not load the model to infer the types of ${quoted}: ${firstLine(e)}`);
  }
  try {
    const meta = new Map<string, OrtValueMetadata>();
    for (const m of [...session.inputMetadata, ...session.outputMetadata] as OrtValueMetadata[]) meta.set(m.name, m);
    const types = new Map<string, ValueType>();
    for (const n of names) {
      const m = meta.get(n);
      if (!m) throw new OnnxModelError(`onnxruntime reported no type for '${n}'`, [n]);
      types.set(n, valueTypeFromOrt(m));
    }
    return types;
  } finally {
    await session.release();
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/^onnxruntime could not load the model: /, '');
}
