// The webview application: wires host messages, the canvas view, the outline, the toolbar and expand/collapse
// requests together. Rendering details live in render/, the host conversation in src/protocol.
import type { HostToWebview, ModelSummary } from '../src/protocol/messages';
import type { GraphPath, PropSection, RevealTarget } from '../src/protocol/inspect';
import type { Scene } from '../src/protocol/scene';
import type { SavedView } from '../src/protocol/viewState';
import { GraphActions } from './actions/graphActions';
import { CompareDock } from './compare/compareDock';
import { createToolbar, type Toolbar } from './controls';
import { withAllExpanded, withCollapsed, withExpanded, withFoldsToggled } from './expansion';
import { MessagesView } from './messagesView';
import { DiffDock } from './modelDiff/diffDock';
import { Outline } from './outline';
import { InspectController } from './panel/inspectController';
import { boxTooltip, edgeTooltip } from './render/boxTooltip';
import { GraphView, type Anchor } from './render/graphView';
import { observeTheme, resolvePalette, type Palette } from './render/palette';
import type { Hit } from './render/sceneIndex';
import { RpcClient } from './rpc';
import { post, vscode } from './vscodeApi';

/** What survives the webview being recreated (VS Code keeps it via setState) and, for the main graph, the editor
 *  being closed (the host keeps it per file). */
type SavedState = SavedView;

const pathKey = (path: GraphPath): string => JSON.stringify(path);
const sameMembers = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

export class App {
  readonly view: GraphView;
  readonly outline: Outline;
  readonly messages: MessagesView;
  readonly rpc = new RpcClient(post);
  readonly inspect: InspectController;
  /** The graph level shown (inspect: subgraphs and functions); [] is the main graph. */
  graphPath: GraphPath = [];
  readonly actions: GraphActions;
  readonly compare: CompareDock;
  readonly modelDiff: DiffDock;
  private readonly toolbar: Toolbar;
  private palette: Palette;
  private summary: ModelSummary | undefined;
  private initAt: number | undefined;
  /** Bumped per layout request: only the newest answer is applied. */
  private layoutSeq = 0;
  /** The expanded set of the newest request in flight (later clicks build on it), else of the scene. */
  private wantedExpanded: string[] | undefined;
  private failed = false;
  /** Where the user was in each graph level shown (open groups, zoom, position): leaving a subgraph returns there. */
  private readonly graphViews = new Map<string, Pick<SavedState, 'expanded' | 'view'>>();

  constructor(private readonly root: HTMLElement) {
    this.palette = resolvePalette();
    this.toolbar = createToolbar(root, {
      fit: () => this.view.fit(),
      zoomIn: () => this.view.zoomBy(1.4),
      zoomOut: () => this.view.zoomBy(1 / 1.4),
      expandVisible: () => this.expandVisible(),
      collapseAll: () => void this.relayout([], undefined, 'collapseAll'),
      toggleQdq: () => { if (this.view.scene) void this.relayout(withFoldsToggled(this.view.scene, this.expanded()), this.keepViewAnchor(), 'toggleQdq'); },
      toggleMinimap: () => { this.view.minimap.visible = !this.view.minimap.visible; this.view.requestPaint(); return this.view.minimap.visible; },
      find: () => this.inspect.search.open(),
      toggleProperties: () => this.inspect.panel.toggle(),
      exportSvg: () => void this.actions.export('svg'),
      exportPng: () => void this.actions.export('png'),
      compare: () => this.compare.command('run'),
    });
    this.messages = new MessagesView(root);
    const graphHost = document.createElement('div');
    graphHost.className = 'graph-host';
    // The graph and the properties panel side by side.
    const body = document.createElement('div');
    body.className = 'editor-body';
    body.appendChild(graphHost);
    root.appendChild(body);
    this.view = new GraphView(graphHost, this.palette, {
      click: (hit) => this.onClick(hit),
      // Double-clicking a folded box opens it (its two clicks selected it).
      dblclick: (hit) => { if (hit?.kind === 'node' && hit.node.kind === 'op' && hit.node.fold) this.unfold(hit.node.id); },
      // Compare Backends: a box or edge whose tensors a backend fused away says so ("fused into ... by TensorRT");
      // otherwise the full text a box may show shortened.
      tooltip: (hit) => this.compare.noteFor(hit.kind === 'node' ? { box: hit.node.id } : { tensor: hit.edge.tensor })
        ?? (hit.kind === 'node' ? boxTooltip(hit.node) : edgeTooltip(hit.edge)),
    });
    this.actions = new GraphActions(this);
    this.inspect = new InspectController(this, body, graphHost);
    this.compare = new CompareDock(this, root);
    this.modelDiff = new DiffDock(this, root);
    this.outline = new Outline(root, (id) => this.clickNode(id), (id) => { this.view.reveal(id); this.select(id); }, (id) => this.unfold(id));
    observeTheme(() => { this.palette = resolvePalette(); this.view.setPalette(this.palette); this.compare.themeChanged(); this.modelDiff.themeChanged(); });
    this.view.onViewSettled(() => this.saveState());
  }

