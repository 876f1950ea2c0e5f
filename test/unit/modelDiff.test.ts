// The model diff's node matching and changes, on edited copies of the shared models (op changed, attribute
// changed, node inserted, node removed, node renamed, every name stripped and every tensor renamed, initializer
// reshaped or refilled), on the ONNX conformance corpus (each model against itself and against its copy with no
// node names), the union model the graph view opens, and its speed on synth_50k.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffModels, isSameModel, type DiffSide, type ModelDiff } from '../../src/core/diff/modelDiff';
import { buildUnionModel } from '../../src/core/diff/unionModel';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { onnxTypes } from '../../src/core/onnxSchema';
import { missingShared, modelsDir as MODELS } from './editSupport';
import { modelDiffView } from '../../src/host/modelDiff/diffView';
import { ancestorsOf, buildViewModel, ROOT_ID } from '../../src/layout/viewModel';

const skip = missingShared('models/resnet18_dynamo.onnx', 'models/squeezenet1_1.onnx', 'models/mobilenet_v3_small.onnx');

type NodeLike = { name?: string; op_type?: string; input: string[]; output: string[]; attribute: { name?: string; ints?: number[] }[] };
type GraphLike = { node: NodeLike[]; initializer: { name?: string; dims: number[]; raw_data?: Uint8Array }[] };

function side(bytes: Uint8Array): DiffSide {
  const model = readModel(bytes);
  return { model, graph: buildModelGraph(model) };
}

const cache = new Map<string, Uint8Array>();
function bytesOf(name: string): Uint8Array {
  if (!cache.has(name)) cache.set(name, fs.readFileSync(path.join(MODELS, name)));
  return cache.get(name)!;
}

/** A copy of a shared model with its graph edited. */
function edited(name: string, edit: (g: GraphLike) => void): DiffSide {
  const msg = onnxTypes.ModelProto.decode(bytesOf(name)) as unknown as { graph: GraphLike };
  edit(msg.graph);
  return side(onnxTypes.ModelProto.encode(msg as never).finish());
}

const kinds = (d: ModelDiff) => d.nodes.map((n) => n.status);
const changeKinds = (d: ModelDiff) => d.nodes.flatMap((n) => n.changes.map((c) => c.kind));

test('a model against itself: nothing differs, every node matched by name', { skip }, () => {
  const a = side(bytesOf('squeezenet1_1.onnx'));
  const d = diffModels(a, a);
  assert.ok(isSameModel(d));
  assert.equal(d.summary.unchanged, a.graph.nodes.length);
});

test('Add → Sub: one changed node, its op, matched by name', { skip }, () => {
  const a = side(bytesOf('resnet18_dynamo.onnx'));
  let target = '';
  const b = edited('resnet18_dynamo.onnx', (g) => {
    const n = g.node.find((x) => x.op_type === 'Add')!;
    n.op_type = 'Sub';
    target = n.name!;
  });
  const d = diffModels(a, b);
  assert.deepEqual(kinds(d), ['changed']);
  assert.equal(d.nodes[0].name, target);
  assert.equal(d.nodes[0].matchedBy, 'name');
  assert.deepEqual(d.nodes[0].changes, [{ kind: 'op', key: 'op', before: 'Add', after: 'Sub' }]);
});

test('a changed attribute: old → new as the text form prints it', { skip }, () => {
  const a = side(bytesOf('squeezenet1_1.onnx'));
  const b = edited('squeezenet1_1.onnx', (g) => {
    g.node.find((x) => x.op_type === 'MaxPool')!.attribute.find((x) => x.name === 'kernel_shape')!.ints = [2, 2];
  });
  const d = diffModels(a, b);
  assert.deepEqual(kinds(d), ['changed']);
  assert.deepEqual(d.nodes[0].changes, [{ kind: 'attribute', key: 'kernel_shape', before: 'ints = [3, 3]', after: 'ints = [2, 2]' }]);
});

