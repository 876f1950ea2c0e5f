// Subgraphs (If branches, local functions) resolved from graph paths, search ranking and matching, and where
// a result lands in the view (groups to open, folded constants, tensors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { onnxTypes } from '../../src/core/onnxSchema';
import { childPaths, resolveGraphPath } from '../../src/host/inspect/graphPath';
import { nodeProps } from '../../src/host/inspect/nodeProps';
import { tensorValues } from '../../src/host/inspect/tensorProps';
import { revealTarget } from '../../src/host/inspect/reveal';
import { matchRank, searchGraph } from '../../src/host/inspect/search';
import { buildViewModel } from '../../src/layout/viewModel';
import { DT, graphMsg, makeModel } from '../fixtures/builders';

const branch = (name: string, op: string) => ({
  name, outputs: [{ name: `${name}_out`, elemType: DT.FLOAT, shape: [2] }],
  initializers: [{ name: `${name}_k`, dataType: DT.FLOAT, dims: [2], floatData: [0.5, -1] }],
  nodes: [{ op, name: `${name}_${op}`, inputs: ['x', `${name}_k`], outputs: [`${name}_out`] }],
});

function ifModel() {
  const bytes = makeModel({
    inputs: [{ name: 'cond', elemType: DT.BOOL, shape: [] }, { name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    nodes: [
      { op: 'Relu', name: '/pre/Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'If', name: 'If_3', inputs: ['cond'], outputs: ['y'], attrs: [{ name: 'then_branch', g: branch('then', 'Neg') }, { name: 'else_branch', g: branch('else', 'Abs') }] },
    ],
  });
  // Add a local function (the builders have none): decode, append, encode.
  const msg = onnxTypes.ModelProto.toObject(onnxTypes.ModelProto.decode(bytes)) as Record<string, unknown>;
  msg.functions = [{ name: 'Double', domain: 'local', input: ['a'], output: ['b'], node: (graphMsg({ nodes: [{ op: 'Add', name: 'dbl', inputs: ['a', 'a'], outputs: ['b'] }] }) as { node: unknown[] }).node, opset_import: [{ domain: '', version: 21 }] }];
  const m = readModel(new Uint8Array(onnxTypes.ModelProto.encode(onnxTypes.ModelProto.fromObject(msg)).finish()));
  return { m, g: buildModelGraph(m) };
}

test('an If node\'s branches open as graphs with breadcrumbs, and the node panel links to them', () => {
  const { m, g } = ifModel();
  const then = resolveGraphPath(m, g, [{ kind: 'attribute', node: 1, attribute: 'then_branch', index: 0 }]);
  assert.deepEqual(then.graph.nodes.map((n) => n.opType), ['Neg']);
  assert.deepEqual(then.graph.outerReferences, ['x'], 'the branch reads x from the main graph');
  assert.deepEqual(then.breadcrumbs.map((b) => b.label), ['main graph', "node 'If_3' \u203a then_branch"]);
  assert.deepEqual(then.breadcrumbs[0].path, []);
  const view = buildViewModel(then.graph, 'k#then');
  assert.ok(view.items.has('n:0'), 'a view model is built for the subgraph');
  const props = nodeProps(m, g, [], 'n:1');
  const links = props.sections.find((s) => s.title === 'Attributes')!.rows.map((r) => r.link);
  assert.deepEqual(links, [
    { kind: 'graph', path: [{ kind: 'attribute', node: 1, attribute: 'then_branch', index: 0 }] },
    { kind: 'graph', path: [{ kind: 'attribute', node: 1, attribute: 'else_branch', index: 0 }] },
  ]);
  assert.deepEqual(childPaths(m, [], g.nodes[1]).map((c) => c.label), ['then_branch', 'else_branch']);
  assert.throws(() => resolveGraphPath(m, g, [{ kind: 'attribute', node: 0, attribute: 'then_branch', index: 0 }]), /node '\/pre\/Relu' has no graph attribute 'then_branch'/);
});

test('values of a subgraph\'s initializer are read on request', async () => {
  const { m, g } = ifModel();
  const then = resolveGraphPath(m, g, [{ kind: 'attribute', node: 1, attribute: 'then_branch', index: 0 }]).graph;
  const v = await tensorValues('/nonexistent/model.onnx', m, then, 'then_k', 10);
  assert.deepEqual([v.error, v.first, v.count], [undefined, ['0.5', '-1'], 2]);
});

test('a model-local function opens as a graph of its nodes', () => {
  const { m, g } = ifModel();
  const f = resolveGraphPath(m, g, [{ kind: 'function', domain: 'local', name: 'Double' }]);
  assert.deepEqual(f.graph.nodes.map((n) => n.name), ['dbl']);
  assert.deepEqual([f.graph.inputs, f.graph.outputs], [['a'], ['b']]);
  assert.equal(f.breadcrumbs[1].label, 'function local.Double');
  assert.throws(() => resolveGraphPath(m, g, [{ kind: 'function', domain: '', name: 'Nope' }]), /no local function Nope/);
});

test('search ranks exact, prefix, segment and substring matches; op types, tensors and shapes match', () => {
  assert.deepEqual(['relu', 'relu_1', 'a/relu', 'prelu'].map((t) => matchRank(t, 'relu')), [0, 1, 2, 3]);
  assert.equal(matchRank('conv', 'relu'), undefined);
  const { g } = ifModel();
  const byName = searchGraph(g, 'relu');
  assert.deepEqual(byName[0], { kind: 'node', label: '/pre/Relu', detail: 'Relu', id: 'n:0' });
  assert.deepEqual(searchGraph(g, 'If').map((r) => r.id), ['n:1']);
  const tensor = searchGraph(g, 'cond');
  assert.deepEqual(tensor.map((r) => [r.kind, r.id, r.detail]), [['input', 't:cond', 'bool[]']]);
  assert.deepEqual(searchGraph(g, 'float[2').map((r) => r.id).sort(), ['t:x', 't:y']);
  assert.deepEqual(searchGraph(g, '(2)').map((r) => r.id).sort(), ['t:x', 't:y'], 'parentheses and spaces in a shape query');
  assert.deepEqual(searchGraph(g, '  ').length, 0);
  assert.equal(searchGraph(g, 'r', 1).length, 1, 'the limit applies');
});

const shared = ['/work/shared/models', path.resolve(__dirname, '../../../shared/models')].find((d) => fs.existsSync(d));

test('swin_tiny: a shape query and a deep node name; reveal opens every enclosing group', { skip: shared ? false : 'shared models not found' }, () => {
  const m = readModel(new Uint8Array(fs.readFileSync(path.join(shared!, 'swin_tiny.onnx'))));
  const g = buildModelGraph(m);
  const name = '/layers/layers.2/blocks/blocks.3/attn/softmax/Softmax';
  const hits = searchGraph(g, name);
  assert.equal(hits[0].label, name);
  const shape = searchGraph(g, '1,12,49,49');
  assert.ok(shape.length > 0 && shape.every((r) => r.detail === 'float[1,12,49,49]'), 'shape hits carry the shape');
  const view = buildViewModel(g, 'swin');
  const target = revealTarget(g, view, hits[0].id);
  assert.equal(target.box, hits[0].id);
  assert.ok(target.expand.length >= 3, `opens the nested groups (${target.expand.join(', ')})`);
  assert.ok(target.expand.some((id) => id.includes('blocks.3')), 'its block is among them');
  for (const gid of target.expand) assert.equal(view.items.get(gid)?.kind, 'group');
  // Outermost first: each group's parent is the previous one (or the root).
  target.expand.slice(1).forEach((gid, i) => assert.equal(view.items.get(gid)!.parent, target.expand[i]));
  const out = g.nodes[Number(hits[0].id.slice(2))].outputs[0];
  const t = revealTarget(g, view, `t:${out}`);
  assert.deepEqual([t.box, t.tensor], [hits[0].id, out], 'a tensor lands on its producer with its edge');
  const folded = view.foldedConstants[0];
  assert.notEqual(revealTarget(g, view, `n:${folded}`).box, `n:${folded}`, 'a folded Constant lands on its consumer');
  assert.throws(() => revealTarget(g, view, 't:nope'), /no tensor 'nope'/);
});
