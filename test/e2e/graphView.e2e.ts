// The graph view in a real VS Code (code-server + Chromium): for real models, what is drawn matches the model as the
// core reads it, and expanding/collapsing a group with the mouse shows exactly that group's contents.
// swin_tiny and resnet18_dynamo are copied WITHOUT any external weight files: viewing needs only the graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, readLog, startSession, type Session } from './harness';
import {
  cleanup, clickBox, expectedVisibleIds, modelTruth, opsAccountedFor, opsInside, sceneOf, waitForScene, webviewFrame,
  type ModelTruth,
} from './support/graph';
import type { Frame } from 'playwright-core';
import type { Scene } from '../../src/protocol/scene';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
const modelsDir = SHARED_DIR && path.join(SHARED_DIR, 'models');
const MODELS = ['squeezenet1_1.onnx', 'resnet18_dynamo.onnx', 'swin_tiny.onnx'];
const missing = !modelsDir ? 'no shared folder (../shared or /work/shared)' : MODELS.filter((m) => !fs.existsSync(path.join(modelsDir, m))).join(', ');
const skip = !built ? 'dist/ is not built (node scripts/build.mjs)' : missing ? `shared models missing: ${missing}` : false;
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

/** The drawn scene agrees with the core's reading of the model; returns nothing, throws with the first mismatch. */
async function checkSceneAgainstModel(frame: Frame, scene: Scene, truth: ModelTruth): Promise<void> {
  const { graph, view } = truth;
  // Exactly the boxes the view model says are visible for the scene's open groups, no more, no fewer.
  const want = expectedVisibleIds(view, scene.expanded);
  const got = new Set(scene.nodes.map((n) => n.id));
  assert.deepEqual([...got].filter((id) => !want.has(id)), [], 'boxes drawn that the model does not have at this level');
  assert.deepEqual([...want].filter((id) => !got.has(id)), [], 'boxes the model has that are not drawn');
  // Every op is drawn, or inside a collapsed group, or a Constant folded into its consumers (Netron's rule).
  assert.equal(opsAccountedFor(scene.nodes) + view.foldedConstants.length, graph.nodes.length, 'ops drawn + in collapsed groups + folded constants != node count');
  for (const n of scene.nodes) {
    if (n.kind === 'op') {
      const node = graph.nodes[Number(n.id.slice(2))];
      assert.ok(node, `${n.id} is no node of the model`);
      assert.equal(n.label, node.opType, `${n.id} drawn as ${n.label}, the model says ${node.opType}`);
      assert.equal(n.name, node.name, `${n.id} name`);
    } else if (n.kind === 'group') {
      assert.equal(n.opCount, view.items.get(n.id)!.opCount, `${n.id} opCount`);
    }
  }
  for (const name of graph.inputs) assert.ok(got.has(`i:${name}`), `graph input ${name} not drawn`);
  for (const name of graph.outputs) assert.ok(got.has(`o:${name}`), `graph output ${name} not drawn`);
  // The accessible outline (the DOM) lists the same boxes with the same op types as the canvas scene.
  const outline = await frame.locator('[data-testid="scene-node"]').evaluateAll((els) =>
    els.map((e) => ({ id: (e as HTMLElement).dataset.id!, op: (e as HTMLElement).dataset.op })));
  assert.equal(outline.length, scene.nodes.length, 'outline items != scene boxes');
  const ops = new Map(scene.nodes.map((n) => [n.id, n.kind === 'op' ? n.label : undefined]));
  for (const o of outline) assert.equal(o.op, ops.get(o.id), `outline op of ${o.id}`);
  // And the canvas really drew: a painted frame covers boxes (culling may leave some off screen, never all).
  const painted = await frame.evaluate(() => (window as any).__onnxInspectorTest.paint()) as { boxes: number; cached: boolean };
  assert.ok(painted.cached || painted.boxes > 0, `the canvas painted ${JSON.stringify(painted)}`);
}

/** Expands a collapsed group with a real click, checks its contents, collapses it with a click on its header. */
async function expandAndCollapse(s: Session, frame: Frame, truth: ModelTruth, groupId: string): Promise<void> {
  const before = await sceneOf(frame);
  const g = before.nodes.find((n) => n.id === groupId);
  assert.ok(g && g.kind === 'group' && !g.expanded, `${groupId} should be a collapsed group in the scene`);
  await clickBox(s.page, frame, groupId);
  const opened = await waitForScene(frame, (sc) => sc.version > before.version && sc.expanded.includes(groupId), `${groupId} to expand`);
  const frameNode = opened.nodes.find((n) => n.id === groupId)!;
  assert.equal(frameNode.expanded, true, `${groupId} drawn expanded`);
  const children = opened.nodes.filter((n) => n.parent === groupId).map((n) => n.id);
  assert.deepEqual(children.sort(), [...truth.view.items.get(groupId)!.children!].sort(), `children of ${groupId}`);
  assert.equal(opsInside(opened.nodes, groupId), g.opCount, `ops inside ${groupId} != its opCount`);
  await checkSceneAgainstModel(frame, opened, truth);

  await clickBox(s.page, frame, groupId); // on an expanded group this hits the header strip
  const closed = await waitForScene(frame, (sc) => sc.version > opened.version && !sc.expanded.includes(groupId), `${groupId} to collapse`);
  assert.deepEqual(closed.nodes.map((n) => n.id).sort(), before.nodes.map((n) => n.id).sort(), 'collapsing did not bring back the previous boxes');
  await checkSceneAgainstModel(frame, closed, truth);
}

