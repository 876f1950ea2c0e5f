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

/**
 * Whether `name` is computed from initializers alone (Constant, or Identity of a shared weight as exporters
 * write): such tensors come along with the node instead of becoming inputs. Short chains only (depth cap).
 */
function isConstant(graph: GraphModel, name: string, memo: Map<string, boolean>, depth = 0): boolean {
  const known = memo.get(name);
  if (known !== undefined) return known;
  const v = graph.values.get(name);
  let result = false;
  if (v?.initializer && !v.isInput) result = true;
  else if (v && v.producer >= 0 && depth < 16) {
    const node = graph.nodes[v.producer];
    result = [...node.inputs, ...node.implicitInputs].every((t) => t === '' || isConstant(graph, t, memo, depth + 1));
  }
  memo.set(name, result);
  return result;
}

/** The cut holding one node: its inputs (weights and constants come along) to its outputs. */
export function cutOfNode(graph: GraphModel, index: number | undefined): CutRequest {
  const node = index === undefined ? undefined : graph.nodes[index];
  if (!node) throw new OnnxModelError('choose an operator node to extract (graph inputs, outputs and groups are not nodes)');
  const memo = new Map<string, boolean>();
  const reads = [...node.inputs, ...node.implicitInputs].filter((t) => t !== '' && !isConstant(graph, t, memo));
  const outputs = node.outputs.filter((t) => t !== '');
  if (outputs.length === 0) throw new OnnxModelError(`node '${node.name || node.opType}' has no outputs to extract`);
  return { inputs: [...new Set(reads)], outputs };
}
