// The webview in headless Chromium, on the test page with a fake host (small nested scene): outline vs scene,
// expand/collapse requests, load errors, model text never parsed as HTML, theme palette, context menu data.
// Run: node --import tsx --test test/webview/render.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { allowTsxEvaluate, chromiumMissing, useTestSite, waitForFirstPaint } from './page';
import { THEMES } from './themes';

const skip = chromiumMissing();
if (skip) console.log(`SKIP webview render tests: ${skip}`);

const XSS_NAME = '<img src=x onerror=alert(1)>';

describe('webview render', { skip }, () => {
  const web = useTestSite();


  /** Opens the page and waits until the first scene is painted (or the load error is shown). */
  async function open(query: string, ready: 'firstPaint' | 'loadError' = 'firstPaint'): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
    const page = await web.browser.newPage({ viewport: { width: 1000, height: 900 } });
    await allowTsxEvaluate(page);
    // Record every string the canvas draws, to check model text reaches the canvas as text.
    await page.addInitScript(() => {
      const drawn: string[] = ((window as any).__drawnText = []);
      const orig = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, max?: number) {
        drawn.push(text);
        return max === undefined ? orig.call(this, text, x, y) : orig.call(this, text, x, y, max);
      };
    });
    const dialogs: string[] = [], errors: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.site.url}?${query}`);
    if (ready === 'firstPaint') await waitForFirstPaint(page);
    else await page.waitForSelector('[data-testid="load-error"]');
    return { page, dialogs, errors };
  }

  const posted = (page: Page) => page.evaluate(() => (window as any).__fakeHost.posted as any[]);
  const outline = (page: Page) => page.$$eval('[data-testid="scene-node"]', (els) => els.map((e) => ({
    id: e.getAttribute('data-id'), kind: e.getAttribute('data-kind'), op: e.getAttribute('data-op'), expanded: e.getAttribute('data-expanded'), text: e.textContent,
  })));
  const scene = (page: Page) => page.evaluate(() => (window as any).__onnxInspectorTest.scene());

  test('ready handshake, firstPaint metric, outline matches the scene, no CSP violations', async () => {
    const { page, errors } = await open('scene=small');
    const msgs = await posted(page);
    assert.equal(msgs[0].type, 'ready', 'ready is the first message');
    const fp = msgs.find((m) => m.type === 'metric' && m.name === 'firstPaint');
    assert.ok(fp.ms > 0 && fp.ms < 5000, `firstPaint ${fp.ms} ms`);
    assert.ok(fp.detail.at > 0 && fp.detail.timeOrigin > 0, 'carries performance.now() and timeOrigin');
    const s = await scene(page);
    const items = await outline(page);
    assert.deepEqual(items.map((i) => i.id), s.nodes.map((n: any) => n.id));
    for (const n of s.nodes) {
      const li = items.find((i) => i.id === n.id)!;
      assert.equal(li.kind, n.kind);
      assert.equal(li.expanded, String(n.kind === 'group' && !!n.expanded));
      if (n.kind === 'op') assert.equal(li.op, n.label);
      assert.ok(li.text!.includes(n.label) && li.text!.includes(n.name), `outline text of ${n.id} has label and name`);
    }
    assert.equal(await page.textContent('[data-testid="edge-count"]'), String(s.edges.length));
    assert.equal(await page.getAttribute('[data-testid="graph-root"] [role="tree"]', 'role'), 'tree');
    assert.deepEqual(await page.evaluate(() => (window as any).__fakeHost.cspViolations), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('clicking a collapsed group requests a layout with it expanded; its header collapses it and its descendants', async () => {
    const { page } = await open('scene=small');
    const before = await page.evaluate(() => { const c = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect(); return c; });
    const at = async (id: string) => page.evaluate((i) => {
      const s = (window as any).__onnxInspectorTest.scene(), t = (window as any).__onnxInspectorTest.transform();
      const n = s.nodes.find((x: any) => x.id === i);
      return { x: n.x * t.k + t.x, y: n.y * t.k + t.y };
    }, id);
    const layoutRequests = async () => (await posted(page)).filter((m) => m.type === 'request' && m.method === 'layout');

    const pos0 = await at('g:/encoder/layer.0');
    assert.equal(await page.evaluate(() => (window as any).__onnxInspectorTest.click('g:/encoder/layer.0')), true);
    await page.waitForSelector('[data-id="g:/encoder/layer.0"][data-expanded="true"]', { state: 'attached' }); // the outline is visually hidden
    assert.deepEqual((await layoutRequests()).map((r) => r.params.expanded), [['g:/encoder/layer.0']]);
    const ids = (await outline(page)).map((i) => i.id);
    assert.ok(ids.includes('g:/encoder/layer.0/attention'), 'children of the opened group are listed');
    const pos1 = await at('g:/encoder/layer.0');
    assert.ok(Math.abs(pos1.x - pos0.x) < 1 && Math.abs(pos1.y - pos0.y) < 1, `view stays anchored on the group: ${JSON.stringify([pos0, pos1])}`);
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.type === 'metric' && m.name === 'expand'));

    // Nested group, clicked with the real mouse through hit-testing.
    const nested = await at('g:/encoder/layer.0/attention');
    await page.mouse.click(before.x + nested.x + 30, before.y + nested.y + 30);
    await page.waitForSelector('[data-id="g:/encoder/layer.0/attention"][data-expanded="true"]', { state: 'attached' }); // the outline is visually hidden
    assert.deepEqual((await layoutRequests()).at(-1).params.expanded, ['g:/encoder/layer.0', 'g:/encoder/layer.0/attention']);

    // Header click on the outer group collapses it and the nested one.
    const outer = await at('g:/encoder/layer.0');
    await page.mouse.click(before.x + outer.x + 40, before.y + outer.y + 8);
    await page.waitForSelector('[data-id="g:/encoder/layer.0"][data-expanded="false"]', { state: 'attached' }); // the outline is visually hidden
    assert.deepEqual((await layoutRequests()).at(-1).params.expanded, []);
    assert.ok(!(await outline(page)).some((i) => i.id === 'g:/encoder/layer.0/attention'));
    await page.close();
  });

  test('clicking an op posts a selection; right-click publishes data-vscode-context for the hit', async () => {
    const { page } = await open('scene=small');
    const s = await scene(page);
    const gemm = s.nodes.find((n: any) => n.label === 'Gemm');
    assert.equal(await page.evaluate((id) => (window as any).__onnxInspectorTest.click(id), gemm.id), true);
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'selection').at(-1), { type: 'selection', kind: 'node', id: gemm.id });
    assert.equal(await page.getAttribute(`[data-id="${gemm.id}"]`, 'aria-selected'), 'true');
    const box = await page.evaluate((id) => {
      const t = (window as any).__onnxInspectorTest.transform(), n = (window as any).__onnxInspectorTest.scene().nodes.find((x: any) => x.id === id);
      const r = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect();
      return { x: r.x + (n.x + 20) * t.k + t.x, y: r.y + (n.y + 10) * t.k + t.y };
    }, gemm.id);
    await page.mouse.click(box.x, box.y, { button: 'right' });
    const ctx = JSON.parse((await page.getAttribute('canvas.graph-canvas', 'data-vscode-context'))!);
    assert.deepEqual(ctx, { webviewSection: 'node', nodeId: gemm.id, nodeName: gemm.name, preventDefaultContextMenuItems: true });
    await page.close();
  });

  test('a failing layout request shows the error and logs it (no endless wait)', async () => {
    const { page } = await open('scene=small&fail=layout');
    await page.evaluate(() => (window as any).__onnxInspectorTest.click('g:/encoder/layer.1'));
    await page.waitForSelector('[data-testid="status-error"]:not([hidden])');
    assert.match((await page.textContent('[data-testid="status-error"]'))!, /Layout failed: layout worker crashed/);
    assert.ok((await posted(page)).some((m) => m.type === 'log' && m.level === 'error' && m.message.includes('layout worker crashed')));
    assert.equal(await page.getAttribute('[data-id="g:/encoder/layer.1"]', 'data-expanded'), 'false');
    await page.close();
  });

  test('loadError shows the reason and details as text, not a blank page', async () => {
    const { page, dialogs } = await open('fail=load', 'loadError');
    const text = (await page.textContent('[data-testid="load-error"]'))!;
    assert.match(text, /Cannot show this model/);
    assert.match(text, /Failed to parse model\.onnx: unexpected end of data at byte 1234 <b>not bold<\/b>/);
    assert.match(text, /wire type 7 at offset 1230/);
    assert.equal(await page.$$eval('[data-testid="load-error"] b', (e) => e.length), 0, 'markup in the message is not parsed');
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  test('a node named like HTML is drawn and listed as text; no script runs, no element is created', async () => {
    const { page, dialogs, errors } = await open('scene=small&problems=2');
    await page.evaluate(() => (window as any).__onnxInspectorTest.paint());
    const drawn: string[] = await page.evaluate(() => (window as any).__drawnText);
    assert.ok(drawn.includes(XSS_NAME), 'the name reached the canvas through fillText');
    const li = await page.$$eval('[data-testid="scene-node"]', (els, name) => els.filter((e) => e.textContent!.includes(name)).length, XSS_NAME);
    assert.equal(li, 1, 'outline lists the name as text');
    assert.match((await page.textContent('[data-testid="problems"]'))!, /unknown op <script>/);
    assert.equal(await page.$$eval('img', (e) => e.length), 0, 'no img element');
    assert.equal(await page.$$eval('script', (e) => e.length), 2, 'only the page\'s own two scripts');
    await page.waitForTimeout(200); // give a would-be onerror handler time to fire
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('palette follows the theme: light and dark --vscode-* values give different colors, repainted on change', async () => {
    const { page } = await open('scene=small&theme=light');
    const light = await page.evaluate(() => (window as any).__onnxInspectorTest.palette());
    assert.equal(light.themeKind, 'vscode-light');
    assert.equal(light.ui.background, 'rgb(255, 255, 255)');
    assert.equal(light.category.conv.stroke, 'rgb(26, 133, 255)'); // --vscode-charts-blue #1a85ff
    await page.evaluate(() => (window as any).__fakeHost.setTheme('dark'));
    await page.waitForFunction(() => (window as any).__onnxInspectorTest.palette().themeKind === 'vscode-dark');
    const dark = await page.evaluate(() => (window as any).__onnxInspectorTest.palette());
    assert.equal(dark.ui.background, 'rgb(31, 31, 31)'); // #1f1f1f
    assert.notEqual(dark.category.conv.stroke, light.category.conv.stroke);
    assert.notEqual(dark.ui.foreground, light.ui.foreground);
    assert.notEqual(dark.category.matmul.fill, light.category.matmul.fill);
    assert.equal(dark.fontFamily, THEMES.dark.vars['--vscode-font-family']);
    // The canvas was repainted with the new background (on the next animation frame: wait for it).
    await page.waitForFunction(() => {
      const c = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
      return Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3)).join(',') === '31,31,31';
    }, undefined, { timeout: 10_000 }).catch(() => undefined);
    const pixel = await page.evaluate(() => {
      const c = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
      return Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3));
    });
    assert.deepEqual(pixel, [31, 31, 31]);
    await page.close();
  });

  test('zoom and pan hooks move the view; level of detail drops text when far', async () => {
    const { page } = await open('scene=small');
    const t0 = await page.evaluate(() => (window as any).__onnxInspectorTest.transform());
    const near = await page.evaluate(() => (window as any).__onnxInspectorTest.paint());
    assert.ok(near.labels > 0, 'labels drawn at fit on a small scene');
    await page.evaluate(() => { const api = (window as any).__onnxInspectorTest; api.zoomBy(0.2); api.panBy(30, -20); });
    const t1 = await page.evaluate(() => (window as any).__onnxInspectorTest.transform());
    assert.ok(Math.abs(t1.k - t0.k * 0.2) < 1e-6, `k ${t0.k} -> ${t1.k}`);
    const far = await page.evaluate(() => (window as any).__onnxInspectorTest.paint());
    assert.equal(far.labels, 0, 'no text far away');
    assert.ok(far.boxes > 0 && far.edges > 0);
    const stats = await page.evaluate(() => (window as any).__onnxInspectorTest.frameStats());
    assert.ok(stats.frames >= 2 && stats.drawMedianMs >= 0);

    // Clicking the minimap's center moves the view's center to the scene's center.
    const mm = (await page.locator('canvas.minimap').boundingBox())!;
    await page.mouse.click(mm.x + mm.width / 2, mm.y + mm.height / 2);
    const centered = await page.evaluate(() => {
      const api = (window as any).__onnxInspectorTest, t = api.transform(), s = api.scene();
      const r = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect();
      return { cx: (r.width / 2 - t.x) / t.k, cy: (r.height / 2 - t.y) / t.k, sx: s.width / 2, sy: s.height / 2, k: t.k };
    });
    assert.ok(Math.abs(centered.cx - centered.sx) < 3 / centered.k + 2 && Math.abs(centered.cy - centered.sy) < 3 / centered.k + 2, JSON.stringify(centered));
    await page.close();
  });

  test('far zoom on a big scene scales a cached bitmap that matches the vector drawing', async () => {
    const { page } = await open('scene=large&nodes=3000');
    await page.evaluate(() => (window as any).__onnxInspectorTest.fit()); // it opens at a legible zoom, not far
    await page.waitForFunction(() => (window as any).__onnxInspectorTest.paint().cached === true);
    // Average color of 16x16 px cells: placement and colors must agree, antialiasing may differ a little.
    const cells = () => page.evaluate(() => {
      const c = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const out: number[] = [];
      for (let cy = 0; cy + 16 <= c.height; cy += 16) for (let cx = 0; cx + 16 <= c.width; cx += 16) {
        let sum = 0;
        for (let y = cy; y < cy + 16; y++) for (let x = cx; x < cx + 16; x++) { const i = (y * c.width + x) * 4; sum += d[i] + d[i + 1] + d[i + 2]; }
        out.push(sum / (16 * 16 * 3));
      }
      return out;
    });
    const cached = await cells();
    const info = await page.evaluate(() => { const api = (window as any).__onnxInspectorTest; api.setFarCache(false); return api.paint(); });
    assert.equal(info.cached, false);
    const vector = await cells();
    const diff = cached.reduce((s, v, i) => s + Math.abs(v - vector[i]), 0) / cached.length;
    const spread = vector.reduce((s, v) => s + Math.abs(v - vector[0]), 0) / vector.length;
    assert.ok(diff < 6 && spread > 5 * diff, `mean cell difference ${diff.toFixed(2)} (scene contrast ${spread.toFixed(2)})`);
    await page.close();
  });

  test('the view and selection survive the webview being recreated (vscode state)', async () => {
    const { page } = await open('scene=small');
    const gemm = (await scene(page)).nodes.find((n: any) => n.label === 'Gemm');
    await page.evaluate((id) => { const api = (window as any).__onnxInspectorTest; api.zoomBy(1.7); api.panBy(40, -25); api.click(id); }, gemm.id);
    const t = await page.evaluate(() => (window as any).__onnxInspectorTest.transform());
    await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null')?.view?.k > 0);
    await page.waitForTimeout(400); // the view is saved 300 ms after it settles
    await page.reload();
    await waitForFirstPaint(page);
    const t2 = await page.evaluate(() => (window as any).__onnxInspectorTest.transform());
    assert.ok(Math.abs(t2.k - t.k) < 1e-6 && Math.abs(t2.x - t.x) < 1e-6 && Math.abs(t2.y - t.y) < 1e-6, JSON.stringify([t, t2]));
    assert.equal(await page.getAttribute(`[data-id="${gemm.id}"]`, 'aria-selected'), 'true');
    await page.close();
  });

  test('a pushed scene replaces the view only when it is newer', async () => {
    const { page } = await open('scene=small');
    const v0 = (await scene(page)).version;
    // Older than the current scene: dropped.
    await page.evaluate((v) => {
      const s = (window as any).__onnxInspectorTest.scene();
      (window as any).__fakeHost.send({ type: 'scene', scene: { ...s, version: v - 1, nodes: s.nodes.slice(0, 2), edges: [] } });
    }, v0);
    await page.waitForTimeout(100);
    assert.equal((await outline(page)).length, (await scene(page)).nodes.length);
    assert.equal((await scene(page)).version, v0);
    // Newer: shown, outline and edge count follow.
    await page.evaluate((v) => {
      const s = (window as any).__onnxInspectorTest.scene();
      (window as any).__fakeHost.send({ type: 'scene', scene: { ...s, version: v + 1, nodes: s.nodes.slice(0, 2), edges: [] } });
    }, v0);
    await page.waitForFunction((v) => (window as any).__onnxInspectorTest.scene().version === v + 1, v0);
    assert.equal((await outline(page)).length, 2);
    assert.equal(await page.textContent('[data-testid="edge-count"]'), '0');
    await page.close();
  });

  test('reveal centers and selects a box; the host can ask to open groups first', async () => {
    const { page } = await open('scene=small');
    const gather = (await scene(page)).nodes.find((n: any) => n.label === 'Gather');
    await page.evaluate((id) => (window as any).__fakeHost.send({ type: 'reveal', id }), gather.id);
    await page.waitForSelector(`[data-id="${gather.id}"][aria-selected="true"]`, { state: 'attached' });
    const c = await page.evaluate((id) => {
      const api = (window as any).__onnxInspectorTest, t = api.transform(), n = api.scene().nodes.find((x: any) => x.id === id);
      const r = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect();
      return { dx: (n.x + n.width / 2) * t.k + t.x - r.width / 2, dy: (n.y + n.height / 2) * t.k + t.y - r.height / 2 };
    }, gather.id);
    assert.ok(Math.abs(c.dx) < 1 && Math.abs(c.dy) < 1, JSON.stringify(c));
    // An op hidden in a collapsed group: n:2 is the first op of layer.0's attention block.
    await page.evaluate(() => (window as any).__fakeHost.send({ type: 'reveal', id: 'n:2', expand: ['g:/encoder/layer.0', 'g:/encoder/layer.0/attention'] }));
    await page.waitForSelector('[data-id="n:2"][aria-selected="true"]', { state: 'attached' });
    assert.equal(await page.getAttribute('[data-id="n:2"]', 'data-op'), 'MatMul');
    await page.close();
  });
});
