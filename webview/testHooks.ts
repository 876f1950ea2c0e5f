// window.__onnxInspectorTest: a small, stable surface for end-to-end tests and the render benchmark.
import type { App } from './app';
import { editorFontPx } from './render/firstView';

export interface OnnxInspectorTestApi {
  scene(): unknown;
  palette(): unknown;
  frameStats(): unknown;
  resetFrameStats(): void;
  transform(): { k: number; x: number; y: number };
  /** The selected box's id, if any. */
  selected(): string | undefined;
  fit(): void;
  zoomBy(k: number): void;
  panBy(dx: number, dy: number): void;
  /** Clicks a node through the same hit-test path as the mouse; false when the point hits something else. */
  click(id: string): boolean;
  /** Turns the far-zoom bitmap on or off (the benchmark measures both paths). */
  setFarCache(enabled: boolean): void;
  /** Paints now and returns what the frame drew. */
  paint(): unknown;
  /** Paints now and returns the box labels drawn (box id, text, screen rect relative to the canvas, font size in
   *  CSS px), with the canvas size and the editor's font size (the legibility bar). */
  drawnLabels(): { labels: DrawnLabel[]; width: number; height: number; editorFontPx: number };
  /** A canvas point (CSS px) where a click or right-click hits an edge carrying `tensor`; undefined if none in view. */
  edgePoint(tensor: string): { x: number; y: number } | undefined;
  /** The tensors chosen for the graph actions, and the extract marks the host sent. */
  actionMarks(): { chosen: string[]; highlights: { color: string; tensors: string[] }[] };
}

export interface DrawnLabel { id: string; text: string; x: number; y: number; width: number; height: number; fontPx: number }

/** The texts of a recorded frame that are a box's label (an open group's header included): drawn on the box, and
 *  its label, whole or cut with ellipses. */
function drawnLabels(app: App): DrawnLabel[] {
  const out: DrawnLabel[] = [];
  for (const t of app.view.paintRecordingText()) {
    const hit = app.view.hitAt(t.x + Math.min(2, t.width / 2), t.y + t.height / 2);
    if (hit?.kind !== 'node') continue;
    const parts = t.text.replace(/^\u25B8 /, '').replace(/ {2}\(\d+ ops\)$/, '').split('\u2026').filter((p) => p !== '');
    let at = 0;
    const inLabel = parts.length > 0 && parts.every((p) => { const i = hit.node.label.indexOf(p, at); at = i + p.length; return i >= 0; });
    if (inLabel) out.push({ id: hit.node.id, ...t });
  }
  return out;
}

/** Tries points along each segment of the edges carrying `tensor` until the hit test answers that edge. */
function edgePoint(app: App, tensor: string): { x: number; y: number } | undefined {
  const t = app.view.transform;
  const r = app.view.canvas.getBoundingClientRect();
  for (const e of app.view.sceneIndex?.edges ?? []) {
    if (e.tensor !== tensor) continue;
    for (let i = 0; i + 3 < e.points.length; i += 2) {
      for (const f of [0.5, 0.25, 0.75, 0.1, 0.9]) {
        const x = (e.points[i] + (e.points[i + 2] - e.points[i]) * f) * t.k + t.x;
        const y = (e.points[i + 1] + (e.points[i + 3] - e.points[i + 1]) * f) * t.k + t.y;
        if (x < 0 || y < 0 || x > r.width || y > r.height) continue;
        const hit = app.view.hitAt(x, y);
        if (hit?.kind === 'edge' && hit.edge.tensor === tensor) return { x, y };
      }
    }
  }
  return undefined;
}

export function installTestHooks(app: App): void {
  const api: OnnxInspectorTestApi = {
    scene: () => app.view.scene,
    palette: () => app.currentPalette,
    frameStats: () => app.view.stats.summary(),
    resetFrameStats: () => app.view.stats.reset(),
    transform: () => ({ k: app.view.transform.k, x: app.view.transform.x, y: app.view.transform.y }),
    selected: () => app.view.marks.selected,
    fit: () => app.view.fit(),
    zoomBy: (k) => app.view.zoomBy(k),
    panBy: (dx, dy) => app.view.panBy(dx, dy),
    click: (id) => app.clickNode(id),
    setFarCache: (enabled) => {
      app.view.farCache.enabled = enabled;
      const idx = app.view.sceneIndex;
      if (idx) app.view.farCache.invalidate(idx, app.currentPalette);
      app.view.paintNow();
    },
    paint: () => app.view.paintNow(),
    drawnLabels: () => {
      const r = app.view.canvas.getBoundingClientRect();
      return { labels: drawnLabels(app), width: r.width, height: r.height, editorFontPx: editorFontPx() };
    },
    edgePoint: (tensor) => edgePoint(app, tensor),
    actionMarks: () => ({
      chosen: [...app.actions.chosen.tensors],
      highlights: app.actions.highlights.map((h) => ({ color: h.color, tensors: [...h.tensors] })),
    }),
  };
  (window as unknown as { __onnxInspectorTest: OnnxInspectorTestApi }).__onnxInspectorTest = api;
}
