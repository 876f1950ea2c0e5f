// Side panel data built on the host: model, node (every attribute kind, stack frames, subgraph links) and
// tensor properties, and initializer values read lazily (inline, external, and a missing external file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { modelProps } from '../../src/host/inspect/modelProps';
import { nodeProps } from '../../src/host/inspect/nodeProps';
import { tensorProps, tensorValues } from '../../src/host/inspect/tensorProps';
import type { PropsView } from '../../src/protocol/inspect';
import { DT, makeModel } from '../fixtures/builders';

const f32 = (...xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
const TRACE = 'File "/venv/lib/python3.12/site-packages/mymodel/net.py", line 12, in forward\n    x = self.conv(x)\n' +
  'File "/venv/lib/python3.12/site-packages/torch/nn/modules/conv.py", line 554, in forward\n    return self._conv_forward(input, self.weight, self.bias)';

function model() {
  const bytes = makeModel({
    producerName: 'unit', opsets: [{ version: 17 }, { domain: 'com.example', version: 1 }], metadata: { author: '<b>me</b>' },
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 3, 8, 8] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1, 3, 8, 8] }],
    initializers: [
      { name: 'w', dataType: DT.FLOAT, dims: [2, 3], raw: f32(1, -2, 0, 4, NaN, Infinity) },
      { name: 'ext', dataType: DT.FLOAT, dims: [4], external: { location: 'weights.bin', offset: 0, length: 16 } },
      { name: 'gone', dataType: DT.FLOAT, dims: [2], external: { location: 'missing.bin' } },
    ],
    nodes: [
      {
        op: 'Conv', name: 'conv1', inputs: ['x', 'w'], outputs: ['c'], metadata: { 'pkg.torch.onnx.stack_trace': TRACE, note: 'n' },
        attrs: [{ name: 'kernel_shape', ints: [3, 3] }, { name: 'alpha', f: 0.25 }, { name: 'group', i: 1 }, { name: 'auto_pad', s: 'NOTSET' },
          { name: 'scales', floats: [1.5, 2] }, { name: 'value', t: { name: 'v', dataType: DT.INT64, dims: [3], int64Data: [7, 8, 9] } }],
      },
      { op: 'Add', name: 'add', inputs: ['c', 'ext'], outputs: ['a'] },
      { op: 'Mul', name: 'mul', inputs: ['a', 'gone'], outputs: ['y'] },
      // The exporter's copy of a shared parameter: the view folds it like a weight, and its values are w's.
      { op: 'Identity', name: 'shared_w', inputs: ['w'], outputs: ['w_copy'] },
    ],
  });
  const m = readModel(bytes);
  return { m, g: buildModelGraph(m) };
}

const rows = (v: PropsView, title: string) => v.sections.find((s) => s.title.startsWith(title))?.rows ?? [];
const valueOf = (v: PropsView, title: string, key: string) => rows(v, title).find((r) => r.key === key)?.value;

test('model properties: IR version, producer, opsets, metadata, inputs and outputs with types', () => {
  const { m, g } = model();
  const v = modelProps(m, g, []);
  assert.equal(valueOf(v, 'Model', 'IR version'), '10');
  assert.equal(valueOf(v, 'Model', 'producer'), 'unit');
  assert.deepEqual(rows(v, 'Opsets').map((r) => `${r.key}=${r.value}`), ['ai.onnx=17', 'com.example=1']);
  assert.equal(valueOf(v, 'Metadata', 'author'), '<b>me</b>');
  assert.deepEqual(rows(v, 'Inputs').map((r) => [r.value, r.detail, r.link]), [['x', 'float[1,3,8,8]', { kind: 'tensor', name: 'x' }]]);
  assert.deepEqual(rows(v, 'Outputs').map((r) => r.value), ['y']);
});

