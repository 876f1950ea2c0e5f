// "Compare Models" in real VS Code (code-server + Chromium): squeezenet1_1 against a copy with one MaxPool's
// kernel changed and one Relu removed (made here with the project's schema). The graph of the difference opens
// in the ONNX graph editor with the list of differences; stepping to the MaxPool selects, frames and colors its
// box and shows kernel_shape old → new; the removed Relu is drawn (outlined) where it was; the Text Diff button
// opens the diff editor, where the changed attribute sits on a line of its own, inside the editor.
// Run: node --import tsx --test test/e2e/modelDiff.e2e.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { onnxTypes } from '../../src/core/onnxSchema';
import { dialogPath, logEvents, waitForEvent } from './actionsUi';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, startSession } from './harness';
import { cleanup, diffFrame, reportFailure } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
const source = SHARED_DIR && path.join(SHARED_DIR, 'models', 'squeezenet1_1.onnx');
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

type NodeLike = { name: string; op_type: string; input: string[]; output: string[]; attribute: { name: string; ints: number[] }[] };

/** The edited copy: the first MaxPool's kernel 3x3 → 2x2, the second Relu removed (its consumers read its input). */
function editedCopy(from: string, to: string): { maxPool: string; relu: string } {
  const msg = onnxTypes.ModelProto.decode(fs.readFileSync(from)) as unknown as { graph: { node: NodeLike[] } };
  const nodes = msg.graph.node;
  const pool = nodes.find((n) => n.op_type === 'MaxPool')!;
  pool.attribute.find((a) => a.name === 'kernel_shape')!.ints = [2, 2];
  const i = nodes.findIndex((n, k) => n.op_type === 'Relu' && nodes.slice(0, k).some((m) => m.op_type === 'Relu'));
  const [relu] = nodes.splice(i, 1);
  for (const n of nodes) n.input = n.input.map((x) => (x === relu.output[0] ? relu.input[0] : x));
  fs.writeFileSync(to, onnxTypes.ModelProto.encode(msg as never).finish());
  return { maxPool: pool.name, relu: relu.name };
}

test('Compare Models shows the difference on one graph, steps through it, and opens a readable text diff', {
  timeout: 360_000,
  skip: !built ? 'dist/extension.js is not built yet (node scripts/build.mjs)'
    : source && fs.existsSync(source) ? false : `needs squeezenet1_1.onnx in ../shared/models (${SHARED_DIR ?? 'no shared folder'})`,
}, async () => {
  const workspace = makeWorkspace([source!]);
  const log = `${workspace}.log`;
  const edited = path.join(workspace, 'squeezenet_edited.onnx');
  const { maxPool, relu } = editedCopy(source!, edited);
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    const page = s.page;
    await s.openFile('squeezenet1_1.onnx');
    await waitForEvent(log, 'opened');
    await s.runCommand('ONNX: Compare Models');
    await dialogPath(page, 'Compare squeezenet1_1.onnx with', edited);
    const [event] = await waitForEvent(log, 'modelDiff', 1, 60_000);
    assert.equal(event.removed, 1, JSON.stringify(event));
    assert.equal(event.added, 0);
    assert.ok(event.changed >= 2, 'the MaxPool and the removed Relu\'s consumers changed');
    await waitForEvent(log, 'opened', 2, 90_000);

    // The graph of the difference: its own editor, with the list under the graph.
    await page.locator('.tabs-container .tab .label-name', { hasText: 'squeezenet1_1.onnx \u2194 squeezenet_edited.onnx' }).first().waitFor({ timeout: 30_000 });
    const frame = await diffFrame(page);
    const rows = frame.locator('[data-testid="diff-list"] > li');
    assert.equal(await rows.count(), event.removed + event.added + event.changed);
    assert.match(await frame.locator('[data-testid="diff-summary"]').innerText(), /squeezenet1_1\.onnx → squeezenet_edited\.onnx: 0 added, 1 removed/);
    const state = () => frame.evaluate(() => (window as any).__onnxInspectorDiff.state());

    // Step with Next until the MaxPool is the current difference: its box is selected, framed and colored.
    const poolRow = rows.filter({ hasText: `MaxPool ${maxPool}` });
    const poolId = (await poolRow.getAttribute('data-id'))!;
    for (let i = 0; i < event.changed + 1 && (await poolRow.getAttribute('aria-selected')) !== 'true'; i++) {
      await frame.locator('[data-testid="diff-next"]').click();
      await new Promise((r) => setTimeout(r, 300));
    }
    for (let i = 0; i < 100 && (await state()).selected !== poolId; i++) await new Promise((r) => setTimeout(r, 200));
    let st = await state();
    assert.equal(st.selected, poolId, 'the MaxPool is selected after the step');
    assert.equal(st.framed, poolId, 'and framed as the current difference');
    assert.ok(st.boxColors[poolId], 'its box is colored as changed');
    assert.match(await poolRow.innerText(), /attribute kernel_shape: ints = \[3, 3\] → ints = \[2, 2\]/);
    const scene = await frame.evaluate(() => (window as any).__onnxInspectorTest.scene());
    assert.ok(scene.nodes.some((n: any) => n.id === poolId), 'the box is on the graph (its groups were opened)');
    await s.screenshot(path.join(artifacts, 'model-diff-graph.png'));

    // The removed Relu is on the same graph, outlined where it was.
    const reluRow = rows.filter({ hasText: `Relu ${relu}` });
    const reluId = (await reluRow.getAttribute('data-id'))!;
    await reluRow.click();
    for (let i = 0; i < 100 && (await state()).selected !== reluId; i++) await new Promise((r) => setTimeout(r, 200));
    st = await state();
    assert.equal(st.selected, reluId);
    assert.ok(st.removedOutlines[reluId], 'the removed node has its dashed outline');

    // The text diff: the changed attribute is on a line of its own, inside the editor's width.
    await frame.locator('[data-testid="diff-text"]').click();
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 60_000 });
    const line = diff.locator('.modified .view-line', { hasText: /kernel_shape:\s+ints\s+=\s+\[2,\s*2\]/ }).first();
    await line.waitFor({ state: 'attached', timeout: 30_000 });
    const text = (await line.innerText()).replace(/\u00A0/g, ' ').trim();
    assert.ok(text.length < 110, `the changed attribute's line is short: ${text}`);
    const [lineBox, editorBox] = [await line.locator('span span').last().boundingBox(), await diff.locator('.modified').first().boundingBox()];
    assert.ok(lineBox && editorBox && lineBox.x + lineBox.width <= editorBox.x + editorBox.width, 'the changed token is within the visible editor');
    await s.screenshot(path.join(artifacts, 'model-diff-text.png'));
    assert.deepEqual(logEvents(log, 'actionError'), []);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'model-diff-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});
