// The inspect feature in the webview, on the fake-host test page: the properties panel (attribute values as
// text, links, lazily loaded values), the find widget's keyboard flow, subgraph breadcrumbs, and model text
// with HTML staying text. The inspect requests are answered from here (Node) with host-shaped data.
// Run: node --import tsx --test test/webview/panel.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PropsView, SearchResult } from '../../src/protocol/inspect';
import { allowTsxEvaluate, chromiumMissing, answerRequests, useTestSite, waitForFirstPaint } from './page';
import { smallScene } from './syntheticScene';

const skip = chromiumMissing();
if (skip) console.log(`SKIP webview panel tests: ${skip}`);

const XSS = '<img src=x onerror=alert(1)>';
const GROUP = 'g:/encoder/layer.1';
const THEN_PATH = [{ kind: 'attribute', node: 3, attribute: 'then_branch', index: 0 }];

/** The op the fake host reveals for every search result: the first op inside GROUP once it is open. */
const hiddenOp = () => smallScene([GROUP]).nodes.find((n) => n.parent?.startsWith(GROUP) && n.kind === 'op')!;

const modelView: PropsView = {
  kind: 'model', title: 'Model', sections: [
    { title: 'Model', rows: [{ key: 'IR version', value: '9' }] },
    { title: 'Opsets', rows: [{ key: 'ai.onnx', value: '17' }] },
    { title: 'Metadata', rows: [{ key: 'author', value: XSS }] },
  ],
};

function nodeView(id: string): PropsView {
  return {
    kind: 'node', title: 'Conv', subtitle: `${XSS}/conv`, sections: [
      { title: 'Attributes', rows: [
        { key: 'kernel_shape', value: '[3, 3]', detail: 'ints' },
        { key: 'alpha', value: '0.25', detail: 'float' },
        { key: 'then_branch', value: "graph 'then' (1 nodes)", detail: 'graph', link: { kind: 'graph', path: THEN_PATH as never } },
      ] },
      { title: 'Inputs', rows: [{ key: '0', value: 'weight', detail: 'float[64,3,7,7]', link: { kind: 'tensor', name: 'weight' } }] },
      { title: 'PyTorch source', rows: [{ key: 'forward', value: 'resnet.py:285', link: { kind: 'source', nodeId: id, frame: 0 } }] },
    ],
  };
}

const results: SearchResult[] = ['attn/q', 'attn/k', 'attn/v'].map((n, i) => ({ kind: 'node', label: `/encoder/layer.1/${n}`, detail: 'MatMul', id: `n:${100 + i}` }));

// Graph levels come at version 0: the fake host's later layouts (versions from 1) must replace them, as the real
// host's do (one layout service numbers every scene).
function answer(m: any): { ok: true; result: unknown } | { ok: false; error: string } {
  switch (m.method) {
    case 'inspect.model': return { ok: true, result: modelView };
    case 'inspect.node': return { ok: true, result: nodeView(m.params.id) };
    case 'inspect.tensor': return { ok: true, result: { kind: 'tensor', title: m.params.name, sections: [{ title: 'Tensor', rows: [{ key: 'shape', value: '[64, 3, 7, 7]' }] }], hasValues: true } };
    case 'inspect.tensorValues': return { ok: true, result: { stats: [{ key: 'min', value: '-0.5' }, { key: 'max', value: '0.75' }], first: ['0.1', '-0.5'], count: 9408 } };
    case 'inspect.search': return { ok: true, result: m.params.query.includes('attn') ? results : [] };
    case 'inspect.reveal': return { ok: true, result: { box: hiddenOp().id, expand: [GROUP] } };
    case 'inspect.openGraph': return { ok: true, result: { scene: smallScene([], 0), breadcrumbs: [{ label: 'main graph', path: [] }, ...(m.params.path.length ? [{ label: "node 'If_3' \u203a then_branch", path: m.params.path }] : [])] } };
    case 'inspect.openSource': return { ok: true, result: { opened: false, message: 'Cannot find resnet.py:285 locally. Looked in: <b>nowhere</b>' } };
    default: return { ok: false, error: `unexpected ${m.method}` };
  }
}

