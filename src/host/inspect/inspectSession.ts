// Per editor: the graph path shown, the subgraph view models built so far, and the last selection.
import { buildViewModel, type ViewModel } from '../../layout/viewModel';
import type { GraphPath } from '../../protocol/inspect';
import type { GraphPanel } from '../graphPanel';
import type { LoadedModel } from '../onnxDocument';
import { inputNamerFor } from '../opSchemas';
import { resolveGraphPath, type ResolvedGraph } from './graphPath';

export class InspectSession {
  path: GraphPath = [];
  selection: { kind: string; id?: string } = { kind: 'none' };
  private readonly graphs = new Map<string, { resolved: ResolvedGraph; view?: ViewModel }>();

  constructor(readonly panel: GraphPanel) {}

  get loaded(): LoadedModel {
    const loaded = this.panel.document.loaded;
    if (!loaded) throw new Error(`${this.panel.document.fileName} could not be read`);
    return loaded;
  }

  get modelPath(): string {
    return this.panel.document.uri.fsPath;
  }

  private entry(path: GraphPath) {
    const loaded = this.loaded;
    const resolved = resolveGraphPath(loaded.model, loaded.graph, path);
    let e = this.graphs.get(resolved.key);
    if (!e) this.graphs.set(resolved.key, (e = { resolved }));
    return e;
  }

  resolve(path: GraphPath): ResolvedGraph {
    return this.entry(path).resolved;
  }

  /** The view model of a graph level: the main one from the scene source, subgraphs built here once. */
  view(path: GraphPath): ViewModel {
    if (path.length === 0) {
      const main = this.panel.scenes?.viewModel?.();
      if (!main) throw new Error('the graph view is not available for this model');
      return main;
    }
    const e = this.entry(path);
    return (e.view ??= buildViewModel(e.resolved.graph, `${this.loaded.key}#${e.resolved.key}`, inputNamerFor(this.loaded.model)));
  }
}
