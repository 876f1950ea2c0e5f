// Overview in a corner: the whole scene drawn once into a cached bitmap, plus the viewport rectangle each frame.
// Click or drag in it to move the main view there.
import type { Palette } from './palette';
import type { SceneIndex } from './sceneIndex';

const W = 180, H = 120;

export class Minimap {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private cache: HTMLCanvasElement | undefined;
  private scale = 1;
  private ox = 0;
  private oy = 0;

  constructor(parent: HTMLElement, private readonly moveTo: (sceneX: number, sceneY: number) => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.ctx = this.canvas.getContext('2d')!;
    parent.appendChild(this.canvas);
    let dragging = false;
    const go = (e: PointerEvent) => {
      const r = this.canvas.getBoundingClientRect();
      this.moveTo((e.clientX - r.left - this.ox) / this.scale, (e.clientY - r.top - this.oy) / this.scale);
    };
    this.canvas.addEventListener('pointerdown', (e) => { dragging = true; this.canvas.setPointerCapture(e.pointerId); go(e); e.stopPropagation(); });
    this.canvas.addEventListener('pointermove', (e) => { if (dragging) go(e); });
    this.canvas.addEventListener('pointerup', () => { dragging = false; });
    this.canvas.addEventListener('pointercancel', () => { dragging = false; });
  }

  set visible(v: boolean) { this.canvas.hidden = !v; }
  get visible(): boolean { return !this.canvas.hidden; }

  /** Redraws the cached overview (new scene or theme). */
  rebuild(idx: SceneIndex, pal: Palette, dpr: number): void {
    const s = idx.scene;
    this.scale = Math.min(W / Math.max(1, s.width), H / Math.max(1, s.height));
    this.ox = (W - s.width * this.scale) / 2;
    this.oy = (H - s.height * this.scale) / 2;
    for (const c of [this.canvas]) { c.width = W * dpr; c.height = H * dpr; c.style.width = `${W}px`; c.style.height = `${H}px`; }
    const cache = this.cache ?? document.createElement('canvas');
    cache.width = W * dpr;
    cache.height = H * dpr;
    const ctx = cache.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = pal.ui.minimapBackground;
    ctx.fillRect(0, 0, W, H);
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.ox, dpr * this.oy);
    for (const n of idx.frames) { ctx.fillStyle = pal.ui.groupFill; ctx.fillRect(n.x, n.y, n.width, n.height); }
    const minSide = 1.5 / this.scale; // keep tiny boxes visible as at least a dot
    for (const n of idx.boxes) {
      ctx.fillStyle = n.kind === 'op' ? pal.category[n.category]?.stroke ?? pal.ui.muted : n.kind === 'group' ? pal.ui.groupBorder : pal.ui[n.kind];
      ctx.fillRect(n.x, n.y, Math.max(minSide, n.width), Math.max(minSide, n.height));
    }
    this.cache = cache;
  }

  /** Draws the overview and the viewport rectangle (scene coordinates). */
  draw(pal: Palette, dpr: number, vx: number, vy: number, vw: number, vh: number): void {
    if (!this.cache || this.canvas.hidden) return;
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.cache, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.strokeStyle = pal.ui.selection;
    ctx.lineWidth = 1.5;
    ctx.fillStyle = pal.ui.minimapViewport;
    const x = this.ox + vx * this.scale, y = this.oy + vy * this.scale;
    // The slider colors are translucent in VS Code themes; alpha keeps a fallback opaque color from hiding the map.
    ctx.globalAlpha = 0.5;
    ctx.fillRect(x, y, vw * this.scale, vh * this.scale);
    ctx.globalAlpha = 1;
    ctx.strokeRect(x, y, vw * this.scale, vh * this.scale);
  }
}
