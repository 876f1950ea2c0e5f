// The graph actions' webview half in headless Chromium with the fake host: choosing edges with click and
// ctrl-click (reported to the host, drawn highlighted), extract marks from the host, and SVG/PNG export
// (the SVG parses as XML with resolved theme colors; the PNG decodes at the size sent).
// Run: node --import tsx --test test/webview/actions.test.ts
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { allowTsxEvaluate, chromiumMissing, useTestSite, waitForFirstPaint } from './page';

const skip = chromiumMissing();

describe('webview graph actions', { skip }, () => {
  const web = useTestSite();
  let page: Page;

  before(async () => {
    page = await web.browser.newPage({ viewport: { width: 1000, height: 900 } });
    await allowTsxEvaluate(page);
    await page.goto(`${web.site.url}?scene=small&theme=dark`);
    await waitForFirstPaint(page);
  });

  const posted = () => page.evaluate(() => (window as any).__fakeHost.posted as any[]);
  const marks = () => page.evaluate(() => (window as any).__onnxInspectorTest.actionMarks());
  const lastChosen = async () => (await posted()).filter((m) => m.type === 'chosenTensors').at(-1)?.tensors;

  async function clickEdge(tensor: string, ctrl: boolean): Promise<void> {
    const p = await page.evaluate((t) => (window as any).__onnxInspectorTest.edgePoint(t), tensor);
    assert.ok(p, `edge '${tensor}' has a point in view`);
    const box = (await page.locator('canvas.graph-canvas').boundingBox())!;
    if (ctrl) await page.keyboard.down('Control');
    await page.mouse.click(box.x + p.x, box.y + p.y);
    if (ctrl) await page.keyboard.up('Control');
  }

  test('click chooses an edge, ctrl-click adds and removes more; the host hears each change', async () => {
    const edges = (await page.evaluate(() => (window as any).__onnxInspectorTest.scene())).edges as { tensor: string }[];
    const tensors = [...new Set(edges.map((e) => e.tensor))];
    const inView: string[] = [];
    for (const t of tensors) if (await page.evaluate((x) => !!(window as any).__onnxInspectorTest.edgePoint(x), t)) inView.push(t);
    assert.ok(inView.length >= 2, `two edges in view (got ${inView.length})`);
    const [a, b] = inView;
    await clickEdge(a, false);
    assert.deepEqual(await lastChosen(), [a]);
    await clickEdge(b, true);
    assert.deepEqual(await lastChosen(), [a, b]);
    assert.deepEqual((await marks()).highlights.find((h: any) => h.color === 'selection').tensors, [a, b]);
    await clickEdge(a, true);
    assert.deepEqual(await lastChosen(), [b]);
    // The host clears the choice after marking outputs.
    await page.evaluate(() => (window as any).__fakeHost.send({ type: 'clearChosenTensors' }));
    // The message arrives as a window message event: wait for it to be handled (under load it can take a turn).
    await page.waitForFunction(() => (window as any).__onnxInspectorTest.actionMarks().chosen.length === 0, undefined, { timeout: 10_000 }).catch(() => undefined);
    assert.deepEqual((await marks()).chosen, []);
    assert.deepEqual(await lastChosen(), []);
  });

  test('extract marks from the host are drawn in two colors', async () => {
    await page.evaluate(() => (window as any).__fakeHost.send({ type: 'extractMarks', inputs: ['a'], outputs: ['b', 'c'] }));
    const h = Object.fromEntries((await marks()).highlights.map((x: any) => [x.color, x.tensors]));
    assert.deepEqual([h.input, h.output], [['a'], ['b', 'c']]);
    const colors = await page.evaluate(() => { const p = (window as any).__onnxInspectorTest.palette(); return [p.ui.input, p.ui.output]; });
    assert.notEqual(colors[0], colors[1]);
  });

  test('Export SVG: a well-formed document in resolved theme colors, sent to the host to save', async () => {
    await page.evaluate(() => (window as any).__fakeHost.send({ type: 'exportView', format: 'svg' }));
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.method === 'saveExport' && m.params.format === 'svg'));
    const check = await page.evaluate(() => {
      const req = (window as any).__fakeHost.posted.find((m: any) => m.method === 'saveExport' && m.params.format === 'svg');
      const doc = new DOMParser().parseFromString(req.params.data, 'image/svg+xml');
      const scene = (window as any).__onnxInspectorTest.scene();
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        rects: doc.querySelectorAll('rect').length,
        paths: doc.querySelectorAll('path').length,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        labels: scene.nodes.filter((n: any) => !(n.kind === 'group' && n.expanded)).map((n: any) => n.label),
        boxes: scene.nodes.length, edges: scene.edges.length,
        usesVar: req.params.data.includes('var('),
        background: doc.querySelector('rect')?.getAttribute('fill'),
        themeBackground: (window as any).__onnxInspectorTest.palette().ui.background,
      };
    });
    assert.equal(check.error, null);
    assert.equal(check.root, 'svg');
    assert.ok(check.rects >= check.boxes, `${check.rects} rects for ${check.boxes} boxes`);
    assert.ok(check.paths >= check.edges, `${check.paths} paths for ${check.edges} edges`);
    for (const label of check.labels) assert.ok(check.texts.some((t: string) => t === label || t.endsWith(label) || t.startsWith(label.slice(0, 3))), `label '${label}' in the SVG`);
    assert.equal(check.usesVar, false, 'colors are resolved values');
    assert.equal(check.background, check.themeBackground);
  });

  test('Export PNG (toolbar): a PNG of the size reported', async () => {
    await page.locator('[data-testid="export-png"]').click();
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.method === 'saveExport' && m.params.format === 'png'));
    const png = await page.evaluate(async () => {
      const req = (window as any).__fakeHost.posted.find((m: any) => m.method === 'saveExport' && m.params.format === 'png');
      const data = req.params.data as Uint8Array;
      const bitmap = await createImageBitmap(new Blob([data as BlobPart], { type: 'image/png' }));
      return { isBytes: data instanceof Uint8Array, sig: [...data.slice(0, 8)], width: req.params.width, height: req.params.height, bw: bitmap.width, bh: bitmap.height, note: req.params.note ?? null };
    });
    assert.equal(png.isBytes, true);
    assert.deepEqual(png.sig, [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.deepEqual([png.bw, png.bh], [png.width, png.height]);
    assert.equal(png.note, null, 'a small scene is not scaled down');
  });
});
