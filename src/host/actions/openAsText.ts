// "Open as Text": the model's ONNX text form in a read-only editor (onnx-text: scheme, our grammar), from the
// explorer, the editor title, or the active graph editor.
import * as vscode from 'vscode';
import { GraphEditorProvider } from '../graphEditorProvider';
import { openAsText } from '../textView';
import { ActionError, actionCommand } from './actionContext';

export const OPEN_AS_TEXT = 'onnxInspector.openAsText';

/** The model a command acts on: a Uri argument (explorer, editor title), else the active graph editor's. */
export function modelUriOf(arg: unknown, provider: GraphEditorProvider): vscode.Uri {
  if (arg instanceof vscode.Uri) return arg;
  const panel = provider.activePanel;
  if (panel) return panel.document.uri;
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor && editor.path.endsWith('.onnx')) return editor;
  throw new ActionError('Open an ONNX model in the graph editor, or choose an .onnx file in the explorer.');
}

export function registerOpenAsText(provider: GraphEditorProvider): vscode.Disposable {
  return actionCommand(OPEN_AS_TEXT, (arg) => openAsText(modelUriOf(arg, provider)));
}
