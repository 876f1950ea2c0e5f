// The TensorRT backend through its run kind, on the helper test double: keep memory/disk/none, fused and skipped
// tensors reported, the engine cache, error classes as one-line messages; Compare Backends onnxruntime vs the double.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunCancelledError } from '../../src/backends/backend';
import { compareBackends } from '../../src/backends/compareBackends';
import { createResultsBackend } from '../../src/backends/resultsBackend';
import { runKind } from '../../src/backends/runKinds';
import type { TrtRunOutput } from '../../src/backends/tensorrt/trtBackend';
import { TrtError, TrtParseError } from '../../src/backends/tensorrt/trtErrors';
import { buildModelGraph } from '../../src/core/graph';
import { readModelFile } from '../../src/node/modelFile';
import { doubleContext, trtFixture, type TrtFixture } from './trtSupport';
import { missingShared, modelsDir } from './editSupport';
import { prepareInputs } from '../../src/backends/inputs/prepareInputs';

let fx: TrtFixture;
before(async () => { fx = await trtFixture(); });
after(() => fx.dispose());

const trt = runKind('tensorrt');
const ort = runKind('onnxruntime');

async function runTrt(env: NodeJS.ProcessEnv, base: { saveResults?: string; keep?: 'memory' | 'disk' | 'none' }, options: Record<string, unknown> = {}): Promise<TrtRunOutput> {
  const ctx = doubleContext(env);
  const o = trt.parseOptions({ capture: 'all', noCache: true, ...options });
  try {
    return await trt.createBackend(o, ctx).run(trt.request(o, { modelPath: fx.model, inputs: fx.inputs, ...base })) as TrtRunOutput;
  } finally {
    await ctx.resources.dispose();
  }
}

test('keep memory, disk and none serve the same tensors; fused tensors are listed with their layer, not captured', async (t) => {
  const env = fx.env({ TRT_DOUBLE_FUSE: '2' });
  // The backend's temporary folders go to os.tmpdir(): a folder of our own shows that dispose removes them.
  const tmp = path.join(fx.dir, 'tmp');
  fs.mkdirSync(tmp);
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  t.after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  const mem = await runTrt(env, { keep: 'memory' });
  const disk = await runTrt(env, { keep: 'disk' });
  const out = path.join(fx.dir, 'none.json');
  const none = await runTrt(env, { keep: 'none', saveResults: out });
  try {
    // Eligible: a, b, c, d (y is an output): every 2nd is fused.
    assert.deepEqual(mem.fused, [{ tensor: 'b', layer: 'neg1 + abs1' }, { tensor: 'd', layer: 'sig1 + mul1' }]);
    assert.deepEqual(mem.skipped, []);
    assert.deepEqual(new Set(mem.captured), new Set(['a', 'c', 'y']));
    assert.equal(mem.runnerName, 'trt-runner-N8.6.0');
    assert.equal(mem.freshLoads, false);
    assert.equal(disk.freshLoads, true);
    assert.equal(fs.readdirSync(tmp).filter((f) => f.startsWith('onnx-inspector-trt-')).length, 1, 'only the disk run keeps its folder');
    assert.equal(none.tensors, undefined);
    assert.equal(none.resultsPath, out);
    assert.equal(none.layerInfoPath, path.join(fx.dir, 'none.layers.json'));
    assert.equal(mem.resultsPath, undefined, 'a temporary results file is not reported');
    const fromFile = await createResultsBackend(out).run({ modelPath: '', inputs: new Map(), capture: 'all' });
    assert.deepEqual(fromFile.fused, mem.fused, 'the results backend finds the layer file beside the results');
    for (const name of ['a', 'c', 'y']) {
      const m = await mem.tensors!.load(name);
      assert.deepEqual(await disk.tensors!.load(name), m, name);
      assert.deepEqual(await fromFile.tensors!.load(name), m, name);
    }
    // relu(x): the double computes for real.
    assert.deepEqual([...(await mem.tensors!.load('a')).data], [0, 0.5, 2, 0, 4, 0, 0.75, 0]);
    const notes = mem.notes.map((n) => `${n.kind}: ${n.text}`).join('\n');
    assert.match(notes, /^optimization: TF32 disabled$/m);
    assert.match(notes, /^capture: 2 tensors fused away by TensorRT \(not compared\): b \(in neg1 \+ abs1\), d \(in sig1 \+ mul1\)$/m);
    assert.match(notes, /^optimization: precision: FP32$/m);
    assert.match(notes, /^capture: capture mode: mark \(tensors marked as network outputs/m, "'auto' on TensorRT 8 is mark");
    fromFile.dispose();
  } finally {
    mem.dispose();
    disk.dispose();
    none.dispose();
  }
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('onnx-inspector-trt-')), []);
});

