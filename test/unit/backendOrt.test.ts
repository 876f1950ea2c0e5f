// The onnxruntime backend against things no one here wrote: Polygraphy's saved onnxruntime run of
// mobilenet_v3_small (every intermediate), numpy-made dtypes, a model with external weights; plus
// execution-provider errors, cancellation and the spill/memory/results-file outputs agreeing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NdArray, getNumber } from '../../src/compare/ndarray';
import { loadRunResults } from '../../src/backends/results/readRunResults';
import { readInputsFile } from '../../src/backends/results/readInputs';
import { createOrtBackend } from '../../src/backends/onnxruntime/ortBackend';
import { RunCancelledError } from '../../src/backends/backend';
import { DT, makeModel } from '../fixtures/builders';
import { loadModelFile, missingPythonOnnx, missingShared, modelsDir, polygraphyDir, sharedDir } from './editSupport';

const mobilenet = path.join(modelsDir, 'mobilenet_v3_small.onnx');
const noMobilenet = missingShared('models/mobilenet_v3_small.onnx', 'polygraphy/mobilenet_v3_small.inputs.json', 'polygraphy/mobilenet_v3_small.ort_all.json.gz');

function maxAbsDiff(a: NdArray, b: NdArray): number {
  assert.equal(a.dtype, b.dtype);
  assert.deepEqual(a.shape, b.shape);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(getNumber(a, i) - getNumber(b, i)));
  return m;
}

test("every intermediate of mobilenet_v3_small equals Polygraphy's saved onnxruntime run within 1e-5", { skip: noMobilenet, timeout: 120_000 }, async () => {
  const inputs = (await readInputsFile(path.join(polygraphyDir, 'mobilenet_v3_small.inputs.json')))[0];
  const saved = (await loadRunResults(path.join(polygraphyDir, 'mobilenet_v3_small.ort_all.json.gz'))).runs[0].iterations[0].outputs;
  const run = await createOrtBackend().run({ modelPath: mobilenet, inputs, capture: 'all' });
  try {
    assert.deepEqual(new Set(run.captured), new Set(saved.keys()));
    assert.equal(run.captured.length, 159);
    for (const [name, entry] of saved) {
      const d = maxAbsDiff(await run.tensors!.load(name), await entry.load());
      assert.ok(d <= 1e-5, `${name}: max abs diff ${d}`);
    }
    assert.match(run.notes.map((n) => n.text).join('\n'), /optimization level: all; 158 intermediate tensors were marked/);
  } finally {
    run.dispose();
  }
});

test('memory, disk spill and the streamed results file hold the same tensors; outputs-only and chosen captures', { skip: noMobilenet, timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-ort-'));
  const inputs = (await readInputsFile(path.join(polygraphyDir, 'mobilenet_v3_small.inputs.json')))[0];
  const b = createOrtBackend();
  const file = path.join(dir, 'r.json');
  const mem = await b.run({ modelPath: mobilenet, inputs, capture: 'all', keep: 'memory', options: { optLevel: 'disabled', intraOpThreads: 1 } });
  const disk = await b.run({ modelPath: mobilenet, inputs, capture: 'all', keep: 'disk', saveResults: file, options: { optLevel: 'disabled' } });
  try {
    const fromFile = (await loadRunResults(file)).runs[0];
    assert.equal(fromFile.runnerName, 'onnxruntime-node-cpu');
    assert.ok(fromFile.iterations[0].runtime! > 0);
    assert.deepEqual([...fromFile.iterations[0].outputs.keys()], mem.captured);
    for (const n of mem.captured) {
      const m = await mem.tensors!.load(n);
      assert.deepEqual(await disk.tensors!.load(n), m, n);
      assert.deepEqual(await fromFile.iterations[0].outputs.get(n)!.load(), m, n);
    }
    assert.match(mem.notes.map((x) => x.text).join('\n'), /optimization level: disabled$/m);
    const outs = await b.run({ modelPath: mobilenet, inputs, capture: 'outputs' });
    assert.deepEqual(outs.captured, ['logits']);
    const some = await b.run({ modelPath: mobilenet, inputs, capture: [mem.captured[5], mem.captured[0]] });
    assert.deepEqual(new Set(some.captured), new Set(['logits', mem.captured[5], mem.captured[0]]));
  } finally {
    mem.dispose();
    disk.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The spill's temporary folder is gone after dispose.
  assert.equal(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('onnx-inspector-spill-')).length, 0);
});

