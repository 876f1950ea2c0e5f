// Types for the inputs of a cut: the model's declared ones, else onnxruntime's inference (torch.onnx exports
// often declare none). Shared by the CLI's extract and the editor's "Extract Submodel".
import { CutPlan } from '../core/edit';
import { GraphModel } from '../core/graph';
import { ValueType } from '../core/types';
import { inferTensorTypes } from './ortTypes';

export const isTyped = (t: ValueType | undefined): boolean => t?.kind === 'tensor' && t.elemType > 0;

/** The cut's tensors whose type the model does not declare (inputs need one; outputs are inferred alongside). */
export function untypedCutTensors(graph: GraphModel, plan: Pick<CutPlan, 'inputs' | 'outputs'>): { untyped: string[]; needsInference: boolean } {
  const untyped = [...plan.inputs, ...plan.outputs].filter((n) => !isTyped(graph.values.get(n)?.type));
  return { untyped, needsInference: plan.inputs.some((n) => untyped.includes(n)) };
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
