// The first view: the camera logic on synthetic scenes (in Node), then in headless Chromium with the fake host: a big
// scene opens at the editor's font size on its inputs with a screenful of legible labels, a small one fitted, and a
// view the host remembered for the file is restored when its groups match.
// Run: node --import tsx --test test/webview/firstView.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Scene } from '../../src/protocol/scene';
import { firstViewTransform, fitTransform, legibleZoom, VIEW_PAD } from '../../webview/render/firstView';
import { LABEL_SIZE } from '../../webview/render/levelOfDetail';
import { allowTsxEvaluate, chromiumMissing, useTestSite, waitForFirstPaint } from './page';
import { largeScene, smallScene } from './syntheticScene';

const VP = { width: 1000, height: 800 };
const screenX = (t: { k: number; x: number }, sx: number) => sx * t.k + t.x;

describe('first view: camera logic', () => {
  test('a big scene opens at the zoom where labels are the editor font size, top at the top, inputs centered', () => {
    const s = largeScene(3000, 50);
    const t = firstViewTransform(s, VP, 14);
    assert.equal(t.k, 14 / LABEL_SIZE);
    assert.ok(fitTransform(s, VP).k < t.k, 'the fit would be smaller than legible');
    const top = Math.min(...s.nodes.map((n) => n.y));
    assert.equal(top * t.k + t.y, VIEW_PAD, 'the topmost box sits at the pad');
    // The three inputs (layer 0, columns 0-2) sit at the left of a graph 8,500 units wide: the graph's left edge
    // stops at the pad rather than leaving empty space, and the inputs are on screen.
    assert.equal(t.x, VIEW_PAD);
    for (const n of s.nodes.filter((m) => m.kind === 'input')) {
      assert.ok(screenX(t, n.x) >= 0 && screenX(t, n.x + n.width) <= VP.width, `${n.id} on screen`);
    }
  });

  test('inputs in the middle of a wide graph are centered across', () => {
    const s = largeScene(3000, 50);
    const mid = s.width / 2;
    const moved: Scene = { ...s, nodes: s.nodes.map((n) => (n.kind === 'input' ? { ...n, x: mid - 70 } : n)) };
    const t = firstViewTransform(moved, VP, 14);
    assert.ok(Math.abs(screenX(t, mid) - VP.width / 2) < 1e-6, `input center at ${screenX(t, mid)}`);
  });

  test('a graph narrower than the view at the legible zoom is centered; the editor font size sets the zoom', () => {
    const s = largeScene(600, 3); // 3 boxes wide, 200 layers tall
    const t = firstViewTransform(s, VP, 20);
    assert.equal(t.k, legibleZoom(20));
    assert.ok(Math.abs(screenX(t, s.width / 2) - VP.width / 2) < 1e-6, 'centered across');
  });

  test('a scene whose fit is legible is fitted', () => {
    const s = smallScene([]);
    const fit = fitTransform(s, VP);
    assert.ok(fit.k >= legibleZoom(14));
    assert.deepEqual(firstViewTransform(s, VP, 14), fit);
    // With a big editor font the same scene no longer reads at fit: it opens at the larger zoom.
    assert.equal(firstViewTransform(s, VP, 24).k, 2);
  });
});

const skip = chromiumMissing();
if (skip) console.log(`SKIP webview first-view tests: ${skip}`);

