// The run-kind registry: every kind is listed once and builds its backend and request from typed options; bad
// options are named; twins get distinct runner names; the shared resource pool creates once and disposes all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourcePool, parseCapture } from '../../src/backends/registry';
import { RUN_KINDS, runKind } from '../../src/backends/runKinds';

const base = { modelPath: '/m.onnx', inputs: new Map(), saveResults: '/t/run-a.json', keep: 'none' as const };

test('the kinds: unique ids, which need inputs, which read a file', () => {
  assert.deepEqual(RUN_KINDS.map((k) => k.id), ['onnxruntime', 'results', 'tensorrt']);
  assert.deepEqual(RUN_KINDS.map((k) => k.needsInputs), [true, false, true]);
  assert.deepEqual(RUN_KINDS.map((k) => typeof k.readsFile), ['undefined', 'function', 'undefined']);
  assert.throws(() => runKind('openvino'), /no run kind 'openvino'; kinds: onnxruntime, results, tensorrt/);
});

test('onnxruntime: options checked, request built, twins named apart, description as the picker showed it', () => {
  const k = runKind('onnxruntime');
  const o = k.parseOptions({ capture: 'outputs', optLevel: 'disabled' });
  assert.deepEqual(k.request(o, base), {
    modelPath: '/m.onnx', inputs: base.inputs, capture: 'outputs', saveResults: '/t/run-a.json', keep: 'none',
    runnerName: 'onnxruntime-node-cpu', options: { optLevel: 'disabled', ep: 'cpu', intraOpThreads: undefined },
  });
  assert.equal(k.request(o, { ...base, twin: 'b' }).runnerName, 'onnxruntime-node-cpu-b-opt-disabled');
  assert.equal(k.describe(k.parseOptions({ capture: 'all' })), 'onnxruntime CPU, opt all');
  assert.equal(k.describe(o), 'onnxruntime CPU, opt disabled, outputs only');
  assert.throws(() => k.parseOptions({ optLevel: 'max' }), /optLevel must be 'all' or 'disabled', not 'max'/);
  assert.throws(() => k.parseOptions({ capture: 3 }), /capture must be 'all', 'outputs' or a list of tensor names, not 3/);
  assert.equal(k.createBackend(o, { resources: new ResourcePool() }).id, 'onnxruntime');
});

test('results: the chosen file and runner, no model, no inputs', () => {
  const k = runKind('results');
  const o = k.parseOptions({ path: '/r/trt.json', runner: 1, runnerName: 'trt-runner-N8.6.0' });
  assert.deepEqual(k.readsFile?.(o), { path: '/r/trt.json', runner: 1 });
  assert.deepEqual(k.request(o, base), { modelPath: '', inputs: new Map(), capture: 'all' });
  assert.equal(k.describe(o), 'results file trt.json, runner trt-runner-N8.6.0');
  assert.equal(k.describe(k.parseOptions({ path: 'C:\\r\\pert.json', runner: 0 })), 'results file pert.json, runner #0');
  assert.equal(k.createBackend(o, { resources: new ResourcePool() }).id, 'results');
  assert.throws(() => k.parseOptions({}), /a results run needs the file/);
});

test('tensorrt: defaults (TF32 off), every option passed on, bad values named', () => {
  const k = runKind('tensorrt');
  const o = k.parseOptions({ fp16: true, captureMode: 'mark', workspaceMiB: 1024 });
  const r = k.request(o, base);
  assert.equal(r.capture, 'all');
  assert.equal(r.runnerName, undefined, "the helper names its runner (trt-runner-N<version>)");
  assert.deepEqual(r.options, {
    captureMode: 'mark', fp16: true, bf16: false, int8: false, tf32: false, obeyPrecision: false, workspaceMiB: 1024,
    tacticSources: 'default', cacheDir: null, noCache: false, buildTimeoutSec: 1800,
  });
  assert.equal(k.request(o, { ...base, twin: 'a' }).runnerName, 'trt-runner-a-fp16');
  assert.equal(k.describe(o), 'TensorRT (FP16, capture mode mark)');
  assert.throws(() => k.parseOptions({ captureMode: 'all' }), /captureMode must be mark, debug or auto, not "all"/);
  assert.throws(() => k.parseOptions({ workspaceMiB: -1 }), /workspaceMiB must be a positive integer, not -1/);
  assert.throws(() => k.parseOptions({ tacticSources: 'cublas,magic' }), /tacticSources must be default, all or a comma list of/);
  assert.throws(() => k.parseOptions({ tf32: 'yes' }), /tf32 must be true or false, not "yes"/);
});

test('ResourcePool: one resource per key, all disposed once', async () => {
  const pool = new ResourcePool();
  let made = 0;
  const disposed: string[] = [];
  const make = (name: string) => () => { made++; return { name, dispose: () => { disposed.push(name); } }; };
  const a1 = pool.get('a', make('a'));
  assert.equal(pool.get('a', make('a')), a1);
  pool.get('b', make('b'));
  assert.equal(made, 2);
  assert.equal(pool.peek('c'), undefined);
  await pool.dispose();
  assert.deepEqual(disposed.sort(), ['a', 'b']);
  assert.deepEqual(parseCapture(['x', 'y']), ['x', 'y']);
});
