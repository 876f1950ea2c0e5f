// The serve-mode client driven by the helper test double: events routed to their request, a crash failing the
// running request with the helper's stderr and signal, a new process for the next request (up to the cap), and
// cancel (SIGTERM, then SIGKILL) rejecting with RunCancelledError and leaving no partial results file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendError, RunCancelledError } from '../../src/backends/backend';
import { HelperClient, LineRing } from '../../src/backends/tensorrt/helperProcess';
import type { ProgressEvent, RunParams } from '../../src/backends/tensorrt/helperProtocol';
import { TrtError, TrtParseError, trtErrorFrom } from '../../src/backends/tensorrt/trtErrors';
import { writeInputsFile } from '../../src/backends/results/writeResults';
import { DOUBLE, trtFixture, type TrtFixture } from './trtSupport';

let fx: TrtFixture;
let inputsFile: string;

before(async () => {
  fx = await trtFixture();
  inputsFile = path.join(fx.dir, 'inputs.json');
  await writeInputsFile(inputsFile, [fx.inputs]);
});
after(() => fx.dispose());

function params(out: string, extra: Partial<RunParams> = {}): RunParams {
  return {
    model: fx.model, inputs: inputsFile, saveResults: path.join(fx.dir, out), capture: 'all', captureMode: null, fp16: false, bf16: false, int8: false,
    tf32: false, obeyPrecision: false, workspaceMiB: 4096, tacticSources: 'default', runnerName: null, layerInfo: null, cacheDir: null, noCache: true,
    buildTimeoutSec: 1800, ...extra,
  };
}

function client(env: NodeJS.ProcessEnv, logs: string[] = [], extra = {}): HelperClient {
  return new HelperClient({ path: DOUBLE, env, log: (l, m) => logs.push(`${l}: ${m}`), killAfterMs: 500, ...extra });
}

test('two requests in flight: each gets its own events; stderr lines go to the log', async () => {
  const logs: string[] = [];
  const c = client(fx.env(), logs);
  try {
    const progress: ProgressEvent[] = [];
    const [result, version] = await Promise.all([
      c.run(params('routed.json'), { onProgress: (e) => progress.push(e) }),
      c.version({ onProgress: () => assert.fail('the version request got a progress event') }),
    ]);
    assert.equal(result.event, 'result');
    assert.equal(result.runnerName, 'trt-runner-N8.6.0');
    assert.deepEqual(new Set(result.captured), new Set(['a', 'b', 'c', 'd', 'y']));
    assert.equal(version.event, 'version');
    assert.equal(version.tensorrt, '8.6.0');
    assert.deepEqual([...new Set(progress.map((p) => p.stage))], ['load', 'parse', 'build', 'run', 'write']);
    assert.ok(logs.some((l) => /^info: \[tensorrt helper\] trt double: run chain\.onnx \(mode ok\)$/.test(l)), logs.join('\n'));
    assert.equal(c.health.state, 'ready');
    assert.equal(c.health.starts, 1, 'one process served both');
  } finally {
    await c.dispose();
  }
});

test('error events become TrtErrors; a parse error keeps the node name; the process keeps serving', async () => {
  const modeFile = path.join(fx.dir, 'mode-errors');
  const c = client(fx.env({ TRT_DOUBLE_MODE_FILE: modeFile }));
  try {
    fs.writeFileSync(modeFile, 'parse-error');
    await assert.rejects(c.run(params('parse.json')), (e: Error) => e instanceof TrtParseError && e.node === 'abs1' && /TensorRT could not parse the model at node 'abs1'/.test(e.message));
    fs.writeFileSync(modeFile, 'no-tensorrt');
    await assert.rejects(c.run(params('nt.json')), (e: Error) => e instanceof TrtError && e.errorClass === 'no-tensorrt' && /looked in \/opt\/tensorrt\/lib \(libnvinfer\.so\.8: no such file\)/.test(e.message));
    fs.writeFileSync(modeFile, 'ok');
    assert.equal((await c.run(params('after.json'))).event, 'result');
    assert.equal(c.health.starts, 1);
  } finally {
    await c.dispose();
  }
});