describe('first view: in the webview', { skip }, () => {
  const web = useTestSite();


  async function open(query: string): Promise<Page> {
    const page = await web.browser.newPage({ viewport: { width: 1000, height: 900 } });
    await allowTsxEvaluate(page);
    await page.goto(`${web.site.url}?${query}`);
    await waitForFirstPaint(page);
    return page;
  }
  interface Drawn { labels: { id: string; text: string; x: number; y: number; width: number; height: number; fontPx: number }[]; width: number; height: number; editorFontPx: number }
  const drawn = (page: Page): Promise<Drawn> => page.evaluate(() => (window as any).__onnxInspectorTest.drawnLabels());
  const transform = (page: Page) => page.evaluate(() => (window as any).__onnxInspectorTest.transform() as { k: number; x: number; y: number });

  test('a big scene: a screenful of box labels at the editor font size, inside the view, the inputs among them', async () => {
    const page = await open('scene=large&nodes=3000');
    const d = await drawn(page);
    assert.equal(d.editorFontPx, 14, 'the fake host sets --vscode-editor-font-size: 14px as VS Code does');
    const legible = d.labels.filter((l) => l.fontPx >= d.editorFontPx);
    const inside = legible.filter((l) => l.x >= 0 && l.y >= 0 && l.x + l.width <= d.width && l.y + l.height <= d.height);
    // The canvas (about 680x870 px beside the properties panel) holds 3-4 boxes across and 8 rows at 1.17x.
    assert.ok(inside.length >= 20, `${inside.length} legible labels inside the view (${d.labels.length} drawn; canvas ${d.width}x${d.height})`);
    // Every box wholly in view is labelled legibly.
    const t = await transform(page);
    const inView = (await page.evaluate(() => (window as any).__onnxInspectorTest.scene().nodes as Scene['nodes']))
      .filter((n) => n.x * t.k + t.x >= 0 && n.y * t.k + t.y >= 0 && (n.x + n.width) * t.k + t.x <= d.width && (n.y + n.height) * t.k + t.y <= d.height);
    const labelled = new Set(inside.map((l) => l.id));
    assert.deepEqual(inView.map((n) => n.id).filter((id) => !labelled.has(id)), [], 'boxes in view without a legible label');
    assert.ok(['i:input_0', 'i:input_1', 'i:input_2'].every((id) => inside.some((l) => l.id === id)), 'the inputs are labelled');
    const rows = new Set(inside.map((l) => Math.round(l.y)));
    assert.ok(Math.max(...rows) - Math.min(...rows) > d.height / 2, 'the labels fill the screen down, not a strip');
    // Fit stays one click away and shows the whole graph.
    await page.click('[data-testid="fit"]');
    const fitted = await transform(page);
    assert.ok(fitted.k < 14 / LABEL_SIZE);
    await page.close();
  });

  test('a small scene opens fitted, with every box labelled legibly', async () => {
    const page = await open('scene=small');
    const d = await drawn(page);
    const boxes = (await page.evaluate(() => (window as any).__onnxInspectorTest.scene().nodes)).filter((n: any) => !(n.kind === 'group' && n.expanded));
    const labelled = new Set(d.labels.filter((l) => l.fontPx >= d.editorFontPx).map((l) => l.id));
    assert.deepEqual(boxes.map((n: any) => n.id).filter((id: string) => !labelled.has(id)), [], 'boxes without a legible label');
    await page.close();
  });

  test('the Fit button is reachable from the keyboard', async () => {
    const page = await open('scene=large&nodes=3000');
    const k0 = (await transform(page)).k;
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'fit'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');
    }
    assert.equal(focused, 'fit', 'Tab reaches the Fit button');
    await page.keyboard.press('Enter');
    await page.waitForFunction((k) => (window as any).__onnxInspectorTest.transform().k < k, k0);
    await page.close();
  });

  test('the view the host remembered for the file is restored when its groups match, else the first view', async () => {
    const page = await open('scene=large&nodes=3000&view=0.5,-300,-1200');
    assert.deepEqual(await transform(page), { k: 0.5, x: -300, y: -1200 });
    // Its view settling is reported to the host with the open groups.
    await page.evaluate(() => (window as any).__onnxInspectorTest.zoomBy(1.25));
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.type === 'viewState' && Math.abs(m.state.view.k - 0.625) < 1e-9));
    const last = (await page.evaluate(() => (window as any).__fakeHost.posted.filter((m: any) => m.type === 'viewState'))).at(-1);
    assert.deepEqual(last.state.expanded, []);
    await page.close();

    const other = await open('scene=large&nodes=3000&view=0.5,-300,-1200&viewExpanded=g:gone');
    assert.equal((await transform(other)).k, 14 / LABEL_SIZE, 'a view saved for other groups is not applied');
    await other.close();
  });
});
