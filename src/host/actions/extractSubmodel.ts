// "Extract Submodel": writes the submodel between the "Start Here" and "End Here" tensors beside the model.
import * as vscode from 'vscode';
import { GraphEditorProvider } from '../graphEditorProvider';
import { actionCommand, panelModel, targetPanel } from './actionContext';
import { cutFromMarks } from './cutRequest';
import { extractAndOpen } from './extractAndOpen';
import { marksOf } from './panelMarks';

export const EXTRACT_SUBMODEL = 'onnxInspector.extractSubmodel';

export function registerExtractSubmodel(provider: GraphEditorProvider): vscode.Disposable {
  return actionCommand(EXTRACT_SUBMODEL, async () => {
    const panel = targetPanel(provider);
    const pm = panelModel(panel);
    const m = marksOf(panel);
    await extractAndOpen(pm, cutFromMarks(pm.graph, m.inputs, m.outputs), 'extract', 'Extracted submodel');
  });
}
