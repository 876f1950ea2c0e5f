// Shape inference on small hand-built models: symbolic dims and their arithmetic, the PyTorch exporter's
// shape chains folded into Reshape targets, control flow, local functions, diagnostics, never guessing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../src/core/model';
import { buildModelGraph } from '../../src/core/graph';
import { inferShapes, ShapeInference } from '../../src/core/shapes';
import { dimAdd, dimDivExact, dimFloorDiv, dimMul, dimSub } from '../../src/core/shapes/dimExpr';
import { formatValueType } from '../../src/core/types';
import { DT, makeModel, ModelSpec, NodeSpec } from '../fixtures/builders';

function infer(spec: ModelSpec): { t: (name: string) => string; r: ShapeInference } {
  const model = readModel(makeModel(spec));
  const r = inferShapes(model, buildModelGraph(model));
  return { t: (name) => formatValueType(r.types.get(name)), r };
}

const i64 = (name: string, values: number[], dims = [values.length]) => ({ name, dataType: DT.INT64, dims, int64Data: values });
const ints = (name: string, values: number[]) => ({ name, ints: values });

test('symbolic dims: sums and products print canonically and cancel', () => {
  assert.equal(dimAdd('seq', 1), 'seq+1');
  assert.equal(dimMul('batch', 196), 'batch*196');
  assert.equal(dimMul(196, 'batch'), 'batch*196');
  assert.equal(dimDivExact('batch*196', 196), 'batch');
  assert.equal(dimDivExact('batch*196', 'batch'), 196);
  assert.equal(dimDivExact('batch*196', 3), null, 'an inexact division is unknown, not rounded');
  assert.equal(dimSub(dimAdd('seq', 1), 1), 'seq');
  assert.equal(dimMul('a', 'b'), dimMul('b', 'a'));
  assert.equal(dimAdd('n', null), null);
  // A strided window over a symbolic size: an exact floor, nested floors merged, never a rounded guess.
  assert.equal(dimAdd(dimFloorDiv(dimSub('H', 1), 2), 1), 'floor((H-1)/2)+1');
  assert.equal(dimFloorDiv('floor((H-1)/2)', 2), 'floor((H-1)/4)');
  assert.equal(dimFloorDiv('2*H', 2), 'H');
  assert.equal(dimAdd('a b', 1), '(a b)+1', 'a dim_param with a space is one opaque symbol');
});

test('the exporter\'s Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain resolves the Reshape target', () => {
  const { t, r } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 'seq', 768] }],
    outputs: [{ name: 'heads' }, { name: 'flat' }],
    initializers: [i64('zero', [0], []), i64('one', [1], []), i64('tail', [12, 64]), i64('axes0', [0]), i64('minus1', [-1])],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['shape'] },
      { op: 'Gather', inputs: ['shape', 'zero'], outputs: ['b'] },
      { op: 'Gather', inputs: ['shape', 'one'], outputs: ['s'] },
      { op: 'Unsqueeze', inputs: ['b', 'axes0'], outputs: ['b1'] },
      { op: 'Unsqueeze', inputs: ['s', 'axes0'], outputs: ['s1'] },
      { op: 'Concat', inputs: ['b1', 's1', 'tail'], outputs: ['target'], attrs: [{ name: 'axis', i: 0 }] },
      { op: 'Reshape', inputs: ['x', 'target'], outputs: ['heads'] },
      { op: 'Concat', inputs: ['b1', 'minus1'], outputs: ['target2'], attrs: [{ name: 'axis', i: 0 }] },
      { op: 'Reshape', inputs: ['heads', 'target2'], outputs: ['flat'] },
    ],
  });
  assert.equal(t('shape'), 'int64[3]');
  assert.deepEqual(r.values.get('target'), ['batch', 'seq', 12, 64]);
  assert.equal(t('heads'), 'float[batch,seq,12,64]');
  assert.equal(t('flat'), 'float[batch,seq*768]');
  assert.deepEqual(r.diagnostics, []);
});

