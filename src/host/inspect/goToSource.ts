// Opens the Python source line a node came from (its pkg.torch.onnx.stack_trace metadata), when a local copy
// of the file can be found; otherwise says where it looked.
import * as vscode from 'vscode';
import type { GraphPanel } from '../graphPanel';
import { log } from '../log';
import { inspectSessionOf } from './sessions';
import { nodeOfId } from './nodeProps';
import { pythonSitePackages } from './pythonSitePackages';
import { findSourceFile, notFoundMessage, type SourceRoots } from './sourcePaths';
import { defaultFrameIndex } from './stackFrames';

export const SOURCE_ROOTS_SETTING = 'pytorchSourceRoots';

async function sourceRoots(): Promise<SourceRoots> {
  const configured = vscode.workspace.getConfiguration('onnxInspector').get<unknown>(SOURCE_ROOTS_SETTING, []);
  return {
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    sitePackages: await pythonSitePackages(),
    configured: Array.isArray(configured) ? configured.filter((p): p is string => typeof p === 'string' && p.length > 0) : [],
  };
}

/**
 * Opens the source of node `nodeId` (`n:<index>` in the graph the panel shows) at frame `frame` (index in the
 * trace as written; default: the deepest frame in model code). Never throws: the outcome comes back, and a
 * failure is also shown as a warning.
 */
export async function goToPyTorchSource(panel: GraphPanel, nodeId: string, frame?: number): Promise<{ opened: boolean; message: string }> {
  try {
    const session = inspectSessionOf(panel);
    const node = nodeOfId(session.resolve(session.path).graph, nodeId);
    const frames = node.stackTrace ?? [];
    const index = frame ?? defaultFrameIndex(frames);
    const f = frames[index];
    if (!f) throw new Error(`node ${node.name || nodeId} has no PyTorch stack trace (pkg.torch.onnx.stack_trace metadata)`);
    const roots = await sourceRoots();
    const lookup = findSourceFile(f.file, roots);
    if (!lookup.found) {
      const message = notFoundMessage(f.file, f.line, lookup, roots);
      log.warn(message);
      void vscode.window.showWarningMessage(message);
      return { opened: false, message };
    }
    const line = Math.max(0, f.line - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(lookup.found), { selection: new vscode.Range(line, 0, line, 0), preview: true });
    log.info(`opened source ${lookup.found}:${f.line}`);
    return { opened: true, message: `${lookup.found}:${f.line}` };
  } catch (e) {
    const message = `Go to PyTorch Source: ${e instanceof Error ? e.message : String(e)}`;
    log.warn(message);
    void vscode.window.showWarningMessage(message);
    return { opened: false, message };
  }
}
