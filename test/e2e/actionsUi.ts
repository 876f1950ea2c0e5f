// Helpers for the graph-action e2e tests: find an edge on screen, right-click it (or the canvas) and pick an item
// from VS Code's own context menu, read notifications, and the log events the actions write.
import type { Frame, Page } from 'playwright-core';
import { bringIntoView, sceneOf } from './support/graph';
import { readLog, type Session } from './harness';

/** Main-frame point on an edge carrying `tensor`, after bringing its producer into view. */
export async function edgeScreenPoint(frame: Frame, tensor: string): Promise<{ x: number; y: number }> {
  const scene = await sceneOf(frame);
  const edge = scene.edges.find((e) => e.tensor === tensor);
  if (!edge) throw new Error(`no edge carries '${tensor}' in the scene (${scene.edges.length} edges)`);
  await bringIntoView(frame, edge.from, 90);
  const canvas = (await frame.locator('canvas.graph-canvas').boundingBox())!;
  const p = await frame.evaluate((t) => (window as any).__onnxInspectorTest.edgePoint(t), tensor) as { x: number; y: number } | undefined;
  if (!p) throw new Error(`edge '${tensor}' has no point in view that the hit test answers`);
  return { x: canvas.x + p.x, y: canvas.y + p.y };
}

/** Right-clicks at a point and chooses the context menu item whose label is exactly `label`. A right-click right
 *  after the previous menu closed is sometimes swallowed by the workbench, so it is retried. */
