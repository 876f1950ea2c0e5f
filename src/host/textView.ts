// "Open as Text" and "Compare Models": a read-only document holding a model's ONNX text form, served
// under the onnx-text: scheme, so VS Code's editor and diff editor show it with our grammar.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { printModel } from '../core/textPrinter';
import { readModelUri } from './readModelUri';

export const TEXT_SCHEME = 'onnx-text';

/** Diff sides split lines longer than this (a node's attributes and inputs one per line). */
export const DIFF_LINE_WIDTH = 100;

/**
 * onnx-text:/path/model.onnx.onnxtxt?<original uri>: the .onnxtxt suffix selects the grammar. The `diff`
 * fragment prints long nodes split over several lines, so the diff editor shows the changed token.
 */
export function textUriFor(model: vscode.Uri, form: 'text' | 'diff' = 'text'): vscode.Uri {
  return vscode.Uri.from({ scheme: TEXT_SCHEME, path: `${model.path}.onnxtxt`, query: model.toString(), fragment: form === 'diff' ? 'diff' : '' });
}

export class ModelTextProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    try {
      return printModel((await readModelUri(source)).model, uri.fragment === 'diff' ? { lineWidth: DIFF_LINE_WIDTH } : undefined);
    } catch (e) {
      // The text document is the only place this error can show without a modal: say it there too.
      void vscode.window.showErrorMessage(`Cannot print ${source.path.split('/').pop()}: ${errorMessage(e)}`);
      return `# Cannot print ${source.toString()}\n# ${errorMessage(e)}\n`;
    }
  }
}

export async function openAsText(model: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(textUriFor(model));
  await vscode.window.showTextDocument(doc, { preview: false });
}

export async function compareModelsAsText(left: vscode.Uri, right: vscode.Uri): Promise<void> {
  const name = (u: vscode.Uri) => u.path.split('/').pop();
  await vscode.commands.executeCommand('vscode.diff', textUriFor(left, 'diff'), textUriFor(right, 'diff'), `${name(left)} ↔ ${name(right)} (ONNX text)`);
}
