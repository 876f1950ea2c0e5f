// Shared by "Extract Submodel" and "Extract Node": check the cut, type its inputs (declared, else inferred by
// onnxruntime under a progress notification), extract with the core library, write beside the model, open it.
import * as vscode from 'vscode';
import { extractSubmodel, planCut } from '../../core/edit';
import { errorMessage, OnnxModelError } from '../../core/errors';
import { typesForCut, untypedCutTensors } from '../../node/cutTypes';
import { ActionError, PanelModel } from './actionContext';
import { CutRequest } from './cutRequest';
import { writeAndOpen } from './writeDerivedModel';

export async function extractAndOpen(pm: PanelModel, cut: CutRequest, tag: string, what: string): Promise<string> {
  const name = pm.path.split(/[\\/]/).pop();
  // The cut is checked before onnxruntime runs: an impossible cut should not wait for (or hide behind) it.
  let plan;
  try {
    plan = planCut(pm.graph, cut.inputs, cut.outputs);
  } catch (e) {
    if (e instanceof OnnxModelError) throw new OnnxModelError(`Cannot extract from ${name}: ${e.message}`, e.details);
    throw e;
  }
  const { untyped, needsInference } = untypedCutTensors(pm.graph, plan);
  let types;
  try {
    types = needsInference
      ? (await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Inferring the types of ${untyped.length} tensors with onnxruntime\u2026` },
          () => typesForCut(pm.model.bytes, pm.graph, plan, pm.path))).types
      : undefined;
  } catch (e) {
    throw new ActionError(`Cannot extract from ${name}: the model does not declare the types of ${untyped.map((t) => `'${t}'`).join(', ')}, and onnxruntime could not infer them: ${errorMessage(e)}`);
  }
  const result = extractSubmodel(pm.model, pm.graph, { inputs: plan.inputs, outputs: plan.outputs, types });
  return writeAndOpen(pm.path, tag, result.bytes, what, {
    nodes: result.nodes.length, inputs: result.inputs, outputs: result.outputs, inferred: types ? untyped : [],
  });
}