test('the engine cache: the second run with the same options is reported as cached', async () => {
  const env = fx.env();
  const first = await runTrt(env, { keep: 'none' }, { noCache: false, fp16: true });
  const second = await runTrt(env, { keep: 'none' }, { noCache: false, fp16: true });
  assert.equal(first.engineCached, false);
  assert.equal(second.engineCached, true);
  assert.ok(second.notes.some((n) => n.text === 'TensorRT engine: from the cache'));
  assert.ok(first.notes.some((n) => n.text === 'precision: FP16'));
});

test('error classes become one-line messages a user can act on', async () => {
  const cases: [string, (e: Error) => boolean][] = [
    ['no-tensorrt', (e) => e instanceof TrtError && /^TensorRT was not found: looked in .*; set onnxInspector\.tensorrt\.libDir \(or --tensorrt-lib-dir\)/.test(e.message)],
    ['no-gpu', (e) => e instanceof TrtError && e.errorClass === 'no-gpu' && /^No GPU for TensorRT: no CUDA-capable device is detected\./.test(e.message)],
    ['parse-error', (e) => e instanceof TrtParseError && e.node === 'abs1' && e.exitCode === 5],
    ['bad-input', (e) => e instanceof TrtError && /^TensorRT refused the inputs: /.test(e.message)],
    ['build-error', (e) => e instanceof TrtError && /^TensorRT could not build the engine: could not find any implementation/.test(e.message)],
  ];
  for (const [mode, check] of cases) {
    await assert.rejects(runTrt(fx.env({ TRT_DOUBLE_MODE: mode }), { keep: 'memory' }), (e: Error) => {
      assert.ok(check(e), `${mode}: ${e.name} ${e.message}`);
      assert.equal(e.message.includes('\n'), false);
      return true;
    });
  }
});

test('cancel during the engine build rejects with RunCancelledError and leaves no file', async () => {
  const out = path.join(fx.dir, 'cancelled.json');
  const abort = new AbortController();
  const ctx = doubleContext(fx.env({ TRT_DOUBLE_DELAY_MS: '20000' }));
  const o = trt.parseOptions({ noCache: true });
  const stages: string[] = [];
  try {
    const run = trt.createBackend(o, ctx).run(trt.request(o, { modelPath: fx.model, inputs: fx.inputs, saveResults: out }), {
      signal: abort.signal,
      onProgress: (p) => { stages.push(p.stage + (p.detail ? ` (${p.detail})` : '')); if (p.stage === 'build') abort.abort(); },
    });
    await assert.rejects(run, RunCancelledError);
  } finally {
    await ctx.resources.dispose();
  }
  assert.ok(stages.includes('build (first time for this model and these options; cached afterwards)'), stages.join(', '));
  assert.equal(fs.existsSync(out), false);
});

async function compareOrtVsDouble(env: NodeJS.ProcessEnv, modelPath = fx.model, inputs = fx.inputs) {
  const ctx = doubleContext(env);
  const { model } = await readModelFile(modelPath);
  const to = trt.parseOptions({ noCache: true });
  const oo = ort.parseOptions({ capture: 'all' });
  try {
    return await compareBackends(
      { backend: trt.createBackend(to, ctx), request: trt.request(to, { modelPath, inputs }) },
      { backend: ort.createBackend(oo, ctx), request: ort.request(oo, { modelPath, inputs }) },
      { graph: buildModelGraph(model), parallel: false },
    );
  } finally {
    await ctx.resources.dispose();
  }
}

