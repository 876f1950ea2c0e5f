// The custom editor for *.onnx: read-only documents, one GraphPanel per open editor.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { GraphPanel, SceneSource } from './graphPanel';
import { OnnxDocument } from './onnxDocument';
import { RecentModels } from './recentModels';
import type { ViewMemory } from './viewMemory';

export const GRAPH_VIEW_TYPE = 'onnxInspector.graph';

export class GraphEditorProvider extends Disposable implements vscode.CustomReadonlyEditorProvider<OnnxDocument> {
  private readonly panels = new Set<GraphPanel>();
  private active: GraphPanel | undefined;
  private readonly recent = new RecentModels();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly createScenes: (doc: OnnxDocument) => SceneSource | undefined,
    private readonly views?: ViewMemory,
  ) {
    super();
  }

  openCustomDocument(uri: vscode.Uri): OnnxDocument {
    return OnnxDocument.open(uri, this.recent);
  }

  resolveCustomEditor(document: OnnxDocument, webviewPanel: vscode.WebviewPanel): void {
    const panel = new GraphPanel(document, webviewPanel, this.extensionUri, this.createScenes, this.views);
    this.panels.add(panel);
    this.active = panel;
    webviewPanel.onDidChangeViewState(() => {
      if (webviewPanel.active) this.active = panel;
    });
    webviewPanel.onDidDispose(() => {
      this.panels.delete(panel);
      if (this.active === panel) this.active = undefined;
      panel.dispose();
    });
  }

  /** The graph editor the user is looking at, for palette commands. */
  get activePanel(): GraphPanel | undefined {
    return this.active && this.active.panel.active ? this.active : [...this.panels].find((p) => p.panel.active);
  }

  override dispose(): void {
    for (const p of this.panels) p.dispose();
    this.panels.clear();
    super.dispose();
  }
}
