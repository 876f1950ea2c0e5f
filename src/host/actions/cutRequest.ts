// Which cut an action asks for, from the marks or a node, as tensor names for core's planCut. Pure (core only).
import { planCut } from '../../core/edit';
import { OnnxModelError } from '../../core/errors';
import { GraphModel } from '../../core/graph';

export interface CutRequest {
  inputs: string[];
  outputs: string[];
}

/**
 * The cut the extract marks describe. Without "Start Here" marks the cut starts at the model's own inputs,
 * keeping only those the outputs need, so "End Here" alone extracts everything upstream of the ends.
 */
export function cutFromMarks(graph: GraphModel, inputs: readonly string[], outputs: readonly string[]): CutRequest {
  if (outputs.length === 0) {
    throw new OnnxModelError("choose where the submodel ends first: right-click a tensor and choose 'Extract Submodel: End Here'");
  }
  if (inputs.length > 0) return { inputs: [...inputs], outputs: [...outputs] };
  const modelInputs = graph.inputs.filter((n) => !graph.values.get(n)?.initializer);
  const plan = planCut(graph, modelInputs, outputs);
  return { inputs: modelInputs.filter((n) => plan.visited.has(n)), outputs: [...outputs] };
}

/** The cut holding one node: its inputs (weights stay initializers) to its outputs. */
export function cutOfNode(graph: GraphModel, index: number | undefined): CutRequest {
  const node = index === undefined ? undefined : graph.nodes[index];
  if (!node) throw new OnnxModelError('choose an operator node to extract (graph inputs, outputs and groups are not nodes)');
  const reads = [...node.inputs, ...node.implicitInputs].filter((t) => t !== '' && !graph.values.get(t)?.initializer);
  const outputs = node.outputs.filter((t) => t !== '');
  if (outputs.length === 0) throw new OnnxModelError(`node '${node.name || node.opType}' has no outputs to extract`);
  return { inputs: [...new Set(reads)], outputs };
}
