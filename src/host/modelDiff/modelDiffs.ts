// Compare Models as a graph: reads both models, diffs them in the core, opens the union model (B plus A's removed
// nodes) in the ONNX graph editor, and gives that editor the marks and the list of differences to step through.
// The text diff (VS Code's diff editor on the text forms) is one button away in the list.
import * as vscode from 'vscode';
import { diffModels, type ModelDiff } from '../../core/diff/modelDiff';
import { buildUnionModel, type UnionModel } from '../../core/diff/unionModel';
import { errorMessage } from '../../core/errors';
import { buildModelGraph } from '../../core/graph';
import { GRAPH_VIEW_TYPE } from '../graphEditorProvider';
import { registerPanelFeature, type GraphPanel } from '../graphPanel';
import { revealTarget } from '../inspect/reveal';
import { log } from '../log';
import { readModelUri } from '../readModelUri';
import { compareModelsAsText } from '../textView';
import { DiffFiles, DIFF_SCHEME } from './diffFiles';
import { modelDiffView } from './diffView';

interface DiffSession {
  a: vscode.Uri;
  b: vscode.Uri;
  names: { a: string; b: string };
  diff: ModelDiff;
  union: UnionModel;
}

const fileName = (u: vscode.Uri) => u.path.split('/').pop() ?? u.path;

export class ModelDiffs implements vscode.Disposable {
  private readonly files = new DiffFiles();
  private readonly sessions = new Map<string, DiffSession>();
  private readonly registrations: vscode.Disposable[];
  private opened = 0;

  constructor() {
    this.registrations = [
      vscode.workspace.registerFileSystemProvider(DIFF_SCHEME, this.files, { isReadonly: true, isCaseSensitive: true }),
      registerPanelFeature((panel) => this.setupPanel(panel)),
    ];
  }

  /** Diffs `a` (old) against `b` (new) and opens the graph of the difference. */
  async open(a: vscode.Uri, b: vscode.Uri): Promise<void> {
    const names = { a: fileName(a), b: fileName(b) };
    const session = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Comparing ${names.a} with ${names.b}` },
      async () => {
        const t0 = performance.now();
        const [ra, rb] = await Promise.all([readModelUri(a), readModelUri(b)]);
        const sideA = { model: ra.model, graph: buildModelGraph(ra.model) };
        const sideB = { model: rb.model, graph: buildModelGraph(rb.model) };
        const t1 = performance.now();
        const diff = diffModels(sideA, sideB);
        const t2 = performance.now();
        const union = buildUnionModel(sideA, sideB, diff);
        log.event('modelDiff', {
          a: names.a, b: names.b, ...diff.summary, readMs: Math.round(t1 - t0), diffMs: Math.round(t2 - t1),
          unionMs: Math.round(performance.now() - t2), unionBytes: union.bytes.length,
        });
        return { a, b, names, diff, union };
      },
    );
    // The tab's title is the path's last segment; the counter keeps each comparison its own document.
    const uri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${++this.opened}/${names.a} \u2194 ${names.b}` });
    this.files.add(uri, session.union.bytes);
    this.sessions.set(uri.toString(), session);
    await vscode.commands.executeCommand('vscode.openWith', uri, GRAPH_VIEW_TYPE);
  }

  private setupPanel(panel: GraphPanel): void {
    const key = panel.document.uri.toString();
    const session = this.sessions.get(key);
    if (!session) return;
    panel.handle('modelDiff.reveal', async ({ id }) => {
      const loaded = panel.document.loaded, view = panel.scenes?.viewModel?.();
      if (!loaded || !view) throw new Error('the graph of the difference is not ready yet');
      return revealTarget(loaded.graph, view, id);
    });
    panel.handle('modelDiff.textDiff', async () => {
      await compareModelsAsText(session.a, session.b);
      return { done: true };
    });
    panel.onInitialized(() => {
      try {
        const loaded = panel.document.loaded, view = panel.scenes?.viewModel?.();
        if (!loaded || !view) return;
        panel.post({ type: 'modelDiff.show', diff: modelDiffView(session.names, session.diff, session.union, loaded.graph, view) });
      } catch (e) {
        log.error(`Compare Models: showing the difference failed: ${errorMessage(e)}`);
      }
    });
    panel.panel.onDidDispose(() => {
      this.sessions.delete(key);
      this.files.remove(panel.document.uri);
    });
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    this.files.dispose();
    this.sessions.clear();
  }
}
