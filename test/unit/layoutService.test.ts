// Scenes from the ELK worker: geometry invariants, ordered ports, expand/collapse re-laying out only what
// changed, the disk cache across "reopening", the error path, timeouts and superseded requests.
// The worker is bundled here with esbuild (as scripts/build.mjs does for dist/layoutWorker.js).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { buildGraph, buildModelGraph, GraphModel } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import type { NodeMsg } from '../../src/core/onnxSchema';
import type { Scene, SceneNode } from '../../src/protocol/scene';
import { defaultExpanded, VISIBLE_BOX_BUDGET } from '../../src/layout/defaultExpanded';
import { modelKeyOf } from '../../src/layout/layoutCache';
import { LayoutCancelledError, LayoutService } from '../../src/layout/layoutService';
import { warmupGraph } from '../../src/layout/workerProtocol';
import { buildViewModel, ViewModel } from '../../src/layout/viewModel';

const repoRoot = path.resolve(__dirname, '../..');
const modelsDir = path.resolve(repoRoot, '../shared/models');
const noShared = fs.existsSync(modelsDir) ? false : `shared models not found at ${modelsDir}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-test-'));
const workerPath = path.join(tmp, 'layoutWorker.js');
let service: LayoutService;

before(async () => {
  buildSync({ entryPoints: [path.join(repoRoot, 'src/layout/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerPath, logLevel: 'error' });
  service = new LayoutService({ workerPath, cacheDir: path.join(tmp, 'cache') });
  await service.ready;
});
after(async () => {
  await service.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const node = (name: string, op: string, input: string[], output: string[]): NodeMsg => ({ name, op_type: op, input, output });

/** Two scopes; Split has two outputs, Mul two inputs, so port order shows. */
function smallGraph(): GraphModel {
  return buildGraph({
    name: 'small',
    nodes: [
      node('/block/Conv', 'Conv', ['x', 'W'], ['c1']),
      node('/block/Relu', 'Relu', ['c1'], ['r1']),
      node('/block/Split', 'Split', ['r1'], ['s0', 's1']),
      node('/block/Mul', 'Mul', ['s0', 's1'], ['m1']),
      node('/head/MatMul', 'MatMul', ['m1', 'x'], ['h1']),
      node('/head/Relu', 'Relu', ['h1'], ['y']),
    ],
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    valueInfo: [],
    initializers: [{ dataType: 1, dims: [4, 3, 3, 3] }],
    initializerNames: ['W'],
  });
}

function checkScene(view: ViewModel, scene: Scene): void {
  const byId = new Map(scene.nodes.map((n) => [n.id, n]));
  assert.equal(byId.size, scene.nodes.length, 'node ids are unique');
  const siblings = new Map<string, SceneNode[]>();
  for (const n of scene.nodes) {
    const key = n.parent ?? '';
    siblings.set(key, [...(siblings.get(key) ?? []), n]);
    if (n.parent) {
      const p = byId.get(n.parent)!;
      assert.ok(p.expanded, `${n.id}'s parent ${n.parent} is open`);
      assert.ok(n.x >= p.x && n.y >= p.y && n.x + n.width <= p.x + p.width + 0.5 && n.y + n.height <= p.y + p.height + 0.5, `${n.id} inside ${n.parent}`);
    }
  }
  for (const [parent, list] of siblings) {
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      const a = list[i];
      const b = list[j];
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      assert.ok(!overlap, `siblings ${a.id} and ${b.id} in '${parent}' overlap`);
    }
  }
  for (const e of scene.edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    assert.ok(from && to, `edge ${e.id} has both endpoints`);
    assert.ok(e.fromPort >= 0 && e.fromPort < from!.outputs.length, `edge ${e.id} fromPort`);
    assert.ok(e.toPort >= 0 && e.toPort < to!.inputs.length, `edge ${e.id} toPort`);
    assert.ok(e.points.length >= 4 && e.points.length % 2 === 0 && e.points.every(Number.isFinite), `edge ${e.id} points`);
  }
  assert.ok(scene.width > 0 && scene.height > 0);
  assert.ok(view.items.size > 0);
}

