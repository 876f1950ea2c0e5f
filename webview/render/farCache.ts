// Far-zoom bitmap: for big scenes, the whole graph is drawn once (in idle time) into an offscreen canvas and,
// while the view is zoomed out far enough that boxes carry no text, each frame just scales that picture.
// Rasterising 5,000 boxes and 6,000 edges in software costs ~10-20 ms a frame; scaling a bitmap costs ~1-3 ms.
// It is only ever scaled down (used while screen px per scene unit <= cache px per unit), so it stays sharp.
import { drawScene, type SceneImage } from './drawScene';
import { detailFor } from './levelOfDetail';
import type { Palette } from './palette';
import type { SceneIndex } from './sceneIndex';
import type { TextFitter } from './textFit';

/** Below this many boxes vector drawing is cheap enough and the bitmap's memory is not worth it. */
const MIN_BOXES = 1500;
/** Longest side of the bitmap in px (2048 x 2048 x 4 bytes = 16 MB at most). */
const MAX_SIDE = 2048;

export class FarCache {
  enabled = true;
  private image: SceneImage | undefined;
  private pending = 0;

  constructor(private readonly fitter: TextFitter, private readonly onReady: () => void) {}

  /** Drops the bitmap (new scene or theme) and schedules a rebuild when the browser is idle. */
  invalidate(idx: SceneIndex, pal: Palette): void {
    this.image = undefined;
    if (this.pending) cancelIdleCallback(this.pending);
    this.pending = 0;
    if (!this.enabled || idx.boxes.length < MIN_BOXES) return;
    this.pending = requestIdleCallback(() => { this.pending = 0; this.build(idx, pal); }, { timeout: 1000 });
  }

  /** The bitmap, when it exists and suits zoom `k` on a `dpr` screen. */
  imageFor(k: number, dpr: number): SceneImage | undefined {
    if (!this.enabled || !this.image) return undefined;
    return k * dpr <= this.image.scale && !detailFor(k).outlines ? this.image : undefined;
  }

  private build(idx: SceneIndex, pal: Palette): void {
    const s = idx.scene;
    const scale = MAX_SIDE / Math.max(1, s.width, s.height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(s.width * scale);
    canvas.height = Math.ceil(s.height * scale);
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) return;
    // Edges 1.5 bitmap px wide: about half a screen pixel once scaled down to the usual far zoom.
    const detail = { ...detailFor(0.01), edgeWidth: 1.5 };
    drawScene(ctx, idx, pal, this.fitter, { k: scale, x: 0, y: 0, width: canvas.width, height: canvas.height, dpr: 1 }, {}, { detail });
    this.image = { canvas, scale };
    this.onReady();
  }
}
