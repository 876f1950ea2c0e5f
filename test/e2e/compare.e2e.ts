// "Compare Backends" in real VS Code (code-server + Chromium): mobilenet_v3_small with ONE Conv weight scaled
// (made here with python onnx), run beforehand with our CLI into a results file; the editor compares an
// onnxruntime run of the original model (same seed) against that file, chosen with the keyboard through the
// quick picks and the open dialog. The altered Conv must be reported and shown as the first divergence; the
// table lists failing tensors; both exports parse; closing the editor deletes the run's temporary results.
// Run: node --import tsx --test test/e2e/compare.e2e.ts
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, startSession } from './harness';
import { acceptInputBox, compareAgainstResultsFile, dialogPath, logEvents, waitForEvent, waitForQuickInput } from './actionsUi';
import { cleanup, reportFailure, webviewFrame } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'));
const source = SHARED_DIR && path.join(SHARED_DIR, 'models', 'mobilenet_v3_small.onnx');
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

/** Scales one Conv's weight initializer by 1.5 (the Conv is picked by position); prints its node name. */
const ALTER = `
import sys, onnx
from onnx import numpy_helper
m = onnx.load(sys.argv[1])
convs = [n for n in m.graph.node if n.op_type == 'Conv']
node = convs[int(sys.argv[3])]
inits = {i.name: i for i in m.graph.initializer}
w = inits[node.input[1]]
w.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(w) * 1.5, w.name))
onnx.save(m, sys.argv[2])
print(node.name)
print(node.output[0])
`;

