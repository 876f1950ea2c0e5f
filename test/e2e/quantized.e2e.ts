// A quantized model in a real VS Code (code-server + Chromium): squeezenet quantized by onnxruntime's quantizer
// (QuantizeLinear/DequantizeLinear around every Conv) opens with every Q/DQ node folded into its op's box, badge
// and quantized weight rows drawn; clicking a folded Conv shows the Conv's properties from the extension host with
// a Quantization section; the toolbar's Q/DQ button unfolds them into frames holding the Q, DQ and op boxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, startSession } from './harness';
import { cleanup, clickBox, reportFailure, sceneOf, waitForScene, webviewFrame } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
const source = SHARED_DIR && path.join(SHARED_DIR, 'models', 'squeezenet1_1.onnx');
const skip = !built ? 'dist/ is not built (node scripts/build.mjs)' : !source || !fs.existsSync(source) ? 'shared squeezenet1_1.onnx not found' : false;
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');
const QDQ = new Set(['QuantizeLinear', 'DequantizeLinear']);

test('a Q/DQ model opens folded, shows a folded op\'s quantization, and unfolds from the toolbar', { skip, timeout: 300_000 }, async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-qdq-'));
  const model = path.join(work, 'squeezenet_qdq.onnx');
  // onnxruntime's quantizer, installed by scripts/setup.sh with the other Python oracles.
  execFileSync('python3', [path.join(REPO_ROOT, 'test/fixtures/python/make_qdq.py'), source as string, model], { stdio: 'pipe' });
  const ws = makeWorkspace([model]);
  const log = path.join(work, 'ext.log');
  const s = await startSession({ workspace: ws, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 60_000 });
  try {
    await s.openFile('squeezenet_qdq.onnx');
    const frame = await webviewFrame(s.page);
    const first = await waitForScene(frame, (sc) => sc.nodes.some((n) => n.fold), 'a scene with folded boxes');
    const folded = first.nodes.filter((n) => n.fold && n.kind === 'op');
    assert.ok(folded.length >= 10, `folded boxes in the first view: ${folded.length}`);
    assert.deepEqual(first.nodes.filter((n) => n.kind === 'op' && QDQ.has(n.label)).map((n) => n.name), [], 'no Q/DQ box is drawn on its own');
    assert.ok(folded.every((n) => /int8/.test(n.fold!.badge)), `badges: ${[...new Set(folded.map((n) => n.fold!.badge))].join(', ')}`);
    const conv = folded.find((n) => n.label === 'Conv' && (n.initializerNames ?? []).includes('W'));
    assert.ok(conv, 'a folded Conv with its weight row');

    // Selecting the folded box asks the host for the Conv's properties: they carry the Quantization section.
    await clickBox(s.page, frame, conv.id);
    await frame.locator('[data-testid="props"][data-kind="node"]').waitFor({ timeout: 30_000 });
    assert.equal(await frame.textContent('[data-testid="props-title"]'), 'Conv');
    const section = frame.locator('[data-testid="props-section"][data-title="Quantization"]');
    await section.waitFor({ timeout: 30_000 });
    const keys = await section.locator('[data-testid="prop-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    assert.ok(keys.includes('type') && keys.includes('weight DQ'), `Quantization rows: ${JSON.stringify(keys)}`);

    // The toolbar's Q/DQ button opens every fold in view: frames with the Q, DQ and op boxes inside.
    const before = (await sceneOf(frame)).version;
    await frame.locator('[data-testid="toggle-qdq"]').click();
    const open = await waitForScene(frame, (sc) => sc.version > before && sc.nodes.some((n) => n.fold && n.kind === 'group' && n.expanded), 'folds opened');
    const frameOfConv = open.nodes.find((n) => n.id === conv.id)!;
    assert.deepEqual([frameOfConv.kind, frameOfConv.expanded], ['group', true]);
    const inside = open.nodes.filter((n) => n.parent === conv.id).map((n) => n.label);
    assert.ok(inside.includes('Conv') && inside.includes('DequantizeLinear'), `inside the unfolded Conv: ${JSON.stringify(inside)}`);
    await s.screenshot(path.join(artifacts, 'quantized-unfolded.png'));
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'quantized-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(ws, work);
  }
});
