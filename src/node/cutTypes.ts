// Types for the inputs of a cut and for marked outputs: the model's declared ones, else onnxruntime's inference
// (torch.onnx exports often declare none). Shared by the CLI's extract/mark-outputs and the editor's actions.
import { checkMarkable, CutPlan } from '../core/edit';
import { GraphModel } from '../core/graph';
import { ValueType } from '../core/types';
import { inferTensorTypes } from './ortTypes';

export const isTyped = (t: ValueType | undefined): boolean => t?.kind === 'tensor' && t.elemType > 0;

/** The cut's tensors whose type the model does not declare: inputs and outputs both need one (the checker). */
export function untypedCutTensors(graph: GraphModel, plan: Pick<CutPlan, 'inputs' | 'outputs'>): { untyped: string[]; needsInference: boolean } {
  const untyped = [...plan.inputs, ...plan.outputs].filter((n) => !isTyped(graph.values.get(n)?.type));
  return { untyped, needsInference: untyped.length > 0 };
}

/**
 * Types onnxruntime infers for the cut's undeclared tensors, or undefined when every input is declared
 * (onnxruntime is not loaded then). `modelPath` locates external data files.
 */
export async function typesForCut(
  bytes: Uint8Array, graph: GraphModel, plan: Pick<CutPlan, 'inputs' | 'outputs'>, modelPath: string,
): Promise<{ types: Map<string, ValueType> | undefined; inferred: string[] }> {
  const { untyped, needsInference } = untypedCutTensors(graph, plan);
  if (!needsInference) return { types: undefined, inferred: [] };
  const types = await inferTensorTypes(bytes, untyped, modelPath);
  return { types, inferred: untyped };
}

/** The tensors to mark whose type the model does not declare (each written output needs one). */
export function untypedMarks(graph: GraphModel, tensors: readonly string[] | 'all'): string[] {
  return checkMarkable(graph, tensors).filter((n) => !graph.values.get(n)!.isOutput && !isTyped(graph.values.get(n)!.type));
}

/**
 * Types onnxruntime infers for the marked tensors the model does not declare, or undefined when all are
 * declared (onnxruntime is not loaded then). `modelPath` locates external data files.
 */
export async function typesForMarks(
  bytes: Uint8Array, graph: GraphModel, tensors: readonly string[] | 'all', modelPath: string,
): Promise<{ types: Map<string, ValueType> | undefined; inferred: string[] }> {
  const untyped = untypedMarks(graph, tensors);
  if (untyped.length === 0) return { types: undefined, inferred: [] };
  return { types: await inferTensorTypes(bytes, untyped, modelPath), inferred: untyped };
}
