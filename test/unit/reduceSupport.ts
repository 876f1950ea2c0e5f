// Shared by the reduce tests and bench: one-node mutations of a model (op, attribute, constant), a small
// Swin-like transformer block, and a reduction of a mutated copy against its original on onnxruntime.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ortRunKind } from '../../src/backends/onnxruntime/ortKind';
import { prepareInputs } from '../../src/backends/inputs/prepareInputs';
import { ResourcePool } from '../../src/backends/registry';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { onnxTypes } from '../../src/core/onnxSchema';
import { constantNodes } from '../../src/core/constantNodes';
import { ReduceOptions, ReduceResult, reduceFailure } from '../../src/reduce/reduce';
import { DT, makeModel, NodeSpec, TensorSpec } from '../fixtures/builders';
import { seededFloats } from './editSupport';

interface NodeObj { name?: string; op_type?: string; attribute?: { name?: string; type?: number; f?: number; i?: number | { toNumber(): number } }[] }
interface TensorObj { name?: string; raw_data?: Uint8Array; float_data?: number[] }
interface ModelObj { graph: { node: NodeObj[]; initializer: TensorObj[] } }

export type Mutation =
  | { kind: 'op'; node: string; to: string }
  | { kind: 'attribute'; node: string; attribute: string; f?: number; i?: number }
  | { kind: 'constant'; initializer: string; node: string };

/** The model with one change: a node's op, one of its attributes (set or added), or an initializer's values (x1.5 + 0.1). */
export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const msg = onnxTypes.ModelProto.decode(bytes) as unknown as ModelObj;
  const node = msg.graph.node.find((n) => n.name === m.node);
  if (!node) throw new Error(`no node '${m.node}'`);
  if (m.kind === 'op') node.op_type = m.to;
  if (m.kind === 'attribute') {
    node.attribute ??= [];
    let a = node.attribute.find((x) => x.name === m.attribute);
    // An attribute left at its default is added (FLOAT = 1, INT = 2).
    if (!a) node.attribute.push(a = { name: m.attribute, type: m.f !== undefined ? 1 : 2 });
    if (m.f !== undefined) a.f = m.f;
    if (m.i !== undefined) a.i = m.i;
  }
  if (m.kind === 'constant') {
    const t = msg.graph.initializer.find((x) => x.name === m.initializer);
    if (!t) throw new Error(`no initializer '${m.initializer}'`);
    if (t.raw_data && t.raw_data.length) {
      const f = new Float32Array(t.raw_data.slice().buffer);
      for (let i = 0; i < f.length; i++) f[i] = f[i] * 1.5 + 0.1;
      t.raw_data = new Uint8Array(f.buffer);
    } else if (t.float_data) {
      t.float_data = t.float_data.map((x) => x * 1.5 + 0.1);
    }
  }
  return new Uint8Array(onnxTypes.ModelProto.encode(onnxTypes.ModelProto.fromObject(msg as unknown as Record<string, unknown>)).finish());
}

const raw = (values: Float32Array) => new Uint8Array(values.buffer);
const weight = (name: string, dims: number[], seed: number, scale = 0.3): TensorSpec => {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dataType: DT.FLOAT, dims, raw: raw(seededFloats(n, seed).map((x) => x * scale)) };
};
const ints = (name: string, values: number[]): TensorSpec => ({ name, dataType: DT.INT64, dims: [values.length], int64Data: values });
const scalar = (name: string, v: number): TensorSpec => ({ name, dataType: DT.FLOAT, dims: [], raw: raw(new Float32Array([v])) });

/**
 * One Swin-like transformer block on a 4x4 window (16 tokens, 8 channels, 2 heads): LayerNorm, QKV projection,
 * window attention with a relative position bias, output projection and residual, LayerNorm, GELU MLP and
 * residual. Both residual Adds sit at branch points (their inputs come from two paths).
 */
