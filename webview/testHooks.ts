// window.__onnxInspectorTest: a small, stable surface for end-to-end tests and the render benchmark.
import type { App } from './app';

export interface OnnxInspectorTestApi {
  scene(): unknown;
  palette(): unknown;
  frameStats(): unknown;
  resetFrameStats(): void;
  transform(): { k: number; x: number; y: number };
  fit(): void;
  zoomBy(k: number): void;
  panBy(dx: number, dy: number): void;
  /** Clicks a node through the same hit-test path as the mouse; false when the point hits something else. */
  click(id: string): boolean;
  /** Turns the far-zoom bitmap on or off (the benchmark measures both paths). */
  setFarCache(enabled: boolean): void;
  /** Paints now and returns what the frame drew. */
  paint(): unknown;
}

export function installTestHooks(app: App): void {
  const api: OnnxInspectorTestApi = {
    scene: () => app.view.scene,
    palette: () => app.currentPalette,
    frameStats: () => app.view.stats.summary(),
    resetFrameStats: () => app.view.stats.reset(),
    transform: () => ({ k: app.view.transform.k, x: app.view.transform.x, y: app.view.transform.y }),
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
  };
  (window as unknown as { __onnxInspectorTest: OnnxInspectorTestApi }).__onnxInspectorTest = api;
}
