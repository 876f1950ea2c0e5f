// "Compare Backends" with TensorRT in real VS Code (code-server + Chromium), through the helper test double
// (test/fixtures/trtHelperDouble.mjs, found through ONNX_INSPECTOR_TRT_HELPER): squeezenet1_1 with run A = TensorRT
// fusing every 3rd intermediate tensor away and one tensor perturbed, run B = onnxruntime. The perturbed tensor must
// be the first divergence; the fused tensors are listed as fused (rows, legend, count), never as failures. A second
// session whose helper finds no TensorRT shows the one actionable error and compares nothing.
// Run: node --import tsx --test test/e2e/compareTensorrt.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildModelGraph, type GraphModel } from '../../src/core/graph';
import { readModelFileSync } from '../../src/node/modelFile';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, startSession, type Session } from './harness';
import { acceptInputBox, logEvents, typeAndEnter, waitForEvent, waitForNotification, waitForQuickInput } from './actionsUi';
import { cleanup, reportFailure, webviewFrame } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'));
const DOUBLE = path.join(REPO_ROOT, 'test', 'fixtures', 'trtHelperDouble.mjs');
const source = SHARED_DIR && path.join(SHARED_DIR, 'models', 'squeezenet1_1.onnx');
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');
const FUSE_EVERY = 3;

const skip = !built ? 'dist/extension.js or dist/cli.js is not built (npm run build)'
  : !fs.existsSync(DOUBLE) ? 'the TensorRT helper double test/fixtures/trtHelperDouble.mjs is missing'
    : !source || !fs.existsSync(source) ? `squeezenet1_1.onnx not found under ../shared/models (${SHARED_DIR ?? 'no ../shared'})` : false;
if (skip) console.log(`SKIP compareTensorrt e2e: ${skip}`);

/**
 * What the double fuses (its rule, restated): node outputs that are consumed and not graph outputs, every
 * FUSE_EVERY-th in node order, each "fused into <producer> + <first consumer>".
 */
function expectedFused(graph: GraphModel): { tensor: string; layer: string }[] {
  const nameOf = (i: number) => graph.nodes[i].name || `${graph.nodes[i].opType}_${i}`;
  const firstConsumer = new Map<string, string>();
  graph.nodes.forEach((n, i) => { for (const t of n.inputs) if (!firstConsumer.has(t)) firstConsumer.set(t, nameOf(i)); });
  const outputs = new Set(graph.outputs);
  const eligible = graph.nodes.flatMap((n, i) => n.outputs.filter((o) => o && !outputs.has(o) && firstConsumer.has(o)).map((o) => ({ tensor: o, layer: `${nameOf(i)} + ${firstConsumer.get(o)}` })));
  return eligible.filter((_, i) => (i + 1) % FUSE_EVERY === 0);
}

/** Answers one quick pick with its default (Enter), then waits for it to go (the next may reuse the placeholder). */
async function acceptDefault(page: Page, placeholder: string): Promise<void> {
  await waitForQuickInput(page, { placeholder });
  await page.keyboard.press('Enter');
  await page.locator(`.quick-input-widget input.input[placeholder="${placeholder}"]`).waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
}

/** Run A's pick: filters to the TensorRT item and takes it. */
async function pickTensorrt(page: Page): Promise<void> {
  await waitForQuickInput(page, { placeholder: 'Run A: what produces its tensors?' });
  await typeAndEnter(page, 'TensorRT', 'TensorRT');
}

/**
 * "Compare Backends" with every default: run A TensorRT through the double (TensorRT 8: mark-as-outputs is the only
 * capture mode), FP32, TF32 off; run B onnxruntime, all intermediates; inputs generated with the default seed, and
 * squeezenet's dynamic batch dim at its default size 1.
 */
async function compareTensorrtWithOnnxruntime(s: Session): Promise<void> {
  const page = s.page;
  await s.runCommand('ONNX: Compare Backends');
  await pickTensorrt(page);
  await acceptDefault(page, 'TensorRT: precision?');
  await acceptDefault(page, 'TensorRT: TF32 for FP32 math?');
  for (const placeholder of ['Run B: what produces its tensors?', 'onnxruntime: which tensors to capture?', 'onnxruntime: graph optimization level?',
    'Inputs: generate them or load them from a file?']) await acceptDefault(page, placeholder);
  await acceptInputBox(page, 'Seed of the generated inputs');
  await acceptInputBox(page, 'Sizes of the dynamic dims');
}

