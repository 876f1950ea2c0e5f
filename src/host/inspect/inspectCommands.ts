// Palette commands of the inspect feature; each acts on the active graph editor.
import * as vscode from 'vscode';
import type { GraphEditorProvider } from '../graphEditorProvider';
import type { GraphPanel } from '../graphPanel';
import { registerPanelFeature } from '../graphPanel';
import { goToPyTorchSource } from './goToSource';
import { childPaths } from './graphPath';
import { registerInspectHandlers } from './inspectHandlers';
import { nodeOfId } from './nodeProps';
import { inspectSessionOf } from './sessions';

function withPanel(provider: GraphEditorProvider, run: (panel: GraphPanel) => unknown): () => void {
  return () => {
    const panel = provider.activePanel;
    if (!panel) {
      void vscode.window.showInformationMessage('Open an ONNX model in the ONNX Graph editor first.');
      return;
    }
    void Promise.resolve(run(panel)).catch((e) => vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
  };
}

function selectedNode(panel: GraphPanel): string | undefined {
  const sel = inspectSessionOf(panel).selection;
  if (sel.kind === 'node' && sel.id?.startsWith('n:')) return sel.id;
  void vscode.window.showInformationMessage('Select a node in the graph first.');
  return undefined;
}

async function openSubgraph(panel: GraphPanel): Promise<void> {
  const session = inspectSessionOf(panel);
  const { model } = session.loaded;
  const items: (vscode.QuickPickItem & { path: import('../../protocol/inspect').GraphPath })[] = [];
  const sel = session.selection;
  if (sel.kind === 'node' && sel.id?.startsWith('n:')) {
    const node = nodeOfId(session.resolve(session.path).graph, sel.id);
    for (const c of childPaths(model, session.path, node)) items.push({ label: c.label, description: `of node ${node.name || sel.id}`, path: c.path });
  }
  for (const { value: f } of model.functions) {
    items.push({ label: `function ${f.domain ? `${f.domain}.` : ''}${f.name ?? ''}`, description: `${f.node?.length ?? 0} nodes`, path: [{ kind: 'function', domain: f.domain ?? '', name: f.name ?? '', overload: f.overload || undefined }] });
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('The selected node has no subgraphs, and the model has no local functions.');
    return;
  }
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Open which graph?' });
  if (pick) panel.post({ type: 'inspect.openGraph', path: pick.path });
}

/** Per-editor handlers and the palette commands. */
export function registerInspect(provider: GraphEditorProvider): vscode.Disposable {
  return vscode.Disposable.from(
    registerPanelFeature(registerInspectHandlers),
    vscode.commands.registerCommand('onnxInspector.find', withPanel(provider, (p) => p.post({ type: 'inspect.focusSearch' }))),
    vscode.commands.registerCommand('onnxInspector.toggleProperties', withPanel(provider, (p) => p.post({ type: 'inspect.togglePanel' }))),
    vscode.commands.registerCommand('onnxInspector.goToPyTorchSource', withPanel(provider, (p) => {
      const id = selectedNode(p);
      return id && goToPyTorchSource(p, id);
    })),
    vscode.commands.registerCommand('onnxInspector.openSubgraph', withPanel(provider, openSubgraph)),
    vscode.commands.registerCommand('onnxInspector.exitSubgraph', withPanel(provider, (p) => {
      const path = inspectSessionOf(p).path;
      if (path.length === 0) void vscode.window.showInformationMessage('The main graph is already shown.');
      else p.post({ type: 'inspect.openGraph', path: path.slice(0, -1) });
    })),
  );
}
