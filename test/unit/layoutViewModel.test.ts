// The graph view's hierarchy: folding, groups from scopes, runs, ports, level edges and default expansion,
// on a graph built here (always runs) and on the shared real models (skipped when ../shared is absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildGraph, buildModelGraph, GraphModel } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import type { NodeMsg, ValueInfoMsg } from '../../src/core/onnxSchema';
import { BOXES_PER_SCREEN, defaultExpanded, FIRST_SCREENS, VISIBLE_BOX_BUDGET, visibleBoxCount } from '../../src/layout/defaultExpanded';
import { splitIntoRuns, runLabel } from '../../src/layout/runs';
import { buildViewModel, MAX_CHILDREN, ROOT_ID, ViewItem, ViewModel } from '../../src/layout/viewModel';
import { opCategory } from '../../src/layout/opCategory';

const repoRoot = path.resolve(__dirname, '../..');
const modelsDir = path.resolve(repoRoot, '../shared/models');
const noShared = fs.existsSync(modelsDir) ? false : `shared models not found at ${modelsDir}`;

const f32 = (...dims: number[]): ValueInfoMsg['type'] => ({ tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_value: d, value: 'dim_value' })) } } as never });
const node = (name: string, op: string, input: string[], output: string[], domain = ''): NodeMsg => ({ name, op_type: op, input, output, domain });

/** x -> /block/conv/Conv(W) -> /block/act/Relu -> /block/Add(+ Constant c) -> /head/MatMul -> /head/Split -> y1, y2 */
function smallGraph(): GraphModel {
  return buildGraph({
    name: 'small',
    nodes: [
      node('/block/conv/Conv', 'Conv', ['x', 'W', 'B'], ['c1']),
      node('/block/act/Relu', 'Relu', ['c1'], ['r1']),
      node('/block/c', 'Constant', [], ['k']),
      node('/block/Add', 'Add', ['r1', 'k'], ['a1']),
      node('/block/Mul', 'Mul', ['a1', 'x'], ['m1']),
      node('/head/MatMul', 'MatMul', ['m1', 'W2'], ['h1']),
      node('/head/Split', 'Split', ['h1'], ['y1', 'y2']),
      node('/head/Custom', 'Fancy', ['y2'], ['y3'], 'com.example'),
    ],
    inputs: [{ name: 'x', type: f32(1, 3, 8, 8) }],
    outputs: [{ name: 'y1' }, { name: 'y3' }],
    valueInfo: [{ name: 'c1', type: f32(1, 4, 8, 8) }],
    initializers: [{ dataType: 1, dims: [4, 3, 3, 3] }, { dataType: 1, dims: [4] }, { dataType: 1, dims: [4, 4] }],
    initializerNames: ['W', 'B', 'W2'],
  });
}

function ops(view: ViewModel): ViewItem[] {
  return [...view.items.values()].filter((i) => i.kind === 'op');
}

/** Every leaf reachable from the root exactly once; every group within MAX_CHILDREN (+ graph inputs/outputs at the top). */
function checkHierarchy(g: GraphModel, view: ViewModel): void {
  const seen = new Map<string, number>();
  const stack: ViewItem[] = [view.root];
  while (stack.length > 0) {
    const grp = stack.pop()!;
    const limit = MAX_CHILDREN + (grp.id === ROOT_ID ? g.inputs.length + g.outputs.length : 0);
    assert.ok(grp.children!.length <= limit, `${grp.id} has ${grp.children!.length} children`);
    assert.ok(grp.id === ROOT_ID || (grp.opCount ?? 0) >= 2, `group ${grp.id} holds ${grp.opCount} op(s)`);
    for (const id of grp.children!) {
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const c = view.items.get(id)!;
      assert.equal(c.parent, grp.id);
      if (c.kind === 'group') stack.push(c);
    }
  }
  const folded = new Set(view.foldedConstants);
  for (const n of g.nodes) {
    const count = seen.get(`n:${n.index}`) ?? 0;
    assert.equal(count, folded.has(n.index) ? 0 : 1, `op ${n.index} (${n.opType}) appears ${count} times`);
  }
  for (const name of g.inputs) assert.equal(seen.get(`i:${name}`), 1);
  for (const name of g.outputs) assert.equal(seen.get(`o:${name}`), 1);
  assert.equal(view.root.opCount, g.nodes.length - folded.size);
}