test('node properties: every attribute as text, tensor links, frames with the model frame first', () => {
  const { m, g } = model();
  const v = nodeProps(m, g, [], 'n:0');
  assert.equal(v.title, 'Conv');
  assert.equal(valueOf(v, 'Node', 'name'), 'conv1');
  assert.equal(valueOf(v, 'Attributes', 'kernel_shape'), '[3, 3]');
  assert.equal(valueOf(v, 'Attributes', 'alpha'), '0.25');
  assert.equal(valueOf(v, 'Attributes', 'group'), '1');
  assert.equal(valueOf(v, 'Attributes', 'auto_pad'), '"NOTSET"');
  assert.equal(valueOf(v, 'Attributes', 'scales'), '[1.5, 2]');
  const t = rows(v, 'Attributes').find((r) => r.key === 'value')!;
  assert.equal(t.value, '[7, 8, 9]');
  assert.equal(t.detail, 'tensor int64[3]');
  assert.deepEqual(rows(v, 'Inputs').map((r) => r.link), [{ kind: 'tensor', name: 'x' }, { kind: 'tensor', name: 'w' }]);
  const frames = rows(v, 'PyTorch source');
  assert.equal(frames.length, 2);
  assert.equal(frames[0].value, '/venv/lib/python3.12/site-packages/mymodel/net.py:12', 'the model frame comes first');
  assert.deepEqual(frames[0].link, { kind: 'source', nodeId: 'n:0', frame: 0 });
  assert.match(frames[1].detail ?? '', /torch internals/);
  assert.equal(valueOf(v, 'Metadata', 'note'), 'n');
  assert.equal(rows(v, 'Metadata').some((r) => r.key === 'pkg.torch.onnx.stack_trace'), false, 'the trace is shown as frames, not raw');
  assert.throws(() => nodeProps(m, g, [], 'n:99'), /'n:99' is not a node/);
});

test('tensor properties: producer and consumers as node links, storage of initializers', () => {
  const { g } = model();
  const c = tensorProps(g, 'c');
  assert.deepEqual(rows(c, 'Producer').map((r) => r.link), [{ kind: 'node', id: 'n:0' }]);
  assert.deepEqual(rows(c, 'Consumers').map((r) => r.value), ['add']);
  assert.equal(c.hasValues, false);
  const ext = tensorProps(g, 'ext');
  assert.equal(ext.hasValues, true);
  assert.match(valueOf(ext, 'Tensor', 'stored') ?? '', /external file 'weights\.bin'/);
  assert.throws(() => tensorProps(g, 'nope'), /no tensor 'nope'/);
});

test('initializer values: statistics and first values on request; external data read; a missing file is a clear message', async () => {
  const { m, g } = model();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-props-'));
  try {
    const modelPath = path.join(dir, 'm.onnx');
    fs.writeFileSync(path.join(dir, 'weights.bin'), f32(0.5, 1.5, 0, 2));
    const w = await tensorValues(modelPath, m, g, 'w', 3);
    assert.equal(w.error, undefined);
    assert.equal(w.count, 6);
    assert.deepEqual(w.first, ['1', '-2', '0']);
    const stat = Object.fromEntries(w.stats!.map((s) => [s.key, s.value]));
    assert.deepEqual([stat.min, stat.max, stat.mean, stat.NaN, stat.Inf, stat.zeros], ['-2', '4', '0.75', '1', '1 / -0', '1']);
    const ext = await tensorValues(modelPath, m, g, 'ext', 10);
    assert.deepEqual(ext.first, ['0.5', '1.5', '0', '2']);
    const gone = await tensorValues(modelPath, m, g, 'gone', 10);
    assert.equal(gone.stats, undefined);
    assert.match(gone.error ?? '', /tensor 'gone': external data file is missing from the model's folder .*missing\.bin/);
    const computed = await tensorValues(modelPath, m, g, 'c', 10);
    assert.match(computed.error ?? '', /computed when the model runs/);
    const copy = await tensorValues(modelPath, m, g, 'w_copy', 3);
    assert.deepEqual([copy.count, copy.first], [6, ['1', '-2', '0']], 'an Identity of a weight shows the weight');
    const copyProps = tensorProps(g, 'w_copy');
    assert.equal(copyProps.hasValues, true);
    assert.deepEqual(rows(copyProps, 'Tensor').find((r) => r.key === 'copy of')?.link, { kind: 'tensor', name: 'w' });
    const capped = await tensorValues(modelPath, m, g, 'w', 1e9);
    assert.equal(capped.first!.length, 6, 'never more values than the tensor has');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