export function swinBlockModel(): Uint8Array {
  const C = 8;
  const nodes: NodeSpec[] = [
    { name: 'norm1', op: 'LayerNormalization', inputs: ['x', 'ln1_g', 'ln1_b'], outputs: ['ln1'], attrs: [{ name: 'axis', i: -1 }] },
    { name: 'qkv', op: 'MatMul', inputs: ['ln1', 'w_qkv'], outputs: ['qkv_mm'] },
    { name: 'qkv_bias', op: 'Add', inputs: ['qkv_mm', 'b_qkv'], outputs: ['qkv'] },
    { name: 'qkv_reshape', op: 'Reshape', inputs: ['qkv', 'shape_qkv'], outputs: ['qkv5'] },
    { name: 'qkv_transpose', op: 'Transpose', inputs: ['qkv5'], outputs: ['qkv_t'], attrs: [{ name: 'perm', ints: [2, 0, 3, 1, 4] }] },
    { name: 'q', op: 'Gather', inputs: ['qkv_t', 'i0'], outputs: ['q'], attrs: [{ name: 'axis', i: 0 }] },
    { name: 'k', op: 'Gather', inputs: ['qkv_t', 'i1'], outputs: ['k'], attrs: [{ name: 'axis', i: 0 }] },
    { name: 'v', op: 'Gather', inputs: ['qkv_t', 'i2'], outputs: ['v'], attrs: [{ name: 'axis', i: 0 }] },
    { name: 'k_transpose', op: 'Transpose', inputs: ['k'], outputs: ['kt'], attrs: [{ name: 'perm', ints: [0, 1, 3, 2] }] },
    { name: 'scores', op: 'MatMul', inputs: ['q', 'kt'], outputs: ['scores'] },
    { name: 'scale', op: 'Mul', inputs: ['scores', 'attn_scale'], outputs: ['scaled'] },
    { name: 'rel_pos', op: 'Add', inputs: ['scaled', 'rel_bias'], outputs: ['biased'] },
    { name: 'softmax', op: 'Softmax', inputs: ['biased'], outputs: ['attn'], attrs: [{ name: 'axis', i: -1 }] },
    { name: 'context', op: 'MatMul', inputs: ['attn', 'v'], outputs: ['ctx'] },
    { name: 'context_transpose', op: 'Transpose', inputs: ['ctx'], outputs: ['ctx_t'], attrs: [{ name: 'perm', ints: [0, 2, 1, 3] }] },
    { name: 'context_reshape', op: 'Reshape', inputs: ['ctx_t', 'shape_tokens'], outputs: ['ctx_r'] },
    { name: 'proj', op: 'MatMul', inputs: ['ctx_r', 'w_proj'], outputs: ['proj_mm'] },
    { name: 'proj_bias', op: 'Add', inputs: ['proj_mm', 'b_proj'], outputs: ['proj'] },
    { name: 'residual1', op: 'Add', inputs: ['x', 'proj'], outputs: ['res1'] },
    { name: 'norm2', op: 'LayerNormalization', inputs: ['res1', 'ln2_g', 'ln2_b'], outputs: ['ln2'], attrs: [{ name: 'axis', i: -1 }] },
    { name: 'fc1', op: 'MatMul', inputs: ['ln2', 'w_fc1'], outputs: ['fc1_mm'] },
    { name: 'fc1_bias', op: 'Add', inputs: ['fc1_mm', 'b_fc1'], outputs: ['h'] },
    { name: 'gelu_div', op: 'Div', inputs: ['h', 'sqrt2'], outputs: ['h_div'] },
    { name: 'gelu_erf', op: 'Erf', inputs: ['h_div'], outputs: ['h_erf'] },
    { name: 'gelu_add', op: 'Add', inputs: ['h_erf', 'one'], outputs: ['h_erf1'] },
    { name: 'gelu_mul', op: 'Mul', inputs: ['h', 'h_erf1'], outputs: ['h_gelu2'] },
    { name: 'gelu_half', op: 'Mul', inputs: ['h_gelu2', 'half'], outputs: ['h_gelu'] },
    { name: 'fc2', op: 'MatMul', inputs: ['h_gelu', 'w_fc2'], outputs: ['fc2_mm'] },
    { name: 'fc2_bias', op: 'Add', inputs: ['fc2_mm', 'b_fc2'], outputs: ['mlp'] },
    { name: 'residual2', op: 'Add', inputs: ['res1', 'mlp'], outputs: ['y'] },
  ];
  return makeModel({
    opsets: [{ version: 17 }],
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 16, C] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1, 16, C] }],
    initializers: [
      weight('ln1_g', [C], 1, 1), weight('ln1_b', [C], 2, 0.1), weight('w_qkv', [C, 3 * C], 3), weight('b_qkv', [3 * C], 4, 0.1),
      ints('shape_qkv', [1, 16, 3, 2, 4]), { name: 'i0', dataType: DT.INT64, dims: [], int64Data: [0] },
      { name: 'i1', dataType: DT.INT64, dims: [], int64Data: [1] }, { name: 'i2', dataType: DT.INT64, dims: [], int64Data: [2] },
      scalar('attn_scale', 0.5), weight('rel_bias', [2, 16, 16], 5, 0.5), ints('shape_tokens', [1, 16, C]),
      weight('w_proj', [C, C], 6), weight('b_proj', [C], 7, 0.1), weight('ln2_g', [C], 8, 1), weight('ln2_b', [C], 9, 0.1),
      weight('w_fc1', [C, 4 * C], 10), weight('b_fc1', [4 * C], 11, 0.1), scalar('sqrt2', Math.SQRT2), scalar('one', 1), scalar('half', 0.5),
      weight('w_fc2', [4 * C, C], 12), weight('b_fc2', [C], 13, 0.1),
    ],
    nodes,
  });
}