  private saveState(): void {
    const scene = this.view.scene;
    if (!scene) return;
    const t = this.view.transform;
    const state: SavedState = { expanded: scene.expanded, view: { k: t.k, x: t.x, y: t.y }, selected: this.view.marks.selected };
    vscode().setState(state);
    // The host remembers the main graph's view for the file (a subgraph is not what reopening shows).
    const text = JSON.stringify(state);
    if (this.graphPath.length === 0 && text !== this.lastPostedView) {
      this.lastPostedView = text;
      post({ type: 'viewState', state });
    }
  }

  private lastPostedView: string | undefined;

  /** The saved view (this webview's own, else the one the host kept for the file), if saved for these open groups. */
  private savedView(scene: Scene, fromHost: SavedView | undefined): SavedState | undefined {
    const sorted = (a: string[]) => [...a].sort().join('\u0000');
    const same = (s: SavedState | undefined) => !!s && Array.isArray(s.expanded) && !!s.view && sorted(s.expanded) === sorted(scene.expanded);
    const own = vscode().getState() as SavedState | undefined;
    return same(own) ? own : same(fromHost) ? fromHost : undefined;
  }

  get currentPalette(): Palette { return this.palette; }

  handle(m: HostToWebview): void {
    if (this.failed && m.type !== 'init') return;
    switch (m.type) {
      case 'init':
        this.initAt = performance.now();
        this.summary = m.summary;
        this.messages.showProblems(m.summary.problems);
        this.inspect.selectionChanged('none'); // the model's properties until something is selected
        {
          const saved = this.savedView(m.scene, m.view);
          this.applyScene(m.scene, undefined, saved?.view);
          if (saved?.selected && this.view.sceneIndex?.byId.has(saved.selected)) this.select(saved.selected);
        }
        this.reportFirstPaint();
        break;
      case 'scene':
        if (!this.view.scene || m.scene.version > this.view.scene.version) {
          const sel = this.view.marks.selected;
          this.applyScene(m.scene, (sel && this.view.anchorOf(sel)) || this.keepViewAnchor());
        }
        break;
      case 'reload':
        this.reload(m.summary, m.scene);
        break;
      case 'fileState':
        this.messages.showFileState(m.message);
        break;
      case 'loadError':
        this.failed = true;
        this.rpc.dispose('the model failed to load');
        this.messages.showLoadError(m.message, m.details);
        break;
      case 'reveal':
        if (this.view.reveal(m.id)) this.select(m.id);
        else if (m.expand?.length) void this.relayout([...new Set([...this.expanded(), ...m.expand])], undefined, 'reveal', m.id);
        else post({ type: 'log', level: 'warn', message: `reveal: ${m.id} is not in the current view` });
        break;
      case 'response':
        this.rpc.handle(m);
        break;
      case 'inspect.focusSearch':
      case 'inspect.togglePanel':
      case 'inspect.openGraph':
        this.inspect.handle(m);
        break;
      case 'compare.show':
        this.compare.handle(m);
        break;
      case 'modelDiff.show':
        this.modelDiff.handle(m);
        break;
      case 'extractMarks':
      case 'clearChosenTensors':
      case 'exportView':
        this.actions.handle(m);
        break;
    }
  }

