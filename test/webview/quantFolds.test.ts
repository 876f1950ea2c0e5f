// Quantization folds in headless Chromium, on a scene the real host code builds and lays out for a Q/DQ
// Conv/Relu/MatMul model: a folded box is drawn as its op with a badge (`int8`, `int8·ch`) and quantized weight
// rows (`W int8 2×2×1×1`); clicking the box selects its op (properties with a Quantization section); clicking the
// badge opens the fold (its Q, DQ and op boxes in a frame); the frame's header folds it again; the Q/DQ toolbar
// button opens every fold in the scene; ArrowRight in the outline opens one; Export SVG draws the badge too.
// Run: node --import tsx --test test/webview/quantFolds.test.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { nodeProps } from '../../src/host/inspect/nodeProps';
import { withQuantSection } from '../../src/host/inspect/quantProps';
import { buildViewModel, type InputNamer } from '../../src/layout/viewModel';
import { badgeRect, badgeText } from '../../src/protocol/boxText';
import type { Scene, SceneNode } from '../../src/protocol/scene';
import { makeQdqConvReluMatMul } from '../fixtures/qdqModels';
import { repoRoot } from '../unit/editSupport';
import { allowTsxEvaluate, answerRequests, chromiumMissing, drawnAround as drawnAt, recordDrawnText, useTestSite, waitForFirstPaint } from './page';
import { useLayoutService } from '../fixtures/layoutService';

const skip = chromiumMissing();
if (skip) console.log(`SKIP webview quantization fold tests: ${skip}`);

const names: InputNamer = (n) => ({ Conv: ['X', 'W', 'B'], MatMul: ['A', 'B'] } as Record<string, string[]>)[n.opType];