test('small graph: initializers and input-less Constants fold into consumers as initializer ports', () => {
  const g = smallGraph();
  const view = buildViewModel(g, 'small');
  assert.deepEqual(view.foldedConstants, [2]);
  assert.equal(view.items.has('n:2'), false);
  const conv = view.items.get('n:0')!;
  assert.deepEqual(conv.inputs.map((p) => p.tensor), ['x']);
  assert.deepEqual(conv.initializers!.map((p) => p.tensor), ['W', 'B']);
  assert.equal(conv.initializers![0].type, 'float[4,3,3,3]');
  const add = view.items.get('n:3')!;
  assert.deepEqual(add.inputs.map((p) => p.tensor), ['r1']);
  assert.deepEqual(add.initializers!.map((p) => p.tensor), ['k']);
  assert.equal(view.items.get('i:x')!.outputs[0].type, 'float[1,3,8,8]');
  assert.equal(view.items.get('o:y1')!.kind, 'output');
  checkHierarchy(g, view);
});

test('small graph: scopes become groups; single-op scopes are dropped; categories', () => {
  const view = buildViewModel(smallGraph(), 'small');
  const block = view.items.get('g:block')!;
  // /block/conv and /block/act hold one op each: the ops sit directly in `block`.
  assert.equal(view.items.has('g:block/conv'), false);
  assert.deepEqual(block.children, ['n:0', 'n:1', 'n:3', 'n:4']);
  assert.equal(block.opCount, 4);
  assert.deepEqual(view.root.children, ['i:x', 'g:block', 'g:head', 'o:y1', 'o:y3']);
  assert.equal(view.items.get('n:0')!.category, 'conv');
  assert.equal(view.items.get('n:1')!.category, 'activation');
  assert.equal(view.items.get('n:5')!.category, 'matmul');
  assert.equal(view.items.get('n:7')!.category, 'custom');
  assert.equal(opCategory('Gemm', ''), 'matmul');
  assert.equal(opCategory('Reshape', ''), 'shape');
  assert.equal(opCategory('If', ''), 'control');
  assert.equal(opCategory('LayerNormalization', ''), 'normalization');
  assert.equal(opCategory('QuantizeLinear', ''), 'quantize');
  assert.equal(opCategory('ReduceMean', ''), 'reduce');
});

test('small graph: group ports are boundary tensors; edges are filed at their common level', () => {
  const view = buildViewModel(smallGraph(), 'small');
  const block = view.items.get('g:block')!;
  const head = view.items.get('g:head')!;
  // x enters block twice (Conv and Mul) but is one port; m1 leaves it.
  assert.deepEqual(block.inputs.map((p) => p.tensor), ['x']);
  assert.deepEqual(block.outputs.map((p) => p.tensor), ['m1']);
  assert.deepEqual(head.inputs.map((p) => p.tensor), ['m1']);
  assert.deepEqual(head.outputs.map((p) => p.tensor), ['y1', 'y3']);
  const top = view.levelEdges.get(ROOT_ID)!.map((e) => `${e.from}:${e.fromPort}>${e.to}:${e.toPort}`).sort();
  assert.deepEqual(top, ['g:block:0>g:head:0', 'g:head:0>o:y1:0', 'g:head:1>o:y3:0', 'i:x:0>g:block:0']);
  const inner = view.levelEdges.get('g:head')!.map((e) => `${e.from}:${e.fromPort}>${e.to}:${e.toPort}`).sort();
  // Split's second output (port 1) feeds the custom op.
  assert.deepEqual(inner, ['n:5:0>n:6:0', 'n:6:1>n:7:0']);
  // Every leaf edge is carried by some level edge (x's two reads merge into one i:x -> block edge).
  const carried = new Set([...view.levelEdges.values()].flatMap((l) => l.flatMap((e) => e.tensors)));
  for (const e of view.edges) assert.ok(carried.has(e.tensor), e.tensor);
  assert.equal(view.levelEdges.get(ROOT_ID)!.find((e) => e.from === 'i:x')!.tensors.length, 1);
});

