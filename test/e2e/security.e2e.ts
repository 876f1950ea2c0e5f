// Model text is untrusted: a model whose node names, op types, tensor names, doc strings and metadata carry HTML and
// script opens in the real webview without anything executing or being injected, and the names show up as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, readLog, startSession } from './harness';
import { cleanup, sceneOf, webviewFrame } from './support/graph';
import { DT, makeModel } from '../fixtures/builders';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

// Each payload, if it ever became markup, would open a dialog and set a global the test reads back.
const IMG = `<img src=x onerror="window.__xss=1;alert('img')">`;
const SCRIPT = `<script>window.__xss=2;alert('script')</script>`;
const SVG = `"><svg onload="window.__xss=3;alert('svg')">`;
const IFRAME = `'><iframe src="javascript:alert('iframe')"></iframe>`;

/** A valid little graph whose every name is a payload (the custom-domain op type too). */
function xssModel(): Uint8Array {
  return makeModel({
    producerName: IMG,
    metadata: { [SCRIPT]: SVG, description: IMG },
    inputs: [{ name: IMG, elemType: DT.FLOAT, shape: [1, 4], docString: SCRIPT }],
    outputs: [{ name: SVG, elemType: DT.FLOAT, shape: [1, 4], docString: IMG }],
    valueInfo: [{ name: SCRIPT, elemType: DT.FLOAT, shape: [1, 4], docString: SVG }],
    initializers: [{ name: IFRAME, dataType: DT.FLOAT, dims: [4], floatData: [1, 2, 3, 4] }],
    opsets: [{ version: 21 }, { domain: 'x<b>y', version: 1 }],
    nodes: [
      { op: 'Relu', name: SCRIPT, inputs: [IMG], outputs: [SCRIPT], metadata: { [IMG]: SCRIPT } },
      { op: 'Add', name: IMG, inputs: [SCRIPT, IFRAME], outputs: ['sum'], attrs: [{ name: SVG, s: SCRIPT }] },
      { op: `<svg onload=alert('op')>`, domain: 'x<b>y', name: SVG, inputs: ['sum'], outputs: [SVG] },
    ],
  });
}

