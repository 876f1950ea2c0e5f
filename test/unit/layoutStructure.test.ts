// The graph view's structure: big flat scopes split by the graph's structure (repeated blocks, narrow points)
// with labels that say what is inside; Q/DQ weight nodes drawn with the op that reads them; an If between two
// parts of one scope drawn inside it; a subgraph's reads of outer values drawn as edges from the outer scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModelGraph, type GraphModel } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { splitIntoRuns, type RunEntry } from '../../src/layout/runs';
import { SEGMENT_MAX, type LevelStructure } from '../../src/layout/structure';
import { buildViewModel, MAX_CHILDREN, ROOT_ID, type ViewItem, type ViewModel } from '../../src/layout/viewModel';
import { DT, makeModel } from '../fixtures/builders';
import { LEVELS, makeFlatDetectionModel, makeIfInScopeModel } from '../fixtures/structureModels';
import { onnxruntimePython } from './shapesSupport';
import { useLayoutService } from '../fixtures/layoutService';

const repoRoot = path.resolve(__dirname, '../..');
const modelsDir = path.resolve(repoRoot, '../shared/models');
const layout = useLayoutService('layout-structure-');
const tmp = layout.tmp;

function viewOf(bytes: Uint8Array, key = 'model'): { g: GraphModel; view: ViewModel } {
  const g = buildModelGraph(readModel(bytes));
  return { g, view: buildViewModel(g, key) };
}

const item = (view: ViewModel, id: string): ViewItem => view.items.get(id)!;
const kids = (view: ViewModel, g: ViewItem): ViewItem[] => (g.children ?? []).map((id) => item(view, id));

function opsUnder(view: ViewModel, g: ViewItem): ViewItem[] {
  return kids(view, g).flatMap((k) => (k.kind === 'group' ? opsUnder(view, k) : k.kind === 'op' ? [k] : []));
}

/** `Conv×12 Relu×12 Add [2/5]` -> {Conv: 12, Relu: 12, Add: 1} (the `…` and the block number dropped). */
function labelCounts(label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of label.replace(/ \[\d+\/\d+\]$/, '').split(' ')) {
    if (part === '\u2026') continue;
    const [op, n] = part.split('\u00D7');
    out.set(op, n === undefined ? 1 : Number(n));
  }
  return out;
}

