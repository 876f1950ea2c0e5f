// Compare Backends with fused tensors, host side: on mobilenet_v3_small's real view model, tensors run A's backend
// fused away become table rows of their own (status 'fused', reason "fused into <layer>", in graph order among
// the compared rows), tensors and boxes get the 'fused' state (not pass, not fail) with the tooltip's note, a
// group whose every op was fused is fused, one with compared ops shows their error; the first divergence holds.
// Run: node --import tsx --test test/unit/compareOverlayFused.test.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { graphOrderOf } from '../../src/backends/compareBackends';
import { compareRuns, type TensorProvider } from '../../src/compare/compareRuns';
import { makeNdArray, type NdArray } from '../../src/compare/ndarray';
import { DEFAULT_TOLERANCE } from '../../src/compare/verdict';
import { buildModelGraph } from '../../src/core/graph';
import { ancestorsOf, buildViewModel, ROOT_ID } from '../../src/layout/viewModel';
import { compareResultView } from '../../src/host/compare/resultView';
import { readModelFileSync } from '../../src/node/modelFile';

const MODEL = ['../shared/models/mobilenet_v3_small.onnx', '/work/shared/models/mobilenet_v3_small.onnx'].map((p) => path.resolve(__dirname, '../..', p)).find((p) => fs.existsSync(p));
const skip = MODEL ? false : 'mobilenet_v3_small.onnx not found under ../shared/models';

describe('fused tensors in the result view on mobilenet_v3_small', { skip }, () => {
  test('rows, tensor and box states, fused groups, notes, first divergence', async () => {
    const graph = buildModelGraph(readModelFileSync(MODEL!).model);
    const view = buildViewModel(graph, 'test');
    const order = graphOrderOf(graph);
    // The culprit C and the node F feeding it; F's output is fused away on A (as TensorRT fuses Conv + act).
    const culprit = graph.nodes.filter((n) => n.opType === 'Conv')[5];
    const feeder = graph.nodes[graph.values.get(culprit.inputs[0])!.producer];
    // A small group of ops only, away from both: every op in it is fused.
    const group = [...view.items.values()].find((g) => g.kind === 'group' && g.children!.length >= 2 && g.children!.length <= 6 &&
      g.children!.every((c) => view.items.get(c)?.kind === 'op') && !g.children!.includes(`n:${culprit.index}`) && !g.children!.includes(`n:${feeder.index}`))!;
    assert.ok(group, 'a group of ops to fuse');
    const groupTensors = group.children!.flatMap((c) => graph.nodes[view.items.get(c)!.nodeIndex!].outputs);
    const fused = new Map<string, string | null>(groupTensors.map((t) => [t, `{ForeignNode[${group.name}]}`]));
    fused.set(feeder.outputs[0], 'Conv_3 + Relu_4');

    const tainted = new Set<string>([culprit.outputs[0]]);
    for (const t of order.order) if (order.producerInputs(t).some((i) => tainted.has(i))) tainted.add(t);
    const provider = (names: readonly string[], shift: number): TensorProvider => ({
      names,
      load: (n): NdArray => makeNdArray('float32', [2], new Float32Array([1, tainted.has(n) ? 1 + shift : 1])),
    });
    const report = await compareRuns(provider(order.order.filter((t) => !fused.has(t)), 0.5), provider(order.order, 0), {
      runnerA: { runnerName: 'trt-runner-N10.0', iteration: 0, label: 'TensorRT' }, runnerB: { runnerName: 'onnxrt-runner', iteration: 0, label: 'onnxruntime' },
      graph: order, fused: { a: fused },
    });
    const v = compareResultView(report, graph, view, DEFAULT_TOLERANCE, []);

    assert.equal(v.summary.fused, fused.size);
    assert.equal(v.summary.onlyB, 0, 'fused tensors are not unpaired');
    assert.equal(v.summary.failed, [...tainted].filter((t) => !fused.has(t)).length);
    // Tensor states: fused, with the note naming the layer and the backend.
    assert.deepEqual(v.overlay.tensors[feeder.outputs[0]], { abs: null, rel: null, status: 'fused', note: 'fused into Conv_3 + Relu_4 by TensorRT' });
    // The feeder's box is fused (its only output was); a box with compared outputs is not.
    assert.equal(feeder.outputs.length, 1);
    assert.equal(v.overlay.items[`n:${feeder.index}`].state, 'fused');
    assert.equal(v.overlay.items[`n:${feeder.index}`].note, 'fused into Conv_3 + Relu_4 by TensorRT');
    assert.equal(v.overlay.items[`n:${feeder.index}`].failed, false);
    assert.equal(v.overlay.items[`n:${culprit.index}`].state, undefined);
    assert.equal(v.overlay.items[`n:${culprit.index}`].failed, true);
    // A group whose every op was fused is fused; its ancestors hold compared ops and show their error.
    assert.equal(v.overlay.items[group.id].state, 'fused');
    assert.match(v.overlay.items[group.id].note!, /^fused into \{ForeignNode\[.*\]\} by TensorRT$/);
    for (const id of ancestorsOf(view.items, group.id)) {
      assert.equal(v.overlay.items[id].state, undefined, `${id} holds compared ops`);
      assert.notEqual(v.overlay.items[id].abs, null);
    }
    assert.equal(v.overlay.items[ROOT_ID].failed, true);

    // Rows: fused ones among the compared, all in graph order, with the layer as the reason.
    assert.equal(v.rows.length, report.tensors.length + fused.size);
    const pos = new Map(order.order.map((t, i) => [t, i]));
    const positions = v.rows.map((r) => pos.get(r.name)!);
    assert.deepEqual(positions, [...positions].sort((x, y) => x - y), 'rows in graph order');
    const row = v.rows.find((r) => r.name === feeder.outputs[0])!;
    assert.deepEqual(row, { name: feeder.outputs[0], status: 'fused', maxAbs: null, maxRel: null, cosine: null, shape: '', dtype: '', reason: 'fused into Conv_3 + Relu_4' });
    assert.equal(v.rows.filter((r) => r.status === 'fused').length, fused.size);
    assert.ok(v.rows.every((r) => r.status !== 'fail' || !fused.has(r.name)), 'no fused tensor fails');

    // First divergence: the culprit, not the fused tensor feeding it.
    assert.equal(v.firstDivergence?.tensor, culprit.outputs[0]);
    assert.equal(v.firstDivergence?.target?.box, `n:${culprit.index}`);
    assert.deepEqual(report.firstDivergence?.first?.inputs.find((i) => i.name === feeder.outputs[0]), { name: feeder.outputs[0], status: 'unknown', fusedInto: 'Conv_3 + Relu_4' });
    assert.deepEqual(JSON.parse(JSON.stringify(v)), v, 'the view crosses to the webview as JSON');
  });
});
