// "Export View as SVG/PNG": the webview draws the picture (it knows the theme's colors and fonts) and sends it;
// the host asks where to save it (the save dialog confirms replacing a file) and writes it.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { ExportFormat } from '../../protocol/graphActions';
import { GraphEditorProvider } from '../graphEditorProvider';
import { GraphPanel, registerPanelFeature } from '../graphPanel';
import { log } from '../log';
import { actionCommand, targetPanel } from './actionContext';

export const EXPORT_SVG = 'onnxInspector.exportSvg';
export const EXPORT_PNG = 'onnxInspector.exportPng';

function defaultTarget(panel: GraphPanel, format: ExportFormat): vscode.Uri {
  const uri = panel.document.uri;
  return uri.with({ path: `${uri.path.replace(/\.[^./]*$/, '')}.${format}` });
}

async function saveWithDialog(panel: GraphPanel, format: ExportFormat, bytes: Uint8Array, width: number, height: number, note: string | undefined): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultTarget(panel, format),
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    title: `Export ${panel.document.fileName} as ${format.toUpperCase()}`,
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, bytes);
  } catch (e) {
    const message = `Cannot save ${target.fsPath}: ${errorMessage(e)}`;
    log.error(message);
    void vscode.window.showErrorMessage(message);
    return;
  }
  log.event('exported', { format, path: target.fsPath, bytes: bytes.length, width, height, note });
  void vscode.window.showInformationMessage(`Saved ${target.path.split('/').pop()} (${width}\u00D7${height})${note ? `. ${note}` : ''}`);
}

function answerSaveExport(panel: GraphPanel): void {
  // Answered at once: the user may sit in the save dialog longer than the webview waits for an answer, and the
  // outcome (saved, cancelled, failed) is told by the host's own notifications.
  panel.handle('saveExport', async ({ format, data, width, height, note }) => {
    if (format !== 'svg' && format !== 'png') throw new Error(`unknown export format '${String(format)}'`);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
    if (!bytes || bytes.length === 0) throw new Error(`the exported ${format.toUpperCase()} arrived empty or in an unexpected form`);
    if (note) log.info(`export ${format}: ${note}`);
    void saveWithDialog(panel, format, bytes, width, height, note).catch((e) => {
      log.error(`export ${format} failed: ${errorMessage(e)}`);
      void vscode.window.showErrorMessage(`Export failed: ${errorMessage(e)}`);
    });
    return { accepted: true };
  });
}

export function registerExportView(provider: GraphEditorProvider): vscode.Disposable {
  const command = (id: string, format: ExportFormat) => actionCommand(id, () => targetPanel(provider).post({ type: 'exportView', format }));
  return vscode.Disposable.from(registerPanelFeature(answerSaveExport), command(EXPORT_SVG, 'svg'), command(EXPORT_PNG, 'png'));
}
