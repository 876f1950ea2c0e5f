// The interactive canvas: owns the zoom transform (d3-zoom: wheel, drag, pinch), repaints at most once per
// animation frame, hit-tests pointer events, keeps the minimap in sync and publishes the VS Code context
// for right-clicks.
import { select, zoom, zoomIdentity, type D3ZoomEvent, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { Scene, SceneNode } from '../../src/protocol/scene';
import { drawScene, type FrameInfo, type Marks } from './drawScene';
import { FarCache } from './farCache';
import { editorFontPx, firstViewTransform, fitTransform, type ViewTransform } from './firstView';
import { FrameStats } from './frameStats';
import { Minimap } from './minimap';
import type { Palette } from './palette';
import { SceneIndex, type Hit } from './sceneIndex';
import { TextFitter } from './textFit';

export interface GraphViewEvents {
  /** A click on a box, or on an expanded group (header: true when on its header strip). */
  click(hit: Hit | undefined): void;
  /** A double click (after its two clicks). */
  dblclick?(hit: Hit | undefined): void;
  /** After every painted frame. */
  painted?(info: FrameInfo): void;
  /** The canvas's tooltip for what the pointer is over (none: no tooltip). */
  tooltip?(hit: Hit): string | undefined;
}

/** A text a frame drew: its box on screen (CSS px, relative to the canvas) and its font size. */
export interface DrawnText { text: string; x: number; y: number; width: number; height: number; fontPx: number }

/** Where a node sits on screen, to keep it still across a relayout. */
export interface Anchor { id: string; screenX: number; screenY: number }

const MAX_K = 8;

export class GraphView {
  readonly canvas: HTMLCanvasElement;
  readonly minimap: Minimap;
  readonly stats = new FrameStats();
  private readonly ctx: CanvasRenderingContext2D;
  private readonly fitter: TextFitter;
  readonly farCache: FarCache;
  private readonly zoomer: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly sel: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private index: SceneIndex | undefined;
  private palette: Palette;
  private t: ZoomTransform = zoomIdentity;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private pending = 0;
  readonly marks: Marks = {};

  constructor(private readonly host: HTMLElement, palette: Palette, private readonly events: GraphViewEvents) {
    this.palette = palette;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'graph-canvas';
    this.canvas.setAttribute('aria-hidden', 'true'); // the outline list is the accessible view
    host.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d', { alpha: false })!;
    this.fitter = new TextFitter(this.ctx);
    this.fitter.reset();
    this.farCache = new FarCache(this.fitter, () => this.requestPaint());
    this.minimap = new Minimap(host, (x, y) => this.centerOnPoint(x, y));
    this.sel = select(this.canvas);
    this.zoomer = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.01, MAX_K])
      .on('zoom', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => { this.t = e.transform; this.requestPaint(); });
    // Double click stays free for the app (a click already expands a group); zooming is wheel/pinch/toolbar.
    this.sel.call(this.zoomer).on('dblclick.zoom', null);
    this.canvas.addEventListener('click', (e) => this.events.click(this.hitAtClient(e.clientX, e.clientY)));
    this.canvas.addEventListener('dblclick', (e) => this.events.dblclick?.(this.hitAtClient(e.clientX, e.clientY)));
    this.canvas.addEventListener('pointermove', (e) => this.hover(e.clientX, e.clientY));
    this.canvas.addEventListener('pointerleave', () => this.setHover(undefined));
    // VS Code reads data-vscode-context from the element under the pointer when its context menu opens:
    // set it in the capture phase, before VS Code's own listener sees the event.
    const publish = (e: MouseEvent) => this.publishContext(e.clientX, e.clientY);
    this.canvas.addEventListener('pointerdown', publish, { capture: true });
    this.canvas.addEventListener('contextmenu', publish, { capture: true });
    new ResizeObserver(() => this.resize()).observe(host);
    this.resize();
    this.watchPixelRatio();
  }

  /** Moving the window to a screen with another devicePixelRatio (or browser zoom) changes the backing size. */
  private watchPixelRatio(): void {
    const mq = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    mq.addEventListener('change', () => { this.resize(); this.watchPixelRatio(); }, { once: true });
  }

  get scene(): Scene | undefined { return this.index?.scene; }
  get sceneIndex(): SceneIndex | undefined { return this.index; }
  get transform(): ZoomTransform { return this.t; }

  setPalette(p: Palette): void {
    this.palette = p;
    this.fitter.reset();
    if (this.index) {
      this.minimap.rebuild(this.index, p, this.dpr);
      this.farCache.invalidate(this.index, p);
    }
    this.requestPaint();
  }

  /** Shows a new scene with `anchor`'s node kept where it was on screen, or at a saved view, else at its first view. */
  setScene(scene: Scene, anchor?: Anchor, saved?: ViewTransform): void {
    this.index = new SceneIndex(scene);
    this.minimap.rebuild(this.index, this.palette, this.dpr);
    this.farCache.invalidate(this.index, this.palette);
    this.updateZoomLimits();
    const n = anchor && this.index.byId.get(anchor.id);
    if (n) this.apply(zoomIdentity.translate(anchor.screenX - n.x * this.t.k, anchor.screenY - n.y * this.t.k).scale(this.t.k));
    else if (saved && saved.k > 0) this.apply(zoomIdentity.translate(saved.x, saved.y).scale(saved.k));
    else this.showFirstView();
    this.paintNow();
  }

  /** The first view: the whole graph if its labels read at the editor's font size, else the top at that size. */
  showFirstView(): void {
    const s = this.index?.scene;
    if (!s || !this.width || !this.height) return;
    const t = firstViewTransform(s, { width: this.width, height: this.height }, editorFontPx());
    this.apply(zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  /** Calls `f` once the view has been still for a moment (to save it). */
  onViewSettled(f: (t: { k: number; x: number; y: number }) => void): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.zoomer.on('end.settle', () => {
      clearTimeout(timer);
      timer = setTimeout(() => f({ k: this.t.k, x: this.t.x, y: this.t.y }), 300);
    });
  }

  /** Screen position (CSS px, relative to the canvas) of a node's top-left corner. */
  anchorOf(id: string): Anchor | undefined {
    const n = this.index?.byId.get(id);
    return n && { id, screenX: n.x * this.t.k + this.t.x, screenY: n.y * this.t.k + this.t.y };
  }

  /** Canvas point (CSS px) at which a click reaches `id`: its header for expanded groups, below the badge (which
   *  opens the fold) for a folded box. */
  clickPointOf(id: string): { x: number; y: number } | undefined {
    const n = this.index?.byId.get(id);
    if (!n) return undefined;
    const sy = n.kind === 'group' && n.expanded ? n.y + 8 : n.fold ? n.y + n.height - 6 : n.y + n.height / 2;
    return { x: (n.x + Math.min(n.width / 2, 40)) * this.t.k + this.t.x, y: sy * this.t.k + this.t.y };
  }

  fit(): void {
    const s = this.index?.scene;
    if (!s || !this.width || !this.height) return;
    const t = fitTransform(s, { width: this.width, height: this.height });
    this.apply(zoomIdentity.translate(t.x, t.y).scale(t.k));
  }

  zoomBy(factor: number, at?: [number, number]): void {
    this.zoomer.scaleBy(this.sel, factor, at ?? [this.width / 2, this.height / 2]);
  }

  panBy(dx: number, dy: number): void {
    this.apply(this.t.translate(dx / this.t.k, dy / this.t.k));
  }

  /** Centers the view on a node, zooming in until its text is readable. */
  reveal(id: string): boolean {
    const n = this.index?.byId.get(id);
    if (!n) return false;
    const k = Math.max(this.t.k, 1);
    this.apply(zoomIdentity.translate(this.width / 2 - (n.x + n.width / 2) * k, this.height / 2 - (n.y + n.height / 2) * k).scale(k));
    return true;
  }

  centerOnPoint(x: number, y: number): void {
    const k = this.t.k;
    this.apply(zoomIdentity.translate(this.width / 2 - x * k, this.height / 2 - y * k).scale(k));
  }

  hitAtClient(clientX: number, clientY: number): Hit | undefined {
    const r = this.canvas.getBoundingClientRect();
    return this.hitAt(clientX - r.left, clientY - r.top);
  }

  /** Hit at a canvas point (CSS px). */
  hitAt(x: number, y: number): Hit | undefined {
    const [sx, sy] = this.t.invert([x, y]);
    return this.index?.hitTest(sx, sy, 5 / this.t.k);
  }

  requestPaint(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.paintNow(); });
  }

  paintNow(): FrameInfo | undefined {
    if (this.pending) { cancelAnimationFrame(this.pending); this.pending = 0; }
    if (!this.index || !this.width) return undefined;
    const { k, x, y } = this.t;
    const image = this.farCache.imageFor(k, this.dpr);
    const info = drawScene(this.ctx, this.index, this.palette, this.fitter, { k, x, y, width: this.width, height: this.height, dpr: this.dpr }, this.marks, { image });
    this.minimap.draw(this.palette, this.dpr, -x / k, -y / k, this.width / k, this.height / k);
    this.stats.record(info.ms, performance.now(), info);
    this.events.painted?.(info);
    return info;
  }

  /**
   * Paints now and returns every text the frame drew, with its screen box (CSS px, relative to the canvas) and
   * font size: what the first-view tests check for legibility. The normal paint path records nothing.
   */
  paintRecordingText(): DrawnText[] {
    const out: DrawnText[] = [];
    const ctx = this.ctx;
    const fillText = ctx.fillText;
    ctx.fillText = (text: string, x: number, y: number, maxWidth?: number) => {
      const size = parseFloat(/(\d+(?:\.\d+)?)px/.exec(ctx.font)?.[1] ?? '0');
      const m = ctx.measureText(text);
      const top = ctx.textBaseline === 'middle' ? y - size / 2 : ctx.textBaseline === 'top' ? y : y - size;
      out.push({ text, x, y: top, width: m.width, height: size, fontPx: size });
      if (maxWidth === undefined) fillText.call(ctx, text, x, y); else fillText.call(ctx, text, x, y, maxWidth);
    };
    try {
      this.paintNow();
    } finally {
      delete (ctx as Partial<CanvasRenderingContext2D>).fillText; // the prototype's again
    }
    return out;
  }

  private apply(t: ZoomTransform): void {
    this.zoomer.transform(this.sel, t);
  }

  private updateZoomLimits(): void {
    const s = this.index?.scene;
    if (!s || !this.width) return;
    // Allow zooming out a bit past "whole graph fits", however big the graph is.
    const fitK = Math.min(this.width / Math.max(1, s.width), this.height / Math.max(1, s.height));
    this.zoomer.scaleExtent([Math.min(0.05, fitK / 2), MAX_K]);
  }

  private resize(): void {
    const r = this.host.getBoundingClientRect();
    this.width = Math.max(1, Math.floor(r.width));
    this.height = Math.max(1, Math.floor(r.height));
    this.dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.width * this.dpr);
    this.canvas.height = Math.round(this.height * this.dpr);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.updateZoomLimits();
    if (this.index) this.minimap.rebuild(this.index, this.palette, this.dpr);
    this.paintNow();
  }

  private hoverQueued = false;
  private hoverPoint: [number, number] = [0, 0];
  private hover(clientX: number, clientY: number): void {
    this.hoverPoint = [clientX, clientY];
    if (this.hoverQueued) return;
    this.hoverQueued = true;
    requestAnimationFrame(() => {
      this.hoverQueued = false;
      const hit = this.hitAtClient(...this.hoverPoint);
      this.setHover(hit?.kind === 'node' ? hit.node : undefined);
      this.canvas.title = (hit && this.events.tooltip?.(hit)) || '';
      this.canvas.style.cursor = hit && (hit.kind === 'edge' || hit.node.kind !== 'group' || !hit.node.expanded || hit.header) ? 'pointer' : 'grab';
    });
  }

  private setHover(n: SceneNode | undefined): void {
    if (this.marks.hover === n?.id) return;
    this.marks.hover = n?.id;
    this.requestPaint();
  }

  private publishContext(clientX: number, clientY: number): void {
    const hit = this.hitAtClient(clientX, clientY);
    const ctx = hit?.kind === 'node'
      // A folded box's menu acts on its op.
      ? { webviewSection: hit.node.kind === 'group' ? 'group' : 'node', nodeId: hit.node.kind === 'op' && hit.node.fold ? hit.node.fold.op : hit.node.id, nodeName: hit.node.name, preventDefaultContextMenuItems: true }
      : hit?.kind === 'edge'
        ? { webviewSection: 'edge', tensor: hit.edge.tensor, edgeId: hit.edge.id, preventDefaultContextMenuItems: true }
        : { webviewSection: 'canvas', preventDefaultContextMenuItems: true };
    this.canvas.dataset.vscodeContext = JSON.stringify(ctx);
  }
}
