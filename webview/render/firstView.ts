// Where the camera starts on a scene shown afresh: the whole graph when it fits at a zoom where labels read at the
// editor's font size, else at that zoom on the graph's inputs at the top (as Netron opens). Pure: tested in Node.
import type { Scene } from '../../src/protocol/scene';
import { LABEL_SIZE } from './levelOfDetail';

export interface ViewTransform { k: number; x: number; y: number }
export interface Viewport { width: number; height: number }

/** Free space kept around the graph on screen, CSS px. */
export const VIEW_PAD = 24;
/** Fit never magnifies a small graph past this. */
export const MAX_FIT_K = 1.5;
/** Font size when the editor's is unknown (VS Code's default on Linux and Windows). */
export const DEFAULT_EDITOR_FONT_PX = 14;

/** The whole scene, centered, as big as fits (at most MAX_FIT_K). */
export function fitTransform(scene: Pick<Scene, 'width' | 'height'>, vp: Viewport, maxK = MAX_FIT_K): ViewTransform {
  const k = Math.min(maxK, (vp.width - 2 * VIEW_PAD) / Math.max(1, scene.width), (vp.height - 2 * VIEW_PAD) / Math.max(1, scene.height));
  return { k, x: (vp.width - scene.width * k) / 2, y: (vp.height - scene.height * k) / 2 };
}

/** The zoom at which a box's label is drawn at `fontPx` CSS px. */
export function legibleZoom(fontPx: number): number {
  return fontPx / LABEL_SIZE;
}

/**
 * The first view of a scene: fitted when the fit is legible; otherwise at the legible zoom with the top of the
 * graph at the top of the view and, across, the graph's inputs centered (kept inside the graph's extent, so no
 * empty margin shows beside a graph wider than the view).
 */
export function firstViewTransform(scene: Scene, vp: Viewport, fontPx: number): ViewTransform {
  const fit = fitTransform(scene, vp);
  const k = legibleZoom(fontPx);
  if (fit.k >= k || scene.nodes.length === 0) return fit;
  let top = Infinity;
  for (const n of scene.nodes) top = Math.min(top, n.y);
  const y = VIEW_PAD - top * k;
  if (scene.width * k <= vp.width - 2 * VIEW_PAD) return { k, x: (vp.width - scene.width * k) / 2, y };
  const cx = focusX(scene);
  const x = vp.width / 2 - cx * k;
  // The graph's left edge no further right than the pad, its right edge no further left than width - pad.
  const minX = vp.width - VIEW_PAD - scene.width * k, maxX = VIEW_PAD;
  return { k, x: Math.min(maxX, Math.max(minX, x)), y };
}

/** Scene x to center across: the middle of the graph's inputs, else of the topmost boxes. */
function focusX(scene: Scene): number {
  let boxes = scene.nodes.filter((n) => n.kind === 'input');
  if (boxes.length === 0) {
    const top = Math.min(...scene.nodes.map((n) => n.y));
    boxes = scene.nodes.filter((n) => n.y <= top + 1);
  }
  const x0 = Math.min(...boxes.map((n) => n.x)), x1 = Math.max(...boxes.map((n) => n.x + n.width));
  return (x0 + x1) / 2;
}

/** The editor's font size in CSS px, as VS Code gives it to webviews (--vscode-editor-font-size). */
export function editorFontPx(root: Element = document.documentElement): number {
  const style = getComputedStyle(root);
  for (const name of ['--vscode-editor-font-size', '--vscode-font-size']) {
    const px = parseFloat(style.getPropertyValue(name));
    if (Number.isFinite(px) && px > 0) return px;
  }
  return DEFAULT_EDITOR_FONT_PX;
}