test('an inserted node is added; its consumers read a new tensor', { skip }, () => {
  const a = side(bytesOf('resnet18_dynamo.onnx'));
  let consumers = 0;
  const b = edited('resnet18_dynamo.onnx', (g) => {
    const i = g.node.findIndex((x) => x.op_type === 'MaxPool');
    const out = g.node[i].output[0];
    for (const n of g.node) n.input = n.input.map((x) => { if (x === out) { consumers++; return 'inserted_out'; } return x; });
    g.node.splice(i + 1, 0, onnxTypes.NodeProto.fromObject({ name: 'inserted_relu', op_type: 'Relu', input: [out], output: ['inserted_out'] }) as never);
  });
  const d = diffModels(a, b);
  assert.ok(consumers > 0);
  assert.deepEqual(d.nodes.filter((n) => n.status === 'added').map((n) => n.name), ['inserted_relu']);
  const changed = d.nodes.filter((n) => n.status === 'changed');
  assert.equal(changed.length, consumers);
  for (const n of changed) assert.deepEqual(n.changes.map((c) => c.kind), ['input']);
  assert.equal(d.summary.removed, 0);
  // In graph order: the new node comes before the consumers it feeds.
  assert.equal(d.nodes[0].name, 'inserted_relu');
});

test('a removed node is listed where it was, and the union graph shows it wired to B', { skip }, () => {
  const a = side(bytesOf('resnet18_dynamo.onnx'));
  let removed = '', input = '';
  const b = edited('resnet18_dynamo.onnx', (g) => {
    const i = g.node.findIndex((x) => x.op_type === 'Relu');
    const [n] = g.node.splice(i, 1);
    removed = n.name!;
    input = n.input[0];
    for (const m of g.node) m.input = m.input.map((x) => (x === n.output[0] ? input : x));
  });
  const d = diffModels(a, b);
  assert.deepEqual(d.nodes.filter((n) => n.status === 'removed').map((n) => n.name), [removed]);
  assert.equal(d.summary.added, 0);
  assert.ok(d.nodes.filter((n) => n.status === 'changed').every((n) => n.changes.every((c) => c.kind === 'input')));
  const union = buildUnionModel(a, b, d);
  const u = side(union.bytes);
  assert.equal(u.graph.nodes.length, b.graph.nodes.length + 1);
  assert.deepEqual(u.graph.problems, []);
  const back = u.graph.nodes[union.nodesB];
  assert.equal(back.name, removed);
  assert.deepEqual(back.inputs, [input], 'reads the tensor it read, which B still has');
  // Its output name is free in B (nothing produces it there), so it keeps it.
  assert.equal(u.graph.values.get(back.outputs[0])?.producer, union.nodesB);
});

test('a removed node whose output B produces otherwise gets a renamed output in the union', { skip }, () => {
  const a = side(bytesOf('resnet18_dynamo.onnx'));
  // B: the first Relu replaced by an unnamed Sigmoid producing the same tensor, with another input.
  const b = edited('resnet18_dynamo.onnx', (g) => {
    const i = g.node.findIndex((x) => x.op_type === 'Relu');
    g.node[i] = onnxTypes.NodeProto.fromObject({ op_type: 'Sigmoid', input: [g.node[i - 1].input[0]], output: g.node[i].output }) as never;
  });
  const d = diffModels(a, b);
  // Same output tensor: matched as one node whose op, name and input changed (not a removal and an addition).
  assert.deepEqual(kinds(d), ['changed']);
  assert.equal(d.nodes[0].matchedBy, 'outputs');
  assert.deepEqual(d.nodes[0].changes.map((c) => c.kind), ['op', 'name', 'input']);
});

test('a renamed node: matched by what it produces, only its name changed', { skip }, () => {
  const a = side(bytesOf('squeezenet1_1.onnx'));
  const b = edited('squeezenet1_1.onnx', (g) => { g.node.find((x) => x.op_type === 'Conv')!.name = 'my_conv'; });
  const d = diffModels(a, b);
  assert.deepEqual(kinds(d), ['changed']);
  assert.equal(d.nodes[0].matchedBy, 'outputs');
  assert.deepEqual(d.nodes[0].changes.map((c) => [c.kind, c.after]), [['name', 'my_conv']]);
});