/** Start x of the edge leaving `from` at each output port / entering `to` at each input port. */
const startX = (s: Scene, from: string, port: number) => s.edges.find((e) => e.from === from && e.fromPort === port)!.points[0];
const endX = (s: Scene, to: string, port: number) => {
  const p = s.edges.find((e) => e.to === to && e.toPort === port)!.points;
  return p[p.length - 2];
};

test('small graph: full scene has no overlapping siblings, valid edges, ports ordered left to right', async () => {
  const view = buildViewModel(smallGraph(), 'small-1');
  const scene = await service.layoutScene(view, defaultExpanded(view));
  checkScene(view, scene);
  assert.deepEqual(scene.expanded, ['g:block', 'g:head']);
  assert.equal(scene.nodes.length, 2 + 2 + 6);
  // Split (n:2): output 0 left of output 1. Mul (n:3): input 0 left of input 1.
  assert.ok(startX(scene, 'n:2', 0) < startX(scene, 'n:2', 1), 'Split outputs ordered');
  assert.ok(endX(scene, 'n:3', 0) < endX(scene, 'n:3', 1), 'Mul inputs ordered');
  const conv = scene.nodes.find((n) => n.id === 'n:0')!;
  assert.deepEqual(conv.initializers!.map((p) => p.tensor), ['W']);
  assert.equal(conv.parent, 'g:block');
  // x feeds Conv (inside block) and MatMul (inside head): edges cross levels as splines from the input box.
  assert.deepEqual(scene.edges.filter((e) => e.from === 'i:x').map((e) => e.to).sort(), ['n:0', 'n:4']);
});

test('collapse and expand re-lay out only the changed group and its ancestors; boxes change as expected', async () => {
  const view = buildViewModel(smallGraph(), 'small-2');
  const full = await service.layoutScene(view, ['g:block', 'g:head']);
  const before = service.stats.layouts;
  const collapsed = await service.layoutScene(view, ['g:block']);
  assert.equal(service.stats.layouts - before, 1, 'only the top level is laid out again');
  checkScene(view, collapsed);
  const ids = (s: Scene) => s.nodes.map((n) => n.id).sort();
  const removed = ids(full).filter((id) => !ids(collapsed).includes(id));
  assert.deepEqual(removed, ['n:4', 'n:5']);
  const head = collapsed.nodes.find((n) => n.id === 'g:head')!;
  assert.equal(head.expanded, false);
  assert.equal(head.opCount, 2);
  // The aggregate edge into the collapsed group uses the group's ports (m1 and x enter head).
  assert.deepEqual(collapsed.edges.filter((e) => e.to === 'g:head').map((e) => `${e.from}:${e.tensor}`).sort(), ['i:x:x', 'n:3:m1']);
  // Opening it again is all cache.
  const again = await service.layoutScene(view, ['g:block', 'g:head']);
  assert.equal(again.cached, true);
  assert.deepEqual(again.nodes.map((n) => [n.id, n.x, n.y]), full.nodes.map((n) => [n.id, n.x, n.y]));
});

test('reopen: a new service with the same cache directory lays out nothing; corrupt files are misses', async () => {
  const view = buildViewModel(smallGraph(), modelKeyOf(new TextEncoder().encode('small-3')));
  const first = await service.layoutScene(view, ['g:block', 'g:head']);
  assert.equal(first.cached, false);
  await service.cache.flush();
  const reopened = new LayoutService({ workerPath, cacheDir: path.join(tmp, 'cache') });
  try {
    const scene = await reopened.layoutScene(view, ['g:block', 'g:head']);
    assert.equal(scene.cached, true);
    assert.equal(reopened.stats.layouts, 0);
    assert.equal(reopened.cache.diskHits, 3);
    assert.deepEqual(scene.nodes, first.nodes);
    // Corrupt every cached level of this model: the service lays them out again instead of failing.
    reopened.cache.clearMemory();
    for (const f of fs.readdirSync(path.join(tmp, 'cache'))) fs.writeFileSync(path.join(tmp, 'cache', f), '{"model": tru');
    const relaid = await reopened.layoutScene(view, ['g:block', 'g:head']);
    assert.equal(relaid.cached, false);
    assert.ok(reopened.cache.corruptReads >= 3);
    checkScene(view, relaid);
  } finally {
    await reopened.dispose();
  }
});

