// Types for the inputs of a cut and for marked outputs: the model's declared ones, else our shape inference
// (no weights, no onnxruntime), else onnxruntime's inference for what ours cannot type (custom-domain ops).
// torch.onnx exports often declare none. Shared by the CLI's extract/mark-outputs and the editor's actions.
import { checkMarkable, CutPlan } from '../core/edit';
import { GraphModel } from '../core/graph';
import { readModel } from '../core/model';
import { inferShapes } from '../core/shapes';
import { ValueType } from '../core/types';
import { inferTensorTypes } from './ortTypes';

/** Where the types of undeclared tensors came from: `shapes` our inference, `inferred` onnxruntime. */
export interface InferredTypes {
  types: Map<string, ValueType> | undefined;
  /** Typed by onnxruntime. */
  inferred: string[];
  /** Typed by the built-in shape inference. */
  shapes: string[];
}

/** Our shape inference's types for `names`, where it knows at least the element type. */
export function shapeInferredTypes(bytes: Uint8Array, graph: GraphModel, names: readonly string[]): Map<string, ValueType> {
  const out = new Map<string, ValueType>();
  if (names.length === 0) return out;
  const inference = inferShapes(readModel(bytes), graph);
  for (const n of names) {
    const t = inference.types.get(n);
    if (isTyped(t)) out.set(n, t!);
  }
  return out;
}

/** Types for `untyped`: ours first, onnxruntime for the rest (loaded only when some remain). */
async function typesFor(bytes: Uint8Array, graph: GraphModel, untyped: string[], modelPath: string): Promise<InferredTypes> {
  if (untyped.length === 0) return { types: undefined, inferred: [], shapes: [] };
  const types = shapeInferredTypes(bytes, graph, untyped);
  const rest = untyped.filter((n) => !types.has(n));
  if (rest.length > 0) for (const [n, t] of await inferTensorTypes(bytes, rest, modelPath)) types.set(n, t);
  return { types, inferred: rest, shapes: untyped.filter((n) => types.has(n) && !rest.includes(n)) };
}

export const isTyped = (t: ValueType | undefined): boolean => t?.kind === 'tensor' && t.elemType > 0;

/** The cut's tensors whose type the model does not declare: inputs and outputs both need one (the checker). */
export function untypedCutTensors(graph: GraphModel, plan: Pick<CutPlan, 'inputs' | 'outputs'>): { untyped: string[]; needsInference: boolean } {
  const untyped = [...plan.inputs, ...plan.outputs].filter((n) => !isTyped(graph.values.get(n)?.type));
  return { untyped, needsInference: untyped.length > 0 };
}

/**
 * Types for the cut's undeclared tensors (shape inference, then onnxruntime), or undefined when every one is
 * declared. `modelPath` locates external data files (onnxruntime needs the weights; our inference does not).
 */
export async function typesForCut(
  bytes: Uint8Array, graph: GraphModel, plan: Pick<CutPlan, 'inputs' | 'outputs'>, modelPath: string,
): Promise<InferredTypes> {
  return typesFor(bytes, graph, untypedCutTensors(graph, plan).untyped, modelPath);
}

/** The tensors to mark whose type the model does not declare (each written output needs one). */
export function untypedMarks(graph: GraphModel, tensors: readonly string[] | 'all'): string[] {
  return checkMarkable(graph, tensors).filter((n) => !graph.values.get(n)!.isOutput && !isTyped(graph.values.get(n)!.type));
}

/**
 * Types for the marked tensors the model does not declare (shape inference, then onnxruntime), or undefined
 * when all are declared. `modelPath` locates external data files.
 */
export async function typesForMarks(
  bytes: Uint8Array, graph: GraphModel, tensors: readonly string[] | 'all', modelPath: string,
): Promise<InferredTypes> {
  return typesFor(bytes, graph, untypedMarks(graph, tensors), modelPath);
}

/** The summary's note on where undeclared types came from ('' when none were needed). */
export function typeSources(shapes: readonly string[], inferred: readonly string[]): string {
  return `${shapes.length ? `; types of ${shapes.length} tensors from shape inference` : ''}${inferred.length ? `; types of ${inferred.length} tensors inferred with onnxruntime` : ''}`;
}