async function withModel(file: string, body: (s: Session, frame: Frame, truth: ModelTruth) => Promise<void>): Promise<void> {
  const src = path.join(modelsDir!, file);
  // Only the .onnx file: any external weights it names stay behind.
  const workspace = makeWorkspace([src]);
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log } });
  try {
    const truth = modelTruth(src);
    await s.openFile(file);
    await s.webview().locator('[data-testid="graph-root"]').waitFor({ state: 'attached', timeout: 90_000 });
    const frame = await webviewFrame(s.page);
    await body(s, frame, truth);
    assert.doesNotMatch(readLog(log), /\bERROR\b/, 'the extension logged an error');
  } catch (e) {
    await s.screenshot(path.join(artifacts, `graphView-${file}-failure.png`)).catch(() => undefined);
    console.error(s.diagnostics());
    console.error(`--- extension log ---\n${readLog(log).slice(-4000)}`);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
}

test('squeezenet1_1: opens with its top expanded, the rest as groups, and matches the model', { timeout: 120_000, skip }, async () => {
  await withModel('squeezenet1_1.onnx', async (s, frame, truth) => {
    const scene = await sceneOf(frame);
    await checkSceneAgainstModel(frame, scene, truth);
    // The first fire modules open; those past the first screens (and the classifier after them) stay collapsed.
    assert.ok(scene.expanded.includes('g:features/features.3'), `the first fire module is open: ${scene.expanded}`);
    const collapsed = scene.nodes.filter((n) => n.kind === 'group' && !n.expanded).map((n) => n.id);
    assert.ok(collapsed.includes('g:classifier'), `the classifier is collapsed: ${collapsed}`);
    // Every op is its own box (or inside a collapsed group) except the 18 Identity copies of shared weights, folded into their readers.
    const folded = truth.view.foldedConstants.map((i) => truth.graph.nodes[i].opType);
    assert.deepEqual([folded.length, new Set(folded)], [18, new Set(['Identity'])], 'folded nodes');
    assert.equal(opsAccountedFor(scene.nodes), truth.graph.nodes.length - 18, 'every other op drawn as its own box or inside a collapsed group');
    // Weight rows named by the operator schemas the build generated (dist/opSchemas.json), as Netron shows them.
    const convs = scene.nodes.filter((n) => n.kind === 'op' && n.label === 'Conv');
    assert.deepEqual([...new Set(convs.map((n) => n.initializerNames?.join(',')))], ['W,B'], 'Conv boxes list their weights as W and B');
    await s.screenshot(path.join(artifacts, 'graphView-squeezenet.png'));
  });
});

test('resnet18_dynamo (no weights file): groups from name scopes; collapse and re-expand layer1', { timeout: 120_000, skip }, async () => {
  await withModel('resnet18_dynamo.onnx', async (s, frame, truth) => {
    const scene = await sceneOf(frame);
    await checkSceneAgainstModel(frame, scene, truth);
    const layer1 = scene.nodes.find((n) => n.id === 'g:layer1');
    assert.ok(layer1 && layer1.kind === 'group' && layer1.label === 'layer1', `no group layer1 from the name scopes: ${scene.nodes.filter((n) => n.kind === 'group').map((n) => n.id)}`);
    assert.ok(layer1.expanded, 'the first group of a 49-op graph opens');
    // Collapse it by its header, then expand it again by clicking the collapsed box.
    const before = scene;
    await clickBox(s.page, frame, 'g:layer1');
    const closed = await waitForScene(frame, (sc) => sc.version > before.version && !sc.expanded.includes('g:layer1'), 'layer1 to collapse');
    assert.ok(!closed.nodes.some((n) => n.parent === 'g:layer1'), 'children of a collapsed group still drawn');
    await checkSceneAgainstModel(frame, closed, truth);
    await expandAndCollapse(s, frame, truth, 'g:layer1');
  });
});

test('swin_tiny (no weights file): opens collapsed, matches the model, a group expands and collapses by mouse', { timeout: 150_000, skip }, async () => {
  await withModel('swin_tiny.onnx', async (s, frame, truth) => {
    const scene = await sceneOf(frame);
    await checkSceneAgainstModel(frame, scene, truth);
    const collapsed = scene.nodes.filter((n) => n.kind === 'group' && !n.expanded);
    assert.ok(collapsed.length > 0, 'a 3k-node model should open with collapsed groups');
    assert.ok(scene.nodes.length < truth.view.opCount / 4, `opened with ${scene.nodes.length} boxes for ${truth.view.opCount} ops`);
    // The smallest multi-child group keeps the relayout quick; any collapsed group would do.
    const target = collapsed.filter((n) => (truth.view.items.get(n.id)!.children?.length ?? 0) > 1)
      .sort((a, b) => (a.opCount ?? 0) - (b.opCount ?? 0))[0];
    assert.ok(target, 'no collapsed group with children');
    await expandAndCollapse(s, frame, truth, target.id);
  });
});