test('Concat along a symbolic axis adds (a class token: seq+1); Slice of x[1:] subtracts', () => {
  const { t } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 'seq', 64] }, { name: 'cls', elemType: DT.FLOAT, shape: ['batch', 1, 64] }],
    outputs: [{ name: 'z' }],
    initializers: [i64('starts', [1]), i64('ends', [2 ** 53 - 1]), i64('axes', [1])],
    nodes: [
      { op: 'Concat', inputs: ['cls', 'x'], outputs: ['y'], attrs: [{ name: 'axis', i: 1 }] },
      { op: 'Slice', inputs: ['y', 'starts', 'ends', 'axes'], outputs: ['z'] },
    ],
  });
  assert.equal(t('y'), 'float[batch,seq+1,64]');
  assert.equal(t('z'), 'float[batch,seq,64]');
});

test('CNN ops: Conv, pools (ceil_mode), Gemm, Flatten, broadcasting, with a symbolic batch', () => {
  const w = { name: 'w', dataType: DT.FLOAT, dims: [16, 3, 3, 3], floatData: new Array(16 * 27).fill(0) };
  const { t } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['N', 3, 224, 224] }],
    outputs: [{ name: 'y' }],
    initializers: [w, { name: 'fc', dataType: DT.FLOAT, dims: [10, 16 * 56 * 56], floatData: [] }],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: [ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])] },
      { op: 'MaxPool', inputs: ['c'], outputs: ['p'], attrs: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), { name: 'ceil_mode', i: 1 }] },
      { op: 'Flatten', inputs: ['p'], outputs: ['f'] },
      { op: 'Gemm', inputs: ['f', 'fc'], outputs: ['y'], attrs: [{ name: 'transB', i: 1 }] },
    ],
  });
  assert.equal(t('c'), 'float[N,16,112,112]');
  assert.equal(t('p'), 'float[N,16,56,56]');
  assert.equal(t('f'), 'float[N,50176]');
  assert.equal(t('y'), 'float[N,10]');
});

test('contradictions are reported on their node and leave the output unknown; declared value_info that disagrees is reported', () => {
  const { t, r } = infer({
    inputs: [{ name: 'a', elemType: DT.FLOAT, shape: [2, 3] }, { name: 'b', elemType: DT.FLOAT, shape: [4, 5] }],
    outputs: [{ name: 'm' }, { name: 'e' }],
    valueInfo: [{ name: 'e', elemType: DT.FLOAT, shape: [2, 4] }],
    nodes: [
      { op: 'MatMul', inputs: ['a', 'b'], outputs: ['m'], name: 'bad_matmul' },
      { op: 'Exp', inputs: ['a'], outputs: ['e'], name: 'exp' },
    ],
  });
  assert.equal(t('m'), '?');
  assert.match(r.diagnostics.find((d) => d.nodeName === 'bad_matmul')!.message, /inner dimensions differ: 3 and 4/);
  const declared = r.diagnostics.find((d) => d.nodeName === 'exp')!;
  assert.equal(declared.tensor, 'e');
  assert.match(declared.message, /declared float\[2,4\] but the node computes float\[2,3\]/);
});

test('never guesses: an op without a rule leaves its outputs unknown and is listed; data-dependent sizes get new symbols', () => {
  const { t, r } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2, 3] }],
    outputs: [{ name: 'y' }, { name: 'nz' }, { name: 'g' }],
    nodes: [
      { op: 'MysteryOp', domain: 'com.example', inputs: ['x'], outputs: ['y'] },
      { op: 'NonZero', inputs: ['x'], outputs: ['nz'] },
      { op: 'Transpose', inputs: ['nz'], outputs: ['g'] },
    ],
    opsets: [{ version: 17 }, { domain: 'com.example', version: 1 }],
  });
  assert.equal(t('y'), '?');
  assert.deepEqual([...r.unsupported], [['com.example.MysteryOp', 1]]);
  assert.equal(t('nz'), 'int64[2,nonzero_1]');
  assert.equal(t('g'), 'int64[nonzero_1,2]');
});

