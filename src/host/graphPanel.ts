// One open graph editor: serves the webview's requests for its document, with every error answered.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { HostToWebview, RequestMessage, WebviewEvent, WebviewRequests, WebviewToHost } from '../protocol/messages';
import { Scene } from '../protocol/scene';
import type { SavedView } from '../protocol/viewState';
import type { ViewModel } from '../layout/viewModel';
import { Disposable } from './dispose';
import { followFile } from './fileFollower';
import { log } from './log';
import { OnnxDocument } from './onnxDocument';
import type { ViewMemory } from './viewMemory';
import { graphWebviewHtml, webviewOptions } from './webviewHtml';

/** Lays out one model's graph for a set of expanded groups. */
export interface SceneSource {
  /** The first scene: with `expanded` open when every one of those groups still exists, else the default groups. */
  initialScene(expanded?: string[]): Promise<Scene>;
  layout(expanded: string[]): Promise<Scene>;
  /** The main graph's view model (inspect: reveal, search). */
  viewModel?(): ViewModel;
  /** Lays out another view model (a subgraph) on the same layout service and channel. */
  layoutView?(view: ViewModel, expanded: string[]): Promise<Scene>;
  dispose(): void;
}

/** Per-panel setup of features (request handlers, event listeners), run for every panel created after it. */
const panelFeatures = new Set<(panel: GraphPanel) => void>();

export function registerPanelFeature(setup: (panel: GraphPanel) => void): vscode.Disposable {
  panelFeatures.add(setup);
  return { dispose: () => panelFeatures.delete(setup) };
}

type Handler<M extends keyof WebviewRequests> = (params: WebviewRequests[M]['params']) => Promise<WebviewRequests[M]['result']>;

export class GraphPanel extends Disposable {
  private ready = false;
  private readonly openedAt = performance.now();
  /** The model's scenes, once the document has been read (undefined before, or if it could not be read). */
  scenes: SceneSource | undefined;

