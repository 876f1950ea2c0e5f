// Inspect in a real VS Code (code-server + Chromium): the properties panel shows the model's opset and a
// node's attributes; Find lands on a node deep inside collapsed groups of swin_tiny (groups opened, node
// selected and on screen); "ONNX: Go to PyTorch Source" on resnet18_dynamo opens the frame's file at its line
// from a folder named in onnxInspector.pytorchSourceRoots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { defaultFrameIndex } from '../../src/host/inspect/stackFrames';
import { ancestorsOf, buildViewModel, ROOT_ID } from '../../src/layout/viewModel';
import { DT, makeModel } from '../fixtures/builders';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, readLog, startSession, waitForLog, type Session } from './harness';
import { sceneOf } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
const modelsDir = SHARED_DIR && path.join(SHARED_DIR, 'models');
const MODELS = ['swin_tiny.onnx', 'resnet18_dynamo.onnx'];
const missing = !modelsDir ? 'no shared folder' : MODELS.filter((m) => !fs.existsSync(path.join(modelsDir, m))).join(', ');
const skip = !built ? 'dist/ is not built (node scripts/build.mjs)' : missing ? `shared models missing: ${missing}` : false;
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');
const DEEP_NODE = '/layers/layers.2/blocks/blocks.3/attn/softmax/Softmax';

const loadGraph = (file: string) => {
  const model = readModel(new Uint8Array(fs.readFileSync(file)));
  return { model, graph: buildModelGraph(model) };
};