test('small values fold through Cast, Mul, Floor (the exporter\'s interpolate size) into Resize sizes', () => {
  const { t } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 8, 10, 15] }],
    outputs: [{ name: 'y' }],
    initializers: [i64('idx', [2, 3]), { name: 'scale', dataType: DT.FLOAT, dims: [], floatData: [1.5] }, i64('nc', [1, 8])],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'idx'], outputs: ['hw'] },
      { op: 'Cast', inputs: ['hw'], outputs: ['hwf'], attrs: [{ name: 'to', i: DT.FLOAT }] },
      { op: 'Mul', inputs: ['hwf', 'scale'], outputs: ['scaled'] },
      { op: 'Floor', inputs: ['scaled'], outputs: ['fl'] },
      { op: 'Cast', inputs: ['fl'], outputs: ['hwi'], attrs: [{ name: 'to', i: DT.INT64 }] },
      { op: 'Concat', inputs: ['nc', 'hwi'], outputs: ['sizes'], attrs: [{ name: 'axis', i: 0 }] },
      { op: 'Resize', inputs: ['x', '', '', 'sizes'], outputs: ['y'], attrs: [{ name: 'mode', s: 'nearest' }] },
    ],
  });
  assert.equal(t('y'), 'float[1,8,15,22]');
});

test('If joins its branches; Loop without a condition runs M times; Scan slices and stacks', () => {
  const branch = (shape: number[], v: number): NodeSpec => ({
    op: 'Constant', outputs: [`out${v}`],
    attrs: [{ name: 'value', t: { name: 'c', dataType: DT.FLOAT, dims: shape, floatData: new Array(shape.reduce((a, b) => a * b, 1)).fill(v) } }],
  });
  const { t } = infer({
    inputs: [{ name: 'cond', elemType: DT.BOOL, shape: [] }, { name: 'x', elemType: DT.FLOAT, shape: [7, 4] }],
    outputs: [{ name: 'picked' }, { name: 'final' }, { name: 'stack' }, { name: 'scanned' }],
    initializers: [i64('m', [5], [])],
    nodes: [
      {
        op: 'If', inputs: ['cond'], outputs: ['picked'], attrs: [
          { name: 'then_branch', g: { nodes: [branch([2, 3], 1)], outputs: [{ name: 'out1', elemType: DT.FLOAT }] } },
          { name: 'else_branch', g: { nodes: [branch([2, 5], 2)], outputs: [{ name: 'out2', elemType: DT.FLOAT }] } },
        ],
      },
      {
        op: 'Loop', inputs: ['m', '', 'x'], outputs: ['final', 'stack'], attrs: [{
          name: 'body', g: {
            inputs: [{ name: 'i', elemType: DT.INT64, shape: [] }, { name: 'c', elemType: DT.BOOL, shape: [] }, { name: 'acc' }],
            outputs: [{ name: 'c_out' }, { name: 'acc_out' }, { name: 'row' }],
            nodes: [
              { op: 'Identity', inputs: ['c'], outputs: ['c_out'] },
              { op: 'Relu', inputs: ['acc'], outputs: ['acc_out'] },
              { op: 'ReduceSum', inputs: ['acc'], outputs: ['row'], attrs: [{ name: 'keepdims', i: 0 }] },
            ],
          },
        }],
      },
      {
        op: 'Scan', inputs: ['x'], outputs: ['scanned'], attrs: [{ name: 'num_scan_inputs', i: 1 }, {
          name: 'body', g: {
            inputs: [{ name: 'xi' }], outputs: [{ name: 'yi' }],
            nodes: [{ op: 'Neg', inputs: ['xi'], outputs: ['yi'] }],
          },
        }],
      },
    ],
  });
  assert.equal(t('picked'), 'float[2,?]');
  assert.equal(t('final'), 'float[7,4]');
  assert.equal(t('stack'), 'float[5]');
  assert.equal(t('scanned'), 'float[7,4]');
});

test('model-local functions: the body is inferred with the caller\'s inputs and attributes', () => {
  const { t } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['B', 6, 4] }],
    outputs: [{ name: 'y' }],
    opsets: [{ version: 18 }, { domain: 'local', version: 1 }],
    functions: [{
      name: 'SwapAndDouble', domain: 'local', inputs: ['a'], outputs: ['b'], attributes: ['perm'],
      nodes: [
        { op: 'Transpose', inputs: ['a'], outputs: ['t'], attrs: [{ name: 'perm', refAttrName: 'perm', type: 7 }] },
        { op: 'Concat', inputs: ['t', 't'], outputs: ['b'], attrs: [{ name: 'axis', i: -1 }] },
      ],
      opsets: [{ version: 18 }],
    }],
    nodes: [{ op: 'SwapAndDouble', domain: 'local', inputs: ['x'], outputs: ['y'], attrs: [ints('perm', [0, 2, 1])] }],
  });
  assert.equal(t('y'), 'float[B,4,12]');
});

