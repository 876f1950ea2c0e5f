// Quantization folds (src/layout/quantFolds.ts): which Q/DQ nodes fold into which op, the folded box (op label,
// badge, quantized weight rows), its ports, the scene collapsed and opened, the first view, reveal and the
// properties' Quantization section; and a model without Q/DQ built as before (no fold groups).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModelGraph, type GraphModel } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { quantSection } from '../../src/host/inspect/quantProps';
import { revealTarget } from '../../src/host/inspect/reveal';
import { defaultExpanded } from '../../src/layout/defaultExpanded';
import { boxSize } from '../../src/layout/levelGraph';
import { levelStructures } from '../../src/layout/levelStructure';
import { quantFolds } from '../../src/layout/quantFolds';
import { buildViewModel, ROOT_ID, type InputNamer, type ViewItem, type ViewModel } from '../../src/layout/viewModel';
import { weightRows } from '../../src/protocol/boxText';
import { makeChainModel } from '../fixtures/builders';
import { makeQdqConvReluMatMul } from '../fixtures/qdqModels';
import { makeFlatDetectionModel } from '../fixtures/structureModels';
import { useLayoutService } from '../fixtures/layoutService';

const repoRoot = path.resolve(__dirname, '../..');
const modelsDir = path.resolve(repoRoot, '../shared/models');
const layout = useLayoutService('quant-folds-');

/** Schema input names of the ops the fixture's folds hold. */
const names: InputNamer = (n) => ({ Conv: ['X', 'W', 'B'], MatMul: ['A', 'B'], Relu: ['X'], Flatten: ['input'] } as Record<string, string[]>)[n.opType];

function viewOf(bytes: Uint8Array, key = 'qdq'): { g: GraphModel; view: ViewModel } {
  const g = buildModelGraph(readModel(bytes));
  return { g, view: buildViewModel(g, key, names) };
}

const item = (view: ViewModel, id: string): ViewItem => {
  const it = view.items.get(id);
  assert.ok(it, `no item ${id}`);
  return it;
};
const folds = (view: ViewModel) => [...view.items.values()].filter((i) => i.fold);

test('Q/DQ Conv/Relu/MatMul: each Q/DQ node folds into the op it quantizes; a shared pair stays as boxes', () => {
  const { view } = viewOf(makeQdqConvReluMatMul());
  const byFold = Object.fromEntries(folds(view).map((f) => [f.id, f.foldMembers!.map((m) => `${m.node}:${m.side}`)]));
  assert.deepEqual(byFold, {
    'q:3': ['2:weight'], // the Conv's int8 weight
    'q:6': ['4:input', '5:input'], // the Conv's output quantized for the Relu
    'q:9': ['7:input', '8:input'], // uint8 between Relu and Flatten
    'q:12': ['10:weight', '11:weight', '13:output', '14:output'], // MatMul: weight Q and DQ, and its output pair
  });
  // x's pair is read by the Conv and the Add: neither owns it, both nodes stay boxes at the top.
  assert.equal(item(view, 'n:0').parent, ROOT_ID);
  assert.equal(item(view, 'n:1').parent, ROOT_ID);
  // A fold is a group of its Q/DQ nodes and its op, in graph order, inside the op's own group.
  assert.deepEqual(item(view, 'q:12').children, ['n:10', 'n:11', 'n:12', 'n:13', 'n:14']);
  assert.equal(item(view, 'q:12').parent, 'g:head');
  assert.equal(item(view, 'q:9').parent, 'g:head');
  assert.equal(item(view, 'n:12').parent, 'q:12');
  // A fold counts as its op: the head group holds two op boxes, the whole view seven.
  assert.equal(item(view, 'g:head').opCount, 2);
  assert.equal(view.opCount, 7);
  assert.equal(item(view, 'q:12').opCount, 5);
});

test('the folded box is the op\'s: label, name, category, weight rows with the quantized type, and a badge', () => {
  const { view } = viewOf(makeQdqConvReluMatMul());
  const conv = item(view, 'q:3');
  assert.deepEqual([conv.kind, conv.label, conv.name, conv.category], ['group', 'Conv', '/conv/Conv', 'conv']);
  assert.deepEqual(conv.fold, { op: 'n:3', badge: 'int8', perChannel: true });
  assert.deepEqual(conv.initializers!.map((p) => p.tensor), ['conv.weight_quantized', 'conv.bias']);
  assert.deepEqual(weightRows(conv.initializers, conv.initializerNames, conv.quantizedWeights), ['W int8 2\u00D72\u00D71\u00D71', 'B 2']);
  assert.deepEqual(item(view, 'q:6').fold, { op: 'n:6', badge: 'int8' });
  assert.deepEqual(item(view, 'q:9').fold, { op: 'n:9', badge: 'uint8' });
  // MatMul's weight is float in the file, quantized by a folded QuantizeLinear: its row shows the float weight.
  const mm = item(view, 'q:12');
  assert.equal(mm.fold!.badge, 'int8');
  assert.deepEqual(weightRows(mm.initializers, mm.initializerNames, mm.quantizedWeights), ['B 32\u00D74']);
  // The badge widens the box beyond the op's own.
  assert.ok(boxSize(conv).width >= boxSize(item(view, 'n:3')).width);
  // Folded, the Relu takes the float tensor its Q reads and gives what its op gives.
  assert.deepEqual(item(view, 'q:6').inputs.map((p) => p.tensor), ['c']);
  assert.deepEqual(item(view, 'q:6').outputs.map((p) => p.tensor), ['r']);
  // The MatMul's output pair is inside its fold: the fold gives the graph output y.
  assert.deepEqual(item(view, 'q:12').outputs.map((p) => p.tensor), ['y']);
});