async function withSession(name: string, env: Record<string, string>, body: (s: Session, log: string) => Promise<void>): Promise<void> {
  const workspace = makeWorkspace([source as string]);
  const log = `${workspace}.log`;
  const s = await startSession({
    workspace, timeoutMs: 45_000,
    // The extension host inherits code-server's environment: the helper is the double, with its own engine cache.
    env: { ONNX_INSPECTOR_LOG: log, ONNX_INSPECTOR_TRT_HELPER: DOUBLE, XDG_CACHE_HOME: path.join(workspace, '.cache'), ...env },
  });
  try {
    await body(s, log);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, `${name}-failure.png`), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
}

test('TensorRT vs onnxruntime: the perturbed tensor is the first divergence, fused tensors are listed as fused', { timeout: 420_000, skip }, async () => {
  const graph = buildModelGraph(readModelFileSync(source as string).model);
  const fused = expectedFused(graph);
  assert.ok(fused.length >= 5, `the double fuses some tensors of squeezenet: ${fused.length}`);
  const fusedNames = new Set(fused.map((f) => f.tensor));
  // Perturb a Conv output in the middle that stays (is not fused): only it differs, so it is the first divergence.
  const convOutputs = graph.nodes.filter((n) => n.opType === 'Conv').map((n) => n.outputs[0]).filter((t) => !fusedNames.has(t));
  const perturbed = convOutputs[Math.floor(convOutputs.length / 2)];
  const producer = graph.nodes[graph.values.get(perturbed)!.producer];

  await withSession('compare-tensorrt', { TRT_DOUBLE_MODE: 'ok', TRT_DOUBLE_FUSE: String(FUSE_EVERY), TRT_DOUBLE_PERTURB: perturbed }, async (s, log) => {
    await s.openFile('squeezenet1_1.onnx');
    const frame = await webviewFrame(s.page);
    await compareTensorrtWithOnnxruntime(s);

    const [event] = await waitForEvent(log, 'compare', 1, 300_000);
    assert.match(event.runners.a, /^TensorRT/);
    assert.equal(event.firstDivergence?.tensor, perturbed, `first divergence: ${JSON.stringify(event.firstDivergence)}`);
    assert.equal(event.firstDivergence?.node, producer.name);
    assert.equal(event.firstDivergence?.op, 'Conv');
    assert.ok(event.failing.includes(perturbed), `failing: ${event.failing}`);
    assert.deepEqual(event.failing.filter((t: string) => fusedNames.has(t)), [], 'no fused tensor fails');
    // Fused tensors: the count, each with the layer the double named, in graph order; none left unpaired.
    assert.equal(event.fused, fused.length);
    assert.deepEqual(event.fusedTensors.map((f: { tensor: string }) => f.tensor).sort(), [...fusedNames].sort());
    for (const f of fused) {
      assert.equal(event.fusedTensors.find((x: { tensor: string }) => x.tensor === f.tensor)?.reason, `fused into ${f.layer}`);
    }
    assert.equal(event.onlyA, 0);
    assert.equal(event.onlyB, 0);

    // The webview: first divergence named, fused rows with their reason, the legend's key and the summary count.
    const first = frame.locator('[data-testid="compare-first-divergence"]');
    await first.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await first.getAttribute('data-tensor'), perturbed);
    const fusedRows = frame.locator('[data-testid="compare-row"][data-status="fused"]');
    // The table may still be filling when the first divergence shows: wait for its last fused row, then count.
    await fusedRows.nth(fused.length - 1).waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await fusedRows.count(), fused.length);
    const row = frame.locator(`[data-testid="compare-row"][data-tensor="${fused[0].tensor}"]`);
    assert.equal(await row.getAttribute('data-status'), 'fused');
    assert.equal(await row.locator('td').nth(1).innerText(), 'fused');
    assert.equal(await row.locator('[data-testid="compare-reason"]').innerText(), `fused into ${fused[0].layer}`);
    assert.equal(await frame.locator('[data-testid="compare-row"][data-status="fail"]').count(), event.failed);
    assert.equal(await frame.locator('[data-testid="compare-legend-fused"]').innerText(), `${fused.length} fused`);
    assert.match(await frame.locator('[data-testid="compare-summary"]').innerText(), new RegExp(`; ${fused.length} fused away by a backend`));
    // On the canvas: fused boxes/edges get their own marks, never an error color.
    // Revealing the first divergence opens groups and lays them out again: wait for the overlay's marks on that view.
    await frame.waitForFunction(() => {
      const st = (window as any).__onnxInspectorCompare.state();
      return Object.keys(st.absentBoxes).length + Object.keys(st.absentEdges).length > 0;
    }, undefined, { timeout: 30_000 }).catch(() => undefined);
    const st = await frame.evaluate(() => (window as any).__onnxInspectorCompare.state());
    const marked = [...Object.keys(st.absentBoxes), ...Object.keys(st.absentEdges)];
    assert.ok(marked.length > 0, 'some fused box or edge is marked');
    for (const id of Object.keys(st.absentBoxes)) assert.equal(st.boxColors[id], undefined, `${id}: fused, not colored by error`);
    // Filtering the table to the fused ones.
    await frame.locator('[data-testid="compare-filter"]').selectOption('fused');
    assert.equal(await frame.locator('[data-testid="compare-row"]').count(), fused.length);
    await s.screenshot(path.join(artifacts, 'compare-tensorrt-fused.png'));
    assert.deepEqual(logEvents(log, 'actionError'), []);
  });
});