test('declared types fill in what inference cannot know, and inference fills in declared unknown dims', () => {
  const { t, r } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2, 3] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [null, 'cols'] }, { name: 'u', elemType: DT.FLOAT, shape: [5] }],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['y'] },
      { op: 'Custom', domain: 'x.y', inputs: ['x'], outputs: ['u'] },
    ],
    opsets: [{ version: 17 }, { domain: 'x.y', version: 1 }],
  });
  assert.equal(t('y'), 'float[2,3]');
  assert.equal(t('u'), 'float[5]');
  assert.deepEqual(r.diagnostics, []);
});

test('operator contradictions: Reshape element counts, broadcasting, Concat dims, Conv channels, Gather indices', () => {
  const { t, r } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2, 3, 4] }, { name: 'b', elemType: DT.FLOAT, shape: [5] }, { name: 'img', elemType: DT.FLOAT, shape: [1, 3, 8, 8] }],
    outputs: [{ name: 'r' }, { name: 'a' }, { name: 'c' }, { name: 'v' }, { name: 'g' }],
    initializers: [i64('bad_shape', [5, 5]), { name: 'w', dataType: DT.FLOAT, dims: [8, 4, 3, 3], floatData: [] }, i64('far', [7], [])],
    nodes: [
      { op: 'Reshape', name: 'reshape', inputs: ['x', 'bad_shape'], outputs: ['r'] },
      { op: 'Add', name: 'add', inputs: ['x', 'b'], outputs: ['a'] },
      { op: 'Concat', name: 'concat', inputs: ['x', 'b'], outputs: ['c'], attrs: [{ name: 'axis', i: 0 }] },
      { op: 'Conv', name: 'conv', inputs: ['img', 'w'], outputs: ['v'] },
      { op: 'Gather', name: 'gather', inputs: ['x', 'far'], outputs: ['g'], attrs: [{ name: 'axis', i: 1 }] },
    ],
  });
  const message = (name: string) => r.diagnostics.find((d) => d.nodeName === name)?.message ?? '';
  assert.match(message('reshape'), /cannot reshape 24 elements into 25/);
  assert.match(message('add'), /cannot broadcast dimensions 4 and 5/);
  assert.match(message('concat'), /inputs have ranks 3 and 1/);
  assert.match(message('conv'), /weight expects 4 channels per group, the input has 3/);
  assert.match(message('gather'), /index 7 is out of range for axis size 3/);
  for (const o of ['r', 'a', 'c', 'v', 'g']) assert.equal(t(o), '?', `${o} stays unknown`);
  assert.equal(r.diagnostics.length, 5);
});

test('symbolic dims are not contradictions: a Reshape of batch*12 elements into [batch, 3, 4] is fine, into [5, 5] is not known wrong', () => {
  const { t, r } = infer({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 12] }],
    outputs: [{ name: 'y' }, { name: 'z' }],
    initializers: [i64('t1', [0, 3, 4]), i64('t2', [5, 5])],
    nodes: [
      { op: 'Reshape', inputs: ['x', 't1'], outputs: ['y'] },
      { op: 'Reshape', inputs: ['x', 't2'], outputs: ['z'] },
    ],
  });
  assert.equal(t('y'), 'float[batch,3,4]');
  assert.equal(t('z'), 'float[5,5]');
  assert.deepEqual(r.diagnostics, []);
});

test('a contradiction inside a subgraph names the subgraph, not the main graph', () => {
  const { r } = infer({
    inputs: [{ name: 'cond', elemType: DT.BOOL, shape: [] }, { name: 'x', elemType: DT.FLOAT, shape: [2, 3] }],
    outputs: [{ name: 'y' }],
    nodes: [{
      op: 'If', name: 'if', inputs: ['cond'], outputs: ['y'], attrs: [
        { name: 'then_branch', g: { name: 'then_body', nodes: [{ op: 'MatMul', name: 'mm', inputs: ['x', 'x'], outputs: ['t'] }], outputs: [{ name: 't' }] } },
        { name: 'else_branch', g: { name: 'else_body', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['e'] }], outputs: [{ name: 'e' }] } },
      ],
    }],
  });
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].graph, 'then_body');
  assert.match(r.diagnostics[0].message, /node 'mm' \(MatMul\): inner dimensions differ: 3 and 2/);
});
