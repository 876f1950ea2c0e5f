// What a run must feed: each graph input's dtype and shape, with dynamic dims resolved from the user's
// `--dim name=value` map (by dim_param name, or `input:axis`), else 1 as Polygraphy does.
import { GraphModel } from '../../core/graph';
import { Dim, elementTypeName, formatValueType } from '../../core/types';
import { DType } from '../../compare/ndarray';

/** ONNX TensorProto.DataType -> NdArray dtype (types a run can feed). */
export const ONNX_TO_DTYPE: Record<number, DType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export class InputError extends Error {
  override name = 'InputError';
}

export interface InputSpec {
  name: string;
  dtype: DType;
  /** Declared dims (null = unknown, string = symbolic); undefined when the model declares no shape. */
  dims: Dim[] | undefined;
}

export function modelInputSpecs(graph: GraphModel): InputSpec[] {
  return graph.inputs.map((name) => {
    const t = graph.values.get(name)?.type;
    if (!t || t.kind !== 'tensor') throw new InputError(`input '${name}' is ${formatValueType(t)}, not a tensor: only tensor inputs can be fed`);
    const dtype = ONNX_TO_DTYPE[t.elemType];
    if (!dtype) throw new InputError(`input '${name}' has element type ${elementTypeName(t.elemType)}, which cannot be fed here`);
    return { name, dtype, dims: t.shape };
  });
}

/** Parses `batch=1` / `input:0=3` entries into a map (errors name the bad entry). */
export function parseDimOverrides(entries: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) {
    const m = /^(.+)=(\d+)$/.exec(e.trim());
    if (!m) throw new InputError(`bad --dim '${e}': expected NAME=VALUE with a positive integer VALUE`);
    // A dim of 0 makes empty inputs: every tensor of the run would be empty, so nothing could be compared.
    if (Number(m[2]) === 0) throw new InputError(`bad --dim '${e}': the size must be at least 1 (0 makes empty tensors)`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

/**
 * The concrete shape to generate for one input. Symbolic and unknown dims take the user's value (by
 * dim name or `input:axis`), else 1 (Polygraphy's DEFAULT_SHAPE_VALUE). A model with no declared shape
 * at all has no default: the caller lists those.
 */
export function resolveShape(spec: InputSpec, dims: ReadonlyMap<string, number>): number[] | null {
  if (!spec.dims) return null;
  return spec.dims.map((d, axis) => {
    const byAxis = dims.get(`${spec.name}:${axis}`);
    if (byAxis !== undefined) return byAxis;
    if (typeof d === 'number') return d;
    if (typeof d === 'string' && dims.has(d)) return dims.get(d) as number;
    return 1;
  });
}

/** Shapes of all inputs; one error listing every input whose shape cannot be chosen. */
export function resolveShapes(specs: readonly InputSpec[], dims: ReadonlyMap<string, number>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const missing: string[] = [];
  for (const s of specs) {
    const shape = resolveShape(s, dims);
    if (shape) out.set(s.name, shape);
    else missing.push(s.name);
  }
  if (missing.length) {
    throw new InputError(`the model declares no shape for input(s) ${missing.map((n) => `'${n}'`).join(', ')}: give the inputs in a file (--inputs) or every axis with --dim NAME:AXIS=VALUE ...`);
  }
  const known = new Set([...specs.flatMap((s) => (s.dims ?? []).filter((d): d is string => typeof d === 'string')), ...specs.flatMap((s) => (s.dims ?? []).map((_, i) => `${s.name}:${i}`))]);
  const unused = [...dims.keys()].filter((k) => !known.has(k));
  if (unused.length) throw new InputError(`--dim ${unused.join(', ')}: no input has such a dim; dims: ${[...known].filter((k) => !k.includes(':')).join(', ') || 'none are symbolic'}`);
  return out;
}
