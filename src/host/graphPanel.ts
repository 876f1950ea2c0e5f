// One open graph editor: serves the webview's requests for its document, with every error answered.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { HostToWebview, RequestMessage, WebviewRequests, WebviewToHost } from '../protocol/messages';
import { Scene } from '../protocol/scene';
import { Disposable } from './dispose';
import { log } from './log';
import { OnnxDocument } from './onnxDocument';
import { graphWebviewHtml, webviewOptions } from './webviewHtml';

/** Lays out one model's graph for a set of expanded groups. */
export interface SceneSource {
  initialScene(): Promise<Scene>;
  layout(expanded: string[]): Promise<Scene>;
  dispose(): void;
}

type Handler<M extends keyof WebviewRequests> = (params: WebviewRequests[M]['params']) => Promise<WebviewRequests[M]['result']>;

export class GraphPanel extends Disposable {
  private ready = false;
  private readonly openedAt = performance.now();

  constructor(
    readonly document: OnnxDocument,
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly scenes: SceneSource | undefined,
  ) {
    super();
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = graphWebviewHtml(panel.webview, extensionUri);
    this.register(panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.onMessage(m)));
    if (scenes) this.register({ dispose: () => scenes.dispose() });
    this.registerLayout();
  }

  private readonly handlers = new Map<keyof WebviewRequests, Handler<any>>();

  /** Registers the answer to one request method; features (inspect, compare, ...) add theirs. */
  handle<M extends keyof WebviewRequests>(method: M, handler: Handler<M>): void {
    this.handlers.set(method, handler);
  }

  private registerLayout(): void {
    this.handle('layout', async ({ expanded }) => {
      if (!this.scenes) throw new Error('this model could not be read');
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
          void this.sendInitial();
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
      case 'selection':
        return;
    }
  }

  private async answer(m: RequestMessage): Promise<void> {
    try {
      const handler = this.handlers.get(m.method);
      if (!handler) throw new Error(`unknown request '${m.method}'`);
      const result = await handler(m.params);
      this.post({ type: 'response', id: m.id, ok: true, result });
    } catch (e) {
      log.error(`${m.method} failed: ${errorMessage(e)}`);
      this.post({ type: 'response', id: m.id, ok: false, error: errorMessage(e) });
    }
  }

  private async sendInitial(): Promise<void> {
    const doc = this.document;
    if (doc.loadError || !doc.loaded || !this.scenes) {
      const err = doc.loadError ?? { message: 'The model could not be read.', details: [] };
      log.error(err.message);
      this.post({ type: 'loadError', message: err.message, details: err.details });
      return;
    }
    try {
      const scene = await this.scenes.initialScene();
      const summary = doc.summary()!;
      log.event('opened', {
        file: doc.fileName, nodes: summary.nodeCount, boxes: scene.nodes.length, edges: scene.edges.length,
        readMs: Math.round(doc.loaded.readMs), layoutMs: Math.round(scene.layoutMs), cached: scene.cached,
      });
      this.post({ type: 'init', summary, scene });
    } catch (e) {
      log.error(`layout of ${doc.fileName} failed: ${errorMessage(e)}`);
      this.post({ type: 'loadError', message: `Cannot lay out ${doc.fileName}: ${errorMessage(e)}` });
    }
  }
}
