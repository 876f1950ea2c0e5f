// What every graph action needs: the panel it acts on (the one right-clicked, which is the active one, or the
// active one for palette commands), its loaded model and file, and one error path that reaches the user.
import * as vscode from 'vscode';
import { errorMessage, OnnxModelError } from '../../core/errors';
import { GraphModel } from '../../core/graph';
import { OnnxModel } from '../../core/model';
import { GraphEditorProvider } from '../graphEditorProvider';
import { GraphPanel } from '../graphPanel';
import { log } from '../log';

/** The argument VS Code passes to a `webview/context` command: our data-vscode-context plus `webview`. */
export interface MenuContext {
  webview?: string;
  webviewSection?: 'node' | 'group' | 'edge' | 'canvas';
  nodeId?: string;
  nodeName?: string;
  tensor?: string;
  edgeId?: string;
}

/** A failure the user can fix, shown as is (no stack, no "internal error"). */
export class ActionError extends Error {}

/** The arg when the command came from our context menu, undefined from the palette or a keybinding. */
export function menuContext(arg: unknown): MenuContext | undefined {
  return arg && typeof arg === 'object' && 'webviewSection' in arg ? (arg as MenuContext) : undefined;
}

export function targetPanel(provider: GraphEditorProvider): GraphPanel {
  const panel = provider.activePanel;
  if (!panel) throw new ActionError('Open an ONNX model in the ONNX graph editor first.');
  return panel;
}

export interface PanelModel {
  model: OnnxModel;
  graph: GraphModel;
  /** The model file's path on disk (edits write beside it). */
  path: string;
}

export function panelModel(panel: GraphPanel): PanelModel {
  const doc = panel.document;
  if (!doc.loaded) throw new ActionError(doc.settled ? `${doc.fileName} could not be read, so it cannot be edited.` : `${doc.fileName} is still being read; try again once its graph shows.`);
  if (doc.uri.scheme !== 'file') throw new ActionError(`${doc.fileName} is not a local file (${doc.uri.scheme}:); edits are written beside the model, on disk.`);
  return { model: doc.loaded.model, graph: doc.loaded.graph, path: doc.uri.fsPath };
}

/** Runs a command body; any error becomes an error notification (with the tensors it names) and a log line. */
export function actionCommand(id: string, body: (arg: unknown, ...rest: unknown[]) => Promise<unknown> | void): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (arg: unknown, ...rest: unknown[]) => {
    try {
      await body(arg, ...rest);
    } catch (e) {
      const message = errorMessage(e);
      const details = e instanceof OnnxModelError ? e.details : [];
      log.error(`${id} failed: ${message}`);
      log.event('actionError', { command: id, message, details });
      void vscode.window.showErrorMessage(message);
    }
  });
}
