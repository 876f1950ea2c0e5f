// Which standard ONNX operators have a shape rule, from onnx.defs (the op list is generated from the installed
// onnx package, not copied): every op the issue names must have one, and the rest are listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { OPS } from '../../src/core/shapes/ops/registry';

const ISSUE_OPS = [
  'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'InstanceNormalization', 'LayerNormalization',
  'MatMul', 'Gemm', 'Einsum', 'Add', 'Mul', 'Sub', 'Div', 'Pow', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose', 'Concat', 'Split',
  'Slice', 'Gather', 'GatherElements', 'GatherND', 'ScatterND', 'Expand', 'Tile', 'Where', 'Resize', 'ReduceMean', 'ReduceSum', 'ReduceMax',
  'ArgMax', 'TopK', 'Softmax', 'Cast', 'Shape', 'Size', 'ConstantOfShape', 'Range', 'NonZero', 'NonMaxSuppression', 'RoiAlign',
  'QuantizeLinear', 'DequantizeLinear', 'If', 'Loop', 'Scan', 'Constant',
];

function standardOps(): string[] | string {
  try {
    const out = execFileSync('python3', ['-c', 'import onnx.defs as d; print(" ".join(sorted({s.name for s in d.get_all_schemas_with_history() if s.domain == "" and not s.deprecated})))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim().split(' ');
  } catch {
    return 'python3 with the onnx package is not installed: the standard op list is not available';
  }
}

test('every operator the issue names has a shape rule', () => {
  assert.deepEqual(ISSUE_OPS.filter((op) => !(op in OPS)), []);
});

const ops = standardOps();
test('the standard ONNX domain: ops without a shape rule are listed (at most a few of the newest)', { skip: typeof ops === 'string' ? ops : false }, () => {
  const all = ops as string[];
  const missing = all.filter((op) => !(op in OPS));
  console.log(`${all.length - missing.length} of ${all.length} standard ops have a shape rule; without: ${missing.join(', ') || 'none'}`);
  assert.ok(all.length > 180);
  assert.ok(missing.length <= 5, `too many ops without a rule: ${missing.join(', ')}`);
});