test('no names and every intermediate tensor renamed: matched by structure, only names and outputs differ', { skip }, () => {
  const a = side(bytesOf('mobilenet_v3_small.onnx'));
  const b = edited('mobilenet_v3_small.onnx', (g) => {
    const rename = new Map<string, string>();
    g.node.forEach((n, i) => {
      n.name = '';
      n.output = n.output.map((o, k) => { const r = `t${i}_${k}`; rename.set(o, r); return r; });
    });
    const graph = g as unknown as { output: { name: string }[] };
    for (const n of g.node) n.input = n.input.map((x) => rename.get(x) ?? x);
    for (const o of graph.output) o.name = rename.get(o.name) ?? o.name;
  });
  const d = diffModels(a, b);
  assert.equal(d.summary.added, 0);
  assert.equal(d.summary.removed, 0);
  assert.equal(d.summary.changed, a.graph.nodes.length);
  assert.deepEqual([...new Set(changeKinds(d))].sort(), ['name', 'output']);
});

test('an initializer reshaped, and one refilled: dtype and dims, then a digest of the values', { skip }, () => {
  const a = side(bytesOf('squeezenet1_1.onnx'));
  const b = edited('squeezenet1_1.onnx', (g) => {
    const w = g.initializer.find((t) => t.name === 'features.0.weight')!;
    w.dims = [64, 3, 1, 9];
    const bias = g.initializer.find((t) => t.name === 'features.0.bias')!;
    bias.raw_data = Uint8Array.from(bias.raw_data!, (x, i) => (i === 0 ? x ^ 1 : x));
  });
  const d = diffModels(a, b);
  // Every node reading them differs (squeezenet's Identity nodes copy the bias too), and only those.
  const readers = a.graph.nodes.filter((n) => n.inputs.some((x) => x === 'features.0.weight' || x === 'features.0.bias'));
  assert.deepEqual(d.nodes.map((n) => n.a).sort(), readers.map((n) => n.index).sort());
  assert.ok(d.nodes.every((n) => n.status === 'changed' && n.changes.every((c) => c.kind === 'initializer')));
  const conv = d.nodes.find((n) => n.name === '/features/features.0/Conv')!;
  const [shape, values] = conv.changes;
  assert.deepEqual(shape, { kind: 'initializer', key: 'features.0.weight (input 1)', before: 'float[64,3,3,3]', after: 'float[64,3,1,9]' });
  assert.equal(values.key, 'features.0.bias (input 2)');
  assert.match(values.before, /^float\[64\] sha256:[0-9a-f]{12}$/);
  assert.match(values.after, /^float\[64\] sha256:[0-9a-f]{12}$/);
  assert.notEqual(values.before, values.after);
});

test('deterministic: the same inputs give the same diff', { skip }, () => {
  const a = side(bytesOf('resnet18_dynamo.onnx'));
  const b = edited('resnet18_dynamo.onnx', (g) => { for (const n of g.node) n.name = ''; g.node.splice(5, 1); });
  const strip = (d: ModelDiff) => JSON.stringify({ nodes: d.nodes, graph: d.graph, summary: d.summary });
  assert.equal(strip(diffModels(a, b)), strip(diffModels(a, b)));
});

const CORPUS = '/usr/share/libonnx-testdata/data';
function findModels(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) findModels(p, out);
    else if (name.endsWith('.onnx')) out.push(p);
  }
  return out;
}
const corpus = fs.existsSync(CORPUS) ? findModels(CORPUS).sort() : [];

