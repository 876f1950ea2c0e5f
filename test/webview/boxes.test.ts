// Op boxes in headless Chromium, on a scene the real host code builds and lays out (view model with schema
// names, ELK in the layout worker) for a small conv/Q-DQ model: weight rows `W 64×3×7×7`, `B 64`, `y_scale`;
// labels never cut; long names shortened in the middle keeping the last segment; full text on hover. And the
// layout's text-width estimate against the canvas's measureText in the webview's fonts.
// Run: node --import tsx --test test/webview/boxes.test.ts
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { schemaInputNamer } from '../../src/core/opSchemas';
import { nodeProps } from '../../src/host/inspect/nodeProps';
import { buildViewModel } from '../../src/layout/viewModel';
import { opSchemaTable } from '../../src/node/opSchemaFile';
import { estimateTextWidth } from '../../src/protocol/boxText';
import type { Scene } from '../../src/protocol/scene';
import { DT, makeModel } from '../fixtures/builders';
import { missingPythonOnnx, repoRoot } from '../unit/editSupport';
import { allowTsxEvaluate, chromiumMissing, answerRequests, drawnAround, recordDrawnText, useTestSite, waitForFirstPaint } from './page';
import { useLayoutService } from '../fixtures/layoutService';

const skip = chromiumMissing() ?? missingPythonOnnx();
if (skip) console.log(`SKIP webview box tests: ${skip}`);

const LONG = '/model/decoder/transformer_stack/encoder_block/layers.11/self_attention/attn/proj/Add';

function model(): Uint8Array {
  const f32 = (n: number) => new Uint8Array(new Float32Array(n).buffer);
  return makeModel({
    opsets: [{ version: 17 }],
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 3, 224, 224] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1, 64, 112, 112, 1] }],
    initializers: [
      { name: 'conv1.weight', dataType: DT.FLOAT, dims: [64, 3, 7, 7], raw: f32(64 * 3 * 7 * 7) },
      { name: 'conv1.bias', dataType: DT.FLOAT, dims: [64], raw: f32(64) },
      { name: 'q.scale', dataType: DT.FLOAT, dims: [], raw: f32(1) },
      { name: 'q.zero', dataType: DT.INT8, dims: [], raw: new Uint8Array(1) },
      { name: 'axes', dataType: DT.INT64, dims: [1], raw: new Uint8Array(new BigInt64Array([4n]).buffer) },
    ],
    nodes: [
      { op: 'Conv', name: '/features/features.0/Conv', inputs: ['x', 'conv1.weight', 'conv1.bias'], outputs: ['c'], attrs: [{ name: 'kernel_shape', ints: [7, 7] }, { name: 'strides', ints: [2, 2] }, { name: 'pads', ints: [3, 3, 3, 3] }] },
      { op: 'QuantizeLinear', name: '/features/features.0/QuantizeLinear', inputs: ['c', 'q.scale', 'q.zero'], outputs: ['cq'] },
      { op: 'DequantizeLinear', name: '/features/features.0/DequantizeLinear', inputs: ['cq', 'q.scale', 'q.zero'], outputs: ['cd'] },
      { op: 'Add', name: LONG, inputs: ['cd', 'c'], outputs: ['s'] },
      { op: 'Unsqueeze', name: 'Unsqueeze_123', inputs: ['s', 'axes'], outputs: ['y'] },
    ],
  });
}