test('worker error path: bad input rejects with ELK\'s message and the service keeps working', async () => {
  const bad = warmupGraph(3);
  bad.edges.push({ id: 'dangling', sources: ['nowhere'], targets: ['w0>in0'] });
  await assert.rejects(service.layoutGraph(bad), (e: Error) => {
    assert.match(e.message, /Referenced shape does not exist: nowhere/);
    return true;
  });
  const ok = await service.layoutGraph(warmupGraph(3));
  assert.equal(Object.keys(ok.nodes).length, 3);
});

test('a layout running past the timeout rejects and the worker is restarted', async () => {
  const slow = new LayoutService({ workerPath, timeoutMs: 50 });
  try {
    await slow.ready;
    await assert.rejects(slow.layoutGraph(warmupGraph(1500)), /timed out after 50 ms/);
    assert.equal(slow.stats.workerStarts, 2);
    slow.timeoutMs = 30_000;
    await slow.ready;
    const ok = await slow.layoutGraph(warmupGraph(2));
    assert.equal(Object.keys(ok.nodes).length, 2);
  } finally {
    await slow.dispose();
  }
});

test('a newer request on the same channel supersedes an older one', async () => {
  const view = buildViewModel(smallGraph(), 'small-4');
  const older = service.layoutScene(view, ['g:block', 'g:head'], { channel: 'editor-1' });
  const newer = service.layoutScene(view, ['g:block'], { channel: 'editor-1' });
  await assert.rejects(older, LayoutCancelledError);
  const scene = await newer;
  assert.deepEqual(scene.expanded, ['g:block']);
  // Other channels are independent.
  const [a, b] = await Promise.all([
    service.layoutScene(view, [], { channel: 'editor-2' }),
    service.layoutScene(view, [], { channel: 'editor-3' }),
  ]);
  assert.equal(a.nodes.length, b.nodes.length);
});

test('prefetch lays out collapsed groups in the background; expanding one then reuses it', async () => {
  const view = buildViewModel(smallGraph(), 'small-5');
  await service.layoutScene(view, []);
  const before = service.stats.layouts;
  const chainsBefore = service.stats.chains;
  service.prefetch(view, ['g:block', 'g:head']);
  const scene = await service.layoutScene(view, ['g:head']);
  // ELK: block's interior (prefetch, already running), the top level with head open. head's interior (MatMul ->
  // Relu) is a chain, laid out by the prefetch without ELK.
  assert.equal(service.stats.layouts - before, 2);
  assert.equal(service.stats.chains - chainsBefore, 1);
  checkScene(view, scene);
  // Opening block now needs only the top level: its interior came from the prefetch.
  const both = await service.layoutScene(view, ['g:head', 'g:block']);
  assert.equal(service.stats.layouts - before, 3);
  checkScene(view, both);
});

const loadView = (name: string) => {
  const bytes = fs.readFileSync(path.join(modelsDir, `${name}.onnx`));
  return buildViewModel(buildModelGraph(readModel(bytes)), name);
};

test('squeezenet and resnet18: fully expanded scenes are valid', { skip: noShared }, async () => {
  for (const name of ['squeezenet1_1', 'resnet18_dynamo']) {
    const view = loadView(name);
    const all = [...view.items.values()].filter((i) => i.kind === 'group' && i.parent !== undefined).map((i) => i.id);
    const scene = await service.layoutScene(view, all);
    checkScene(view, scene);
    assert.equal(scene.nodes.filter((n) => n.kind === 'op').length, view.opCount);
  }
});

