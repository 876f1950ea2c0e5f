// One layout worker for the whole extension (warmed once), and per document a view model laid out on demand.
// After each scene, the groups the user can open next are laid out in the background.
import * as path from 'path';
import * as vscode from 'vscode';
import { defaultExpanded, likelyNextGroups } from '../layout/defaultExpanded';
import { visibleExpanded } from '../layout/sceneLayout';
import { LayoutService } from '../layout/layoutService';
import { buildViewModel, ViewModel } from '../layout/viewModel';
import { Scene } from '../protocol/scene';
import { SceneSource } from './graphPanel';
import { log } from './log';
import { inputNamerFor, preloadHostOpSchemas } from './opSchemas';
import { OnnxDocument } from './onnxDocument';

export interface SceneSourceFactory extends vscode.Disposable {
  create(doc: OnnxDocument): SceneSource | undefined;
}

export function createSceneSourceFactory(context: vscode.ExtensionContext): SceneSourceFactory {
  let service: LayoutService | undefined;
  const getService = () =>
    (service ??= new LayoutService({
      workerPath: path.join(context.extensionUri.fsPath, 'dist', 'layoutWorker.js'),
      cacheDir: path.join(context.globalStorageUri.fsPath, 'layout-cache'),
      codeCacheDir: path.join(context.globalStorageUri.fsPath, 'code-cache'),
    }));
  // Start the worker now: its warm-up then overlaps with reading the first model; so does reading the op schemas.
  getService();
  preloadHostOpSchemas();
  let channels = 0;
  return {
    create(doc) {
      const loaded = doc.loaded;
      if (!loaded) return undefined;
      const layout = getService();
      const channel = `editor-${++channels}`;
      const entry = loaded.recent ?? { loaded };
      const viewModel = (): ViewModel => {
        if (!entry.view) {
          const t0 = performance.now();
          const names = inputNamerFor(loaded.model);
          const tSchemas = performance.now();
          entry.view = buildViewModel(loaded.graph, loaded.key, names);
          log.event('viewModel', { file: doc.fileName, items: entry.view.items.size, ms: Math.round(performance.now() - t0), schemasMs: Math.round(tSchemas - t0) });
        }
        return entry.view;
      };
      const sceneFor = async (expanded: string[]): Promise<Scene> => {
        const v = viewModel();
        const scene = await layout.layoutScene(v, expanded, { channel });
        layout.prefetch(v, likelyNextGroups(v, visibleExpanded(v, scene.expanded)), channel);
        return scene;
      };
      return {
        initialScene: (expanded) => {
          const v = viewModel();
          const known = expanded?.every((id) => v.items.get(id)?.kind === 'group');
          return sceneFor(known ? expanded! : defaultExpanded(v));
        },
        layout: (expanded) => sceneFor(expanded),
        viewModel,
        layoutView: (v, expanded) => layout.layoutScene(v, expanded, { channel }),
        dispose: () => {
          // The view model stays with the recent-models entry for a quick reopen; what was laid out stays cached.
          layout.closeChannel(channel);
        },
      };
    },
    dispose() {
      void service?.dispose();
      service = undefined;
    },
  };
}
