// Inferred shapes where the user reads them: the view model's edge labels (ports) and the tensor properties
// (type marked inferred, folded shape values, contradictions), for a model that declares no value_info.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { applyInferredShapes } from '../../src/core/shapes';
import { tensorProps } from '../../src/host/inspect/tensorProps';
import { buildViewModel } from '../../src/layout/viewModel';
import type { PropsView } from '../../src/protocol/inspect';
import { DT, makeModel } from '../fixtures/builders';

function exported() {
  const model = readModel(makeModel({
    opsets: [{ version: 17 }],
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 196, 768] }],
    outputs: [{ name: 'y' }, { name: 'z', elemType: DT.FLOAT, shape: [7] }],
    initializers: [{ name: 'tail', dataType: DT.INT64, dims: [2], int64Data: [12, 64] }, { name: 'zero', dataType: DT.INT64, dims: [1], int64Data: [0] }],
    nodes: [
      { op: 'Shape', name: 'shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', name: 'gather', inputs: ['s', 'zero'], outputs: ['b'] },
      { op: 'Concat', name: 'concat', inputs: ['b', 'tail'], outputs: ['target'], attrs: [{ name: 'axis', i: 0 }] },
      { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['r'] },
      { op: 'Reshape', name: 'reshape', inputs: ['r', 'target'], outputs: ['y'] },
      { op: 'ReduceSum', name: 'sum', inputs: ['x'], outputs: ['z'], attrs: [{ name: 'keepdims', i: 0 }] },
    ],
  }));
  const graph = buildModelGraph(model);
  const inference = applyInferredShapes(model, graph);
  return { graph, inference };
}

const row = (v: PropsView, key: string) => v.sections.flatMap((s) => s.rows).find((r) => r.key === key);

test('edge labels show inferred shapes for tensors the file leaves untyped', () => {
  const { graph } = exported();
  const view = buildViewModel(graph, 'k');
  const relu = [...view.items.values()].find((i) => i.kind === 'op' && i.label === 'Relu')!;
  assert.equal(relu.outputs[0].type, 'float[batch,196,768]');
  const reshape = [...view.items.values()].find((i) => i.kind === 'op' && i.label === 'Reshape')!;
  assert.match(reshape.outputs[0].type!, /^float\[batch,12,64\]$/);
});

test('the tensor panel marks inferred types, shows folded shape values and the node a declaration contradicts', () => {
  const { graph, inference } = exported();
  const target = tensorProps(graph, 'target');
  assert.equal(row(target, 'type')!.value, 'int64[3]');
  assert.equal(row(target, 'type')!.detail, 'inferred');
  assert.equal(row(target, 'value (inferred)')!.value, '[batch, 12, 64]');
  const input = tensorProps(graph, 'x');
  assert.equal(row(input, 'type')!.detail, undefined, 'a declared type is not marked inferred');
  const z = tensorProps(graph, 'z');
  assert.equal(row(z, 'type')!.value, 'float[7]', 'the declared type stays when it contradicts');
  assert.match(row(z, 'shape problem')!.value, /node 'sum' \(ReduceSum\): output 'z' is declared float\[7\] but the node computes float\[\]/);
  assert.equal(inference.diagnostics.length, 1);
});
