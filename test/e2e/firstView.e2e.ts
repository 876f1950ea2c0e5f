// The first view in a real VS Code (code-server + Chromium): each shared model opens with a screenful of box labels
// drawn at the editor's font size inside the view, its inputs among them, the top of the model open and the rest
// as collapsed groups; and a model closed and reopened shows the same view (zoom, position, open groups, selection).
// swin_tiny is copied WITHOUT its external weights: viewing needs only the graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { defaultExpanded } from '../../src/layout/defaultExpanded';
import type { Scene } from '../../src/protocol/scene';
import { visibleModelFrame } from './actionsUi';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, readLog, startSession, type Session } from './harness';
import { cleanup, clickBox, expectedVisibleIds, modelTruth, reportFailure, sceneOf, waitForScene, type ModelTruth } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
const modelsDir = SHARED_DIR && path.join(SHARED_DIR, 'models');
const MODELS = ['squeezenet1_1.onnx', 'mobilenet_v3_small.onnx', 'swin_tiny.onnx', 'synth_10k.onnx'];
const missing = !modelsDir ? 'no shared folder (../shared or /work/shared)' : MODELS.filter((m) => !fs.existsSync(path.join(modelsDir, m))).join(', ');
const skip = !built ? 'dist/ is not built (node scripts/build.mjs)' : missing ? `shared models missing: ${missing}` : false;
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

interface Label { id: string; text: string; x: number; y: number; width: number; height: number; fontPx: number }
interface Drawn { labels: Label[]; width: number; height: number; editorFontPx: number }
type View = { k: number; x: number; y: number };

const api = <T>(frame: Frame, f: string, ...args: unknown[]): Promise<T> =>
  frame.evaluate(([name, rest]) => (window as any).__onnxInspectorTest[name as string](...(rest as unknown[])), [f, args] as const);

/** The visible editor showing the model whose first scene has exactly the groups the core opens by default. */
async function modelFrame(s: Session, truth: ModelTruth, file: string): Promise<Frame> {
  const want = expectedVisibleIds(truth.view, defaultExpanded(truth.view));
  return visibleModelFrame(s.page, (sc) => sc.nodes.length === want.size && sc.nodes.every((n) => want.has(n.id)), `${file}'s first scene`, 90_000);
}

/** After the first paint: a screenful of box labels at least the editor's font size, wholly inside the view. */
async function checkFirstView(frame: Frame, truth: ModelTruth, file: string): Promise<string> {
  const scene = await sceneOf(frame);
  const t = await api<View>(frame, 'transform');
  const d = await api<Drawn>(frame, 'drawnLabels');
  assert.ok(d.editorFontPx >= 10, `editor font size read from the webview: ${d.editorFontPx}`);
  const inside = (r: { x: number; y: number; width: number; height: number }) => r.x >= 0 && r.y >= 0 && r.x + r.width <= d.width && r.y + r.height <= d.height;
  const legible = d.labels.filter((l) => l.fontPx >= d.editorFontPx && inside(l));
  // Every box wholly in view (expanded frames aside: they carry headers, not box labels) is labelled legibly.
  const boxes = scene.nodes.filter((n) => !(n.kind === 'group' && n.expanded));
  const inView = boxes.filter((n) => inside({ x: n.x * t.k + t.x, y: n.y * t.k + t.y, width: n.width * t.k, height: n.height * t.k }));
  const labelled = new Set(legible.map((l) => l.id));
  assert.deepEqual(inView.map((n) => n.id).filter((id) => !labelled.has(id)), [], `${file}: boxes in view without a legible label`);
  // A screenful: the whole scene when it is that small, else labels (boxes and open groups' headers) down at least
  // half the view's height; at 14 px a 700 px view holds about 6 boxes of a column inside nested frames.
  const ids = new Set(legible.map((l) => l.id));
  if (ids.size < scene.nodes.length) {
    assert.ok(ids.size >= 6, `${file}: only ${ids.size} legible labels in view`);
    const ys = legible.map((l) => l.y);
    assert.ok(Math.max(...ys) - Math.min(...ys) >= d.height / 2, `${file}: the labels fill ${Math.max(...ys) - Math.min(...ys)} of ${d.height} px`);
  }
  for (const name of truth.graph.inputs) assert.ok(ids.has(`i:${name}`), `${file}: the input ${name} is labelled in view`);
  // The top of the model is open, what comes after the first screens is collapsed structure.
  assert.deepEqual([...scene.expanded].sort(), defaultExpanded(truth.view).sort(), `${file}: the groups the core opens by default`);
  return `${file}: k ${t.k.toFixed(2)}, ${ids.size} legible labels of ${scene.nodes.length} boxes, font ${d.editorFontPx}px, ${scene.expanded.length} groups open`;
}

test('each shared model opens with a screenful of labels at the editor font size, its inputs in view', { timeout: 400_000, skip }, async () => {
  const workspace = makeWorkspace(MODELS.map((m) => path.join(modelsDir!, m)));
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log } });
  try {
    for (const file of MODELS) {
      const truth = modelTruth(path.join(modelsDir!, file));
      await s.openFile(file);
      const frame = await modelFrame(s, truth, file);
      console.log(await checkFirstView(frame, truth, file));
      await s.screenshot(path.join(artifacts, `firstView-${file}.png`));
      await s.runCommand('View: Close All Editors');
    }
    assert.doesNotMatch(readLog(log), /\bERROR\b/, 'the extension logged an error');
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'firstView-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});

test('a model closed and reopened shows the view it was left with', { timeout: 300_000, skip }, async () => {
  const file = 'squeezenet1_1.onnx';
  const workspace = makeWorkspace([path.join(modelsDir!, file)]);
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log } });
  try {
    const truth = modelTruth(path.join(modelsDir!, file));
    await s.openFile(file);
    let frame = await modelFrame(s, truth, file);
    // Open a collapsed group with the mouse, select a box, zoom and pan.
    const first = await sceneOf(frame);
    const group = first.nodes.find((n) => n.kind === 'group' && !n.expanded);
    assert.ok(group, 'squeezenet opens with a collapsed group after its first screens');
    await clickBox(s.page, frame, group.id);
    const opened = await waitForScene(frame, (sc) => sc.expanded.includes(group.id), `${group.id} to open`);
    const op = opened.nodes.find((n) => n.parent === group.id && n.kind === 'op')!;
    assert.equal(await api<boolean>(frame, 'click', op.id), true);
    await api(frame, 'zoomBy', 0.8);
    await api(frame, 'panBy', 37, -53);
    await new Promise((r) => setTimeout(r, 1500)); // the view settles (300 ms) and the host stores it
    const left = { t: await api<View>(frame, 'transform'), expanded: (await sceneOf(frame)).expanded, selected: await api<string>(frame, 'selected') };

    await s.runCommand('View: Close All Editors');
    await s.openFile(file);
    frame = await visibleModelFrame(s.page, (sc) => sc.nodes.some((n) => n.id === op.id), 'the reopened model with the group open', 90_000);
    const scene: Scene = await sceneOf(frame);
    assert.deepEqual([...scene.expanded].sort(), [...left.expanded].sort(), 'the same groups open');
    const t = await api<View>(frame, 'transform');
    for (const key of ['k', 'x', 'y'] as const) assert.ok(Math.abs(t[key] - left.t[key]) < 1e-6, `the same ${key}: ${JSON.stringify([left.t, t])}`);
    assert.equal(await api<string>(frame, 'selected'), left.selected, 'the same box selected');
    assert.doesNotMatch(readLog(log), /\bERROR\b/, 'the extension logged an error');
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'firstView-reopen-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});