/** Reduces `mutated` (A) against `original` (B), both files, on onnxruntime CPU with generated inputs. */
export async function reduceMutated(mutatedPath: string, originalPath: string, extra: Partial<ReduceOptions> = {}): Promise<ReduceResult> {
  const graph = buildModelGraph(readModel(new Uint8Array(fs.readFileSync(originalPath))));
  const { inputs } = await prepareInputs(graph);
  const resources = new ResourcePool();
  try {
    return await reduceFailure({
      a: { modelPath: mutatedPath, kind: ortRunKind }, b: { modelPath: originalPath, kind: ortRunKind },
      inputs, context: { resources }, ...extra,
    });
  } finally {
    await resources.dispose();
  }
}

/** The names of the result's nodes that compute something (constant producers such as Identity of a weight left out). */
export function computingNodes(modelPath: string, r: ReduceResult): string[] {
  const graph = buildModelGraph(readModel(new Uint8Array(fs.readFileSync(modelPath))));
  const constant = constantNodes(graph);
  return (r.minimal?.nodes ?? []).filter((i) => !constant[i]).map((i) => graph.nodes[i].name);
}

export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

const f32 = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);

/** x -> Relu -> Mul(s1) -> Mul(s2) -> Tanh -> Add(x) -> y: the scales are the knobs the tests turn. */
export function scaledChain(s1: number, s2: number, op = 'Add'): Uint8Array {
  return makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 8] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1, 8] }],
    initializers: [{ name: 's1', dataType: DT.FLOAT, dims: [], raw: f32([s1]) }, { name: 's2', dataType: DT.FLOAT, dims: [], raw: f32([s2]) }],
    nodes: [
      { name: 'relu', op: 'Relu', inputs: ['x'], outputs: ['r'] },
      { name: 'mul1', op: 'Mul', inputs: ['r', 's1'], outputs: ['m1'] },
      { name: 'mul2', op: 'Mul', inputs: ['m1', 's2'], outputs: ['m2'] },
      { name: 'tanh', op: 'Tanh', inputs: ['m2'], outputs: ['t'] },
      { name: 'residual', op, inputs: ['t', 'x'], outputs: ['y'] },
    ],
  });
}