test('a flat detection head (300+ ops directly in /rpn) is split by structure, with labels that say what is inside', () => {
  const { g, view } = viewOf(makeFlatDetectionModel());
  assert.ok(g.nodes.length >= 300, `${g.nodes.length} nodes`);
  assert.ok(g.nodes.every((n) => /^\/rpn\/[A-Za-z]+(_\d+)?$/.test(n.name)), 'every name is flat in /rpn');
  const rpn = item(view, 'g:rpn');
  const segments = kids(view, rpn).filter((k) => k.kind === 'group');
  assert.ok(rpn.children!.length <= MAX_CHILDREN && segments.length >= 8, `${rpn.children!.length} children, ${segments.length} segments`);

  const inRpn = opsUnder(view, rpn);
  assert.equal(inRpn.length, g.nodes.length, 'every op once');
  assert.equal(new Set(inRpn.map((o) => o.id)).size, inRpn.length);
  for (const s of segments) {
    // Small enough to read, and the label's counts are the segment's dominant ops.
    assert.ok(s.children!.length <= SEGMENT_MAX && (s.opCount ?? 0) >= 2, `${s.label}: ${s.children!.length} children`);
    const actual = new Map<string, number>();
    for (const o of opsUnder(view, s)) actual.set(o.label, (actual.get(o.label) ?? 0) + 1);
    const named = labelCounts(s.label);
    assert.ok(named.size >= 1 && named.size <= 3, s.label);
    for (const [op, n] of named) assert.equal(actual.get(op), n, `${s.label}: ${op}`);
    const top = Math.max(...actual.values());
    assert.ok([...named.values()].includes(top), `${s.label} names the most frequent op`);
    assert.equal(s.label.includes('\u2026'), actual.size > 3, `${s.label}: \u2026 when more op types than named`);
    // Named after the span it covers, not the old arbitrary index range as its label.
    assert.match(s.name, /^\/rpn\/\S+ \u2026 \/rpn\/\S+$/);
    assert.doesNotMatch(s.label, /\/rpn\//);
  }
  // Graph order respected: segments cover consecutive stretches of the topological order.
  const spans = kids(view, rpn).map((k) => {
    const orders = (k.kind === 'group' ? opsUnder(view, k) : [k]).map((o) => o.order);
    return [Math.min(...orders), Math.max(...orders)];
  });
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] > spans[i - 1][1], `child ${i} overlaps the one before`);
  // The per-level loops show as repeated blocks with one op sequence each.
  const blocks = segments.filter((s) => new RegExp(` \\[\\d+/${LEVELS}\\]$`).test(s.label));
  assert.ok(blocks.length >= LEVELS, `${blocks.length} blocks of ${LEVELS}`);
  const sequence = (s: ViewItem) => opsUnder(view, s).sort((a, b) => a.order - b.order).map((o) => o.label).join(' ');
  const first = blocks.find((b) => b.label.endsWith(`[1/${LEVELS}]`))!;
  const siblings = blocks.filter((b) => b.label === first.label.replace(/\[1\//, (m) => m) || b.label.replace(/\[\d+\//, '[') === first.label.replace(/\[\d+\//, '['));
  assert.equal(siblings.length, LEVELS);
  for (const b of siblings) assert.equal(sequence(b), sequence(first));
});

test('structural splitting is deterministic', () => {
  const a = viewOf(makeFlatDetectionModel()).view;
  const b = viewOf(makeFlatDetectionModel()).view;
  const summary = (v: ViewModel) => [...v.items.values()].map((i) => `${i.id}|${i.label}|${i.name}|${i.parent}|${(i.children ?? []).join(',')}`);
  assert.deepEqual(summary(a), summary(b));
});

/** Children with given kinds in a chain, plus extra live values across some boundaries. */
function structure(kinds: string[], crossing: (i: number) => number): LevelStructure {
  return {
    kinds,
    opCounts: kinds.map((k) => new Map([[k, 1]])),
    crossing: Int32Array.from({ length: kinds.length - 1 }, (_, i) => crossing(i)),
  };
}

function leaves<T>(e: RunEntry<T>): number[] {
  return e.kind === 'child' ? [e.index] : e.members.flatMap(leaves);
}

test('splitIntoRuns by structure: repeated blocks become one segment each, numbered', () => {
  const block = ['Conv', 'BatchNormalization', 'Relu', 'Conv', 'Add'];
  const kinds = Array.from({ length: 150 }, (_, i) => block[i % 5]);
  const children = kinds.map((k, i) => ({ value: i, label: `/head/${k}_${i}` }));
  const runs = splitIntoRuns(children, 100, () => structure(kinds, () => 1));
  assert.equal(runs.length, 30);
  runs.forEach((r, b) => {
    assert.ok(r.kind === 'run');
    assert.equal(r.label, `Conv\u00D72 BatchNormalization Relu \u2026 [${b + 1}/30]`);
    assert.deepEqual(leaves(r), [0, 1, 2, 3, 4].map((k) => 5 * b + k));
    assert.equal(r.name, `/head/Conv_${5 * b} \u2026 /head/Add_${5 * b + 4}`);
  });
});

test('splitIntoRuns by structure: an irregular stretch is cut at its narrowest points, segments within SEGMENT_MAX', () => {
  // No repeats (every kind distinct); 4 values live everywhere except after child 70 (one value: a chain point).
  const kinds = Array.from({ length: 140 }, (_, i) => `Op${i}`);
  const children = kinds.map((k, i) => ({ value: i, label: `${k}x` }));
  const runs = splitIntoRuns(children, 100, () => structure(kinds, (i) => (i === 70 ? 1 : 4)));
  const flat = runs.flatMap(leaves);
  assert.deepEqual(flat, kinds.map((_, i) => i), 'graph order kept, every child once');
  assert.ok(runs.every((r) => r.kind === 'run' && r.members.length <= SEGMENT_MAX && r.members.length >= 3));
  assert.ok(runs.some((r) => leaves(r).at(-1) === 70), 'a segment ends at the narrow point');
});

test('splitIntoRuns without a structure still chunks by position (numbered stretches first)', () => {
  const mixed = Array.from({ length: 250 }, (_, i) => ({ value: i, label: i % 2 ? `Add_${i}` : `Mul_${i}x` }));
  const runs = splitIntoRuns(mixed, 100);
  assert.equal(runs.length, 3);
  assert.equal(runs[0].label, 'Mul_0x \u2026 Add_99');
});

/** A small Q/DQ model as onnxruntime's quantizer names it: weights' Q/DQ nodes are named after the weight. */
function qdqModel(): Uint8Array {
  const f = (name: string, dims: number[]) => ({ name, dataType: DT.FLOAT, dims, floatData: new Array(dims.reduce((a, b) => a * b, 1)).fill(0.5) });
  const i8 = (name: string, dims: number[]) => ({ name, dataType: DT.INT8, dims, int32Data: new Array(dims.reduce((a, b) => a * b, 1)).fill(1) });
  return makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 2, 4, 4] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT }],
    initializers: [
      f('s', []), i8('zp', []), i8('conv1.weight_quantized', [2, 2, 1, 1]), f('conv1.weight_scale', []), i8('conv1.weight_zero_point', []),
      f('conv2.weight', [2, 2, 1, 1]), f('conv2.weight_scale', []), i8('conv2.weight_zero_point', []),
    ],
    nodes: [
      { op: 'QuantizeLinear', name: 'x_QuantizeLinear', inputs: ['x', 's', 'zp'], outputs: ['x_q'] },
      { op: 'DequantizeLinear', name: 'x_DequantizeLinear', inputs: ['x_q', 's', 'zp'], outputs: ['x_dq'] },
      { op: 'DequantizeLinear', name: 'conv1.weight_DequantizeLinear', inputs: ['conv1.weight_quantized', 'conv1.weight_scale', 'conv1.weight_zero_point'], outputs: ['w1'] },
      { op: 'Conv', name: '/block/conv1/Conv', inputs: ['x_dq', 'w1'], outputs: ['c1'] },
      { op: 'Relu', name: '/block/conv1/Relu', inputs: ['c1'], outputs: ['r1'] },
      { op: 'QuantizeLinear', name: 'conv2.weight_QuantizeLinear', inputs: ['conv2.weight', 'conv2.weight_scale', 'conv2.weight_zero_point'], outputs: ['w2q'] },
      { op: 'DequantizeLinear', name: 'conv2.weight_DequantizeLinear', inputs: ['w2q', 'conv2.weight_scale', 'conv2.weight_zero_point'], outputs: ['w2'] },
      { op: 'Conv', name: '/block/conv2/Conv', inputs: ['r1', 'w2'], outputs: ['c2'] },
      { op: 'Relu', name: '/block/conv2/Relu', inputs: ['c2'], outputs: ['y'] },
    ],
  });
}