describe('webview quantization folds', { skip }, () => {
  const web = useTestSite();
  const layout = useLayoutService('quant-folds-webview-');
  let page: Page;
  const m = readModel(makeQdqConvReluMatMul());
  const g = buildModelGraph(m);
  const view = buildViewModel(g, 'quant-folds-webview', names);
  let version = 1_000_000;
  /** The open groups of every layout the webview asked for. */
  const asked: string[][] = [];

  before(async () => {
    page = await web.browser.newPage({ viewport: { width: 1000, height: 800 } });
    await allowTsxEvaluate(page);
    // The host's own layout and node properties answer; the fake host's synthetic relayout is held back (delay).
    await answerRequests(page, ['layout', 'inspect.node'], async (msg: any) => {
      if (msg.method === 'inspect.node') {
        const id = String(msg.params.id).replace(/^q:/, 'n:');
        return { ok: true, result: withQuantSection(nodeProps(m, g, [], id), g, view, Number(id.slice(2))) };
      }
      asked.push(msg.params.expanded);
      return { ok: true, result: { ...(await layout.service.layoutScene(view, msg.params.expanded)), version: ++version } };
    });
    await recordDrawnText(page);
    await page.goto(`${web.site.url}?scene=small&delay=600000`);
    await waitForFirstPaint(page);
    const first = { ...(await layout.service.layoutScene(view, ['g:head'])), version: ++version };
    await page.evaluate((s) => (window as any).__fakeHost.send({ type: 'scene', scene: s }), first);
    await sceneVersion(first.version);
  });

  const scene = (): Promise<Scene> => page.evaluate(() => (window as any).__onnxInspectorTest.scene());
  const sceneVersion = (v: number) => page.waitForFunction((v) => (window as any).__onnxInspectorTest.scene().version >= v, v);
  const node = async (id: string): Promise<SceneNode | undefined> => (await scene()).nodes.find((n) => n.id === id);

  /** The strings drawn around box `id` at zoom `k`, and each joined with the next (a row's parts). */
  async function drawnAround(id: string, k: number): Promise<string[]> {
    const drawn = await drawnAt(page, id, k);
    return [...drawn, ...drawn.map((s, i) => `${s}${drawn[i + 1] ?? ''}`)];
  }

  /** Page point of a scene point. */
  async function pagePoint(x: number, y: number): Promise<{ x: number; y: number }> {
    const t = await page.evaluate(() => (window as any).__onnxInspectorTest.transform());
    const box = (await page.locator('canvas.graph-canvas').boundingBox())!;
    return { x: box.x + x * t.k + t.x, y: box.y + y * t.k + t.y };
  }

  test('a folded box is drawn as its op, with its badge and quantized weight rows', async () => {
    const conv = (await node('q:3'))!;
    assert.deepEqual([conv.kind, conv.label, conv.fold?.badge, conv.fold?.perChannel], ['op', 'Conv', 'int8', true]);
    const drawn = await drawnAround('q:3', 1.5);
    for (const text of ['Conv', '/conv/Conv', 'int8\u00B7ch', 'W int8 2\u00D72\u00D71\u00D71', 'B 2']) assert.ok(drawn.includes(text), `'${text}' not drawn: ${JSON.stringify(drawn)}`);
    assert.equal(await node('n:2'), undefined, 'the folded DequantizeLinear has no box');
    const relu = await drawnAround('q:6', 1.5);
    assert.ok(relu.includes('Relu') && relu.includes('int8'), JSON.stringify(relu));
    fs.mkdirSync(path.join(repoRoot, 'test-output', 'webview'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-output', 'webview', 'quant-folds.png') });
  });

  test('Export SVG draws the folded box as the canvas does: badge and quantized weight row', async () => {
    await page.evaluate(() => (window as any).__fakeHost.send({ type: 'exportView', format: 'svg' }));
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.method === 'saveExport' && m.params.format === 'svg'));
    const texts: string[] = await page.evaluate(() => {
      const req = (window as any).__fakeHost.posted.find((m: any) => m.method === 'saveExport' && m.params.format === 'svg');
      return [...new DOMParser().parseFromString(req.params.data, 'image/svg+xml').querySelectorAll('text')].map((t) => t.textContent ?? '');
    });
    for (const t of ['int8\u00B7ch', 'uint8', 'W int8 2\u00D72\u00D71\u00D71']) assert.ok(texts.includes(t), `'${t}' not in the SVG: ${JSON.stringify(texts)}`);
  });

  test('clicking the folded box selects its op: the properties show it with a Quantization section', async () => {
    assert.equal(await page.evaluate(() => (window as any).__onnxInspectorTest.click('q:3')), true);
    assert.equal(await page.evaluate(() => (window as any).__onnxInspectorTest.selected()), 'q:3');
    const selection = await page.evaluate(() => (window as any).__fakeHost.posted.filter((m: any) => m.type === 'selection').at(-1));
    assert.deepEqual(selection, { type: 'selection', kind: 'node', id: 'n:3' });
    await page.waitForSelector('[data-testid="props-section"][data-title="Quantization"]');
    const keys = await page.$$eval('[data-testid="props-section"][data-title="Quantization"] [data-testid="prop-row"]', (rs) => rs.map((r) => r.getAttribute('data-key')));
    assert.deepEqual(keys, ['type', 'weight DQ', 'scale', 'zero point', 'axis']);
    assert.equal(await page.textContent('[data-testid="props"] [data-testid="props-section"][data-title="Node"] [data-key="op"] td'), 'Conv');
    assert.deepEqual(asked, [], 'selecting lays nothing out');
  });

  test('clicking the badge unfolds the box: Q, DQ and op boxes in a frame; its header folds it again', async () => {
    const relu = (await node('q:6'))!;
    const r = badgeRect(relu, badgeText(relu.fold!));
    await drawnAround('q:6', 1.5);
    const before = (await scene()).version;
    const p = await pagePoint(r.x + r.width / 2, r.y + r.height / 2);
    await page.mouse.click(p.x, p.y);
    await sceneVersion(before + 1);
    assert.ok(asked.at(-1)!.includes('q:6'), `the layout asked for: ${asked.at(-1)}`);
    const frame = (await node('q:6'))!;
    assert.deepEqual([frame.kind, frame.expanded], ['group', true]);
    const inside = (await scene()).nodes.filter((n) => n.parent === 'q:6').map((n) => `${n.id} ${n.label}`).sort();
    assert.deepEqual(inside, ['n:4 QuantizeLinear', 'n:5 DequantizeLinear', 'n:6 Relu']);
    const drawn = await drawnAround('q:6', 1.2);
    assert.ok(drawn.some((s) => s.startsWith('Relu int8') && s.endsWith('(3 ops)')), `frame header: ${JSON.stringify(drawn)}`);
    // The frame's header folds it back into one box.
    const h = await pagePoint(frame.x + 30, frame.y + 8);
    const opened = (await scene()).version;
    await page.mouse.click(h.x, h.y);
    await sceneVersion(opened + 1);
    assert.ok(!asked.at(-1)!.includes('q:6'));
    assert.equal((await node('q:6'))!.kind, 'op');
    assert.equal(await node('n:6'), undefined);
  });

  test('the Q/DQ toolbar button opens every fold in the scene, and folds them again', async () => {
    const button = page.locator('[data-testid="toggle-qdq"]');
    assert.ok(await button.isVisible(), 'shown for a model with folds');
    const v0 = (await scene()).version;
    await button.click();
    await sceneVersion(v0 + 1);
    const open = (await scene()).nodes.filter((n) => n.fold);
    assert.deepEqual(open.map((n) => `${n.id} ${n.kind}`).sort(), ['q:12 group', 'q:3 group', 'q:6 group', 'q:9 group']);
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await button.click();
    await sceneVersion(v0 + 2);
    assert.ok((await scene()).nodes.filter((n) => n.fold).every((n) => n.kind === 'op'));
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
  });

  test('the outline: a folded box is a collapsed tree item; ArrowRight unfolds it', async () => {
    const item = page.locator('[data-testid="scene-node"][data-id="q:9"]');
    assert.equal(await item.getAttribute('aria-expanded'), 'false');
    assert.match((await item.textContent())!, /Flatten .*quantized uint8, Q\/DQ folded/);
    const v0 = (await scene()).version;
    await item.focus();
    await page.keyboard.press('ArrowRight');
    await sceneVersion(v0 + 1);
    assert.deepEqual([(await node('q:9'))!.kind, (await node('q:9'))!.expanded], ['group', true]);
    assert.equal(await page.locator('[data-testid="scene-node"][data-id="q:9"]').getAttribute('aria-expanded'), 'true');
  });
});