test('int64, bool, float16, int8 and uint8 tensors come back with their dtypes and values', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-dtypes-'));
  try {
    const model = path.join(dir, 'types.onnx');
    fs.writeFileSync(model, makeModel({
      inputs: [{ name: 'i', elemType: DT.INT64, shape: [3] }, { name: 'f', elemType: DT.FLOAT, shape: [3] }],
      outputs: [{ name: 'i2', elemType: DT.INT64 }, { name: 'b', elemType: DT.BOOL }, { name: 'h', elemType: DT.FLOAT16 }, { name: 's8', elemType: DT.INT8 }, { name: 'u8', elemType: DT.UINT8 }],
      nodes: [
        { op: 'Add', inputs: ['i', 'i'], outputs: ['i2'] },
        { op: 'Greater', inputs: ['f', 'f0'], outputs: ['b'] },
        { op: 'Cast', inputs: ['f'], outputs: ['h'], attrs: [{ name: 'to', i: DT.FLOAT16 }] },
        { op: 'Cast', inputs: ['f'], outputs: ['s8'], attrs: [{ name: 'to', i: DT.INT8 }] },
        { op: 'Cast', inputs: ['f'], outputs: ['u8'], attrs: [{ name: 'to', i: DT.UINT8 }] },
      ],
      initializers: [{ name: 'f0', dataType: DT.FLOAT, dims: [], floatData: [0] }],
    }));
    const inputs = new Map<string, NdArray>([
      ['i', { dtype: 'int64', shape: [3], data: new BigInt64Array([1n, -(2n ** 40n), 7n]) }],
      ['f', { dtype: 'float32', shape: [3], data: new Float32Array([1.5, -2, 65504]) }],
    ]);
    const run = await createOrtBackend().run({ modelPath: model, inputs, capture: 'outputs' });
    const get = (n: string) => run.tensors!.load(n) as NdArray;
    assert.deepEqual(get('i2'), { dtype: 'int64', shape: [3], data: new BigInt64Array([2n, -(2n ** 41n), 14n]) });
    assert.deepEqual(get('b'), { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) });
    assert.deepEqual(get('h'), { dtype: 'float16', shape: [3], data: new Uint16Array([0x3e00, 0xc000, 0x7bff]) });
    assert.deepEqual(Array.from(get('s8').data as Int8Array).slice(0, 2), [1, -2]);
    assert.equal(get('u8').dtype, 'uint8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('cuda/tensorrt that the install lacks are an error naming the provider, never a CPU fallback', { skip: noMobilenet }, async () => {
  const inputs = (await readInputsFile(path.join(polygraphyDir, 'mobilenet_v3_small.inputs.json')))[0];
  for (const [ep, label] of [['cuda', 'CUDA'], ['tensorrt', 'TensorRT']]) {
    await assert.rejects(createOrtBackend().run({ modelPath: mobilenet, inputs, capture: 'outputs', options: { ep } }),
      (e: Error) => e.name === 'BackendError' && e.message.startsWith(`the ${label} execution provider is not available in this onnxruntime-node install: `));
  }
});

test('cancellation: before the session, and between the run and the write (no partial results file)', { skip: noMobilenet, timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-cancel-'));
  try {
    const inputs = (await readInputsFile(path.join(polygraphyDir, 'mobilenet_v3_small.inputs.json')))[0];
    const early = new AbortController();
    early.abort();
    await assert.rejects(createOrtBackend().run({ modelPath: mobilenet, inputs, capture: 'all' }, { signal: early.signal }), RunCancelledError);
    const mid = new AbortController();
    const file = path.join(dir, 'r.json');
    const stages: string[] = [];
    await assert.rejects(createOrtBackend().run({ modelPath: mobilenet, inputs, capture: 'all', saveResults: file }, {
      signal: mid.signal,
      onProgress: (p) => { stages.push(p.stage); if (p.stage === 'write' && p.done === 3) mid.abort(); },
    }), RunCancelledError);
    assert.deepEqual([...new Set(stages)], ['prepare', 'session', 'run', 'write']);
    assert.equal(fs.existsSync(file), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a model with external weights runs from its folder and leaves nothing beside it', { skip: missingShared('models/resnet18_dynamo.onnx', 'tools/fill-external-data.py') || missingPythonOnnx(), timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-external-'));
  try {
    const r = spawnSync('python3', [path.join(sharedDir, 'tools/fill-external-data.py'), path.join(modelsDir, 'resnet18_dynamo.onnx'), dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    fs.copyFileSync(path.join(modelsDir, 'resnet18_dynamo.onnx'), path.join(dir, 'resnet18_dynamo.onnx'));
    const before = fs.readdirSync(dir).sort();
    const x = new Float32Array(3 * 224 * 224).map((_, i) => (i % 17) / 17);
    const run = await createOrtBackend().run({ modelPath: path.join(dir, 'resnet18_dynamo.onnx'), inputs: new Map([['x', { dtype: 'float32', shape: [1, 3, 224, 224], data: x }]]), capture: 'all' });
    // Every node output, intermediates and the final one alike.
    const nodeOutputs = loadModelFile(path.join(dir, 'resnet18_dynamo.onnx')).graph.nodes.flatMap((n) => n.outputs).filter(Boolean);
    assert.deepEqual(new Set(run.captured), new Set(nodeOutputs));
    const out = await run.tensors!.load(run.captured[run.captured.length - 1]);
    assert.ok(Array.from(out.data as Float32Array).every(Number.isFinite));
    assert.deepEqual(fs.readdirSync(dir).sort(), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