test('synth_50k: the default scene shows structure within the box budget', { skip: noShared }, async () => {
  const view = loadView('synth_50k');
  const scene = await service.layoutScene(view, defaultExpanded(view));
  checkScene(view, scene);
  assert.ok(scene.nodes.length <= VISIBLE_BOX_BUDGET, `${scene.nodes.length} boxes`);
  // The top (embed) opens; the 100-layer runs after it would overflow the first screens and show collapsed.
  assert.ok(scene.nodes.some((n) => n.label === 'embed' && n.expanded));
  assert.ok(scene.nodes.some((n) => n.label === 'layers.0-99' && !n.expanded && n.opCount === 4900));
});

test('repeated blocks: levels of the same shape are laid out once and placed alike', async () => {
  // Three identical blocks (Conv, then Relu and Sigmoid side by side, then Add) in a chain: one ELK run serves all
  // three interiors; the top level (input, three blocks, output) is a chain, laid out without ELK.
  const nodes: NodeMsg[] = [];
  let prev = 'x';
  for (let b = 0; b < 3; b++) {
    nodes.push(node(`/blk${b}/Conv`, 'Conv', [prev, 'W'], [`c${b}`]), node(`/blk${b}/Relu`, 'Relu', [`c${b}`], [`r${b}`]),
      node(`/blk${b}/Sigmoid`, 'Sigmoid', [`c${b}`], [`s${b}`]), node(`/blk${b}/Add`, 'Add', [`r${b}`, `s${b}`], [`a${b}`]));
    prev = `a${b}`;
  }
  const graph = buildGraph({ name: 'rep', nodes, inputs: [{ name: 'x' }], outputs: [{ name: prev }], valueInfo: [], initializers: [{ dataType: 1, dims: [4, 4, 3, 3] }], initializerNames: ['W'] });
  const view = buildViewModel(graph, 'repeated-1');
  const before = { layouts: service.stats.layouts, shared: service.stats.shared };
  const scene = await service.layoutScene(view, ['g:blk0', 'g:blk1', 'g:blk2']);
  checkScene(view, scene);
  assert.equal(service.stats.layouts - before.layouts, 1, 'one block interior');
  assert.equal(service.stats.shared - before.shared, 2, 'the other two blocks reuse the first one');
  // Inside each frame, the blocks' ops sit at the same offsets and their edges have the same routes.
  const at = (id: string) => scene.nodes.find((n) => n.id === id)!;
  const rel = (b: number) => ['Conv', 'Relu', 'Sigmoid', 'Add'].map((op) => {
    const n = scene.nodes.find((s) => s.parent === `g:blk${b}` && s.label === op)!;
    return [n.x - at(`g:blk${b}`).x, n.y - at(`g:blk${b}`).y, n.width, n.height];
  });
  assert.deepEqual(rel(1), rel(0));
  assert.deepEqual(rel(2), rel(0));
  // A different model with the same shapes does not share (shapes are per model, so stats stay per model).
  const other = buildViewModel(graph, 'repeated-2');
  const b2 = service.stats.layouts;
  await service.layoutScene(other, ['g:blk0', 'g:blk1', 'g:blk2']);
  assert.equal(service.stats.layouts - b2, 1);
});

test('closing a channel drops its queued prefetches, not other channels\' or the running layout', { skip: noShared }, async () => {
  const view = loadView('swin_tiny');
  await service.idle();
  const groups = [...view.items.values()].filter((i) => i.kind === 'group' && i.parent !== undefined).map((i) => i.id);
  service.prefetch(view, groups, 'editor-a');
  const queuedA = service.queued;
  assert.ok(queuedA > 10, `swin_tiny's groups queue ELK layouts (${queuedA})`);
  const other = buildViewModel(smallGraph(), 'small-close');
  service.prefetch(other, ['g:block'], 'editor-b');
  assert.equal(service.queued, queuedA + 1);
  service.closeChannel('editor-a');
  assert.equal(service.queued, 1, 'only editor-b\'s prefetch is left');
  await service.idle();
  // A scene of the closed channel's model still lays out (its dropped levels are simply laid out again).
  checkScene(view, await service.layoutScene(view, groups.slice(0, 3), { channel: 'editor-a' }));
});