test('names with HTML/script render as text: nothing executes, nothing is injected', { timeout: 120_000, skip: built ? false : 'dist/ is not built (node scripts/build.mjs)' }, async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-xss-'));
  fs.writeFileSync(path.join(workspace, 'xss.onnx'), xssModel());
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log } });
  const dialogs: string[] = [];
  // Any frame's alert() reaches the page's dialog event; dismiss so nothing blocks.
  s.page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss().catch(() => undefined); });
  try {
    await s.openFile('xss.onnx');
    await s.webview().locator('[data-testid="graph-root"]').waitFor({ state: 'attached', timeout: 90_000 });
    const frame = await webviewFrame(s.page);
    const scene = await sceneOf(frame);
    assert.ok(scene.nodes.length >= 5, `the graph should be drawn (got ${scene.nodes.length} boxes)`);

    // Exercise the other text paths too: hover, select and zoom in until labels are drawn.
    const canvas = (await frame.locator('canvas.graph-canvas').boundingBox())!;
    for (const id of scene.nodes.map((n) => n.id)) {
      await frame.evaluate((nodeId) => (window as any).__onnxInspectorTest.click(nodeId), id);
    }
    await frame.evaluate(() => { const t = (window as any).__onnxInspectorTest; t.fit(); t.zoomBy(2); t.paint(); });
    await s.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await s.page.waitForTimeout(1500); // let any deferred payload (an image load error, a timer) fire

    assert.deepEqual(dialogs, [], 'a dialog opened: a payload executed');
    const dom = await frame.evaluate(() => ({
      xss: (window as any).__xss,
      injected: [...document.querySelectorAll('img, iframe, object, embed, svg, b')].map((e) => e.outerHTML.slice(0, 120)),
      scripts: [...document.querySelectorAll('script')].map((e) => ({ id: e.id, src: (e as HTMLScriptElement).src, text: e.textContent!.slice(0, 60), length: e.textContent!.length })),
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
      title: document.title,
    }));
    assert.equal(dom.xss, undefined, 'a payload set window.__xss');
    assert.deepEqual(dom.injected, [], 'injected elements in the webview DOM');
    // VS Code's own preamble (acquireVsCodeApi) and our bundle, written inline (no fetch), nothing else.
    const ours = dom.scripts.filter((e) => e.id === 'onnx-inspector-script');
    const foreign = dom.scripts.filter((e) => e.id !== 'onnx-inspector-script' && !e.text.includes('acquireVsCodeApi'));
    assert.deepEqual(foreign, [], 'scripts other than VS Code\'s preamble and ours');
    assert.equal(ours.length, 1, 'our bundle');
    assert.ok(ours[0].src === '' && ours[0].length > 10_000, `our bundle is inline: ${JSON.stringify(ours[0])}`);
    assert.deepEqual(dom.handlers, [], 'inline event handler attributes in the webview DOM');
    assert.equal(dom.title, 'ONNX Inspector');
    // The workbench (tab title, breadcrumbs) must not have taken markup either.
    const workbenchInjected = await s.page.evaluate(() => [...document.querySelectorAll('img[src="x"], iframe[src^="javascript"]')].length);
    assert.equal(workbenchInjected, 0, 'payload markup in the workbench DOM');

    // The names are shown, as text: each payload appears verbatim in the outline's text.
    const outline = await frame.locator('[data-testid="graph-root"]').evaluate((e) => e.textContent ?? '');
    for (const p of [IMG, SCRIPT, SVG, `<svg onload=alert('op')>`]) assert.ok(outline.includes(p), `outline lacks the text ${p}`);
    const ids = new Set(scene.nodes.map((n) => n.id));
    assert.ok(ids.has(`i:${IMG}`) && ids.has(`o:${SVG}`), `graph input/output boxes by name: ${[...ids]}`);

    // No CSP violation and no script error: a blocked inline handler would show as "Refused to ...".
    const bad = s.consoleMessages().filter((m) => /Content Security Policy|Refused to|uncaught|xss/i.test(m) && !/workbench\.web\.main|vsda|service worker/i.test(m));
    assert.deepEqual(bad, [], 'CSP violations or errors in the console');
    assert.doesNotMatch(readLog(log), /\bERROR\b/, 'the extension logged an error');
    await s.screenshot(path.join(artifacts, 'security-xss.png'));
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'security-xss-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    console.error(`--- extension log ---\n${readLog(log).slice(-4000)}`);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});

test('external data that escapes the folder or is missing: a banner on open, and the graph still shows', { timeout: 120_000, skip: built ? false : 'dist/ is not built (node scripts/build.mjs)' }, async () => {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-extbanner-'));
  const workspace = path.join(outer, 'ws');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(outer, 'secret.bin'), new Uint8Array(8));
  fs.writeFileSync(path.join(workspace, 'ext.onnx'), makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    nodes: [{ op: 'Add', inputs: ['x', 'w'], outputs: ['h'] }, { op: 'Mul', inputs: ['h', 'v'], outputs: ['y'] }],
    initializers: [
      { name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: '../secret.bin' } },
      { name: 'v', dataType: DT.FLOAT, dims: [2], external: { location: 'gone.bin' } },
    ],
  }));
  const s = await startSession({ workspace });
  try {
    await s.openFile('ext.onnx');
    const banner = s.webview().locator('[data-testid="problems"]');
    await banner.waitFor({ state: 'visible', timeout: 90_000 });
    const text = `${await banner.textContent()} ${await banner.locator('span').getAttribute('title')}`;
    assert.match(text, /'\.\.\/secret\.bin'.*escapes the model's folder/s, text);
    assert.match(text, /'gone\.bin'.*is missing from the model's folder/s, text);
    const scene = await sceneOf(await webviewFrame(s.page));
    assert.ok(scene.nodes.length >= 4, `the graph is drawn (${scene.nodes.length} boxes)`);
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'security-extdata-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    throw e;
  } finally {
    await s.stop();
    fs.rmSync(outer, { recursive: true, force: true });
  }
});
