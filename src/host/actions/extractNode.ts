// "Extract Node": the right-clicked (or selected) node alone, from its inputs to its outputs, as a new model.
import * as vscode from 'vscode';
import { GraphEditorProvider } from '../graphEditorProvider';
import { actionCommand, menuContext, panelModel, targetPanel } from './actionContext';
import { cutOfNode } from './cutRequest';
import { extractAndOpen } from './extractAndOpen';
import { opIndexOf } from './marksState';
import { marksOf } from './panelMarks';

export const EXTRACT_NODE = 'onnxInspector.extractNode';

export function registerExtractNode(provider: GraphEditorProvider): vscode.Disposable {
  return actionCommand(EXTRACT_NODE, async (arg) => {
    const panel = targetPanel(provider);
    const pm = panelModel(panel);
    const nodeId = menuContext(arg)?.nodeId ?? marksOf(panel).selectedNode;
    await extractAndOpen(pm, cutOfNode(pm.graph, opIndexOf(nodeId)), 'node', 'Extracted node');
  });
}