test('Compare Backends, TensorRT (the double) vs onnxruntime: all pass; a perturbed tensor is the first divergence', async () => {
  const ok = await compareOrtVsDouble(fx.env({ TRT_DOUBLE_FUSE: '3' }));
  assert.equal(ok.report.summary.failed, 0);
  // The graph input both runs were fed is compared too (the same data): 4 of the 5 intermediates plus the input.
  assert.equal(ok.report.summary.compared, 5, 'c was fused away: 4 of 5 tensors compared, and the input');
  assert.deepEqual(ok.report.inputs, { sources: { a: 'fed by this run', b: 'fed by this run' }, compared: [...fx.inputs.keys()], differing: [] });
  // Explained as fused by run A's backend, not left unpaired (ts-fused).
  assert.deepEqual(ok.report.unpaired.onlyB, []);
  assert.deepEqual(ok.report.fused, [{ tensor: 'c', side: 'a', layer: 'abs1 + sig1' }]);
  assert.deepEqual(ok.runs[0].fused, [{ tensor: 'c', layer: 'abs1 + sig1' }]);
  const bad = await compareOrtVsDouble(fx.env({ TRT_DOUBLE_PERTURB: 'b' }));
  assert.equal(bad.report.firstDivergence?.first?.tensor, 'b');
  assert.ok(bad.report.tensors.find((t) => t.name === 'a')?.status === 'pass');
  assert.ok(bad.report.tensors.find((t) => t.name === 'b')?.status === 'fail');
});

test('one helper process serves every run of a context; its health is reported; disposing the context stops it', async () => {
  const states: string[] = [];
  const details: string[] = [];
  const ctx = { ...doubleContext(fx.env()), health: (name: string, h: { state: string }, detail: string) => { states.push(`${name}: ${h.state}`); details.push(detail); } };
  const o = trt.parseOptions({ noCache: true });
  for (let i = 0; i < 2; i++) {
    const r = await trt.createBackend(o, ctx).run(trt.request(o, { modelPath: fx.model, inputs: fx.inputs, keep: 'memory' }));
    assert.equal(r.captured.length, 5);
    r.dispose();
  }
  await ctx.resources.dispose();
  assert.deepEqual(states, ['TensorRT helper: starting', 'TensorRT helper: ready', 'TensorRT helper: stopping', 'TensorRT helper: idle', 'TensorRT helper: disposed']);
  assert.match(details[0], /trtHelperDouble\.mjs: TensorRT 8\.6\.0 on Double GPU \(sm_90\)$/);
});

const squeezenet = path.join(modelsDir, 'squeezenet1_1.onnx');
test('squeezenet1_1, TensorRT (the double, every 4th tensor fused) vs onnxruntime: fused tensors reported as fused, the rest pass; a perturbed one is found', { skip: missingShared('models/squeezenet1_1.onnx'), timeout: 180_000 }, async () => {
  const { model } = await readModelFile(squeezenet);
  const graph = buildModelGraph(model);
  const { inputs } = await prepareInputs(graph, {});
  const ok = await compareOrtVsDouble(fx.env({ TRT_DOUBLE_FUSE: '4' }), squeezenet, inputs);
  const fused = ok.runs[0].fused ?? [];
  assert.ok(fused.length >= 10, `${fused.length} fused`);
  assert.ok(fused.every((f) => / \+ /.test(f.layer ?? '')), 'each fused tensor names its "A + B" layer');
  assert.equal(ok.report.summary.failed, 0);
  assert.deepEqual(ok.report.unpaired.onlyB, [], 'fused tensors are explained, not unpaired');
  assert.deepEqual(new Set(ok.report.fused?.map((f) => f.tensor)), new Set(fused.map((f) => f.tensor)));
  assert.equal(ok.report.summary.fused, fused.length);
  const target = graph.nodes[graph.order[12]].outputs[0];
  const bad = await compareOrtVsDouble(fx.env({ TRT_DOUBLE_PERTURB: target }), squeezenet, inputs);
  assert.equal(bad.report.firstDivergence?.first?.tensor, target);
});
