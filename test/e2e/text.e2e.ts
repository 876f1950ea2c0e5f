// "Open as Text" and "Compare Models" in a real VS Code: the text form opens with our grammar's colors (several
// distinct token classes on screen), and the diff editor opens (from the graph of the difference's Text Diff
// button) on two models picked from the graph editor and the file dialog.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dialogPath, focusTab, waitForEvent } from './actionsUi';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, readLog, startSession } from './harness';
import { diffFrame } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
const models = SHARED_DIR ? ['squeezenet1_1.onnx', 'mobilenet_v3_small.onnx'].map((m) => path.join(SHARED_DIR!, 'models', m)) : [];
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

test('Open as Text shows highlighted text; Compare Models opens a diff editor', {
  timeout: 300_000,
  skip: !built ? 'dist/extension.js is not built yet (node scripts/build.mjs)'
    : models.length === 2 && models.every((m) => fs.existsSync(m)) ? false
      : `needs squeezenet1_1.onnx and mobilenet_v3_small.onnx in ../shared/models beside the repo (${SHARED_DIR ?? 'no shared folder'})`,
}, async () => {
  const workspace = makeWorkspace(models);
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    const page = s.page;
    await s.openFile('squeezenet1_1.onnx');
    await waitForEvent(log, 'opened');
    await s.runCommand('ONNX: Open as Text');
    const editor = page.locator('.editor-instance .monaco-editor').filter({ has: page.locator('.view-line') }).first();
    await editor.waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.tabs-container .tab .label-name', { hasText: 'squeezenet1_1.onnx.onnxtxt' }).first().waitFor({ timeout: 30_000 });
    // Tokenization is asynchronous: poll until the visible lines carry several token classes (mtkN = a color).
    let classes: string[] = [];
    let text = '';
    for (let i = 0; i < 100; i++) {
      const spans = await editor.locator('.view-line span span').evaluateAll((els) => els.map((e) => [e.className, e.textContent ?? '']));
      classes = [...new Set(spans.map(([c]) => c).filter((c) => /\bmtk\d+\b/.test(c)))];
      text = spans.map(([, t]) => t).join(' ');
      if (classes.length >= 4) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text.replace(/\u00A0/g, ' '), /ir_version/, `the text form is shown: ${text.slice(0, 300)}`);
    assert.ok(classes.length >= 4, `expected at least 4 distinct token colors, got ${JSON.stringify(classes)}`);
    // The distinct classes are distinct colors on screen, not only names.
    const colors = await editor.locator('.view-line span span').evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).color))]);
    assert.ok(colors.length >= 3, `expected several token colors, got ${JSON.stringify(colors)}`);
    await s.screenshot(path.join(artifacts, 'text-open-as-text.png'));

    // Compare: the graph editor's model vs one picked in the file dialog (VS Code's own dialog in code-server).
    await focusTab(page, 'squeezenet1_1.onnx');
    await s.runCommand('ONNX: Compare Models');
    await dialogPath(page, 'Compare squeezenet1_1.onnx with', path.join(workspace, 'mobilenet_v3_small.onnx'));
    // Compare Models opens the graph of the difference; its Text Diff button opens the diff editor.
    await waitForEvent(log, 'opened', 2, 90_000);
    const frame = await diffFrame(page);
    await frame.locator('[data-testid="diff-text"]').click();
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.tabs-container .tab .label-name', { hasText: 'squeezenet1_1.onnx \u2194 mobilenet_v3_small.onnx' }).first().waitFor({ timeout: 30_000 });
    // Both sides hold text and the models differ, so the diff has changed lines.
    await page.locator('.monaco-diff-editor .line-insert, .monaco-diff-editor .char-insert, .monaco-diff-editor .gutter-insert').first().waitFor({ state: 'attached', timeout: 30_000 });
    await s.screenshot(path.join(artifacts, 'text-compare-models.png'));
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'text-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    console.error(`--- extension log ---\n${readLog(log).slice(-4000)}`);
    throw e;
  } finally {
    await s.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(log, { force: true });
  }
});