/** Every weight-side Q/DQ box (reading only weights, or a weight-side Q/DQ) sits in the same group as the op that reads it. */
function checkWeightQdq(g: GraphModel, view: ViewModel): number {
  const weightSide = new Set<number>();
  let checked = 0;
  for (const i of g.order) {
    const n = g.nodes[i];
    if (n.opType !== 'DequantizeLinear' && n.opType !== 'QuantizeLinear') continue;
    const fromWeights = (t: string) => {
      const v = g.values.get(t)!;
      return v.initializer !== undefined || weightSide.has(v.producer);
    };
    if (!n.inputs.every((t) => t === '' || fromWeights(t))) continue;
    weightSide.add(i);
    const readers = n.outputs.flatMap((o) => g.values.get(o)!.consumers);
    if (!view.items.has(`n:${n.index}`)) continue; // shared by several readers: a weight row of each (no box)
    const parents = new Set(readers.map((c) => item(view, `n:${c}`).parent));
    if (parents.size !== 1) continue;
    assert.equal(item(view, `n:${n.index}`).parent, [...parents][0], `${n.name} is drawn with its reader`);
    checked++;
  }
  return checked;
}

test('Q/DQ: a weight\'s DequantizeLinear (and its QuantizeLinear) is drawn in the group of the op that reads it', () => {
  const { g, view } = viewOf(qdqModel());
  assert.equal(checkWeightQdq(g, view), 3);
  // Each Conv's Q/DQ nodes fold into it (quantFolds.ts), and the fold sits in the Conv's group.
  assert.equal(item(view, 'n:2').parent, 'q:3');
  assert.equal(item(view, 'q:3').parent, 'g:block/conv1');
  assert.equal(item(view, 'n:5').parent, 'q:7');
  assert.equal(item(view, 'n:6').parent, 'q:7');
  assert.equal(item(view, 'q:7').parent, 'g:block/conv2');
  // The graph input's activation Q/DQ quantizes the first Conv's input: it folds into that Conv too.
  assert.equal(item(view, 'n:0').parent, 'q:3');
  // The weight's edge is now inside the conv's group: no level above it routes it.
  const rootEdges = view.levelEdges.get(ROOT_ID) ?? [];
  assert.ok(rootEdges.every((e) => e.from !== 'n:2' && e.from !== 'n:6'));
});