  /**
   * The file changed on disk: the new scene replaces the old one with the view kept on the selected box, else
   * on the box nearest the center, where it still exists. Pending layouts are for the old model: dropped.
   */
  private reload(summary: ModelSummary, scene: Scene): void {
    this.layoutSeq++;
    this.wantedExpanded = undefined;
    this.graphPath = [];
    this.graphViews.clear();
    this.summary = summary;
    this.messages.showProblems(summary.problems);
    const ids = new Set(scene.nodes.map((n) => n.id));
    const sel = this.view.marks.selected;
    const anchorId = [sel, ...this.boxesByCenterDistance()].find((id) => id !== undefined && ids.has(id));
    this.applyScene(scene, anchorId ? this.view.anchorOf(anchorId) : undefined, anchorId ? undefined : this.view.transform);
    const kept = this.view.marks.selected;
    this.inspect.selectionChanged(kept ? 'node' : 'none', kept);
    this.saveState();
  }

  /** Acts as a click on a node (used by the outline's Enter key and the test hooks). */
  clickNode(id: string): boolean {
    const pt = this.view.clickPointOf(id);
    if (!pt) return false;
    const hit = this.view.hitAt(pt.x, pt.y);
    this.onClick(hit);
    return hit?.kind === 'node' && hit.node.id === id;
  }

  onClick(hit: Hit | undefined): void {
    const scene = this.view.scene;
    if (!scene) return;
    if (hit?.kind === 'node' && hit.badge) {
      this.unfold(hit.node.id);
    } else if (hit?.kind === 'node' && hit.node.kind === 'group' && !hit.node.expanded) {
      void this.relayout(withExpanded(this.expanded(), hit.node.id), this.view.anchorOf(hit.node.id), 'expand');
    } else if (hit?.kind === 'node' && hit.node.kind === 'group' && hit.header) {
      void this.relayout(withCollapsed(scene, this.expanded(), hit.node.id), this.view.anchorOf(hit.node.id), 'collapse');
    } else if (hit?.kind === 'node') {
      this.select(hit.node.id);
      // A folded box is its op to the host's commands (extract node, copy name).
      const id = hit.node.kind === 'op' && hit.node.fold ? hit.node.fold.op : hit.node.id;
      post({ type: 'selection', kind: hit.node.kind === 'group' ? 'group' : 'node', id });
    } else if (hit?.kind === 'edge') {
      this.view.marks.selected = undefined;
      this.view.marks.selectedEdge = hit.edge.id;
      this.outline.select(undefined);
      this.view.requestPaint();
      post({ type: 'selection', kind: 'tensor', id: hit.edge.tensor });
      this.inspect.selectionChanged('tensor', hit.edge.tensor);
      this.compare.tensorSelected(hit.edge.tensor);
    } else {
      this.select(undefined);
      post({ type: 'selection', kind: 'none' });
    }
  }

  /** Opens a quantization fold: its Q, DQ and op boxes in a frame (whose header folds it again). */
  private unfold(id: string): void {
    void this.relayout(withExpanded(this.expanded(), id), this.view.anchorOf(id), 'expand');
  }

  private select(id: string | undefined): void {
    const changed = this.view.marks.selected !== id || this.view.marks.selectedEdge !== undefined;
    this.view.marks.selected = id;
    this.view.marks.selectedEdge = undefined;
    this.outline.select(id);
    this.modelDiff.boxSelected(id);
    if (changed) this.inspect.selectionChanged(id ? 'node' : 'none', id);
    this.view.requestPaint();
    this.saveState();
  }

