// The harness's Quick Open opens the file asked for, not a recent file whose name contains the typed text:
// after small_model.onnx was opened, opening model.onnx must show model.onnx's graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, startSession } from './harness';
import { waitForScene, webviewFrame } from './support/graph';
import { makeChainModel } from '../fixtures/builders';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));

test('Quick Open picks the requested file over a recent one with a longer name', { timeout: 180_000, skip: built ? false : 'dist/ is not built (npm run build)' }, async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-quickopen-'));
  fs.writeFileSync(path.join(workspace, 'model.onnx'), makeChainModel(3));
  fs.writeFileSync(path.join(workspace, 'small_model.onnx'), makeChainModel(7));
  const s = await startSession({ workspace });
  const ops = (n: number) => (sc: { nodes: { id: string }[] }) => sc.nodes.filter((b) => b.id.startsWith('n:')).length === n;
  try {
    await s.openFile('small_model.onnx');
    await waitForScene(await webviewFrame(s.page), ops(7), 'small_model.onnx (7 ops)');
    await s.openFile('model.onnx');
    await s.page.waitForTimeout(1000);
    const tab = await s.page.locator('.tab.active').first().innerText();
    assert.match(tab, /^model\.onnx/, `the active tab: ${tab}`);
    // The frame of the editor shown (hidden editors keep theirs): one of them holds model.onnx's 3 ops.
    let counts: number[] = [];
    for (let i = 0; i < 150 && !counts.includes(3); i++) {
      if (i > 0) await s.page.waitForTimeout(200);
      counts = await Promise.all(s.page.frames().map((f) => f.evaluate(() => ((window as any).__onnxInspectorTest?.scene()?.nodes ?? []).filter((b: any) => b.id.startsWith('n:')).length).catch(() => -1)));
    }
    assert.ok(counts.includes(3), `a webview shows 3 ops: ${JSON.stringify(counts)}`);
  } finally {
    await s.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