/** The webview frame of the editor showing `graph` (another model's frame may still be laid out). */
async function frameOf(s: Session, graph: { inputs: string[] }, timeoutMs = 90_000): Promise<Frame> {
  const want = `i:${graph.inputs[0]}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const f of s.page.frames()) {
      const ok = await f.evaluate((id) => !!(window as any).__onnxInspectorTest?.scene()?.nodes.some((n: any) => n.id === id), want).catch(() => false);
      if (ok) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows a graph with input box ${want} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens Find in the webview, types `query`, waits for a result labelled `label` and picks it with the keyboard. */
async function findAndPick(frame: Frame, query: string, label: string): Promise<void> {
  await frame.locator('[data-testid="search-input"]').waitFor({ state: 'visible', timeout: 15_000 });
  await frame.locator('[data-testid="search-input"]').fill(query);
  const rows = frame.locator('[data-testid="search-result"]');
  await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
  const labels = await rows.locator('.search-label').allTextContents();
  const k = labels.indexOf(label);
  assert.ok(k >= 0, `'${label}' among the results: ${JSON.stringify(labels.slice(0, 10))}`);
  await frame.locator('[data-testid="search-input"]').focus();
  for (let i = 0; i < k; i++) await frame.locator('[data-testid="search-input"]').press('ArrowDown');
  await frame.locator('[data-testid="search-input"]').press('Enter');
}

/** x -> If_3(cond) { then: Neg(x) -> Relu ; else: Abs(x) } -> y, built with the test fixtures. */
function ifModel(): Uint8Array {
  const branch = (name: string, ops: string[]) => ({
    name, outputs: [{ name: `${name}_out`, elemType: DT.FLOAT, shape: [2] }],
    nodes: ops.map((op, i) => ({ op, name: `${name}_${op}`, inputs: [i === 0 ? 'x' : `${name}_${i}`], outputs: [i === ops.length - 1 ? `${name}_out` : `${name}_${i + 1}`] })),
  });
  return makeModel({
    inputs: [{ name: 'cond', elemType: DT.BOOL, shape: [] }, { name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    nodes: [{ op: 'If', name: 'If_3', inputs: ['cond'], outputs: ['y'], attrs: [{ name: 'then_branch', g: branch('then', ['Neg', 'Relu']) }, { name: 'else_branch', g: branch('else', ['Abs']) }] }],
  });
}

describe('inspect in VS Code', { skip, timeout: 400_000 }, () => {
  let s: Session;
  let workspace: string;
  let sources: string;
  let log: string;

  before(async () => {
    workspace = makeWorkspace(MODELS.map((m) => path.join(modelsDir!, m)));
    fs.writeFileSync(path.join(workspace, 'if_model.onnx'), ifModel());
    log = `${workspace}.log`;
    // The PyTorch sources live outside the workspace: only the setting can lead there.
    sources = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-pysrc-'));
    fs.mkdirSync(path.join(sources, 'torchvision', 'models'), { recursive: true });
    fs.writeFileSync(path.join(sources, 'torchvision', 'models', 'resnet.py'), Array.from({ length: 400 }, (_, i) => `# resnet.py line ${i + 1}`).join('\n') + '\n');
    s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, settings: { 'onnxInspector.pytorchSourceRoots': [sources] } });
  });

  after(async () => {
    if (process.env.E2E_DEBUG) console.error(s?.diagnostics(), readLog(log).slice(-4000));
    await s?.stop();
    for (const p of [workspace, sources, log]) if (p) fs.rmSync(p, { recursive: true, force: true });
  });

  async function onFailure<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      await s.screenshot(path.join(artifacts, `inspect-${name}-failure.png`)).catch(() => undefined);
      console.error(s.diagnostics());
      console.error(`--- extension log ---\n${readLog(log).slice(-4000)}`);
      throw e;
    }
  }

  test('swin_tiny: the panel shows the opset; Find opens the groups around a deep node and selects it', () => onFailure('swin', async () => {
    const { model, graph } = loadGraph(path.join(modelsDir!, 'swin_tiny.onnx'));
    const index = graph.nodes.findIndex((n) => n.name === DEEP_NODE);
    assert.ok(index >= 0, `${DEEP_NODE} is in swin_tiny`);
    const id = `n:${index}`;
    const groups = ancestorsOf(buildViewModel(graph, 'truth').items, id).filter((g) => g !== ROOT_ID);

    await s.openFile('swin_tiny.onnx');
    const frame = await frameOf(s, graph);
    const opset = model.opsets.find((o) => o.domain === '')!;
    const opsetCell = frame.locator('[data-testid="props-section"][data-title="Opsets"] [data-key="ai.onnx"] td');
    await opsetCell.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await opsetCell.textContent(), String(opset.version));
    const before = await sceneOf(frame);
    assert.ok(!before.nodes.some((n) => n.id === id), 'the node starts hidden inside collapsed groups');

    await s.runCommand('ONNX: Find in Model');
    await findAndPick(frame, 'blocks.3/attn/softmax', DEEP_NODE);
    await frame.locator(`[data-testid="scene-node"][data-id="${id}"][aria-selected="true"]`).waitFor({ state: 'attached', timeout: 120_000 });
    for (const g of groups) assert.equal(await frame.getAttribute(`[data-testid="scene-node"][data-id="${g}"]`, 'data-expanded'), 'true', `${g} was expanded`);
    // Centered on screen.
    const onScreen = await frame.evaluate((nid) => {
      const t = (window as any).__onnxInspectorTest.transform();
      const n = (window as any).__onnxInspectorTest.scene().nodes.find((x: any) => x.id === nid);
      const c = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect();
      const cx = (n.x + n.width / 2) * t.k + t.x, cy = (n.y + n.height / 2) * t.k + t.y;
      return cx > 0 && cy > 0 && cx < c.width && cy < c.height;
    }, id);
    assert.ok(onScreen, 'the node is in view');
    // swin_tiny declares no intermediate types: the edge into the Softmax shows the inferred shape.
    const edgeLabels = await frame.evaluate((nid) => (window as any).__onnxInspectorTest.scene().edges.filter((e: any) => e.to === nid).map((e: any) => e.label), id);
    assert.deepEqual(edgeLabels, ['float[4,12,49,49]'], 'the inferred shape labels the edge');
    // Its properties, with its attributes.
    await frame.locator('[data-testid="props"][data-kind="node"]').waitFor({ timeout: 30_000 });
    assert.equal(await frame.textContent('[data-testid="props-title"]'), 'Softmax');
    const axis = graph.nodes[index].attributes.find((a) => a.name === 'axis');
    assert.ok(axis, 'the Softmax has an axis attribute');
    assert.equal(await frame.textContent('[data-testid="props-section"][data-title="Attributes"] [data-key="axis"] .prop-text'), String(axis.i));
    await s.screenshot(path.join(artifacts, 'inspect-swin-find.png'));
  }));

  test('resnet18_dynamo: Go to PyTorch Source opens the model frame\'s file at its line', () => onFailure('resnet', async () => {
    const { graph } = loadGraph(path.join(modelsDir!, 'resnet18_dynamo.onnx'));
    const node = graph.nodes.find((n) => n.opType === 'Conv' && n.stackTrace && n.stackTrace[defaultFrameIndex(n.stackTrace)]?.file.endsWith('torchvision/models/resnet.py'));
    assert.ok(node?.stackTrace, 'a Conv with a resnet.py frame');
    const frameInfo = node.stackTrace[defaultFrameIndex(node.stackTrace)];
    const expected = path.join(fs.realpathSync(sources), 'torchvision', 'models', 'resnet.py');

    await s.openFile('resnet18_dynamo.onnx');
    const frame = await frameOf(s, graph);
    await frame.locator('[data-testid="props"][data-kind="model"]').waitFor({ timeout: 30_000 });
    await frame.locator('canvas.graph-canvas').click({ position: { x: 5, y: 5 } });
    await frame.locator('canvas.graph-canvas').press('Control+f');
    await findAndPick(frame, node.name, node.name);
    await frame.locator(`[data-testid="scene-node"][data-id="n:${node.index}"][aria-selected="true"]`).waitFor({ state: 'attached', timeout: 60_000 });
    const link = frame.locator('[data-testid="props-section"][data-title="PyTorch source"] [data-testid="prop-link"]').first();
    assert.equal(await link.textContent(), `${frameInfo.file}:${frameInfo.line}`, 'the model frame is listed first');

    await s.runCommand('ONNX: Go to PyTorch Source');
    const text = await waitForLog(log, `opened source ${expected}:${frameInfo.line}`, 30_000);
    assert.ok(text.includes(`opened source ${expected}:${frameInfo.line}`));
    const tab = s.page.locator('.tabs-container .tab.active');
    await tab.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await tab.getAttribute('aria-label')) ?? (await tab.textContent()) ?? '', /resnet\.py/);
    // The cursor is on the frame's line (the status bar shows it).
    const position = s.page.locator('.statusbar-item[id="status.editor.selection"]');
    await position.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await position.textContent()) ?? '', new RegExp(`Ln ${frameInfo.line}\\b`));
    await s.screenshot(path.join(artifacts, 'inspect-resnet-source.png'));
  }));

  test('an If node\'s then_branch opens in the same editor with breadcrumbs, and the main graph comes back', () => onFailure('subgraph', async () => {
    await s.openFile('if_model.onnx');
    const frame = await frameOf(s, { inputs: ['cond'] });
    await frame.evaluate(() => (window as any).__onnxInspectorTest.click('n:0'));
    // Where the user was in the main graph: leaving the subgraph must come back there.
    await frame.evaluate(() => (window as any).__onnxInspectorTest.zoomBy(1.6));
    const mainView = await frame.evaluate(() => (window as any).__onnxInspectorTest.transform()) as { k: number; x: number; y: number };
    const link = frame.locator('[data-testid="props-section"][data-title="Attributes"] [data-key="then_branch"] [data-testid="prop-link"]');
    await link.waitFor({ timeout: 30_000 });
    // The operator schema (generated at build time) is found: its version and documentation link.
    assert.match((await frame.textContent('[data-testid="props-section"][data-title="Node"] [data-key="schema"] td'))!, /^If-\d+/);
    assert.equal(await frame.textContent('[data-testid="props-section"][data-title="Node"] [data-key="documentation"] [data-testid="prop-link"]'), 'https://onnx.ai/onnx/operators/onnx__If.html');
    await link.click({ timeout: 30_000 });
    await frame.locator('[data-testid="breadcrumbs"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(await frame.locator('[data-testid="crumb"]').allTextContents(), ['main graph', "node 'If_3' \u203a then_branch"]);
    const sub = await sceneOf(frame);
    assert.deepEqual(sub.nodes.filter((n) => n.kind === 'op').map((n) => n.label).sort(), ['Neg', 'Relu'], 'the branch\'s ops are drawn');
    // The branch reads x from the main graph: drawn as an input from the outer scope, with its edge to Neg.
    const outer = sub.nodes.find((n) => n.id === 'i:x');
    assert.ok(outer?.kind === 'input' && outer.outer === true, 'x is an outer-scope input');
    const neg = sub.nodes.find((n) => n.label === 'Neg')!;
    assert.ok(sub.edges.some((e) => e.from === 'i:x' && e.to === neg.id), 'an edge from the outer value to its reader');
    assert.deepEqual(await frame.locator('[data-testid="props-section"][data-title="Outputs"] [data-testid="prop-link"]').allTextContents(), ['then_out']);
    await waitForLog(log, '"event":"openGraph"', 10_000);
    await frame.locator('[data-testid="crumb"]', { hasText: 'main graph' }).click();
    await frame.locator('[data-testid="breadcrumbs"]').waitFor({ state: 'hidden', timeout: 30_000 });
    assert.deepEqual((await sceneOf(frame)).nodes.filter((n) => n.kind === 'op').map((n) => n.label), ['If']);
    const back = await frame.evaluate(() => (window as any).__onnxInspectorTest.transform()) as { k: number; x: number; y: number };
    for (const key of ['k', 'x', 'y'] as const) assert.ok(Math.abs(back[key] - mainView[key]) < 1e-3, `main view ${key}: ${back[key]} vs ${mainView[key]}`);
  }));
});
