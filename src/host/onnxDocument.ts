// A read-only ONNX document: the bytes, the parsed model and its graph, read in the background. Reading never
// throws out of here: a model that can't be read keeps the error, and the editor shows it instead of a blank page.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { buildModelGraph, GraphModel } from '../core/graph';
import { applyInferredShapes } from '../core/shapes';
import { OnnxModel } from '../core/model';
import { ModelSummary } from '../protocol/messages';
import { formatValueType } from '../core/types';
import { externalDataProblems } from '../node/externalDataReader';
import { modelCacheKey } from '../node/modelCacheKey';
import { log } from './log';
import { readModelUri, statModelUri } from './readModelUri';
import { RecentEntry, RecentModels } from './recentModels';

export interface LoadedModel {
  model: OnnxModel;
  graph: GraphModel;
  /** Identifies these exact bytes (for layout caches). */
  key: string;
  readMs: number;
  /** Contradictions shape inference found (declared types against what nodes compute), as problem lines. */
  shapeProblems?: string[];
  /** The recent-models entry shared by every open of these bytes (holds the view model once built). */
  recent?: RecentEntry;
}

export class OnnxDocument implements vscode.CustomDocument {
  /** Set once `loading` settles: exactly one of them then. */
  loaded: LoadedModel | undefined;
  loadError: { message: string; details: string[] } | undefined;
  /** External data files that are missing or refused, for the banner (the graph still shows). */
  externalDataProblems: string[] = [];
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
    try {
      this.loaded = await this.read();
    } catch (e) {
      this.loadError = { message: `Cannot open ${this.fileName}: ${errorMessage(e)}`, details: [] };
    }
    await this.checkExternalData();
  }

  /** Checked on every read, cached model or not: the files beside the model may have changed. */
  private async checkExternalData(): Promise<void> {
    this.externalDataProblems = [];
    if (!this.loaded || this.uri.scheme !== 'file') return;
    try {
      this.externalDataProblems = await externalDataProblems(this.uri.fsPath, this.loaded.model);
    } catch (e) {
      this.externalDataProblems = [`external data cannot be checked: ${errorMessage(e)}`];
    }
  }

  /** Bumped each time a re-read replaces the model (panels compare it with the version they show). */
  version = 0;
  /** Size and modification time of the bytes `loaded` holds. */
  private stamp: { size: number; mtime: number } | undefined;
  private reloading: Promise<{ error?: string }> | undefined;

  /**
   * Re-reads the file after it changed on disk. A file that cannot be read now (half written, deleted) keeps
   * the last model and returns the error; unchanged bytes (same size and time) are not read again.
   */
  reload(): Promise<{ error?: string }> {
    return (this.reloading ??= this.reread().finally(() => { this.reloading = undefined; }));
  }

  private async reread(): Promise<{ error?: string }> {
    await this.loading;
    try {
      const stat = await statModelUri(this.uri);
      if (this.loaded && this.stamp && stat.size === this.stamp.size && stat.mtime === this.stamp.mtime) return {};
      this.loaded = await this.read();
      this.loadError = undefined;
      this.version++;
      await this.checkExternalData();
      return {};
    } catch (e) {
      return { error: errorMessage(e) };
    }
  }

  /** Reads the file now (or takes the recent-models entry for these exact bytes). */
  private async read(): Promise<LoadedModel> {
    const { uri, recent } = this;
    const start = performance.now();
    // Local files are stat'ed here: VS Code's fs API goes through the workbench, which is busy creating the
    // editor's webview just then (measured 40-70 ms).
    const stat = await statModelUri(uri);
    const statMs = performance.now() - start;
    const recentKey = RecentModels.key(uri.toString(), stat.size, stat.mtime);
    const cached = recent?.get(recentKey);
    if (cached) {
      const loaded = { ...cached.loaded, readMs: performance.now() - start, recent: cached };
      log.event('read', { file: this.fileName, recent: true, readMs: Math.round(loaded.readMs) });
      this.stamp = stat;
      return loaded;
    }
    const { bytes, model } = await readModelUri(uri);
    const t2 = performance.now();
    const graph = buildModelGraph(model);
    const shapes = inferShapesSafely(model, graph);
    const t3 = performance.now();
    const key = modelCacheKey(model);
    const loaded: LoadedModel = { model, graph, key, readMs: performance.now() - start, shapeProblems: shapes.problems };
    // Benchmarks time read -> first paint from here (the log line's time minus readMs).
    log.event('read', {
      file: this.fileName, bytes: bytes.length, nodes: graph.nodes.length, readMs: Math.round(loaded.readMs),
      steps: { stat: Math.round(statMs), readParse: Math.round(t2 - start - statMs), graph: Math.round(t3 - t2 - shapes.ms), shapes: Math.round(shapes.ms), key: Math.round(loaded.readMs - (t3 - start)) },
    });
    const entry: RecentEntry = { loaded };
    recent?.set(recentKey, entry);
    this.stamp = stat;
    return { ...loaded, recent: entry };
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
      problems: [...this.externalDataProblems, ...graph.problems.map((p) => p.message), ...(this.loaded.shapeProblems ?? [])],
    };
  }

  dispose(): void {
    // Nothing held beyond memory; the model bytes go with the document.
  }
}

/**
 * Types and shapes for every tensor (edge labels, properties); contradictions become problems the editor
 * shows. Inference never keeps a model from opening: a failure leaves the declared types.
 */
function inferShapesSafely(model: OnnxModel, graph: GraphModel): { ms: number; problems: string[] } {
  const t0 = performance.now();
  try {
    const inference = applyInferredShapes(model, graph);
    const problems = inference.diagnostics.map((d) => `shapes: ${d.graph ? `in ${d.graph}: ` : ''}${d.message}`);
    return { ms: performance.now() - t0, problems };
  } catch (e) {
    return { ms: performance.now() - t0, problems: [`shapes: inference failed: ${errorMessage(e)}`] };
  }
}
