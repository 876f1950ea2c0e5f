// "Copy Name": the right-clicked (or selected) node's name, or the tensor's name on an edge, to the clipboard.
import * as vscode from 'vscode';
import { OnnxModelError } from '../../core/errors';
import { GraphEditorProvider } from '../graphEditorProvider';
import { actionCommand, menuContext, targetPanel } from './actionContext';
import { opIndexOf } from './marksState';
import { marksOf } from './panelMarks';

export const COPY_NAME = 'onnxInspector.copyName';

export function registerCopyName(provider: GraphEditorProvider): vscode.Disposable {
  return actionCommand(COPY_NAME, async (arg) => {
    const panel = targetPanel(provider);
    const ctx = menuContext(arg);
    let name = ctx?.tensor ?? ctx?.nodeName;
    if (name === undefined) {
      const id = marksOf(panel).selectedNode ?? '';
      const index = opIndexOf(id);
      const graph = panel.document.loaded?.graph;
      name = index !== undefined ? graph?.nodes[index]?.name : id.replace(/^[io]:/, '') || marksOf(panel).chosen[0];
    }
    if (!name) throw new OnnxModelError('the node has no name to copy (ONNX node names are optional)');
    await vscode.env.clipboard.writeText(name);
    vscode.window.setStatusBarMessage(`Copied '${name}'`, 3000);
  });
}