test('Compare Backends finds the one altered Conv as the first divergence; table, histograms and exports work', {
  timeout: 420_000,
  skip: built ? false : 'dist/extension.js or dist/cli.js is not built (node scripts/build.mjs)',
}, async () => {
  assert.ok(source && fs.existsSync(source), `model not found: ${source}`);
  const workspace = makeWorkspace([source]);
  const log = `${workspace}.log`;
  const altered = path.join(workspace, 'altered.onnx');
  const resultsFile = path.join(workspace, 'altered.results.json');
  const [alteredNode, alteredTensor] = execFileSync('python3', ['-c', ALTER, source, altered, '7'], { encoding: 'utf8' }).trim().split('\n');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'run', altered, '--capture', 'all', '--save-results', resultsFile], { stdio: 'pipe', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  assert.ok(fs.existsSync(resultsFile), 'the CLI wrote the results file');

  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    await s.openFile('mobilenet_v3_small.onnx');
    const frame = await webviewFrame(s.page);
    const page = s.page;

    // Run A: onnxruntime on the opened (original) model; run B: the altered model's results file.
    await compareAgainstResultsFile(s, resultsFile, async () => {
      assert.match((await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).join('\n'), /TensorRT[\s\S]*(onnx-inspector helper|No TensorRT helper found|TensorRT was not found|TensorRT \d)/, 'the TensorRT entry is shown with what its helper found (or why not)');
    });

    const [event] = await waitForEvent(log, 'compare', 1, 240_000);
    assert.equal(event.firstDivergence?.node, alteredNode, `first divergence: ${JSON.stringify(event.firstDivergence)}`);
    assert.equal(event.firstDivergence?.tensor, alteredTensor);
    assert.equal(event.firstDivergence?.op, 'Conv');
    assert.ok(event.failed > 1 && event.failing.includes(alteredTensor), `failing tensors: ${event.failed}`);
    assert.ok(event.passed > 0, 'tensors before the altered Conv match');

    // The webview names it, selects its box and frames it as the culprit.
    const first = frame.locator('[data-testid="compare-first-divergence"]');
    await first.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await first.getAttribute('data-node'), alteredNode);
    assert.match(await first.innerText(), new RegExp(alteredNode.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const box = (await first.getAttribute('data-box')) ?? '';
    assert.equal(box, event.firstDivergence.box);
    const state = async () => frame.evaluate(() => (window as any).__onnxInspectorCompare.state());
    for (let i = 0; i < 100 && (await state()).selected !== box; i++) await new Promise((r) => setTimeout(r, 200));
    const st = await state();
    assert.equal(st.selected, box, 'the culprit is selected after the reveal');
    assert.equal(st.culprit, box);
    assert.ok(st.boxColors[box], 'the culprit box is colored by its error');
    const scene = await frame.evaluate(() => (window as any).__onnxInspectorTest.scene());
    assert.ok(scene.nodes.some((n: any) => n.id === box), 'the culprit box is in the scene (its groups were opened)');

    // The table lists the failing tensors, failures first: the first divergence heads it. Both runs are named.
    const failRows = frame.locator('[data-testid="compare-row"][data-status="fail"]');
    assert.equal(await failRows.count(), event.failed);
    assert.equal(await frame.locator('[data-testid="compare-row"]').first().getAttribute('data-tensor'), alteredTensor);
    assert.equal(await frame.locator('[data-testid="compare-runner-a"]').innerText(), 'A (compared): onnxruntime CPU, opt all');
    assert.match(await frame.locator('[data-testid="compare-runner-b"]').innerText(), /^B \(reference\): results file altered\.results\.json, runner \S+$/);
    assert.equal(event.runners.a, 'onnxruntime CPU, opt all');
    assert.match(event.runners.b, /^results file altered\.results\.json, runner /);
    // The same inputs fed both runs (the CLI saved its own beside its results): compared, no warning.
    assert.deepEqual(event.inputsDiffer, []);
    assert.equal(await frame.locator('[data-testid="compare-inputs-warning"]').isHidden(), true);
    assert.equal(await frame.locator('[data-testid="compare-row"][data-tensor="images"]').getAttribute('data-status'), 'pass');
    // The dock's height changes from the keyboard (its drag handle is a focusable separator).
    const dockHeight = async () => (await frame.evaluate(() => (window as any).__onnxInspectorCompare.state())).dockHeight as number;
    const before = await dockHeight();
    await frame.locator('[data-testid="compare-resize"]').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    assert.equal(await dockHeight(), before + 48);
    // The host remembers it (global state) for the next comparison, in any editor.
    const [remembered] = await waitForEvent(log, 'compareDockHeight', 1, 15_000);
    assert.equal(remembered.height, before + 48);
    assert.equal(remembered.remembered, before + 48);
    await frame.locator('[data-testid="compare-sort-maxRel"]').click();
    assert.equal(await frame.locator('[data-testid="compare-row"]').first().getAttribute('data-status'), 'fail');
    // The culprit's histograms come from the host on demand.
    await frame.locator(`[data-testid="compare-histograms"][data-state="ready"][data-tensor="${alteredTensor}"]`).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('[data-testid="compare-histogram"]').count(), 2);
    await s.screenshot(path.join(artifacts, 'compare-mobilenet.png'));

    // Exports: JSON from the dock's button, Markdown from the palette; both through the save dialog.
    const jsonOut = path.join(workspace, 'report-out.json');
    await frame.locator('[data-testid="compare-export-json"]').click();
    await dialogPath(page, 'Export the comparison report as JSON', jsonOut);
    await waitForEvent(log, 'compareExported', 1, 30_000);
    const report = JSON.parse(fs.readFileSync(jsonOut, 'utf8'));
    assert.equal(report.firstDivergence.first.tensor, alteredTensor);
    assert.equal(report.summary.failed, event.failed);
    const mdOut = path.join(workspace, 'report-out.md');
    await s.runCommand('ONNX: Export Comparison Report as Markdown');
    await dialogPath(page, 'Export the comparison report as Markdown', mdOut);
    await waitForEvent(log, 'compareExported', 2, 30_000);
    const md = fs.readFileSync(mdOut, 'utf8');
    assert.match(md, /^#/m);
    assert.ok(md.includes(alteredTensor), 'the Markdown names the first divergence');

    // The run's temporary results live until the editor closes; the user's own file is never touched.
    const temp = (event.resultsFiles as string[]).filter((f) => f !== resultsFile);
    assert.equal(temp.length, 1);
    assert.ok(fs.existsSync(temp[0]), 'the onnxruntime run streamed its results to a temporary file');
    await s.runCommand('View: Close All Editors');
    for (let i = 0; i < 50 && fs.existsSync(temp[0]); i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(fs.existsSync(temp[0]), false, 'closing the editor deleted the temporary results');
    assert.ok(fs.existsSync(resultsFile));
    assert.deepEqual(logEvents(log, 'actionError'), []);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'compare-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});

/** Temporary comparison folders now in the temp dir (the extension host shares this machine's TMPDIR). */
function compareTempDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('onnx-inspector-compare-'));
}

test('cancelling Compare Backends from its progress notification keeps nothing', {
  timeout: 300_000,
  skip: built ? false : 'dist/extension.js is not built (node scripts/build.mjs)',
}, async () => {
  const big = SHARED_DIR && path.join(SHARED_DIR, 'models', 'synth_10k.onnx');
  assert.ok(big && fs.existsSync(big), `model not found: ${big}`);
  const workspace = makeWorkspace([big]);
  const log = `${workspace}.log`;
  const tempBefore = new Set(compareTempDirs());
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    await s.openFile('synth_10k.onnx');
    const frame = await webviewFrame(s.page, 180_000);
    const page = s.page;
    // onnxruntime (all intermediates) against onnxruntime: two 10k-tensor runs, seconds of work to cancel.
    await s.runCommand('ONNX: Compare Backends');
    for (const placeholder of ['Run A: what produces its tensors?', 'onnxruntime: which tensors to capture?', 'onnxruntime: graph optimization level?',
      'Run B: what produces its tensors?', 'onnxruntime: which tensors to capture?', 'onnxruntime: graph optimization level?',
      'Inputs: generate them or load them from a file?']) {
      await waitForQuickInput(page, { placeholder });
      await page.keyboard.press('Enter');
      await page.locator(`.quick-input-widget input.input[placeholder="${placeholder}"]`).waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
    }
    await acceptInputBox(page, 'Seed of the generated inputs');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Compare Backends' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await waitForEvent(log, 'compareCancelled', 1, 120_000);
    assert.deepEqual(logEvents(log, 'compare'), [], 'no comparison was reported');
    assert.deepEqual(compareTempDirs().filter((d) => !tempBefore.has(d)), [], 'no temporary results were left behind');
    assert.equal(await frame.locator('[data-testid="compare-dock"]').isHidden(), true, 'nothing was shown');
    assert.deepEqual(logEvents(log, 'actionError'), []);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'compare-cancel-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});
