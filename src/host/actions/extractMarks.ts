// "Extract Submodel: Start Here" / "End Here" / "Clear Extract Selection": the cut's ends, kept per panel and
// drawn highlighted in the webview until cleared.
import * as vscode from 'vscode';
import { OnnxModelError } from '../../core/errors';
import { GraphEditorProvider } from '../graphEditorProvider';
import { actionCommand, menuContext, targetPanel } from './actionContext';
import { addExtractMark, clearExtractMarks } from './marksState';
import { marksOf, sendExtractMarks } from './panelMarks';

export const EXTRACT_START_HERE = 'onnxInspector.extractStartHere';
export const EXTRACT_END_HERE = 'onnxInspector.extractEndHere';
export const CLEAR_EXTRACT_SELECTION = 'onnxInspector.clearExtractSelection';

function markCommand(provider: GraphEditorProvider, id: string, side: 'inputs' | 'outputs'): vscode.Disposable {
  return actionCommand(id, (arg) => {
    const panel = targetPanel(provider);
    const m = marksOf(panel);
    // From the menu: the clicked tensor. From the palette: the tensors chosen in the view.
    const clicked = menuContext(arg)?.tensor;
    const tensors = clicked ? [clicked] : m.chosen;
    if (tensors.length === 0) throw new OnnxModelError('choose a tensor first: click an edge in the graph, or right-click one');
    for (const t of tensors) addExtractMark(m, side, t);
    sendExtractMarks(panel);
  });
}

export function registerExtractMarks(provider: GraphEditorProvider): vscode.Disposable {
  return vscode.Disposable.from(
    markCommand(provider, EXTRACT_START_HERE, 'inputs'),
    markCommand(provider, EXTRACT_END_HERE, 'outputs'),
    actionCommand(CLEAR_EXTRACT_SELECTION, () => {
      const panel = targetPanel(provider);
      clearExtractMarks(marksOf(panel));
      sendExtractMarks(panel);
    }),
  );
}