const noQdq = onnxruntimePython() ?? (fs.existsSync(path.join(modelsDir, 'squeezenet1_1.onnx')) ? false : `shared models not found at ${modelsDir}`);

test('Q/DQ squeezenet from onnxruntime\'s quantizer: weight Q/DQ nodes sit with their Convs, none at the top', { skip: noQdq }, () => {
  const out = path.join(tmp, 'squeezenet_qdq.onnx');
  execFileSync('python3', [path.join(__dirname, '../fixtures/python/make_qdq.py'), path.join(modelsDir, 'squeezenet1_1.onnx'), out], { stdio: 'ignore' });
  const { g, view } = viewOf(fs.readFileSync(out));
  // One weight DequantizeLinear per Conv (26), plus the bias ones read by a single Conv.
  const convs = g.nodes.filter((n) => n.opType === 'Conv').length;
  const checked = checkWeightQdq(g, view);
  assert.ok(convs === 26 && checked >= convs, `${checked} weight Q/DQ nodes checked for ${convs} Convs`);
  const topDq = kids(view, view.root).filter((k) => k.kind === 'op' && /weight|bias/.test(k.name));
  assert.deepEqual(topDq.map((k) => k.name), []);
  // No Q/DQ box stands on its own: each is inside its op's fold, or (a weight's DequantizeLinear that several Convs
  // share through PyTorch's Identity copies of equal biases) a weight row of each of them.
  const loose = [...view.items.values()].filter((i) => i.kind === 'op' && /QuantizeLinear$/.test(i.label) && !i.parent?.startsWith('q:'));
  assert.deepEqual(loose.map((i) => i.name), []);
  const shared = g.nodes.filter((n) => n.opType === 'DequantizeLinear' && (g.values.get(n.outputs[0])?.consumers.length ?? 0) > 1 && n.inputs.every((t) => g.values.get(t)?.initializer !== undefined));
  assert.ok(shared.length > 0, 'the quantizer shares some bias DequantizeLinear nodes');
  for (const dq of shared) {
    assert.equal(view.items.get(`n:${dq.index}`), undefined, `${dq.name} has no box`);
    for (const c of g.values.get(dq.outputs[0])!.consumers) {
      // A reader is a Conv, or an Identity copy (folded too) whose Conv reads the copy.
      const reader = g.nodes[c].opType === 'Identity' ? g.values.get(g.nodes[c].outputs[0])!.consumers[0] : c;
      const bias = g.nodes[reader].inputs[2];
      assert.ok(item(view, `n:${reader}`).initializers?.some((p) => p.tensor === bias), `${g.nodes[reader].name} shows the shared bias as a weight row`);
    }
  }
});

test('If between two parts of /rpn: drawn inside rpn, and every edge runs down from its source to its target', async () => {
  const { view } = viewOf(makeIfInScopeModel(), 'if-in-scope');
  const ifItem = [...view.items.values()].find((i) => i.label === 'If')!;
  assert.equal(ifItem.parent, 'g:rpn');
  const scene = await layout.service.layoutScene(view, ['g:rpn']);
  const byId = new Map(scene.nodes.map((n) => [n.id, n]));
  for (const e of scene.edges) {
    const a = byId.get(e.from)!;
    const b = byId.get(e.to)!;
    const ys = e.points.filter((_, i) => i % 2 === 1);
    assert.ok(Math.abs(ys[0] - (a.y + a.height)) < 6 && Math.abs(ys.at(-1)! - b.y) < 6, `${e.id} starts at its source and ends at its target`);
    assert.ok(b.y > a.y + a.height, `${e.id} runs downward`);
    assert.ok(Math.min(...ys) >= a.y && Math.max(...ys) <= b.y + b.height, `${e.id} stays between its ends`);
  }
});