describe('webview inspect panel and search', { skip }, () => {
  const web = useTestSite();


  async function open(): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
    const page = await web.browser.newPage({ viewport: { width: 1200, height: 900 } });
    await allowTsxEvaluate(page);
    await answerRequests(page, ['inspect.'], (m: unknown) => answer(m));
    const dialogs: string[] = [], errors: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.site.url}?scene=small`);
    await waitForFirstPaint(page);
    return { page, dialogs, errors };
  }

  const posted = (page: Page) => page.evaluate(() => (window as any).__fakeHost.posted as any[]);
  const requests = async (page: Page, method: string) => (await posted(page)).filter((m) => m.type === 'request' && m.method === method);
  const row = (page: Page, section: string, key: string) => page.locator(`[data-testid="props-section"][data-title="${section}"] [data-testid="prop-row"][data-key="${key}"] td`);

  test('model properties first; model text with HTML stays text', async () => {
    const { page, dialogs, errors } = await open();
    await page.waitForSelector('[data-testid="props"][data-kind="model"]');
    assert.equal(await row(page, 'Opsets', 'ai.onnx').textContent(), '17');
    assert.equal(await row(page, 'Metadata', 'author').textContent(), XSS);
    assert.equal(await page.locator('[data-testid="side-panel"] img').count(), 0, 'no element was parsed from model text');
    assert.deepEqual([dialogs, errors], [[], []]);
    // Dragging its left edge widens it, and the canvas gives up the room.
    const width = () => page.evaluate(() => ({ panel: document.querySelector('[data-testid="side-panel"]')!.getBoundingClientRect().width, canvas: document.querySelector('canvas.graph-canvas')!.getBoundingClientRect().width }));
    const w0 = await width();
    const handle = (await page.locator('.side-panel-handle').boundingBox())!;
    await page.mouse.move(handle.x + 3, handle.y + 200);
    await page.mouse.down();
    await page.mouse.move(handle.x - 97, handle.y + 200, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((c0) => document.querySelector('canvas.graph-canvas')!.getBoundingClientRect().width < c0 - 50, w0.canvas);
    const w1 = await width();
    assert.ok(Math.abs(w1.panel - w0.panel - 100) <= 2, `panel ${w0.panel} -> ${w1.panel}`);
    // The panel collapses and comes back.
    await page.click('[data-testid="side-panel-close"]');
    assert.equal(await page.isVisible('[data-testid="side-panel"]'), false);
    await page.click('[data-testid="toggle-properties"]');
    assert.equal(await page.isVisible('[data-testid="side-panel"]'), true);
    await page.close();
  });

  test('a selected node shows its attributes as text; links reveal tensors, load values, open subgraphs', async () => {
    const { page, dialogs } = await open();
    const s = await page.evaluate(() => (window as any).__onnxInspectorTest.scene());
    const op = s.nodes.find((n: any) => n.kind === 'op');
    assert.equal(await page.evaluate((id) => (window as any).__onnxInspectorTest.click(id), op.id), true);
    await page.waitForSelector('[data-testid="props"][data-kind="node"]');
    assert.deepEqual((await requests(page, 'inspect.node')).at(-1).params, { path: [], id: op.id });
    assert.equal(await row(page, 'Attributes', 'kernel_shape').textContent(), '[3, 3]ints');
    assert.equal(await row(page, 'Attributes', 'alpha').locator('.prop-text').textContent(), '0.25');
    assert.equal(await page.textContent('.props-subtitle'), `${XSS}/conv`);

    // Tensor link: the host says where it is (a hidden op), the view opens its group and selects it, the panel shows the tensor.
    await row(page, 'Inputs', '0').locator('[data-testid="prop-link"]').click();
    await page.waitForSelector('[data-testid="props"][data-kind="tensor"]');
    assert.deepEqual((await requests(page, 'inspect.reveal')).at(-1).params, { path: [], id: 't:weight' });
    assert.ok((await requests(page, 'layout')).at(-1).params.expanded.includes(GROUP), 'the group was opened');
    assert.equal(await page.getAttribute(`[data-testid="scene-node"][data-id="${hiddenOp().id}"]`, 'aria-selected'), 'true');
    // Values only when asked for.
    assert.equal((await requests(page, 'inspect.tensorValues')).length, 0, 'no values before the click');
    await page.click('[data-testid="load-values"]');
    await page.waitForSelector('[data-testid="values-first"]');
    assert.deepEqual((await requests(page, 'inspect.tensorValues'))[0].params, { path: [], name: 'weight', count: 32 });
    assert.match((await page.textContent('[data-testid="values-stats"]'))!, /min-0\.5.*max0\.75/);
    assert.equal(await page.textContent('[data-testid="values-first"]'), 'first 2 of 9408: 0.1, -0.5');

    // Source link that cannot be opened: the host's message, as text.
    await page.evaluate((id) => (window as any).__onnxInspectorTest.click(id), op.id);
    await page.waitForSelector('[data-testid="props"][data-kind="node"]');
    await row(page, 'PyTorch source', 'forward').locator('[data-testid="prop-link"]').click();
    await page.waitForSelector('.side-panel-body > .props-error');
    assert.equal(await page.textContent('.side-panel-body > .props-error'), 'Cannot find resnet.py:285 locally. Looked in: <b>nowhere</b>');

    // Graph link: the subgraph replaces the view, breadcrumbs lead back, layouts carry the path.
    await row(page, 'Attributes', 'then_branch').locator('[data-testid="prop-link"]').click();
    await page.waitForSelector('[data-testid="breadcrumbs"]:not([hidden])');
    assert.deepEqual(await page.locator('[data-testid="crumb"]').allTextContents(), ['main graph', "node 'If_3' \u203a then_branch"]);
    assert.deepEqual((await requests(page, 'inspect.openGraph')).at(-1).params, { path: THEN_PATH });
    await page.evaluate(() => (window as any).__onnxInspectorTest.click('g:/encoder/layer.0'));
    await page.waitForFunction(() => (window as any).__fakeHost.posted.filter((m: any) => m.method === 'layout').length >= 2);
    assert.deepEqual((await requests(page, 'layout')).at(-1).params.path, THEN_PATH);
    await page.click('[data-testid="crumb"]:has-text("main graph")');
    await page.waitForSelector('[data-testid="breadcrumbs"]', { state: 'hidden' });
    assert.deepEqual((await requests(page, 'inspect.openGraph')).at(-1).params, { path: [] });
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  test('leaving a subgraph restores the parent graph where the user was: open groups, zoom and position', async () => {
    const { page, errors } = await open();
    const api = (f: string, ...args: unknown[]) => page.evaluate(([name, a]) => (window as any).__onnxInspectorTest[name as string](...(a as unknown[])), [f, args] as const);
    const layouts = async () => (await requests(page, 'layout')).length;
    // In the main graph: open a group, zoom and pan away from the first view.
    await api('click', 'g:/encoder/layer.0');
    await page.waitForFunction(() => ((window as any).__onnxInspectorTest.scene()?.expanded ?? []).includes('g:/encoder/layer.0'));
    await api('zoomBy', 1.7);
    await api('panBy', -120, -260);
    const where = await api('transform') as { k: number; x: number; y: number };
    // Into the subgraph (its own first view), move there too, then back by the breadcrumb.
    const op = (await api('scene') as { nodes: { id: string; kind: string }[] }).nodes.find((n) => n.kind === 'op')!;
    await api('click', op.id);
    await page.waitForSelector('[data-testid="props"][data-kind="node"]');
    await row(page, 'Attributes', 'then_branch').locator('[data-testid="prop-link"]').click();
    await page.waitForSelector('[data-testid="breadcrumbs"]:not([hidden])');
    assert.deepEqual(await page.evaluate(() => (window as any).__onnxInspectorTest.scene().expanded), []);
    await api('zoomBy', 0.5);
    const before = await layouts();
    await page.click('[data-testid="crumb"]:has-text("main graph")');
    await page.waitForSelector('[data-testid="breadcrumbs"]', { state: 'hidden' });
    // The host answers the main graph's first view; the open groups are asked for again, the view put back.
    await page.waitForFunction(() => ((window as any).__onnxInspectorTest.scene()?.expanded ?? []).includes('g:/encoder/layer.0'));
    const last = (await requests(page, 'layout')).at(-1);
    assert.ok((await layouts()) > before && last.params.path.length === 0 && last.params.expanded.includes('g:/encoder/layer.0'), JSON.stringify(last.params));
    const back = await api('transform') as { k: number; x: number; y: number };
    for (const key of ['k', 'x', 'y'] as const) assert.ok(Math.abs(back[key] - where[key]) < 1e-6, `${key}: ${back[key]} vs ${where[key]}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('find: Ctrl+F, results from the host, arrows move, Enter jumps to the hidden node, Escape closes', async () => {
    const { page } = await open();
    await page.click('canvas.graph-canvas');
    await page.keyboard.press('Control+f');
    await page.waitForSelector('[data-testid="search-box"]:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search-input');
    await page.keyboard.type('zzz');
    await page.waitForSelector('[data-testid="search-status"]:has-text("No results")');
    await page.fill('[data-testid="search-input"]', 'attn');
    await page.waitForSelector('[data-testid="search-result"]');
    assert.deepEqual(await page.locator('[data-testid="search-result"] .search-label').allTextContents(), results.map((r) => r.label));
    const selected = () => page.getAttribute('[data-testid="search-result"][aria-selected="true"]', 'data-id');
    assert.equal(await selected(), 'n:100');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await selected(), 'n:102');
    await page.keyboard.press('ArrowDown');
    assert.equal(await selected(), 'n:100', 'wraps around');
    await page.keyboard.press('ArrowUp');
    assert.equal(await selected(), 'n:102');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="scene-node"][data-id="${hiddenOp().id}"][aria-selected="true"]`, { state: 'attached' });
    assert.deepEqual((await requests(page, 'inspect.reveal')).at(-1).params, { path: [], id: 'n:102' });
    assert.equal(await page.getAttribute(`[data-testid="scene-node"][data-id="${GROUP}"]`, 'data-expanded'), 'true');
    await page.focus('[data-testid="search-input"]');
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('[data-testid="search-box"]'), false);
    await page.close();
  });
});