  private expanded(): string[] {
    return this.wantedExpanded ?? this.view.scene?.expanded ?? [];
  }

  private expandVisible(): void {
    const scene = this.view.scene;
    if (!scene) return;
    const t = this.view.transform;
    const r = this.view.canvas.getBoundingClientRect();
    const [x0, y0] = t.invert([0, 0]), [x1, y1] = t.invert([r.width, r.height]);
    const inView = (id: string) => {
      const n = this.view.sceneIndex?.byId.get(id);
      return !!n && n.x + n.width >= x0 && n.x <= x1 && n.y + n.height >= y0 && n.y <= y1;
    };
    void this.relayout(withAllExpanded(scene, this.expanded(), inView), this.keepViewAnchor(), 'expand');
  }

  /** The current scene's boxes, nearest the view's center first. */
  private boxesByCenterDistance(): string[] {
    const idx = this.view.sceneIndex;
    if (!idx) return [];
    const r = this.view.canvas.getBoundingClientRect();
    const [cx, cy] = this.view.transform.invert([r.width / 2, r.height / 2]);
    const d = (n: { x: number; y: number; width: number; height: number }) => (n.x + n.width / 2 - cx) ** 2 + (n.y + n.height / 2 - cy) ** 2;
    return [...idx.boxes].sort((a, b) => d(a) - d(b)).map((n) => n.id);
  }

  /** An anchor that keeps the view still: the node nearest the view's center. */
  private keepViewAnchor(): Anchor | undefined {
    const idx = this.view.sceneIndex;
    if (!idx) return undefined;
    const r = this.view.canvas.getBoundingClientRect();
    const [cx, cy] = this.view.transform.invert([r.width / 2, r.height / 2]);
    let best: string | undefined, bestD = Infinity;
    for (const n of idx.boxes) {
      const d = (n.x + n.width / 2 - cx) ** 2 + (n.y + n.height / 2 - cy) ** 2;
      if (d < bestD) { bestD = d; best = n.id; }
    }
    return best ? this.view.anchorOf(best) : undefined;
  }

  private async relayout(expanded: string[], anchor: Anchor | undefined, metric: string, revealId?: string, view?: SavedState['view']): Promise<void> {
    const seq = ++this.layoutSeq;
    const t0 = performance.now();
    this.wantedExpanded = expanded;
    this.toolbar.setBusy(true);
    this.messages.setStatus('Laying out\u2026');
    try {
      const scene = await this.rpc.request('layout', { expanded, path: this.graphPath });
      if (seq !== this.layoutSeq) return; // a newer request superseded this one
      if (this.view.scene && scene.version < this.view.scene.version) return;
      this.applyScene(scene, anchor, view);
      if (revealId && this.view.reveal(revealId)) this.select(revealId);
      this.messages.setStatus(undefined);
      requestAnimationFrame(() => post({
        type: 'metric', name: metric, ms: performance.now() - t0,
        detail: { nodes: scene.nodes.length, edges: scene.edges.length, layoutMs: scene.layoutMs, cached: String(scene.cached), at: performance.now(), timeOrigin: performance.timeOrigin, ...this.applyTimings },
      }));
    } catch (e) {
      if (seq !== this.layoutSeq) return;
      const message = e instanceof Error ? e.message : String(e);
      this.messages.setStatus(`Layout failed: ${message}`, 'error');
      post({ type: 'log', level: 'error', message: `layout failed: ${message}` });
    } finally {
      if (seq === this.layoutSeq) {
        this.wantedExpanded = undefined;
        this.toolbar.setBusy(false);
      }
    }
  }