test('conformance models: each against itself is the same; without node names, every node is still matched', {
  skip: corpus.length === 0 ? `${CORPUS} not found (apt-get install libonnx-testdata)` : false,
}, () => {
  const failures: string[] = [];
  for (const file of corpus) {
    const rel = file.slice(CORPUS.length + 1);
    try {
      const bytes = fs.readFileSync(file);
      const a = side(bytes);
      if (!isSameModel(diffModels(a, a))) failures.push(`${rel}: differs from itself`);
      const msg = onnxTypes.ModelProto.decode(bytes) as unknown as { graph: GraphLike };
      for (const n of msg.graph.node) n.name = '';
      const d = diffModels(a, side(onnxTypes.ModelProto.encode(msg as never).finish()));
      if (d.summary.added || d.summary.removed) failures.push(`${rel}: ${d.summary.added} added, ${d.summary.removed} removed without names`);
      if (changeKinds(d).some((k) => k !== 'name')) failures.push(`${rel}: changes other than names: ${changeKinds(d).join(',')}`);
    } catch (e) {
      failures.push(`${rel}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('synth_50k against an edited copy: fast, and finds the edits', {
  skip: missingShared('models/synth_50k.onnx'),
}, (t) => {
  const a = side(bytesOf('synth_50k.onnx'));
  const b = edited('synth_50k.onnx', (g) => {
    g.node[100].name = '';
    g.node.splice(2000, 1);
  });
  const t0 = performance.now();
  const d = diffModels(a, b);
  const diffMs = performance.now() - t0;
  const union = buildUnionModel(a, b, d);
  const totalMs = performance.now() - t0;
  t.diagnostic(`synth_50k (${a.graph.nodes.length} nodes): diff ${diffMs.toFixed(0)} ms, diff + union model ${totalMs.toFixed(0)} ms (machine under load)`);
  assert.equal(d.summary.removed, 1);
  assert.equal(d.nodes.filter((n) => n.status === 'changed' && n.changes.some((c) => c.kind === 'name')).length, 1);
  assert.ok(union.bytes.length > 0);
  // Generous: catches a quadratic blow-up (minutes), not noise; ~250 ms on an idle 2-core machine, 1.6 s at load 20.
  assert.ok(diffMs < 5000, `diff took ${diffMs.toFixed(0)} ms`);
});

test('the view of a diff: entries point at union boxes, and the groups above them are marked', { skip }, () => {
  const a = side(bytesOf('squeezenet1_1.onnx'));
  const b = edited('squeezenet1_1.onnx', (g) => {
    g.node.find((x) => x.op_type === 'MaxPool')!.attribute.find((x) => x.name === 'kernel_shape')!.ints = [2, 2];
    const i = g.node.findIndex((x) => x.op_type === 'Relu');
    const [n] = g.node.splice(i, 1);
    for (const m of g.node) m.input = m.input.map((x) => (x === n.output[0] ? n.input[0] : x));
  });
  const d = diffModels(a, b);
  const union = buildUnionModel(a, b, d);
  const u = side(union.bytes);
  const view = buildViewModel(u.graph, 'test');
  const v = modelDiffView({ a: 'a.onnx', b: 'b.onnx' }, d, union, u.graph, view);
  assert.deepEqual(v.summary, { added: 0, removed: 1, changed: d.summary.changed, unchanged: d.summary.unchanged });
  const removed = v.entries.find((e) => e.status === 'removed')!;
  assert.equal(removed.id, `n:${union.nodesB}`);
  assert.equal(u.graph.nodes[union.nodesB].opType, 'Relu');
  const pool = v.entries.find((e) => e.opType === 'MaxPool')!;
  assert.equal(u.graph.nodes[Number(pool.id.slice(2))].name, pool.name, 'changed entries keep B\'s index');
  assert.equal(v.marks[pool.id], 'changed');
  assert.equal(v.marks[removed.id], 'removed');
  for (const g of ancestorsOf(view.items, removed.id).filter((x) => x !== ROOT_ID)) assert.ok(v.marks[g], `group ${g} holding the removed node is marked`);
  const markedOps = Object.keys(v.marks).filter((id) => id.startsWith('n:'));
  assert.equal(markedOps.length, v.entries.length, 'one marked box per difference');
});