test('a crash mid-run rejects with the exit signal and stderr tail; the next request starts a new process; the cap ends it', async () => {
  const modeFile = path.join(fx.dir, 'mode-crash');
  fs.writeFileSync(modeFile, 'crash');
  const c = client(fx.env({ TRT_DOUBLE_MODE_FILE: modeFile }), [], { maxRestarts: 2 });
  try {
    await assert.rejects(c.run(params('crash.json')), (e: Error) => {
      assert.ok(e instanceof BackendError && !(e instanceof TrtError));
      assert.match(e.message, /^The TensorRT helper ended during the run \(killed by SIGSEGV\); its last output: trt double: run chain\.onnx \(mode crash\)\. The next run starts a new helper process\.$/);
      return true;
    });
    assert.equal(fs.existsSync(path.join(fx.dir, 'crash.json')), false);
    fs.writeFileSync(modeFile, 'ok');
    assert.equal((await c.run(params('restarted.json'))).event, 'result');
    assert.equal(c.health.starts, 2);
    fs.writeFileSync(modeFile, 'crash');
    await assert.rejects(c.run(params('c2.json')), /killed by SIGSEGV/);
    await assert.rejects(c.run(params('c3.json')), /killed by SIGSEGV/);
    await assert.rejects(c.run(params('c4.json')), /The TensorRT helper cannot be started: .* ended 3 times within 60 s, so it is not restarted again; last: killed by SIGSEGV/);
    assert.equal(c.health.state, 'failed');
  } finally {
    await c.dispose();
  }
});

test('cancel of a hung run: SIGTERM, RunCancelledError, no partial file; a helper ignoring SIGTERM is killed', async () => {
  for (const ignore of ['0', '1']) {
    const c = client(fx.env({ TRT_DOUBLE_MODE: 'hang', TRT_DOUBLE_IGNORE_TERM: ignore }));
    try {
      const out = path.join(fx.dir, `hang-${ignore}.json`);
      const abort = new AbortController();
      const running = c.run(params(path.basename(out)), { signal: abort.signal, onProgress: () => undefined });
      // The double writes a partial file, then never answers.
      for (let i = 0; i < 200 && !fs.existsSync(out); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(fs.existsSync(out), 'the partial file exists before the cancel');
      const t0 = Date.now();
      abort.abort();
      await assert.rejects(running, (e: Error) => e instanceof RunCancelledError);
      assert.equal(fs.existsSync(out), false, 'no partial results file remains');
      if (ignore === '1') assert.ok(Date.now() - t0 >= 400, 'SIGKILL came after the grace period');
      assert.equal(c.health.state, 'idle', 'a cancel is no crash');
    } finally {
      await c.dispose();
    }
  }
});

test('LineRing keeps the last lines only', () => {
  const r = new LineRing(3);
  for (const l of ['1', '2', '3', '4', '5']) r.push(l);
  assert.deepEqual(r.tail(), ['3', '4', '5']);
  assert.deepEqual(r.tail(2), ['4', '5']);
});

test('a helper that exits with a class code and no error event: the class from the exit code, the message from stderr', async () => {
  const script = path.join(fx.dir, 'exits-4.sh');
  fs.writeFileSync(script, '#!/bin/sh\necho "cudaGetDeviceCount: no CUDA-capable device is detected" >&2\nexit 4\n', { mode: 0o755 });
  const c = new HelperClient({ path: script });
  try {
    await assert.rejects(c.run(params('exit4.json')), (e: Error) => e instanceof TrtError && e.errorClass === 'no-gpu' && /^No GPU for TensorRT: cudaGetDeviceCount: no CUDA-capable device is detected\./.test(e.message));
  } finally {
    await c.dispose();
  }
});

test('an error the helper already words as ours is not prefixed twice (seen on a real TensorRT 8.6 build failure)', () => {
  const said = 'TensorRT could not build the engine: 10: Could not find any implementation for node {ForeignNode[a...b]}.';
  assert.equal(trtErrorFrom({ class: 'build', message: said }).message, said);
  assert.equal(trtErrorFrom({ class: 'build', message: 'out of memory' }).message, 'TensorRT could not build the engine: out of memory');
  assert.equal(trtErrorFrom({ class: 'run', message: 'enqueue failed' }).message, 'The TensorRT run failed: enqueue failed');
});