  /** Inspect: opens the target's groups (when hidden), centers and selects it, highlights its tensor's edge. */
  async revealBox(t: RevealTarget): Promise<void> {
    const have = this.expanded();
    if (t.expand.some((g) => !have.includes(g)) || !this.view.sceneIndex?.byId.has(t.box)) {
      await this.relayout([...new Set([...have, ...t.expand])], undefined, 'reveal', t.box);
    } else if (this.view.reveal(t.box)) {
      this.select(t.box);
    }
    const edges = this.view.scene?.edges ?? [];
    const carries = (e: Scene['edges'][number]) => e.tensor === t.tensor || !!e.tensors?.includes(t.tensor ?? '');
    const edge = t.tensor === undefined ? undefined : edges.find((e) => carries(e) && e.from === t.box) ?? edges.find(carries);
    if (edge) {
      this.view.marks.selectedEdge = edge.id;
      this.view.requestPaint();
    }
  }

  /** Inspect: shows another graph level (a subgraph or function) in place of the current one. */
  showGraph(scene: Scene, path: GraphPath): void {
    const left = this.view.scene;
    if (left) {
      const t = this.view.transform;
      this.graphViews.set(pathKey(this.graphPath), { expanded: this.expanded(), view: { k: t.k, x: t.x, y: t.y } });
    }
    this.layoutSeq++; // an answer for the previous level must not land on this one
    this.wantedExpanded = undefined;
    this.graphPath = path;
    this.select(undefined);
    // Back to a level shown before: its groups open again as they were, the view where it was.
    const back = this.graphViews.get(pathKey(path));
    if (back && sameMembers(back.expanded, scene.expanded)) {
      this.applyScene(scene, undefined, back.view);
    } else {
      this.applyScene(scene);
      if (back) void this.relayout(back.expanded, undefined, 'restoreGraphView', undefined, back.view);
    }
  }

  /** Inspect: a box or tensor a backend fused away says so in its properties. */
  extraProps(target: { box?: string; tensor?: string }): PropSection[] {
    const note = this.compare.noteFor(target);
    const diff = this.modelDiff.propsFor(target.box);
    return note ? [{ title: 'Comparison', rows: [{ key: 'not compared', value: note }] }, ...diff] : diff;
  }

  layoutChanged(): void {
    this.view.requestPaint();
  }

  /** Timings of the last applyScene, sent with the metrics so slow steps show up in the host's log. */
  private applyTimings: Record<string, number> = {};

  private applyScene(scene: Scene, anchor?: Anchor, saved?: SavedState['view']): void {
    const t0 = performance.now();
    this.view.setScene(scene, anchor, saved);
    const t1 = performance.now();
    const sel = this.view.marks.selected;
    if (sel && !this.view.sceneIndex?.byId.has(sel)) this.select(undefined);
    this.outline.update(scene, this.view.sceneIndex?.edges.length ?? 0);
    this.toolbar.setQdq({ present: scene.nodes.some((n) => n.fold), unfolded: !scene.nodes.some((n) => n.fold && n.kind === 'op') });
    this.outline.select(this.view.marks.selected);
    this.applyTimings = { sceneMs: round(t1 - t0), outlineMs: round(performance.now() - t1) };
    this.compare.sceneChanged();
    this.modelDiff.sceneChanged();
  }

  private reportFirstPaint(): void {
    const t0 = this.initAt ?? 0;
    const scene = this.view.scene;
    // The scene was painted synchronously; the next animation frame is when it is on screen and input works.
    requestAnimationFrame(() => post({
      type: 'metric', name: 'firstPaint', ms: performance.now() - t0,
      detail: {
        nodes: scene?.nodes.length ?? 0, edges: scene?.edges.length ?? 0, at: performance.now(), timeOrigin: performance.timeOrigin,
        file: this.summary?.fileName ?? '', ...this.applyTimings, ...startupMarks(),
      },
    }));
  }
}

/** When the script started running and when it said ready (ms since the document started), if marked. */
function startupMarks(): Record<string, number> {
  const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
  const script = at('onnx-inspector:script');
  const ready = at('onnx-inspector:ready');
  return script === undefined || ready === undefined ? {} : { scriptAt: round(script), readyAt: round(ready) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
