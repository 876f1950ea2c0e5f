// Shared helpers for end-to-end tests of the graph webview: find its frame, read the scene through the test hooks,
// click boxes with the real mouse, and compute what the core says the scene should hold.
import * as fs from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { readLog, type Session } from '../harness';
import { buildModelGraph, type GraphModel } from '../../../src/core/graph';
import { readModel } from '../../../src/core/model';
import type { Scene, SceneNode } from '../../../src/protocol/scene';
import { buildViewModel, type ViewModel } from '../../../src/layout/viewModel';

/** The frame that runs our webview script (VS Code nests it: iframe.webview > #active-frame). */
export async function webviewFrame(page: Page, timeoutMs = 90_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      const ok = await f.evaluate(() => !!document.querySelector('[data-testid="graph-root"]') && !!(window as any).__onnxInspectorTest?.scene())
        .catch(() => false);
      // Several editors may have frames; the one whose <canvas> is laid out (non-zero size) is visible.
      if (ok && await f.evaluate(() => (document.querySelector('canvas.graph-canvas') as HTMLCanvasElement | null)?.clientWidth ?? 0).catch(() => 0) > 0) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with a scene after ${timeoutMs} ms; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The frame of the graph of a model difference (Compare Models), once its list of differences shows. */
export async function diffFrame(page: Page, timeoutMs = 90_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      if (await f.evaluate(() => !!document.querySelector('[data-testid="diff-dock"]:not([hidden])')).catch(() => false)) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame shows a model difference after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function sceneOf(frame: Frame): Promise<Scene> {
  return frame.evaluate(() => (window as any).__onnxInspectorTest.scene());
}

/** Waits until the webview's scene satisfies `pred` (e.g. a newer version after a click). */
export async function waitForScene(frame: Frame, pred: (s: Scene) => boolean, what: string, timeoutMs = 60_000): Promise<Scene> {
  const deadline = Date.now() + timeoutMs;
  let last: Scene | undefined;
  for (;;) {
    last = await sceneOf(frame).catch(() => undefined);
    if (last && pred(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; scene has ${last?.nodes.length ?? '?'} boxes, expanded ${JSON.stringify(last?.expanded)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ScreenRect { x: number; y: number; width: number; height: number }

/**
 * Where a scene box is on the page (main-frame CSS px, what page.mouse takes): scene coords through the view's
 * zoom transform, offset by the canvas's position (Playwright's boundingBox is already relative to the main frame).
 */
export async function screenRectOf(frame: Frame, id: string): Promise<ScreenRect | undefined> {
  const canvas = await frame.locator('canvas.graph-canvas').boundingBox();
  if (!canvas) throw new Error('the graph canvas has no box');
  const r = await frame.evaluate((nodeId) => {
    const api = (window as any).__onnxInspectorTest;
    const n = (api.scene() as Scene).nodes.find((m) => m.id === nodeId);
    const t = api.transform() as { k: number; x: number; y: number };
    return n && { x: n.x * t.k + t.x, y: n.y * t.k + t.y, width: n.width * t.k, height: n.height * t.k };
  }, id);
  return r && { x: canvas.x + r.x, y: canvas.y + r.y, width: r.width, height: r.height };
}

/** Pans and zooms (test hooks) so `id` sits in the middle of the canvas at least `minWidth` px wide. */
export async function bringIntoView(frame: Frame, id: string, minWidth = 120): Promise<ScreenRect> {
  const canvas = (await frame.locator('canvas.graph-canvas').boundingBox())!;
  for (let i = 0; i < 40; i++) {
    const r = (await screenRectOf(frame, id))!;
    const dx = canvas.x + canvas.width / 2 - (r.x + r.width / 2);
    const dy = canvas.y + canvas.height / 2 - (r.y + Math.min(r.height, canvas.height / 2) / 2);
    if (Math.abs(dx) > 1 || Math.abs(dy) > 1) await frame.evaluate(([x, y]) => (window as any).__onnxInspectorTest.panBy(x, y), [dx, dy]);
    else if (r.width < minWidth) await frame.evaluate(() => (window as any).__onnxInspectorTest.zoomBy(1.6));
    else return r;
  }
  throw new Error(`could not bring ${id} into view`);
}

/** A real mouse click on a box: its middle, or for an expanded group its header strip (which collapses it). */
export async function clickBox(page: Page, frame: Frame, id: string): Promise<void> {
  const scene = await sceneOf(frame);
  const n = scene.nodes.find((m) => m.id === id);
  if (!n) throw new Error(`${id} is not in the scene`);
  const r = await bringIntoView(frame, id);
  const k = (await frame.evaluate(() => (window as any).__onnxInspectorTest.transform())).k as number;
  const header = (n.headerHeight ?? 22) * k;
  const y = n.kind === 'group' && n.expanded ? r.y + Math.min(header / 2, 8) : r.y + r.height / 2;
  // A frame wider than the canvas starts left of it: click where the box and the canvas overlap.
  const canvas = (await frame.locator('canvas.graph-canvas').boundingBox())!;
  const left = Math.max(r.x, canvas.x + 4);
  const right = Math.min(r.x + r.width, canvas.x + canvas.width - 4);
  const x = left + Math.min((right - left) / 2, 40);
  await page.mouse.move(x, y);
  await page.mouse.click(x, y);
}

export interface ModelTruth {
  graph: GraphModel;
  view: ViewModel;
}

/** The model as the core reads it: what the drawn scene is checked against. */
export function modelTruth(file: string): ModelTruth {
  const graph = buildModelGraph(readModel(new Uint8Array(fs.readFileSync(file))));
  return { graph, view: buildViewModel(graph, file) };
}

/** Ids the view model says are visible for a set of open groups: every child of an open group, recursively. */
export function expectedVisibleIds(view: ViewModel, expanded: readonly string[]): Set<string> {
  const open = new Set(expanded);
  const out = new Set<string>();
  const stack = [view.root];
  while (stack.length) {
    const g = stack.pop()!;
    for (const id of g.children ?? []) {
      out.add(id);
      const c = view.items.get(id)!;
      if (c.kind === 'group' && open.has(id)) stack.push(c);
    }
  }
  return out;
}

/** Ops a scene accounts for: op boxes drawn plus the op counts of collapsed groups (expanded frames hold theirs). */
export function opsAccountedFor(nodes: readonly SceneNode[]): number {
  let n = 0;
  for (const b of nodes) {
    if (b.kind === 'op') n++;
    else if (b.kind === 'group' && !b.expanded) n += b.opCount ?? 0;
  }
  return n;
}

/** Ops inside `groupId` in a scene (nested frames followed through `parent`). */
export function opsInside(nodes: readonly SceneNode[], groupId: string): number {
  const parent = new Map(nodes.map((n) => [n.id, n.parent]));
  const within = (id: string): boolean => {
    for (let p = parent.get(id); p; p = parent.get(p)) if (p === groupId) return true;
    return false;
  };
  return opsAccountedFor(nodes.filter((n) => within(n.id)));
}

/** What a failed e2e test leaves for whoever reads CI's log: a screenshot, the session's diagnostics, the extension log's tail. */
export async function reportFailure(s: Session, screenshot: string, log: string): Promise<void> {
  await s.screenshot(screenshot).catch(() => undefined);
  console.error(s.diagnostics());
  const text = readLog(log);
  if (text) console.error(`--- extension log ${log} ---\n${text.slice(-4000)}`);
}

export function cleanup(...paths: string[]): void {
  for (const p of paths) fs.rmSync(p, { recursive: true, force: true });
}
