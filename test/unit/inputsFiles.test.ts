// Inputs from files made by numpy/onnx in python (not by our writers): .npy, .npz, TensorProto .pb (raw
// and typed fields), a Polygraphy inputs JSON; checked against the model, with clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { NdArray } from '../../src/compare/ndarray';
import { prepareInputs } from '../../src/backends/inputs/prepareInputs';
import { writeInputsFile } from '../../src/backends/results/writeResults';
import { DT, makeModel } from '../fixtures/builders';
import { missingPythonOnnx } from './editSupport';

const graph = buildModelGraph(readModel(makeModel({
  inputs: [
    { name: 'x', elemType: DT.FLOAT, shape: [2, 3] },
    { name: 'ids', elemType: DT.INT64, shape: ['n'] },
    { name: 'h', elemType: DT.FLOAT16, shape: [4] },
    { name: 'm', elemType: DT.BOOL, shape: [3] },
  ],
  outputs: [{ name: 'y', elemType: DT.FLOAT }],
  nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
})));

// Values every format must decode to (as python writes them).
const PY_ARRAYS = `import numpy as np
x = (np.arange(6, dtype=np.float32).reshape(2, 3) / 7).astype(np.float32)
ids = np.array([5, -2, 2**40], dtype=np.int64)
h = np.array([0.5, -1.25, 65504, 1e-7], dtype=np.float16)
m = np.array([True, False, True])
arrays = dict(x=x, ids=ids, h=h, m=m)`;

function python(dir: string, body: string): void {
  const r = spawnSync('python3', ['-c', `${PY_ARRAYS}\nimport os, onnx\nfrom onnx import numpy_helper\nos.chdir(${JSON.stringify(dir)})\n${body}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function expectArrays(inputs: Map<string, NdArray>): void {
  assert.deepEqual([...inputs.keys()], ['x', 'ids', 'h', 'm']);
  assert.deepEqual(Array.from(inputs.get('x')!.data as Float32Array), Array.from(new Float32Array([0, 1, 2, 3, 4, 5].map((v) => v / 7))));
  assert.deepEqual(inputs.get('ids')!.data, new BigInt64Array([5n, -2n, 2n ** 40n]));
  // float16 bits: 0.5, -1.25, 65504, 1e-7 (subnormal 0x0002) as numpy rounds them.
  assert.deepEqual(inputs.get('h')!.data, new Uint16Array([0x3800, 0xbd00, 0x7bff, 0x0002]));
  assert.deepEqual(inputs.get('m')!, { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) });
}

const noPy = missingPythonOnnx();

test('.npz (names = keys), .npy per input (names = file stems) and TensorProto .pb files load the same arrays', { skip: noPy, timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-files-'));
  try {
    python(dir, `np.savez('all.npz', **arrays)
for k, v in arrays.items(): np.save(k + '.npy', v)
for i, (k, v) in enumerate(arrays.items()):
    t = numpy_helper.from_array(v, k)
    open(f'input_{i}.pb', 'wb').write(t.SerializeToString())
    # Unnamed, in typed fields instead of raw_data (older exporters): named by position.
    u = onnx.helper.make_tensor('', t.data_type, v.shape, v.flatten().tolist(), raw=False)
    open(f'typed_{i}.pb', 'wb').write(u.SerializeToString())`);
    expectArrays((await prepareInputs(graph, { files: [path.join(dir, 'all.npz')] })).inputs);
    expectArrays((await prepareInputs(graph, { files: ['m', 'ids', 'x', 'h'].map((k) => path.join(dir, `${k}.npy`)) })).inputs);
    expectArrays((await prepareInputs(graph, { files: [0, 1, 2, 3].map((i) => path.join(dir, `input_${i}.pb`)) })).inputs);
    expectArrays((await prepareInputs(graph, { files: [0, 1, 2, 3].map((i) => path.join(dir, `typed_${i}.pb`)) })).inputs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a Polygraphy inputs JSON saved by Polygraphy loads (chosen iteration), and ours round-trips', { skip: noPy, timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-json-'));
  try {
    python(dir, `from polygraphy.json import save_json
second = {k: (v * 2 if v.dtype != bool else ~v) for k, v in arrays.items()}
save_json([arrays, second], 'feeds.json')`);
    const first = (await prepareInputs(graph, { files: [path.join(dir, 'feeds.json')] })).inputs;
    expectArrays(first);
    const second = (await prepareInputs(graph, { files: [path.join(dir, 'feeds.json')], iteration: 1 })).inputs;
    assert.deepEqual(second.get('ids')!.data, new BigInt64Array([10n, -4n, 2n ** 41n]));
    await assert.rejects(prepareInputs(graph, { files: [path.join(dir, 'feeds.json')], iteration: 2 }), /no feed dict #2; the file holds 2/);
    const ours = path.join(dir, 'ours.inputs.json');
    await writeInputsFile(ours, [first]);
    expectArrays((await prepareInputs(graph, { files: [ours] })).inputs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a lone .npy feeds a single-input model whatever its file name', { skip: noPy }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-npy-'));
  try {
    python(dir, "np.save('picture.npy', x)");
    const one = buildModelGraph(readModel(makeModel({ inputs: [{ name: 'images', elemType: DT.FLOAT, shape: [2, 3] }], outputs: [{ name: 'y', elemType: DT.FLOAT }], nodes: [{ op: 'Identity', inputs: ['images'], outputs: ['y'] }] })));
    const inputs = (await prepareInputs(one, { files: [path.join(dir, 'picture.npy')] })).inputs;
    assert.deepEqual(inputs.get('images')!.shape, [2, 3]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad files and mismatches give one clear message each', { skip: noPy, timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-bad-'));
  try {
    python(dir, `np.savez('wrong.npz', x=x.astype(np.float64), ids=ids[:2].reshape(1, 2), h=h, m=m, extra=x)
np.savez('partial.npz', x=x)
open('garbage.pb', 'wb').write(b'\\xff\\xff\\xff not a tensor')
open('notes.txt', 'w').write('hi')
open('fake.npy', 'wb').write(b'hello')`);
    const bad = (f: string, re: RegExp) => assert.rejects(prepareInputs(graph, { files: [path.join(dir, f)] }), (e: Error) => re.test(e.message) && !e.message.includes('\n'), f);
    await bad('wrong.npz', /input 'x' is float64, the model wants float32; input 'ids' has shape \(1, 2\), the model wants \[n\].*not inputs of the model: 'extra'/);
    await bad('partial.npz', /input 'ids' is missing; input 'h' is missing; input 'm' is missing/);
    await bad('garbage.pb', /garbage\.pb: not a serialized ONNX TensorProto/);
    await bad('notes.txt', /unknown inputs file type/);
    await bad('fake.npy', /fake\.npy: not \.npy data/);
    await bad('missing.npz', /missing\.npz: no such inputs file/);
    await assert.rejects(prepareInputs(graph, { files: [path.join(dir, 'partial.npz')], dims: new Map([['n', 3]]) }), /--dim applies to generated inputs only/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