describe('webview op boxes', { skip }, () => {
  const web = useTestSite();
  const layout = useLayoutService('boxes-test-');
  let scene: Scene;
  let answerNode: (id: string) => unknown;

  before(async () => {
    const schemaFile = path.join(layout.tmp, 'opSchemas.json');
    execFileSync('python3', [path.join(repoRoot, 'scripts/gen-op-schemas.py'), schemaFile], { stdio: ['ignore', 'ignore', 'inherit'] });
    const m = readModel(model());
    const g = buildModelGraph(m);
    const view = buildViewModel(g, 'boxes-test', schemaInputNamer(opSchemaTable(schemaFile), m.opsets));
    answerNode = (id) => nodeProps(m, g, [], id, opSchemaTable(schemaFile));
    const groups = [...view.items.values()].filter((i) => i.kind === 'group' && i.id !== 'g:').map((i) => i.id);
    scene = { ...(await layout.service.layoutScene(view, groups)), version: 1_000_000 };
  });

  async function open(): Promise<Page> {
    const page = await web.browser.newPage({ viewport: { width: 1000, height: 800 } });
    await allowTsxEvaluate(page);
    // inspect.node is answered by the host's own nodeProps; inspect.openDoc is only recorded.
    await answerRequests(page, ['inspect.node', 'inspect.openDoc'], (m: any) => (m.method === 'inspect.node' ? { ok: true, result: answerNode(m.params.id) }
      : m.method === 'inspect.openDoc' ? { ok: true, result: { opened: true, message: 'opened' } } : { ok: false, error: `unexpected ${m.method}` }));
    await recordDrawnText(page);
    await page.goto(`${web.site.url}?scene=small`);
    await waitForFirstPaint(page);
    await page.evaluate((s) => (window as any).__fakeHost.send({ type: 'scene', scene: s }), scene);
    await page.waitForFunction((v) => (window as any).__onnxInspectorTest.scene().version === v, scene.version);
    return page;
  }

  const boxOf = (op: string) => scene.nodes.find((n) => n.kind === 'op' && n.label === op)!;

  test('the layout gives op boxes weight rows with schema names and shapes', () => {
    const conv = boxOf('Conv');
    assert.deepEqual(conv.initializerNames, ['W', 'B']);
    assert.deepEqual(boxOf('QuantizeLinear').initializerNames, ['y_scale', 'y_zero_point']);
    assert.deepEqual(boxOf('DequantizeLinear').initializerNames, ['x_scale', 'x_zero_point']);
    assert.deepEqual(boxOf('Unsqueeze').initializerNames, ['axes']);
    assert.ok(conv.height > boxOf('Add').height, 'weight rows make the box taller');
  });

  test('boxes draw `W 64×3×7×7`, `B 64` and schema names; labels whole at every readable zoom', async () => {
    const page = await open();
    const conv = await drawnAround(page, boxOf('Conv').id, 1.5);
    const rows = (drawn: string[]) => drawn.map((s, i) => `${s}${drawn[i + 1] ?? ''}`);
    assert.ok(rows(conv).includes('W 64\u00D73\u00D77\u00D77'), `no W row in ${JSON.stringify(conv)}`);
    assert.ok(rows(conv).includes('B 64'), `no B row in ${JSON.stringify(conv)}`);
    // For people: what the boxes look like (test-output/webview/boxes.png).
    fs.mkdirSync(path.join(repoRoot, 'test-output', 'webview'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-output', 'webview', 'boxes.png') });
    const q = await drawnAround(page, boxOf('QuantizeLinear').id, 1.5);
    assert.ok(rows(q).includes('y_scale scalar') && rows(q).includes('y_zero_point scalar'), JSON.stringify(q));
    // Labels (op types) are never cut: the boxes were sized for them, at any zoom where labels are drawn.
    for (const k of [0.6, 0.9, 1.5, 3]) {
      for (const op of ['Conv', 'QuantizeLinear', 'DequantizeLinear', 'Unsqueeze', 'Add']) {
        const drawn = await drawnAround(page, boxOf(op).id, k);
        assert.ok(drawn.includes(op), `${op} not drawn whole at zoom ${k}: ${JSON.stringify(drawn.filter((s) => s.includes('\u2026')))}`);
      }
    }
    await page.close();
  });

  test('a long node name is shortened in the middle, keeping its last segments; hover gives the full name', async () => {
    const page = await open();
    const add = boxOf('Add');
    const drawn = await drawnAround(page, add.id, 1.5);
    const shown = drawn.find((s) => s.includes('\u2026') && s.endsWith('/proj/Add'));
    assert.ok(shown, `no middle-shortened name in ${JSON.stringify(drawn)}`);
    assert.ok(LONG.endsWith(shown.slice(shown.indexOf('\u2026') + 1)), `${shown} is not a suffix of the name`);
    assert.ok(drawn.includes('Unsqueeze_123') || (await drawnAround(page, boxOf('Unsqueeze').id, 1.5)).includes('Unsqueeze_123'), 'short names are not cut');
    // Hover: the canvas's tooltip carries the full name.
    const center = await page.evaluate((id) => {
      const api = (window as any).__onnxInspectorTest;
      const n = api.scene().nodes.find((x: any) => x.id === id);
      const t = api.transform();
      const r = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect();
      return { x: r.left + (n.x + n.width / 2) * t.k + t.x, y: r.top + (n.y + n.height / 2) * t.k + t.y };
    }, add.id);
    await page.mouse.move(center.x, center.y);
    await page.waitForFunction((name) => document.querySelector('canvas.graph-canvas')!.getAttribute('title')?.includes(name), LONG);
    await page.close();
  });

  test('the layout\'s text-width estimate covers what the canvas measures in the webview\'s fonts', async () => {
    const page = await open();
    const schemaOps = Object.values((JSON.parse(fs.readFileSync(path.join(layout.tmp, 'opSchemas.json'), 'utf8')) as { domains: Record<string, Record<string, unknown>> }).domains)
      .flatMap((ops) => Object.keys(ops));
    const names = [LONG, '/features/features.12/expand3x3/Conv', 'onnx::Conv_123', 'model.layers.0.mlp.fc1.weight', 'W 64\u00D73\u00D77\u00D77', '\u25B8 encoder', 'input_ids'];
    const measured = await page.evaluate(({ labels, monos }) => {
      const pal = (window as any).__onnxInspectorTest.palette();
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `600 100px ${pal.fontFamily}`;
      const l = labels.map((s: string) => ctx.measureText(s).width / 100);
      ctx.font = `100px ${pal.monoFontFamily}`;
      return { labels: l, monos: monos.map((s: string) => ctx.measureText(s).width / 100) };
    }, { labels: [...schemaOps, ...names], monos: names });
    const worst = (texts: string[], widths: number[], font: 'label' | 'mono') => {
      let w = { ratio: Infinity, text: '' };
      texts.forEach((t, i) => { const r = estimateTextWidth(t, font, 1) / widths[i]; if (r < w.ratio) w = { ratio: r, text: t }; });
      return w;
    };
    const label = worst([...schemaOps, ...names], measured.labels, 'label');
    const mono = worst(names, measured.monos, 'mono');
    console.log(`estimate / measureText, lowest: label ${label.ratio.toFixed(3)} (${label.text}), mono ${mono.ratio.toFixed(3)} (${mono.text})`);
    // Never narrower than drawn (2% slack: the box's padding absorbs it); not absurdly wider either.
    assert.ok(label.ratio >= 0.98, `bold label text '${label.text}' is wider than estimated (ratio ${label.ratio})`);
    assert.ok(mono.ratio >= 0.98, `monospace text '${mono.text}' is wider than estimated (ratio ${mono.ratio})`);
    const meanLabel = measured.labels.reduce((s, w, i) => s + estimateTextWidth([...schemaOps, ...names][i], 'label', 1) / w, 0) / measured.labels.length;
    assert.ok(meanLabel < 1.4, `label estimate ${meanLabel.toFixed(2)}x the measured width on average: boxes too wide`);
    await page.close();
  });

  test('the properties panel: inputs by schema name, attribute defaults, type constraints, a documentation link', async () => {
    const page = await open();
    const conv = boxOf('Conv');
    assert.equal(await page.evaluate((id) => (window as any).__onnxInspectorTest.click(id), conv.id), true);
    await page.waitForSelector('[data-testid="props"][data-kind="node"]');
    const row = (section: string, key: string) => page.locator(`[data-testid="props-section"][data-title="${section}"] [data-testid="prop-row"][data-key="${key}"] td`);
    const keys = (section: string) => page.$$eval(`[data-testid="props-section"][data-title="${section}"] [data-testid="prop-row"]`, (rs) => rs.map((r) => r.getAttribute('data-key')));
    assert.deepEqual(await keys('Inputs'), ['X', 'W', 'B']);
    assert.match((await row('Inputs', 'W').textContent())!, /conv1\.weight.*float\[64,3,7,7\]/);
    assert.equal(await row('Attributes', 'auto_pad').locator('.prop-text').textContent(), 'NOTSET');
    assert.equal(await row('Attributes', 'auto_pad').locator('.prop-detail').textContent(), 'default (string)');
    assert.equal(await row('Attributes', 'group').locator('.prop-text').textContent(), '1');
    assert.equal(await row('Attributes', 'strides').locator('.prop-text').textContent(), '[2, 2]');
    assert.match((await row('Type constraints', 'T').textContent())!, /tensor\(float\).*X, W, B, Y/);
    await row('Node', 'documentation').locator('[data-testid="prop-link"]').click();
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.type === 'request' && m.method === 'inspect.openDoc'));
    const req = await page.evaluate(() => (window as any).__fakeHost.posted.find((m: any) => m.method === 'inspect.openDoc'));
    assert.deepEqual(req.params, { url: 'https://onnx.ai/onnx/operators/onnx__Conv.html' });
    await page.close();
  });
});