test('TensorRT without TensorRT: one actionable error, nothing compared', { timeout: 240_000, skip }, async () => {
  await withSession('compare-tensorrt-missing', { TRT_DOUBLE_MODE: 'no-tensorrt' }, async (s, log) => {
    await s.openFile('squeezenet1_1.onnx');
    await webviewFrame(s.page);
    const page = s.page;
    await s.runCommand('ONNX: Compare Backends');
    await pickTensorrt(page);
    const message = await waitForNotification(page, 'TensorRT was not found', 60_000);
    assert.match(message, /looked in \/opt\/tensorrt\/lib \(libnvinfer\.so\.8: no such file\)/, message);
    assert.match(message, /onnxInspector\.tensorrt\.libDir/, 'says which setting to set');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'TensorRT was not found' }).first();
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Open TensorRT Settings' }).count(), 1);
    await s.screenshot(path.join(artifacts, 'compare-tensorrt-missing.png'));
    // The command stopped there: no further pick, no comparison.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await page.locator('.quick-input-widget input.input[placeholder="Run B: what produces its tensors?"]').isVisible(), false);
    assert.deepEqual(logEvents(log, 'compare'), []);
  });
});

test('TensorRT parser failure: the message names the node and the graph selects it', { timeout: 300_000, skip }, async () => {
  const graph = buildModelGraph(readModelFileSync(source as string).model);
  // The double fails at the model's third node, as TensorRT's parser names the node it stopped at.
  const failing = graph.nodes[2];
  await withSession('compare-tensorrt-parse', { TRT_DOUBLE_MODE: 'parse-error' }, async (s, log) => {
    await s.openFile('squeezenet1_1.onnx');
    const frame = await webviewFrame(s.page);
    const page = s.page;
    await compareTensorrtWithOnnxruntime(s);
    const message = await waitForNotification(page, failing.name, 120_000);
    assert.match(message, /parse|parser/i, message);
    const [revealed] = await waitForEvent(log, 'compareRevealNode', 1, 30_000);
    assert.equal(revealed.node, failing.name);
    // The webview selected the failing node's box.
    await frame.waitForFunction((box) => (window as any).__onnxInspectorTest.selected() === box, revealed.box, { timeout: 30_000 });
    await s.screenshot(path.join(artifacts, 'compare-tensorrt-parse-error.png'));
    assert.deepEqual(logEvents(log, 'compare'), [], 'nothing was compared');
  });
});