test('structure splitting reads a fold as its op; the first view never opens folds', () => {
  const { view } = viewOf(makeQdqConvReluMatMul());
  const kids = item(view, 'g:head').children!.map((id) => item(view, id));
  const s = levelStructures(view.items, view.edges)(kids);
  assert.deepEqual(s.kinds, ['op:Flatten', 'op:MatMul']);
  assert.deepEqual(s.opCounts.map((m) => [...m]), [[['Flatten', 1]], [['MatMul', 1]]]);
  const open = defaultExpanded(view);
  assert.ok(open.includes('g:head'), `head opens in the first view: ${open}`);
  assert.deepEqual(open.filter((id) => id.startsWith('q:')), []);
});

test('the scene: a folded box is drawn as its op with the badge; opened, a frame with its Q, DQ and op boxes', async () => {
  const { view } = viewOf(makeQdqConvReluMatMul(), 'qdq-scene');
  const closed = await layout.service.layoutScene(view, ['g:head']);
  const relu = closed.nodes.find((n) => n.id === 'q:6')!;
  assert.deepEqual([relu.kind, relu.label, relu.category, relu.fold?.badge], ['op', 'Relu', 'activation', 'int8']);
  assert.ok(!closed.nodes.some((n) => n.id === 'n:4' || n.id === 'n:5' || n.id === 'n:6'), 'folded nodes are not drawn');
  // Edges reach the folded box on its ports: Conv -> Relu's fold -> Flatten's fold.
  assert.ok(closed.edges.some((e) => e.from === 'q:3' && e.to === 'q:6' && e.tensor === 'c'));
  assert.ok(closed.edges.some((e) => e.from === 'q:6' && e.to === 'q:9' && e.tensor === 'r'));
  const opened = await layout.service.layoutScene(view, ['g:head', 'q:6']);
  const frame = opened.nodes.find((n) => n.id === 'q:6')!;
  assert.deepEqual([frame.kind, frame.expanded], ['group', true]);
  for (const id of ['n:4', 'n:5', 'n:6']) assert.equal(opened.nodes.find((n) => n.id === id)?.parent, 'q:6', `${id} drawn in the open fold`);
  assert.ok(opened.edges.some((e) => e.from === 'n:4' && e.to === 'n:5') && opened.edges.some((e) => e.from === 'n:5' && e.to === 'n:6'));
});

test('reveal: an op lands on its folded box; a folded Q/DQ node opens its fold', () => {
  const { g, view } = viewOf(makeQdqConvReluMatMul());
  assert.deepEqual(revealTarget(g, view, 'n:12'), { box: 'q:12', expand: ['g:head'] });
  assert.deepEqual(revealTarget(g, view, 'n:13'), { box: 'n:13', expand: ['g:head', 'q:12'] });
  assert.deepEqual(revealTarget(g, view, 't:r'), { box: 'q:6', expand: [], tensor: 'r' });
});

test('properties: the Quantization section lists the folded nodes by side, with scale, zero point and axis', () => {
  const { g, view } = viewOf(makeQdqConvReluMatMul());
  const conv = quantSection(g, view, 3)!;
  assert.equal(conv.title, 'Quantization');
  assert.deepEqual(conv.rows.map((r) => [r.key, r.value, r.detail]), [
    ['type', 'int8', 'per channel'],
    ['weight DQ', 'conv.weight_DequantizeLinear', 'DequantizeLinear'],
    ['scale', 'conv.weight_scale', 'float[2]'],
    ['zero point', 'conv.weight_zero_point', 'int8[2]'],
    ['axis', '0', undefined],
  ]);
  const mm = quantSection(g, view, 12)!;
  assert.deepEqual(mm.rows.filter((r) => / (Q|DQ)$/.test(r.key)).map((r) => r.key), ['weight Q', 'weight DQ', 'output Q', 'output DQ']);
  assert.equal(quantSection(g, view, 15), undefined, 'the Add has no fold');
});

test('no Q/DQ: no fold groups, every op its own box as before', () => {
  const models: [string, Uint8Array][] = [['chain', makeChainModel(5)], ['flat detection', makeFlatDetectionModel()]];
  const squeezenet = path.join(modelsDir, 'squeezenet1_1.onnx');
  if (fs.existsSync(squeezenet)) models.push(['squeezenet', fs.readFileSync(squeezenet)]);
  else console.log(`squeezenet skipped: shared models not found at ${modelsDir}`);
  for (const [name, bytes] of models) {
    const { g, view } = viewOf(bytes, name);
    const folded = new Uint8Array(g.nodes.length);
    view.foldedConstants.forEach((i) => { folded[i] = 1; });
    assert.equal(quantFolds(g, folded, () => false).size, 0);
    assert.deepEqual(folds(view), [], name);
    assert.ok(![...view.items.keys()].some((id) => id.startsWith('q:')), name);
    assert.equal(view.opCount, g.nodes.length - view.foldedConstants.length, name);
    for (const it of view.items.values()) if (it.kind === 'op') assert.ok(!it.parent!.startsWith('q:'), `${name}: ${it.id}`);
  }
});
