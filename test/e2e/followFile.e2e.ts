// The view follows the file on disk: re-exported, the editor shows the new graph with the selection and the
// view kept (the selected box stays where it was on screen); deleted, a banner says so and the last version
// stays; re-created, the banner goes and the new graph shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, startSession } from './harness';
import { sceneOf, waitForScene, webviewFrame } from './support/graph';
import { DT, makeModel, NodeSpec } from '../fixtures/builders';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

/** x -> Relu -> ... (n ops) -> y; node i keeps index i, so box ids n:<i> stay across versions. */
function chain(n: number, lastOp = 'Relu'): Uint8Array {
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < n; i++) nodes.push({ op: i === n - 1 ? lastOp : 'Relu', name: `op${i}`, inputs: [i === 0 ? 'x' : `t${i}`], outputs: [i === n - 1 ? 'y' : `t${i + 1}`] });
  return makeModel({ inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1] }], outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1] }], nodes });
}

test('the editor follows its file: reload keeping the view, a banner when deleted', { timeout: 240_000, skip: built ? false : 'dist/ is not built (npm run build)' }, async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-follow-'));
  const file = path.join(workspace, 'follow.onnx');
  fs.writeFileSync(file, chain(6));
  const s = await startSession({ workspace });
  try {
    await s.openFile('follow.onnx');
    const frame = await webviewFrame(s.page);
    const v1 = await waitForScene(frame, (sc) => sc.nodes.some((n) => n.id === 'n:3'), 'the first version');
    const ops1 = v1.nodes.filter((n) => n.id.startsWith('n:')).length;
    await frame.evaluate(() => { const t = (window as any).__onnxInspectorTest; t.click('n:3'); t.zoomBy(1.5); t.panBy(40, -25); });
    const screenOf = async (id: string) => frame.evaluate((box) => {
      const t = (window as any).__onnxInspectorTest;
      const n = t.scene().nodes.find((b: any) => b.id === box);
      const tr = t.transform();
      return n && { x: n.x * tr.k + tr.x, y: n.y * tr.k + tr.y, k: tr.k };
    }, id);
    await new Promise((r) => setTimeout(r, 500)); // the zoom settles
    const before = await screenOf('n:3');
    assert.equal(await frame.evaluate(() => (window as any).__onnxInspectorTest.selected()), 'n:3');

    // Re-exported with two more ops (and the last one changed).
    fs.writeFileSync(file, chain(8, 'Sigmoid'));
    const v2 = await waitForScene(frame, (sc) => sc.nodes.filter((n) => n.id.startsWith('n:')).length === ops1 + 2, 'the re-exported version');
    assert.ok(v2.nodes.some((n) => n.label === 'Sigmoid'), 'the new op shows');
    assert.equal(await frame.evaluate(() => (window as any).__onnxInspectorTest.selected()), 'n:3', 'the selection is kept');
    const after = await screenOf('n:3');
    assert.ok(before && after, 'n:3 is in both versions');
    assert.ok(Math.abs(after.x - before.x) < 1 && Math.abs(after.y - before.y) < 1 && after.k === before.k, `the view is kept: ${JSON.stringify({ before, after })}`);

    // Deleted: the last version stays, a banner says so.
    fs.rmSync(file);
    const banner = s.webview().locator('[data-testid="file-state"]');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await banner.innerText(), /follow\.onnx was deleted from disk/);
    assert.equal((await sceneOf(frame)).nodes.length, v2.nodes.length, 'the view still shows the last version');

    // Back again: the banner goes, the new version shows.
    fs.writeFileSync(file, chain(4));
    await waitForScene(frame, (sc) => sc.nodes.filter((n) => n.id.startsWith('n:')).length === 4, 'the re-created version');
    await banner.waitFor({ state: 'hidden', timeout: 30_000 });
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'follow-file-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    throw e;
  } finally {
    await s.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('an editor that could not read its file shows the graph once the file is fixed', { timeout: 180_000, skip: built ? false : 'dist/ is not built (npm run build)' }, async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-follow-'));
  const file = path.join(workspace, 'broken.onnx');
  fs.writeFileSync(file, 'not a model yet\n');
  const s = await startSession({ workspace });
  try {
    await s.openFile('broken.onnx');
    await s.webview().locator('[data-testid="load-error"]').waitFor({ state: 'visible', timeout: 60_000 });
    fs.writeFileSync(file, chain(3));
    const frame = await webviewFrame(s.page, 60_000);
    await waitForScene(frame, (sc) => sc.nodes.filter((n) => n.id.startsWith('n:')).length === 3, 'the fixed file');
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'follow-fixed-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    throw e;
  } finally {
    await s.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
