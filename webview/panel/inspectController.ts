// Wires the inspect feature in the webview: the properties panel follows the selection, links and search
// results jump through the host (which knows the whole model and which groups to open), and nested graphs
// open in place with breadcrumbs back out.
import type { GraphPath, InspectHostEvent, PropLink, PropSection, PropsView, RevealTarget, SearchResult } from '../../src/protocol/inspect';
import type { Scene } from '../../src/protocol/scene';
import type { RpcClient } from '../rpc';
import { post } from '../vscodeApi';
import { SearchBox } from '../search/searchBox';
import { Breadcrumbs } from './breadcrumbs';
import { renderProps, renderValuesButton } from './propsView';
import { SidePanel } from './sidePanel';

/** First values asked for when the user opens an initializer's values. */
const FIRST_VALUES = 32;

/** What the controller needs from the app. */
export interface InspectHost {
  readonly rpc: RpcClient;
  /** Opens the groups, centers and selects the box, highlights the tensor's edge. */
  revealBox(target: RevealTarget): Promise<void>;
  /** Replaces the view with another graph level. */
  showGraph(scene: Scene, path: GraphPath): void;
  /** Called after the side panel opened, closed or resized (the canvas must follow). */
  layoutChanged(): void;
  /** Sections other features add to a box's or tensor's properties (Compare Backends: what a backend fused). */
  extraProps?(target: { box?: string; tensor?: string }): PropSection[];
}

export class InspectController {
  path: GraphPath = [];
  readonly panel: SidePanel;
  readonly search: SearchBox;
  readonly breadcrumbs: Breadcrumbs;
  private seq = 0;

  constructor(private readonly host: InspectHost, body: HTMLElement, graphHost: HTMLElement) {
    this.breadcrumbs = new Breadcrumbs(body.parentElement ?? body, body, (path) => void this.openGraph(path));
    this.panel = new SidePanel(body, () => host.layoutChanged());
    this.search = new SearchBox(graphHost, (query) => host.rpc.request('inspect.search', { path: this.path, query }), (r) => void this.choose(r));
    window.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        this.search.open();
      }
    });
  }

  handle(m: InspectHostEvent): void {
    switch (m.type) {
      case 'inspect.focusSearch': this.search.open(); break;
      case 'inspect.togglePanel': this.panel.toggle(); break;
      case 'inspect.openGraph': void this.openGraph(m.path); break;
    }
  }

  /** The selection changed in the view: show what was selected (the model when nothing is). */
  selectionChanged(kind: 'node' | 'tensor' | 'none', id?: string): void {
    // A quantization fold's box (`q:<index>`) shows its op, with the host's Quantization section.
    if (kind === 'node' && id && /^[nq]:/.test(id)) void this.showProps(() => this.host.rpc.request('inspect.node', { path: this.path, id }), { box: id });
    // Graph input and output boxes stand for their tensor.
    else if (kind === 'node' && id && /^[io]:/.test(id)) this.selectionChanged('tensor', id.slice(2));
    else if (kind === 'tensor' && id) void this.showProps(() => this.host.rpc.request('inspect.tensor', { path: this.path, name: id }), { tensor: id });
    else void this.showProps(() => this.host.rpc.request('inspect.model', { path: this.path }));
  }

  private async showProps(load: () => Promise<PropsView>, target?: { box?: string; tensor?: string }): Promise<void> {
    const seq = ++this.seq;
    try {
      const loaded = await load();
      if (seq !== this.seq) return; // a newer selection won
      const extra = target ? this.host.extraProps?.(target) ?? [] : [];
      const view = extra.length ? { ...loaded, sections: [...loaded.sections, ...extra] } : loaded;
      const content = renderProps(view, (link) => void this.follow(link));
      if (view.hasValues) {
        const name = view.title;
        content.appendChild(renderValuesButton(() => this.host.rpc.request('inspect.tensorValues', { path: this.path, name, count: FIRST_VALUES })));
      }
      this.panel.show(content);
    } catch (e) {
      if (seq === this.seq) this.showMessage(`Cannot show properties: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }

  private showMessage(text: string, kind: 'info' | 'error'): void {
    const p = document.createElement('div');
    p.className = kind === 'error' ? 'props-error' : 'props-message';
    p.dataset.testid = 'props-message';
    p.textContent = text;
    this.panel.show(p);
  }

  /** Follows a link in the panel. */
  async follow(link: PropLink): Promise<void> {
    switch (link.kind) {
      case 'tensor': await this.reveal(`t:${link.name}`); this.selectionChanged('tensor', link.name); break;
      case 'node': await this.reveal(link.id); break;
      case 'graph': await this.openGraph(link.path); break;
      case 'source': {
        const r = await this.host.rpc.request('inspect.openSource', { path: this.path, nodeId: link.nodeId, frame: link.frame })
          .catch((e: Error) => ({ opened: false, message: e.message }));
        if (!r.opened) this.panel.body.prepend(Object.assign(document.createElement('div'), { className: 'props-error', textContent: r.message }));
        break;
      }
      case 'url': {
        const r = await this.host.rpc.request('inspect.openDoc', { url: link.url }).catch((e: Error) => ({ opened: false, message: e.message }));
        if (!r.opened) this.panel.body.prepend(Object.assign(document.createElement('div'), { className: 'props-error', textContent: r.message }));
        break;
      }
    }
  }

  private async reveal(id: string): Promise<void> {
    try {
      const target = await this.host.rpc.request('inspect.reveal', { path: this.path, id });
      await this.host.revealBox(target);
      post({ type: 'selection', kind: 'node', id: target.box.replace(/^q:/, 'n:') });
    } catch (e) {
      this.showMessage(`Cannot show it in the graph: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }

  private async choose(r: SearchResult): Promise<void> {
    await this.reveal(r.id);
    if (r.id.startsWith('t:')) this.selectionChanged('tensor', r.id.slice(2));
  }

  async openGraph(path: GraphPath): Promise<void> {
    try {
      const { scene, breadcrumbs } = await this.host.rpc.request('inspect.openGraph', { path });
      this.path = path;
      this.host.showGraph(scene, path);
      this.breadcrumbs.show(breadcrumbs);
      this.host.layoutChanged();
      this.selectionChanged('none');
    } catch (e) {
      this.showMessage(`Cannot open the graph: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }
}
