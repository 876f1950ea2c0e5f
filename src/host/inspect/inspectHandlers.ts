// The webview's inspect requests for one editor: properties, values, search, reveal, subgraphs, source.
import * as vscode from 'vscode';
import { isOpDocUrl } from '../../core/opSchemas';
import { defaultExpanded } from '../../layout/defaultExpanded';
import type { GraphPath } from '../../protocol/inspect';
import type { Scene } from '../../protocol/scene';
import type { GraphPanel } from '../graphPanel';
import { log } from '../log';
import { hostOpSchemas } from '../opSchemas';
import { goToPyTorchSource } from './goToSource';
import { modelProps } from './modelProps';
import { nodeProps } from './nodeProps';
import { withQuantSection } from './quantProps';
import { revealTarget } from './reveal';
import { searchGraph } from './search';
import { inspectSessionOf } from './sessions';
import { tensorProps, tensorValues } from './tensorProps';

export function registerInspectHandlers(panel: GraphPanel): void {
  const session = inspectSessionOf(panel);
  const graphOf = (path: GraphPath) => session.resolve(path).graph;
  const layoutPath = async (path: GraphPath, expanded: string[]) => {
    const layoutView = panel.scenes?.layoutView;
    if (!layoutView) throw new Error('this model could not be read');
    return layoutView(session.view(path), expanded);
  };

  // Layouts of a nested graph go to its own view model; the main graph's keep their handler.
  const mainLayout: ((p: { expanded: string[] }) => Promise<Scene>) | undefined = panel.handle('layout', async (params): Promise<Scene> => {
    const path = params.path ?? [];
    if (path.length === 0 && mainLayout) return mainLayout(params);
    return layoutPath(path, params.expanded);
  });

  panel.onWebviewEvent((m) => {
    if (m.type === 'selection') session.selection = { kind: m.kind, id: m.id };
  });
  panel.handle('inspect.model', async ({ path }) => modelProps(session.loaded.model, graphOf(path), path));
  panel.handle('inspect.node', async ({ path, id }) => {
    // A quantization fold's box (`q:<index>`) stands for its op.
    const nodeId = id.replace(/^q:/, 'n:');
    const props = nodeProps(session.loaded.model, graphOf(path), path, nodeId, hostOpSchemas());
    return withQuantSection(props, graphOf(path), session.view(path), Number(nodeId.slice(2)));
  });
  panel.handle('inspect.tensor', async ({ path, name }) => tensorProps(graphOf(path), name));
  panel.handle('inspect.tensorValues', async ({ path, name, count }) =>
    tensorValues(session.modelPath, session.loaded.model, graphOf(path), name, count));
  panel.handle('inspect.search', async ({ path, query, limit }) => {
    const t0 = performance.now();
    const results = searchGraph(graphOf(path), query, limit);
    log.event('search', { query, results: results.length, ms: Math.round(performance.now() - t0) });
    return results;
  });
  panel.handle('inspect.reveal', async ({ path, id }) => revealTarget(graphOf(path), session.view(path), id));
  panel.handle('inspect.openGraph', async ({ path }) => {
    const resolved = session.resolve(path);
    const scene = path.length === 0 && panel.scenes
      ? await panel.scenes.initialScene()
      : await layoutPath(path, defaultExpanded(session.view(path)));
    session.path = path;
    session.selection = { kind: 'none' };
    log.event('openGraph', { path: resolved.breadcrumbs.map((b) => b.label).join(' \u203a '), boxes: scene.nodes.length });
    return { scene, breadcrumbs: resolved.breadcrumbs };
  });
  panel.handle('inspect.openSource', async ({ nodeId, frame }) => goToPyTorchSource(panel, nodeId, frame));
  panel.handle('inspect.openDoc', async ({ url }) => {
    if (!isOpDocUrl(url)) return { opened: false, message: `not an operator documentation page: ${url}` };
    const opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
    return { opened, message: opened ? `opened ${url}` : `could not open ${url}` };
  });
}
