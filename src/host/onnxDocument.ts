// A read-only ONNX document: the bytes, the parsed model and its graph, read in the background. Reading never
// throws out of here: a model that can't be read keeps the error, and the editor shows it instead of a blank page.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { buildModelGraph, GraphModel } from '../core/graph';
import { OnnxModel, readModel } from '../core/model';
import { ModelSummary } from '../protocol/messages';
import { formatValueType } from '../core/types';
import { modelCacheKey } from '../node/modelCacheKey';
import { readFileBytes } from '../node/readFileBytes';
import { log } from './log';
import { RecentEntry, RecentModels } from './recentModels';

export interface LoadedModel {
  model: OnnxModel;
  graph: GraphModel;
  /** Identifies these exact bytes (for layout caches). */
  key: string;
  readMs: number;
  /** The recent-models entry shared by every open of these bytes (holds the view model once built). */
  recent?: RecentEntry;
}

export class OnnxDocument implements vscode.CustomDocument {
  /** Set once `loading` settles: exactly one of them then. */
  loaded: LoadedModel | undefined;
  loadError: { message: string; details: string[] } | undefined;
  private started: Promise<void> | undefined;

  private constructor(readonly uri: vscode.Uri, private readonly recent: RecentModels | undefined) {}

  /**
   * Returns at once; the read starts when someone waits for `loading`. VS Code creates the editor's webview only
   * after this returns, so the editor can hand the webview its HTML first and let its ~1 s of boot overlap the
   * read and parse instead of following them.
   */
  static open(uri: vscode.Uri, recent?: RecentModels): OnnxDocument {
    return new OnnxDocument(uri, recent);
  }

  /** Starts the read on first use; settles (never rejects) when the model has been read, or could not be. */
  get loading(): Promise<void> {
    return (this.started ??= this.load());
  }

  /** Whether the read has finished (successfully or not). */
  get settled(): boolean {
    return this.loaded !== undefined || this.loadError !== undefined;
  }

  private async load(): Promise<void> {
    const { uri, recent } = this;
    const start = performance.now();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      const recentKey = RecentModels.key(uri.toString(), stat.size, stat.mtime);
      const cached = recent?.get(recentKey);
      if (cached) {
        this.loaded = { ...cached.loaded, readMs: performance.now() - start, recent: cached };
        log.event('read', { file: this.fileName, recent: true, readMs: Math.round(this.loaded.readMs) });
        return;
      }
      const bytes = uri.scheme === 'file' ? await readFileBytes(uri.fsPath) : await vscode.workspace.fs.readFile(uri);
      const model = readModel(bytes);
      const graph = buildModelGraph(model);
      const key = modelCacheKey(model);
      const loaded: LoadedModel = { model, graph, key, readMs: performance.now() - start };
      // Benchmarks time read -> first paint from here (the log line's time minus readMs).
      log.event('read', { file: this.fileName, bytes: bytes.length, nodes: graph.nodes.length, readMs: Math.round(loaded.readMs) });
      const entry: RecentEntry = { loaded };
      recent?.set(recentKey, entry);
      this.loaded = { ...loaded, recent: entry };
    } catch (e) {
      this.loadError = { message: `Cannot open ${this.fileName}: ${errorMessage(e)}`, details: [] };
    }
  }

  get fileName(): string {
    return this.uri.path.split('/').pop() ?? this.uri.path;
  }

  summary(): ModelSummary | undefined {
    if (!this.loaded) return undefined;
    const { model, graph } = this.loaded;
    const typeOf = (name: string) => formatValueType(graph.values.get(name)?.type);
    return {
      fileName: this.fileName,
      irVersion: model.irVersion,
      producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
      opsets: model.opsets,
      nodeCount: graph.nodes.length,
      initializerCount: graph.initializers.length,
      inputs: graph.inputs.map((name) => ({ name, type: typeOf(name) })),
      outputs: graph.outputs.map((name) => ({ name, type: typeOf(name) })),
      problems: graph.problems.map((p) => p.message),
    };
  }

  dispose(): void {
    // Nothing held beyond memory; the model bytes go with the document.
  }
}
