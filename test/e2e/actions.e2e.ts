// Graph actions in a real VS Code (code-server + Chromium) on a copy of squeezenet1_1.onnx: VS Code's context menu
// on edges (data-vscode-context) to extract a submodel and to mark outputs (ctrl-click chooses several), the files
// written beside the model checked with the core library and run in onnxruntime-node, and an impossible cut
// reported as a notification naming the missing tensors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { planCut } from '../../src/core/edit';
import { OnnxModelError } from '../../src/core/errors';
import { buildModelGraph, type GraphModel } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { contextMenu, edgeScreenPoint, focusTab, notifications, rightClickEdge, visibleModelFrame, waitForEvent, waitForMarks, waitForNotification } from './actionsUi';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, readLog, startSession } from './harness';
import { bringIntoView, sceneOf, webviewFrame } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));

/** onnx.checker.check_model on each file with each python that has onnx (one without it is said, not failed). */
function checkWithOnnx(files: string[]): void {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(exe, [path.join(REPO_ROOT, 'test/oracle/check_models.py')], { input: JSON.stringify({ paths: files }), encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`# not checked with ${exe}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
      continue;
    }
    const answer = JSON.parse(r.stdout) as { onnx: string; results: { path: string; error: string | null }[] };
    const failed = answer.results.filter((x) => x.error).map((x) => `${path.basename(x.path)}: ${x.error}`);
    assert.deepEqual(failed, [], `onnx ${answer.onnx} (${exe}) rejects models the editor wrote`);
  }
}
const source = SHARED_DIR && path.join(SHARED_DIR, 'models', 'squeezenet1_1.onnx');
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

const START = '/features/features.6/squeeze_activation/Relu_output_0';
const END = '/features/features.6/Concat_output_0';
const MARK_A = '/features/features.4/Concat_output_0';
const MARK_B = '/features/features.9/squeeze_activation/Relu_output_0';
// One branch of a fire module: the Concat also needs the other branch, computed from upstream.
const BAD_START = '/features/features.7/expand1x1_activation/Relu_output_0';
const BAD_END = '/features/features.7/Concat_output_0';
const NODE = '/features/features.9/expand3x3/Conv';

/** The original model's scene (60 boxes: its top open, the rest collapsed) with its one output; the extracted one has < 20. */
const isOriginal = (sc: { nodes: { id: string }[] }) => sc.nodes.length > 40 && sc.nodes.filter((n) => n.id.startsWith('o:')).length === 1;

function graphOf(file: string): GraphModel {
  return buildModelGraph(readModel(new Uint8Array(fs.readFileSync(file))));
}

/** Runs the model in onnxruntime-node with ones for every input; returns output dims by name. */
async function runInOrt(file: string, graph: GraphModel): Promise<Record<string, readonly number[]>> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(file);
  try {
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const name of graph.inputs) {
      const t = graph.values.get(name)!.type;
      assert.ok(t?.kind === 'tensor' && t.elemType === 1 && t.shape, `input '${name}' should be a typed float tensor`);
      const dims = t.shape!.map((d) => (typeof d === 'number' ? d : 1));
      feeds[name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(1), dims);
    }
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.dims]));
  } finally {
    await session.release();
  }
}

test('context menus extract a submodel, mark outputs, report an impossible cut; the view exports as SVG and PNG', {
  timeout: 400_000,
  skip: built ? false : 'dist/extension.js is not built yet (node scripts/build.mjs)',
}, async () => {
  assert.ok(source && fs.existsSync(source), `model not found: ${source}`);
  const workspace = makeWorkspace([source]);
  const model = path.join(workspace, 'squeezenet1_1.onnx');
  const originalBytes = fs.readFileSync(model);
  // A file already there: the extract must take the next free name, never this one.
  fs.writeFileSync(path.join(workspace, 'squeezenet1_1.outputs-1.onnx'), 'not a model: must survive');
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, timeoutMs: 45_000 });
  try {
    await s.openFile('squeezenet1_1.onnx');
    let frame = await webviewFrame(s.page);
    const source = graphOf(model);

    // 1. Extract: Start Here / End Here on two edges, then Extract Submodel from the edge's menu.
    await rightClickEdge(s.page, frame, START, 'Extract Submodel: Start Here');
    await rightClickEdge(s.page, frame, END, 'Extract Submodel: End Here');
    const marks = await waitForMarks(frame, (m) => m.byColor.output?.length === 1, 'the end mark');
    assert.deepEqual([marks.byColor.input, marks.byColor.output], [[START], [END]], 'the chosen edges are highlighted as start and end');
    await rightClickEdge(s.page, frame, END, 'Extract Submodel');
    const [written] = await waitForEvent(log, 'modelWritten');
    const extractPath = path.join(workspace, 'squeezenet1_1.extract-1.onnx');
    assert.equal(written.path, extractPath);
    const sub = graphOf(extractPath);
    assert.deepEqual([sub.inputs, sub.outputs], [[START], [END]]);
    const plan = planCut(source, [START], [END]);
    const expectedOps = [...plan.keep].flatMap((k, i) => (k ? [source.nodes[i].opType] : [])).sort();
    assert.deepEqual(sub.nodes.map((n) => n.opType).sort(), expectedOps);
    // The fire module's two expand branches (plus the Identity the exporter used to share a bias).
    assert.deepEqual(expectedOps.filter((op) => op !== 'Identity'), ['Concat', 'Conv', 'Conv', 'Relu', 'Relu']);
    const dims = await runInOrt(extractPath, sub);
    assert.equal(dims[END].length, 4, `the submodel runs and returns ${END}`);
    // The new model opens in the graph editor.
    await visibleModelFrame(s.page, (sc) => sc.nodes.length < 20, 'the extracted model');
    await focusTab(s.page, 'squeezenet1_1.onnx');

    // 2. Mark as Output: ctrl-click one edge, right-click another: both become outputs.
    frame = await visibleModelFrame(s.page, isOriginal, 'squeezenet1_1.onnx again');
    const a = await edgeScreenPoint(frame, MARK_A);
    await s.page.keyboard.down('Control');
    await s.page.mouse.click(a.x, a.y);
    await s.page.keyboard.up('Control');
    await waitForMarks(frame, (m) => m.chosen.length === 1 && m.chosen[0] === MARK_A, 'the ctrl-clicked edge to be chosen');
    await rightClickEdge(s.page, frame, MARK_B, 'Mark as Output');
    const events = await waitForEvent(log, 'modelWritten', 2);
    const markedPath = path.join(workspace, 'squeezenet1_1.outputs-2.onnx');
    assert.equal(events[1].path, markedPath, 'the next free name (outputs-1 exists)');
    assert.equal(fs.readFileSync(path.join(workspace, 'squeezenet1_1.outputs-1.onnx'), 'utf8'), 'not a model: must survive');
    const marked = graphOf(markedPath);
    assert.deepEqual(marked.outputs, [...source.outputs, MARK_A, MARK_B]);
    assert.equal(marked.nodes.length, source.nodes.length);
    const markedDims = await runInOrt(markedPath, marked);
    assert.deepEqual(Object.keys(markedDims).sort(), [...source.outputs, MARK_A, MARK_B].sort());
    await visibleModelFrame(s.page, (sc) => sc.nodes.filter((n) => n.id.startsWith('o:')).length === 3, 'the model with the marked outputs');
    await focusTab(s.page, 'squeezenet1_1.onnx');

    // 3. An impossible cut (from the palette): a notification names the tensors to add.
    frame = await visibleModelFrame(s.page, isOriginal, 'squeezenet1_1.onnx again');
    await s.runCommand('ONNX: Clear Extract Selection');
    await rightClickEdge(s.page, frame, BAD_START, 'Extract Submodel: Start Here');
    await rightClickEdge(s.page, frame, BAD_END, 'Extract Submodel: End Here');
    await waitForMarks(frame, (m) => m.byColor.input?.join() === BAD_START && m.byColor.output?.join() === BAD_END, 'the new marks only');
    let missing: string[] = [];
    try {
      planCut(source, [BAD_START], [BAD_END]);
    } catch (e) {
      assert.ok(e instanceof OnnxModelError);
      missing = e.details;
    }
    assert.ok(missing.length > 0, 'the core library calls this cut impossible');
    await s.runCommand('ONNX: Extract Submodel');
    const text = await waitForNotification(s.page, 'impossible cut');
    for (const t of missing) assert.ok(text.includes(t), `the notification names '${t}': ${text}`);
    const files = fs.readdirSync(workspace).sort();
    assert.deepEqual(files, ['squeezenet1_1.extract-1.onnx', 'squeezenet1_1.onnx', 'squeezenet1_1.outputs-1.onnx', 'squeezenet1_1.outputs-2.onnx'], 'the impossible cut wrote nothing');
    assert.ok(fs.readFileSync(model).equals(originalBytes), 'the original model is unchanged');
    // The models the editor wrote pass the ONNX checker (Debian's onnx 1.12 and PyPI's current onnx).
    checkWithOnnx([path.join(workspace, 'squeezenet1_1.extract-1.onnx'), markedPath]);
    await s.screenshot(path.join(artifacts, 'actions-impossible-cut.png'));

    // 4. Extract Node from a node's context menu: the Conv alone (its shared bias Identity comes along).
    const convIndex = source.nodes.findIndex((n) => n.name === NODE);
    const box = await bringIntoView(frame, `n:${convIndex}`);
    await contextMenu(s.page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, 'Extract Node');
    const nodeEvent = (await waitForEvent(log, 'modelWritten', 3))[2];
    assert.equal(nodeEvent.path, path.join(workspace, 'squeezenet1_1.node-1.onnx'));
    const single = graphOf(nodeEvent.path);
    assert.deepEqual(single.nodes.filter((n) => n.opType !== 'Identity').map((n) => n.name), [NODE]);
    assert.deepEqual([single.inputs, single.outputs], [[source.nodes[convIndex].inputs[0]], source.nodes[convIndex].outputs]);
    assert.equal((await runInOrt(nodeEvent.path, single))[source.nodes[convIndex].outputs[0]].length, 4);
    await visibleModelFrame(s.page, (sc) => sc.nodes.length < 8, 'the extracted node');
    await focusTab(s.page, 'squeezenet1_1.onnx');
    frame = await visibleModelFrame(s.page, isOriginal, 'squeezenet1_1.onnx again');

    // 4b. Copy Name from the node's context menu: the status bar confirms which name went to the clipboard.
    const convBox = await bringIntoView(frame, `n:${convIndex}`);
    await contextMenu(s.page, { x: convBox.x + convBox.width / 2, y: convBox.y + convBox.height / 2 }, 'Copy Name');
    await s.page.locator('.part.statusbar', { hasText: `Copied '${NODE}'` }).first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.deepEqual((await notifications(s.page)).filter((t) => /copy|clipboard/i.test(t)), [], 'no error notification');

    // 5. Export: the toolbar's SVG button and the palette's PNG command; VS Code's save dialog offers a name
    // beside the model, accepted with Enter.
    const saveDialog = s.page.locator('.quick-input-widget input.input');
    await frame.locator('[data-testid="export-svg"]').click();
    await saveDialog.waitFor({ state: 'visible', timeout: 30_000 });
    // The dialog fills in its default (beside the model) a moment after it opens.
    await s.page.waitForFunction(() => /squeezenet1_1\.svg$/.test((document.querySelector('.quick-input-widget input.input') as HTMLInputElement | null)?.value ?? ''), undefined, { timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    const [svgEvent] = await waitForEvent(log, 'exported');
    assert.equal(svgEvent.path, path.join(workspace, 'squeezenet1_1.svg'));
    const svg = fs.readFileSync(svgEvent.path, 'utf8');
    assert.match(svg, /^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    // The whole scene: 19 Conv boxes with the first fire modules open and the last two collapsed.
    const convBoxes = (await sceneOf(frame)).nodes.filter((n) => n.kind === 'op' && n.label === 'Conv').length;
    assert.ok(convBoxes >= 15 && (svg.match(/>Conv</g) ?? []).length >= convBoxes, `the ${convBoxes} Conv boxes are labelled`);
    await s.runCommand('ONNX: Export View as PNG');
    await saveDialog.waitFor({ state: 'visible', timeout: 30_000 });
    await s.page.waitForFunction(() => /squeezenet1_1\.png$/.test((document.querySelector('.quick-input-widget input.input') as HTMLInputElement | null)?.value ?? ''), undefined, { timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    const pngEvent = (await waitForEvent(log, 'exported', 2))[1];
    assert.equal(pngEvent.path, path.join(workspace, 'squeezenet1_1.png'));
    const png = fs.readFileSync(pngEvent.path);
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [pngEvent.width, pngEvent.height], 'the IHDR size is the one reported');
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'actions-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    console.error(`--- extension log ---\n${readLog(log).slice(-4000)}`);
    throw e;
  } finally {
    await s.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(log, { force: true });
  }
});