test('runs: long same-stem stretches split along their numbering, labels from first and last', () => {
  const children = [{ value: 'embed', label: 'embed' }, ...Array.from({ length: 250 }, (_, i) => ({ value: `l${i}`, label: `layers.${i}` })), { value: 'head', label: 'head' }];
  const runs = splitIntoRuns(children, 100);
  assert.deepEqual(runs.map((r) => (r.kind === 'run' ? r.label : r.label)), ['embed', 'layers.0-99', 'layers.100-199', 'layers.200-249', 'head']);
  const r0 = runs[1];
  assert.ok(r0.kind === 'run' && r0.first === 1 && r0.last === 100 && r0.members.length === 100);
  // Mixed names: plain chunks, runs of runs when even the chunks are too many.
  const mixed = Array.from({ length: 25_000 }, (_, i) => ({ value: i, label: i % 2 ? `Add_${i}` : `Mul_${i}x` }));
  const top = splitIntoRuns(mixed, 100);
  assert.ok(top.length <= 100, `${top.length} entries`);
  assert.equal(runLabel('Mul_0x', 'Add_99'), 'Mul_0x … Add_99');
});

test('defaultExpanded: a graph that fits the first screens opens fully', () => {
  const view = buildViewModel(smallGraph(), 'small');
  assert.deepEqual(defaultExpanded(view).sort(), ['g:block', 'g:head']);
});

/** A chain through `scopes` scopes of `ops` Relus each, optionally nested in `/outer`. */
function scopedChain(scopes: number, ops: number, outer = ''): ViewModel {
  const nodes: NodeMsg[] = [];
  let prev = 'x';
  for (let s = 0; s < scopes; s++) for (let k = 0; k < ops; k++) {
    const out = `t${s}_${k}`;
    nodes.push(node(`${outer}/blk.${s}/Op${k}`, 'Relu', [prev], [out]));
    prev = out;
  }
  const g = buildGraph({ name: 'chain', nodes, inputs: [{ name: 'x' }], outputs: [{ name: prev }], valueInfo: [], initializers: [], initializerNames: [] });
  return buildViewModel(g, `chain-${scopes}-${ops}-${outer}`);
}

test('defaultExpanded: the top of the model opens in graph order; everything after the first overflow stays collapsed', () => {
  // 40 scopes of 10 ops: 42 boxes at the top; each open scope stays as a frame and adds its 10 ops.
  const view = scopedChain(40, 10);
  const open = defaultExpanded(view, 150);
  // 10 fit (142), an 11th makes 152: blk.0-9 open, in order, and nothing after.
  assert.deepEqual(open, Array.from({ length: 10 }, (_, i) => `g:blk.${i}`));
  assert.equal(visibleBoxCount(view, new Set([ROOT_ID, ...open])), 142);
  // A later, smaller group does not open past a closed one: with blk.0 too big, nothing opens.
  assert.deepEqual(defaultExpanded(view, 45), []);
});

test('defaultExpanded: the insides of a group open before its next sibling (pre-order)', () => {
  // /outer holds 6 scopes of 4 ops: outer (+6), blk.0 (+4), blk.1 (+4) ... within a budget of 3 + 6 + 3*4.
  const view = scopedChain(6, 4, '/outer');
  const open = defaultExpanded(view, 3 + 6 + 12);
  assert.deepEqual(open, ['g:outer', 'g:outer/blk.0', 'g:outer/blk.1', 'g:outer/blk.2']);
  assert.equal(visibleBoxCount(view, new Set([ROOT_ID, ...open])), 21);
});

test('defaultExpanded: the default budget is the first screens at a legible zoom', () => {
  assert.equal(VISIBLE_BOX_BUDGET, BOXES_PER_SCREEN * FIRST_SCREENS);
  const view = scopedChain(40, 10);
  assert.ok(visibleBoxCount(view, new Set([ROOT_ID, ...defaultExpanded(view)])) <= VISIBLE_BOX_BUDGET);
});

const loadView = (name: string) => {
  const g = buildModelGraph(readModel(fs.readFileSync(path.join(modelsDir, `${name}.onnx`))));
  return { g, view: buildViewModel(g, name) };
};

