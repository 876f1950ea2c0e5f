// "Export View as SVG/PNG": the webview draws the picture (it knows the theme's colors and fonts) and sends it;
// the host asks where to save it (the save dialog confirms replacing a file) and writes it.
import * as vscode from 'vscode';
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

function answerSaveExport(panel: GraphPanel): void {
  panel.handle('saveExport', async ({ format, data, width, height, note }) => {
    if (format !== 'svg' && format !== 'png') throw new Error(`unknown export format '${String(format)}'`);
    const target = await vscode.window.showSaveDialog({
      defaultUri: defaultTarget(panel, format),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: `Export ${panel.document.fileName} as ${format.toUpperCase()}`,
    });
    if (!target) return { saved: false };
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (e) {
      const message = `Cannot save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`;
      void vscode.window.showErrorMessage(message);
      throw new Error(message);
    }
    log.event('exported', { format, path: target.fsPath, bytes: bytes.length, width, height, note });
    void vscode.window.showInformationMessage(`Saved ${target.path.split('/').pop()} (${width}\u00D7${height})${note ? `. ${note}` : ''}`);
    return { saved: true, path: target.fsPath };
  });
}

export function registerExportView(provider: GraphEditorProvider): vscode.Disposable {
  const command = (id: string, format: ExportFormat) => actionCommand(id, () => targetPanel(provider).post({ type: 'exportView', format }));
  return vscode.Disposable.from(registerPanelFeature(answerSaveExport), command(EXPORT_SVG, 'svg'), command(EXPORT_PNG, 'png'));
}