test('an If read by two scopes stays at the top; the edge climbing back into rpn is drawn inside the picture, port to port', async () => {
  const { view } = viewOf(makeIfInScopeModel(true), 'if-read-outside');
  const ifItem = [...view.items.values()].find((i) => i.label === 'If')!;
  assert.equal(ifItem.parent, ROOT_ID);
  const scene = await layout.service.layoutScene(view, ['g:rpn', 'g:head']);
  const byId = new Map(scene.nodes.map((n) => [n.id, n]));
  let upward = 0;
  for (const e of scene.edges) {
    const a = byId.get(e.from)!;
    const b = byId.get(e.to)!;
    const ys = e.points.filter((_, i) => i % 2 === 1);
    assert.ok(Math.abs(ys[0] - (a.y + a.height)) < 6 && Math.abs(ys.at(-1)! - b.y) < 6, `${e.id} starts at its source and ends at its target`);
    // No overshoot above or below the drawing (the old diagonal went far above the top).
    assert.ok(Math.min(...ys) >= 0 && Math.max(...ys) <= scene.height, `${e.id}: y from ${Math.min(...ys)} to ${Math.max(...ys)}, scene 0-${scene.height}`);
    if (b.y < a.y + a.height) {
      upward++;
      // Orthogonal: out down, along a lane, into the target from above.
      for (let i = 2; i < e.points.length; i += 2) assert.ok(e.points[i] === e.points[i - 2] || e.points[i + 1] === e.points[i - 1], `${e.id} segment ${i / 2}`);
      assert.ok(ys.at(-2)! < b.y, `${e.id} enters from above`);
    }
  }
  assert.ok(upward >= 1, 'the cycle leaves one edge climbing back');
});

test('If subgraph: values read from the outer graph are inputs from the outer scope, with edges to their readers', async () => {
  const { g } = viewOf(makeIfInScopeModel());
  const ifNode = g.nodes.find((n) => n.opType === 'If')!;
  for (const { attribute, graph } of ifNode.subgraphs) {
    const view = buildViewModel(graph, `sub-${attribute}`);
    const outer = item(view, 'i:/rpn/Relu_output_0');
    assert.ok(outer && outer.kind === 'input' && outer.outer === true, attribute);
    const readers = view.edges.filter((e) => e.from === outer.id);
    assert.ok(readers.length >= 1 && readers.every((e) => item(view, e.to).kind === 'op'), `${attribute}: ${readers.length} edges`);
    const scene = await layout.service.layoutScene(view, []);
    const node = scene.nodes.find((n) => n.id === outer.id)!;
    assert.equal(node.outer, true);
    assert.ok(scene.edges.some((e) => e.from === outer.id), `${attribute}: the edge is drawn`);
  }
});

test('splitIntoRuns by structure stays near-linear: 50k ops of one type, and 50k of a 7-op loop', () => {
  for (const period of [1, 7]) {
    const kinds = Array.from({ length: 50_000 }, (_, i) => `Op${String.fromCharCode(65 + (i % period))}`);
    const children = kinds.map((k, i) => ({ value: i, label: `/body/${k}_${i}x` }));
    const t0 = performance.now();
    const runs = splitIntoRuns(children, 100, () => structure(kinds, (i) => 1 + (i % 3)));
    const ms = performance.now() - t0;
    // Quadratic behaviour here took minutes; linear takes well under a second even on a loaded machine.
    assert.ok(ms < 15_000, `${ms.toFixed(0)} ms`);
    assert.ok(runs.length <= 100, `${runs.length} entries`);
    assert.deepEqual(runs.flatMap(leaves), kinds.map((_, i) => i), 'graph order kept, every child once');
  }
});