export async function contextMenu(page: Page, at: { x: number; y: number }, label: string): Promise<void> {
  const item = page.locator('.context-view .action-label', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
  for (let attempt = 0; ; attempt++) {
    await page.mouse.move(at.x, at.y);
    await page.mouse.click(at.x, at.y, { button: 'right' });
    try {
      await item.waitFor({ state: 'visible', timeout: 4_000 });
      break;
    } catch (e) {
      const shown = await page.locator('.context-view .action-label').allInnerTexts().catch(() => []);
      if (attempt >= 3 || shown.length > 0) throw new Error(`${(e as Error).message}\ncontext menu item '${label}' not shown; items: ${JSON.stringify(shown)}`);
      await page.keyboard.press('Escape');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  // The menu ignores a release that comes too soon after it opened (it guards against accidental picks).
  await new Promise((r) => setTimeout(r, 400));
  await item.hover();
  await item.click();
  await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: 5_000 });
}

export async function rightClickEdge(page: Page, frame: Frame, tensor: string, label: string): Promise<void> {
  await contextMenu(page, await edgeScreenPoint(frame, tensor), label);
}

/** Texts of the notification toasts shown now. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

export async function waitForNotification(page: Page, needle: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await notifications(page).catch(() => []);
    const hit = texts.find((t) => t.replace(/\u00A0/g, ' ').includes(needle));
    if (hit) return hit.replace(/\u00A0/g, ' ');
    if (Date.now() > deadline) throw new Error(`no notification containing '${needle}' after ${timeoutMs} ms; shown: ${JSON.stringify(texts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The JSON events named `name` in the extension's log file. */
export function logEvents(log: string, name: string): Record<string, any>[] {
  return readLog(log).split('\n').filter((l) => l.includes(' EVENT ')).map((l) => JSON.parse(l.slice(l.indexOf(' EVENT ') + 7)))
    .filter((e) => e.event === name);
}

export async function waitForEvent(log: string, name: string, count = 1, timeoutMs = 90_000): Promise<Record<string, any>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = logEvents(log, name);
    if (events.length >= count) return events;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} '${name}' events; log:\n${readLog(log).slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface ActionMarksView { chosen: string[]; byColor: Record<string, string[]> }

/** Polls the webview's action marks (the host sends them after the command ran) until `pred` holds. */
export async function waitForMarks(frame: Frame, pred: (m: ActionMarksView) => boolean, what: string, timeoutMs = 15_000): Promise<ActionMarksView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const raw = await frame.evaluate(() => (window as any).__onnxInspectorTest.actionMarks()) as { chosen: string[]; highlights: { color: string; tensors: string[] }[] };
    const m = { chosen: raw.chosen, byColor: Object.fromEntries(raw.highlights.map((h) => [h.color, h.tensors])) };
    if (pred(m)) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; marks: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The visible graph webview whose scene satisfies `pred` (several models are open; hidden ones are skipped). */
export async function visibleModelFrame(page: Page, pred: (s: { nodes: { id: string }[] }) => boolean, what: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of page.frames()) {
      const scene = await f.evaluate(() => (window as any).__onnxInspectorTest?.scene() ?? null).catch(() => null);
      if (!scene || !pred(scene)) continue;
      const inner = await f.frameElement().catch(() => null);
      const outer = await f.parentFrame()?.frameElement().catch(() => null);
      if (inner && outer && await inner.isVisible() && await outer.isVisible()) return f;
    }
    if (Date.now() > deadline) throw new Error(`no visible webview showing ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Brings an open editor to the front by clicking its tab (Quick Open's fuzzy match may pick a sibling file). */
export async function focusTab(page: Page, name: string): Promise<void> {
  await page.locator('.tabs-container .tab .label-name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }).first().click();
}

/** Types into the quick input (a filter, a path or a value) and presses Enter, once `row` shows when given. */
export async function typeAndEnter(page: Page, text: string, row?: string): Promise<void> {
  await page.locator('.quick-input-widget input.input').fill(text);
  if (row) await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

export async function waitForQuickInput(page: Page, what: { placeholder?: string; title?: string; message?: string }): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: 30_000 });
  if (what.placeholder) await page.locator(`.quick-input-widget input.input[placeholder="${what.placeholder}"]`).waitFor({ state: 'visible', timeout: 30_000 });
  if (what.title) await page.locator('.quick-input-widget .quick-input-title', { hasText: what.title }).waitFor({ state: 'visible', timeout: 30_000 });
  if (what.message) await page.locator('.quick-input-widget .quick-input-message', { hasText: what.message }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Accepts the input box showing `message` with Enter. An Enter that lands while the box is still validating its
 *  value is dropped: press again while this same box stays open (the next prompt may follow at once). */
export async function acceptInputBox(page: Page, message: string): Promise<void> {
  await waitForQuickInput(page, { message });
  const shown = page.locator('.quick-input-widget .quick-input-message', { hasText: message });
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.keyboard.press('Enter');
    for (let i = 0; i < 25; i++) {
      await new Promise((r) => setTimeout(r, 200));
      if (!(await shown.isVisible())) return;
    }
  }
  throw new Error(`the input box '${message}' did not take Enter`);
}

/** The simple file dialog (code-server's open and save dialogs): replace the path and accept. The dialog fills in
 *  its default path after it opens, so wait for that before typing, and check the typed path stuck. */
export async function dialogPath(page: Page, title: string, file: string): Promise<void> {
  await waitForQuickInput(page, { title });
  const input = page.locator('.quick-input-widget input.input');
  for (let i = 0; i < 100 && !(await input.inputValue()).includes('/'); i++) await new Promise((r) => setTimeout(r, 100));
  for (let attempt = 0; ; attempt++) {
    await input.fill(file);
    await new Promise((r) => setTimeout(r, 300));
    if ((await input.inputValue()) === file) break;
    if (attempt >= 5) throw new Error(`the dialog's path stayed ${await input.inputValue()}`);
  }
  // An Enter that lands while the dialog is still checking the typed path is dropped: press again while this same
  // dialog stays open (another quick input may follow at once, so "closed" means hidden or retitled).
  const widget = page.locator('.quick-input-widget');
  const titleEl = page.locator('.quick-input-widget .quick-input-title');
  const stillOpen = async () => (await widget.isVisible()) && (await titleEl.innerText().catch(() => '')).includes(title);
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.keyboard.press('Enter');
    for (let i = 0; i < 25; i++) {
      await new Promise((r) => setTimeout(r, 200));
      if (!(await stillOpen())) return;
    }
  }
  throw new Error(`the file dialog did not accept ${file}`);
}

/**
 * "ONNX: Compare Backends" on the active model: run A onnxruntime with its defaults, run B a saved results file
 * (through the open dialog), inputs generated with the default seed (the CLI's default too, so both sides see the
 * same values). `onRunA` looks at run A's list before its first item is taken.
 */
export async function compareAgainstResultsFile(s: Session, resultsFile: string, onRunA?: () => Promise<void>): Promise<void> {
  const page = s.page;
  await s.runCommand('ONNX: Compare Backends');
  await waitForQuickInput(page, { placeholder: 'Run A: what produces its tensors?' });
  await onRunA?.();
  await page.keyboard.press('Enter');
  await waitForQuickInput(page, { placeholder: 'onnxruntime: which tensors to capture?' });
  await page.keyboard.press('Enter');
  await waitForQuickInput(page, { placeholder: 'onnxruntime: graph optimization level?' });
  await page.keyboard.press('Enter');
  await waitForQuickInput(page, { placeholder: 'Run B: what produces its tensors?' });
  await typeAndEnter(page, 'Results file', 'Results file');
  await dialogPath(page, 'Polygraphy results file', resultsFile);
  await waitForQuickInput(page, { placeholder: 'Inputs: generate them or load them from a file?' });
  await page.keyboard.press('Enter');
  await acceptInputBox(page, 'Seed of the generated inputs');
}