  constructor(
    readonly document: OnnxDocument,
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    createScenes: (doc: OnnxDocument) => SceneSource | undefined,
    private readonly views?: ViewMemory,
  ) {
    super();
    this.savedView = views?.get(document.uri.toString());
    this.createScenes = createScenes;
    this.extensionUri = extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = graphWebviewHtml(panel.webview, extensionUri);
    this.register(panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.onMessage(m)));
    this.registerLayout();
    for (const setup of panelFeatures) setup(this);
    // The view follows the file on disk (re-exported, deleted); other schemes have no watcher to rely on.
    if (document.uri.scheme === 'file') {
      this.register(followFile(document.uri, {
        changed: () => void this.fileChanged().catch((e: unknown) => log.error(`following ${document.fileName}: ${errorMessage(e)}`)),
        deleted: () => this.fileDeleted(),
      }));
    }
    // Read, build the view model and lay out while VS Code creates the webview and loads its script (about 1 s):
    // the scene is ready when it asks. On the next turn, so the HTML reaches the workbench before the parse takes
    // this thread.
    this.initial = new Promise<void>((r) => setTimeout(r, 0))
      .then(() => document.loading)
      .then(() => {
        this.shownVersion = document.version;
        return this.newScenes()?.initialScene(this.savedView?.expanded);
      });
    this.initial.catch(() => undefined); // reported by sendInitial; unobserved if the panel closes first
    // The first view is posted as soon as it is laid out, not on the webview's `ready`: VS Code holds a message
    // for a webview whose document has not loaded yet and hands it over once it has (after our script added its
    // listener), so the `ready` -> init round trip (40-90 ms measured under load) is saved whenever the scene is
    // ready before the webview's script runs, which is usual (VS Code takes ~1 s to start a webview's script).
    void this.sendInitial();
  }

  /** The webview document was replaced (after a load error): its first view goes out when it says it is ready. */
  private initialOnReady = false;

  private initial: Promise<Scene | undefined>;
  /** How this file's view was left last time (workspace state), restored when the model still has its groups. */
  private readonly savedView: SavedView | undefined;
  private readonly createScenes: (doc: OnnxDocument) => SceneSource | undefined;
  private readonly extensionUri: vscode.Uri;
  /** The document version this panel shows, and the main graph's groups last laid out (kept on reload). */
  private shownVersion = 0;
  private lastExpanded: string[] | undefined;

  private newScenes(): SceneSource | undefined {
    if (this.isDisposed || !this.document.loaded) return undefined;
    this.scenes?.dispose();
    const scenes = this.createScenes(this.document);
    this.scenes = scenes;
    if (scenes) this.register({ dispose: () => scenes.dispose() });
    return scenes;
  }

  /**
   * The file changed on disk: read it again and show it with the same groups open and the view kept where the
   * same boxes exist. An unreadable file keeps the last view and says why; a panel that showed a load error
   * starts over with the new model.
   */
  async fileChanged(): Promise<void> {
    const doc = this.document;
    if (!doc.settled) return; // the first read is still under way and will see the new bytes
    const { error } = await doc.reload();
    if (this.isDisposed) return;
    if (error) {
      this.post({ type: 'fileState', message: `${doc.fileName} changed on disk but cannot be read now: ${error}. This view shows the last version read.` });
      return;
    }
    this.post({ type: 'fileState' });
    if (doc.version === this.shownVersion || !doc.loaded) return;
    this.shownVersion = doc.version;
    const hadView = this.ready && this.scenes !== undefined;
    const scenes = this.newScenes();
    if (!scenes) return;
    log.event('reloaded', { file: doc.fileName, version: doc.version, nodes: doc.loaded.graph.nodes.length });
    if (!hadView) {
      // The webview showed a load error (its graph is gone): start it over with the new model.
      this.initial = scenes.initialScene();
      this.initial.catch(() => undefined);
      this.ready = false;
      // A new document drops what was held for the old one: send on its `ready`.
      this.initialOnReady = true;
      this.panel.webview.html = graphWebviewHtml(this.panel.webview, this.extensionUri);
      return;
    }
    try {
      const items = scenes.viewModel?.().items;
      const expanded = this.lastExpanded?.filter((id) => !items || items.has(id));
      const scene = expanded ? await scenes.layout(expanded) : await scenes.initialScene();
      if (!this.isDisposed && doc.version === this.shownVersion) this.post({ type: 'reload', summary: doc.summary()!, scene });
    } catch (e) {
      log.error(`layout of ${doc.fileName} after it changed failed: ${errorMessage(e)}`);
      this.post({ type: 'fileState', message: `${doc.fileName} changed on disk but cannot be laid out: ${errorMessage(e)}` });
    }
  }

  /** The file was deleted: keep the view, and say so. */
  fileDeleted(): void {
    this.post({ type: 'fileState', message: `${this.document.fileName} was deleted from disk. This view shows the last version read; it updates if the file comes back.` });
  }

  private readonly eventListeners = new Set<(m: WebviewEvent) => void>();

  /** Listens to the webview's feature events (those this class does not handle itself). */
  onWebviewEvent(listener: (m: WebviewEvent) => void): vscode.Disposable {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  private readonly initListeners = new Set<() => void>();

  /** Runs each time the webview has been sent its first scene: features that draw on it post after that. */
  onInitialized(listener: () => void): vscode.Disposable {
    this.initListeners.add(listener);
    return { dispose: () => this.initListeners.delete(listener) };
  }

  private readonly handlers = new Map<keyof WebviewRequests, Handler<any>>();

  /** Registers the answer to one request method; features (inspect, compare, ...) add theirs. */
  /** Returns the handler it replaces, so a feature can extend one (inspect adds graph paths to `layout`). */
  handle<M extends keyof WebviewRequests>(method: M, handler: Handler<M>): Handler<M> | undefined {
    const previous = this.handlers.get(method);
    this.handlers.set(method, handler);
    return previous;
  }

  private registerLayout(): void {
    this.handle('layout', async ({ expanded }) => {
      if (!this.scenes) throw new Error('this model could not be read');
      this.lastExpanded = expanded;
      const scene = await this.scenes.layout(expanded);
      log.event('layout', { file: this.document.fileName, expanded: expanded.length, boxes: scene.nodes.length, layoutMs: Math.round(scene.layoutMs), cached: scene.cached });
      return scene;
    });
  }

  post(message: HostToWebview): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(m: WebviewToHost): void {
    switch (m.type) {
      case 'ready':
        if (!this.ready) {
          this.ready = true;
          log.event('webviewReady', { file: this.document.fileName, sinceOpenMs: Math.round(performance.now() - this.openedAt) });
          if (this.initialOnReady) {
            this.initialOnReady = false;
            void this.sendInitial();
          }
        }
        return;
      case 'request':
        void this.answer(m);
        return;
      case 'log':
        log[m.level](`webview: ${m.message}`);
        return;
      case 'metric':
        log.event('metric', { name: m.name, ms: Math.round(m.ms * 10) / 10, file: this.document.fileName, sinceOpenMs: Math.round(performance.now() - this.openedAt), ...m.detail });
        return;
      case 'viewState':
        this.views?.set(this.document.uri.toString(), m.state)
          .then((kept) => { if (!kept) log.info(`the view of ${this.document.fileName} is not remembered (too many open groups, or malformed)`); })
          .catch((e: unknown) => log.warn(`remembering the view of ${this.document.fileName}: ${errorMessage(e)}`));
        return;
      case 'selection':
      default:
        // The selection and feature events go to the features that listen (graph actions, inspect, ...).
        for (const listener of this.eventListeners) listener(m);
    }
  }

  private async answer(m: RequestMessage): Promise<void> {
    try {
      const handler = this.handlers.get(m.method);
      if (!handler) throw new Error(`unknown request '${m.method}'`);
      const result = await handler(m.params);
      this.post({ type: 'response', id: m.id, ok: true, result });
    } catch (e) {
      // A layout superseded by a newer one is routine, not an error.
      if (e instanceof Error && e.name === 'LayoutCancelledError') log.info(`${m.method}: ${e.message}`);
      else log.error(`${m.method} failed: ${errorMessage(e)}`);
      this.post({ type: 'response', id: m.id, ok: false, error: errorMessage(e) });
    }
  }

  private async sendInitial(): Promise<void> {
    const doc = this.document;
    await doc.loading;
    if (doc.loadError || !doc.loaded) {
      const err = doc.loadError ?? { message: 'The model could not be read.', details: [] };
      log.error(err.message);
      this.post({ type: 'loadError', message: err.message, details: err.details });
      return;
    }
    try {
      const scene = await this.initial;
      if (!scene) throw new Error('the graph view is not available for this model');
      const summary = doc.summary()!;
      log.event('opened', {
        file: doc.fileName, nodes: summary.nodeCount, boxes: scene.nodes.length, edges: scene.edges.length,
        readMs: Math.round(doc.loaded.readMs), layoutMs: Math.round(scene.layoutMs), cached: scene.cached,
        elkMs: Math.round(scene.elkMs ?? 0), elkLevels: scene.elkLevels ?? 0, chainLevels: scene.chainLevels ?? 0,
      });
      const saved = this.savedView;
      const laidOut = new Set(scene.expanded);
      const sameGroups = saved && saved.expanded.length === laidOut.size && saved.expanded.every((id) => laidOut.has(id));
      this.post({ type: 'init', summary, scene, ...(sameGroups ? { view: saved } : {}) });
      for (const listener of this.initListeners) listener();
    } catch (e) {
      log.error(`layout of ${doc.fileName} failed: ${errorMessage(e)}`);
      this.post({ type: 'loadError', message: `Cannot lay out ${doc.fileName}: ${errorMessage(e)}` });
    }
  }
}