test('synth_50k: 1,020 layers.N split into runs of 100; no level over MAX_CHILDREN', { skip: noShared }, () => {
  const { g, view } = loadView('synth_50k');
  checkHierarchy(g, view);
  const labels = view.root.children!.map((id) => view.items.get(id)!.label);
  assert.ok(labels.includes('layers.0-99') && labels.includes('layers.1000-1019'), labels.join(', '));
  const run = view.items.get(view.root.children!.find((id) => view.items.get(id)!.label === 'layers.100-199')!)!;
  assert.match(run.id, /^g:#\d+-\d+$/);
  assert.equal(run.children!.length, 100);
  assert.equal(view.items.get(run.children![0])!.label, 'layers.100');
  const open = defaultExpanded(view);
  assert.ok(visibleBoxCount(view, new Set([ROOT_ID, ...open])) <= VISIBLE_BOX_BUDGET);
});

test('swin_tiny: folding leaves 1,830 op boxes + input + output = 1,832', { skip: noShared }, () => {
  const { g, view } = loadView('swin_tiny');
  checkHierarchy(g, view);
  // Netron's rule folds the 1,458 input-less Constants; ours also folds the 91 Identity nodes the exporter wrote
  // for shared parameters (each reads an initializer), which Netron draws as boxes: 1,921 - 91 op boxes.
  const byOp = new Map<string, number>();
  for (const i of view.foldedConstants) byOp.set(g.nodes[i].opType, (byOp.get(g.nodes[i].opType) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(byOp), { Constant: 1458, Identity: 91 });
  for (const i of view.foldedConstants) {
    const n = g.nodes[i];
    if (n.opType === 'Identity') assert.ok(g.values.get(n.inputs[0])!.initializer, `${n.name} copies an initializer`);
  }
  assert.equal([...view.items.values()].filter((i) => i.kind !== 'group').length, 1832);
});

test('an Identity of a weight folds into its readers (through chains); an Identity of data stays a box', () => {
  // w (initializer) -> Identity a -> Identity b -> Conv; x -> Identity c -> Relu (c copies data: stays a box).
  const g = buildGraph({
    name: 'g', inputs: [{ name: 'x' }], outputs: [{ name: 'y' }, { name: 'z' }], valueInfo: [],
    initializers: [{ dataType: 1, dims: [1] }], initializerNames: ['w'],
    nodes: [
      { op_type: 'Identity', name: 'a', input: ['w'], output: ['wa'] },
      { op_type: 'Identity', name: 'b', input: ['wa'], output: ['wb'] },
      { op_type: 'Conv', name: 'conv', input: ['x', 'wb'], output: ['y'] },
      { op_type: 'Identity', name: 'c', input: ['x'], output: ['xc'] },
      { op_type: 'Relu', name: 'relu', input: ['xc'], output: ['z'] },
    ],
  });
  const view = buildViewModel(g, 'ids');
  assert.deepEqual(view.foldedConstants, [0, 1]);
  const conv = view.items.get('n:2')!;
  assert.deepEqual(conv.inputs.map((p) => p.tensor), ['x']);
  assert.deepEqual(conv.initializers!.map((p) => p.tensor), ['wb']);
  assert.ok(view.items.has('n:3'), 'an Identity of data is a step of the computation');
});

test('resnet18_dynamo: groups come from pkg.torch.onnx.name_scopes metadata', { skip: noShared }, () => {
  const { g, view } = loadView('resnet18_dynamo');
  checkHierarchy(g, view);
  const layer1 = view.items.get('g:layer1')!;
  assert.equal(layer1.kind, 'group');
  assert.deepEqual(layer1.children!.map((id) => view.items.get(id)!.label), ['0', '1']);
  assert.equal(view.items.get('g:layer1/layer1.0')!.opCount, 5);
  assert.ok(ops(view).every((o) => !o.name.includes('/')), 'flat node names: scopes came from metadata');
});

test('squeezenet, mobilenet, synth_10k: hierarchy invariants', { skip: noShared }, () => {
  for (const name of ['squeezenet1_1', 'mobilenet_v3_small', 'synth_10k']) {
    const { g, view } = loadView(name);
    checkHierarchy(g, view);
  }
});
