// "Mark as Output": a copy of the model, beside it, whose outputs also include the chosen tensors (every edge
// chosen in the view plus the one right-clicked), opened in the graph editor.
import * as vscode from 'vscode';
import { markOutputs } from '../../core/edit';
import { OnnxModelError } from '../../core/errors';
import { typesForMarks, untypedMarks } from '../../node/cutTypes';
import { GraphEditorProvider } from '../graphEditorProvider';
import { actionCommand, menuContext, panelModel, targetPanel } from './actionContext';
import { tensorsToMark } from './marksState';
import { marksOf } from './panelMarks';
import { writeAndOpen } from './writeDerivedModel';

export const MARK_AS_OUTPUT = 'onnxInspector.markAsOutput';

export function registerMarkAsOutput(provider: GraphEditorProvider): vscode.Disposable {
  return actionCommand(MARK_AS_OUTPUT, async (arg) => {
    const panel = targetPanel(provider);
    const pm = panelModel(panel);
    const tensors = tensorsToMark(marksOf(panel), menuContext(arg)?.tensor);
    if (tensors.length === 0) throw new OnnxModelError('choose the tensors to mark first: click an edge (ctrl/cmd-click for more), or right-click one');
    const name = pm.path.split(/[\\/]/).pop();
    let result;
    try {
      // Written outputs need types (the ONNX checker requires them): onnxruntime infers those the model lacks.
      const untyped = untypedMarks(pm.graph, tensors);
      const types = untyped.length === 0 ? undefined : (await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Inferring the types of ${untyped.length} tensors with onnxruntime\u2026` },
        () => typesForMarks(pm.model.bytes, pm.graph, tensors, pm.path))).types;
      result = markOutputs(pm.model, pm.graph, tensors, { types });
    } catch (e) {
      if (e instanceof OnnxModelError) throw new OnnxModelError(`Cannot mark outputs in ${name}: ${e.message}`, e.details);
      throw e;
    }
    if (result.added.length === 0) {
      void vscode.window.showInformationMessage(`${tensors.map((t) => `'${t}'`).join(', ')} ${tensors.length === 1 ? 'is' : 'are'} already an output of ${name}; nothing written.`);
      return;
    }
    panel.post({ type: 'clearChosenTensors' });
    await writeAndOpen(pm.path, 'outputs', result.bytes, `Marked ${result.added.length} output${result.added.length === 1 ? '' : 's'}`, { added: result.added });
  });
}
