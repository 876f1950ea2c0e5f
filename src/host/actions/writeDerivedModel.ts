// Writes an edited model beside the original (next free name, never over anything) and opens it in the graph
// editor. Beside the original, relative external data locations stay valid, so weights are not copied.
import { checkWrittenModelData } from '../../node/externalWeights';
import * as vscode from 'vscode';
import { writeBesideModel } from '../../node/besideModel';
import { GRAPH_VIEW_TYPE } from '../graphEditorProvider';
import { log } from '../log';

export async function writeAndOpen(modelPath: string, tag: string, bytes: Uint8Array, what: string, detail: Record<string, unknown>): Promise<string> {
  // Beside the model, its external data locations are kept: they must not lead out of its folder.
  checkWrittenModelData(modelPath, bytes);
  const written = writeBesideModel(modelPath, tag, bytes);
  const name = written.split(/[\\/]/).pop();
  log.event('modelWritten', { action: tag, path: written, bytes: bytes.length, ...detail });
  // Pinned, so it does not replace the model's tab when that one is still a preview.
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(written), GRAPH_VIEW_TYPE, { preview: false });
  void vscode.window.showInformationMessage(`${what}: wrote ${name}`);
  return written;
}
