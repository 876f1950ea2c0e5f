// "Reduce to Smallest Failing Subgraph" in real VS Code (code-server + Chromium): a Swin-like block whose
// attention residual Add was turned into a Sub, reduced against its original file (picked through the open
// dialog). The changed node must be the whole result; the minimal model must open in the ONNX editor and the
// report beside it; the files are new ones beside the model. Then from the compare dock: Compare Backends of
// onnxruntime on the edited block against a saved results file of the original, and its Reduce button.
// Run: node --import tsx --test test/e2e/reduce.e2e.ts
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, makeWorkspace, startSession } from './harness';
import { compareAgainstResultsFile, dialogPath, logEvents, typeAndEnter, waitForEvent, waitForQuickInput } from './actionsUi';
import { cleanup, reportFailure, webviewFrame } from './support/graph';
import { mutate, swinBlockModel } from '../unit/reduceSupport';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

test('Reduce finds the one changed node of a Swin-like block and opens the minimal model beside its report', {
  timeout: 300_000,
  skip: built ? false : 'dist/extension.js is not built (node scripts/build.mjs)',
}, async () => {
  const workspace = makeWorkspace([]);
  const log = `${workspace}.log`;
  const original = path.join(workspace, 'block.onnx');
  const edited = path.join(workspace, 'block.edited.onnx');
  const bytes = swinBlockModel();
  fs.writeFileSync(original, bytes);
  fs.writeFileSync(edited, mutate(bytes, { kind: 'op', node: 'residual1', to: 'Sub' }));

  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    await s.openFile('block.edited.onnx');
    await waitForEvent(log, 'opened', 1, 90_000);
    const page = s.page;
    await s.runCommand('ONNX: Reduce to Smallest Failing Subgraph');
    await waitForQuickInput(page, { placeholder: 'Reduce which failing comparison?' });
    await typeAndEnter(page, 'another file', 'Against another file');
    await dialogPath(page, 'The reference model (B): another file of this model', original);

    const [event] = await waitForEvent(log, 'reduce', 1, 180_000);
    assert.equal(event.status, 'reduced', JSON.stringify(event));
    assert.deepEqual(event.nodes, ["'residual1' (Sub)"]);
    assert.equal(event.candidateRuns, 1);
    const model = path.join(workspace, 'block.edited.reduced-1.onnx');
    const report = path.join(workspace, 'block.edited.reduced-1.report.md');
    for (const f of [model, report, path.join(workspace, 'block.edited.reduced-1.inputs.json'), path.join(workspace, 'block.edited.reduced-1.reference.onnx')]) {
      assert.ok(event.files.includes(f) && fs.existsSync(f), `${f} written`);
    }
    // The minimal model opens in the ONNX editor (its graph is laid out), the report in a text editor beside it.
    const opened = await waitForEvent(log, 'opened', 2, 90_000);
    assert.equal(opened[1].file, path.basename(model));
    assert.equal(opened[1].nodes, 1);
    await page.locator('.tab', { hasText: path.basename(report) }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.tab', { hasText: path.basename(model) }).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(fs.readFileSync(report, 'utf8'), /\| 1 \| single \| 1 \| fail \|/);
    await s.screenshot(path.join(artifacts, 'reduce-block.png'));
    assert.deepEqual(logEvents(log, 'actionError'), []);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'reduce-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});

test('the compare dock\'s Reduce button reduces that comparison (onnxruntime against a saved results file)', {
  timeout: 300_000,
  skip: built && fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js')) ? false : 'dist/extension.js or dist/cli.js is not built (node scripts/build.mjs)',
}, async () => {
  const workspace = makeWorkspace([]);
  const log = `${workspace}.log`;
  const original = path.join(workspace, 'block.onnx');
  const edited = path.join(workspace, 'block.edited.onnx');
  const results = path.join(workspace, 'block.results.json');
  const bytes = swinBlockModel();
  fs.writeFileSync(original, bytes);
  fs.writeFileSync(edited, mutate(bytes, { kind: 'attribute', node: 'softmax', attribute: 'axis', i: 2 }));
  // Generated inputs use seed 1 in the CLI and in the editor: both runs see the same values.
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'run', original, '--save-results', results], { stdio: 'pipe' });

  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    await s.openFile('block.edited.onnx');
    const frame = await webviewFrame(s.page);
    const page = s.page;
    await compareAgainstResultsFile(s, results);
    const [compared] = await waitForEvent(log, 'compare', 1, 120_000);
    assert.equal(compared.firstDivergence?.node, 'softmax');

    await frame.locator('[data-testid="compare-reduce"]').click();
    const [event] = await waitForEvent(log, 'reduce', 1, 180_000);
    assert.equal(event.status, 'reduced', JSON.stringify(event));
    assert.deepEqual(event.nodes, ["'softmax' (Softmax)"]);
    // B was a results file: no reference subgraph, the model, its inputs and the report.
    assert.equal(event.files.length, 3);
    const opened = await waitForEvent(log, 'opened', 2, 90_000);
    assert.equal(opened[1].file, 'block.edited.reduced-1.onnx');
    await page.locator('.tab', { hasText: 'block.edited.reduced-1.report.md' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(logEvents(log, 'actionError'), []);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'reduce-dock-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});
