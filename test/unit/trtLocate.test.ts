// Finding the TensorRT helper: setting -> bundled (newest major first, first that finds TensorRT) -> PATH; the
// awaited `--version --json` check and its failures: not executable, garbage output, no answer in time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { helperCandidates, locateHelper, probeHelper, HELPER_ENV } from '../../src/backends/tensorrt/locateHelper';
import { TrtError } from '../../src/backends/tensorrt/trtErrors';
import { DOUBLE } from './trtSupport';

let dir: string;
const platformDir = `${process.platform}-${process.arch}`;

/** An executable shell script answering like a helper of `major` (with or without TensorRT). */
function fakeHelper(file: string, body: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
const versionLine = (major: number | null, gpu: string | null = 'Fake GPU') =>
  JSON.stringify({ event: 'version', helper: '0.1.0', tensorrtMajor: major, tensorrt: major ? `${major}.0.0` : null, tensorrtLibDir: major ? '/x' : null, gpu, cuda: '12', problems: major ? [] : [`libnvinfer.so.N not found`], searched: major ? [] : [{ path: '/opt/tensorrt/lib', reason: 'no such file' }] });
const say = (line: string, code = 0) => `echo '${line}'\nexit ${code}`;

before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trt-locate-')); });
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('order: the setting alone; else the environment; else bundled newest first, then PATH sorted by major', () => {
  const root = path.join(dir, 'order');
  const bin = path.join(root, 'bin', platformDir);
  fakeHelper(path.join(bin, 'onnx-inspector-trt8'), say(versionLine(8)));
  fakeHelper(path.join(bin, 'onnx-inspector-trt10'), say(versionLine(10)));
  const p1 = path.join(dir, 'path1');
  const p2 = path.join(dir, 'path2');
  fakeHelper(path.join(p1, 'onnx-inspector-trt8'), say(versionLine(8)));
  fakeHelper(path.join(p2, 'onnx-inspector-trt10'), say(versionLine(10)));
  const env = { PATH: [p1, p2].join(path.delimiter) };
  const c = helperCandidates({ extensionRoot: root, env });
  assert.deepEqual(c.map((x) => [path.relative(dir, x.path), x.source]), [
    [path.join('order/bin', platformDir, 'onnx-inspector-trt10'), 'bundled'],
    [path.join('order/bin', platformDir, 'onnx-inspector-trt8'), 'bundled'],
    [path.join('path2', 'onnx-inspector-trt10'), 'PATH'],
    [path.join('path1', 'onnx-inspector-trt8'), 'PATH'],
  ]);
  assert.deepEqual(helperCandidates({ extensionRoot: root, env: { ...env, [HELPER_ENV]: '/e/h' } }), [{ path: '/e/h', source: 'environment' }]);
  assert.deepEqual(helperCandidates({ helperPath: '/s/h', extensionRoot: root, env: { ...env, [HELPER_ENV]: '/e/h' } }), [{ path: '/s/h', source: 'setting' }]);
  assert.deepEqual(helperCandidates({ helperPath: '~/bin/h' }), [{ path: path.join(os.homedir(), 'bin/h'), source: 'setting' }]);
});

test('bundled: the newest helper without TensorRT is passed over for the next one that finds it', async () => {
  const root = path.join(dir, 'fallback');
  const bin = path.join(root, 'bin', platformDir);
  fakeHelper(path.join(bin, 'onnx-inspector-trt10'), say(versionLine(null), 3));
  fakeHelper(path.join(bin, 'onnx-inspector-trt8'), say(versionLine(8)));
  const found = await locateHelper({ extensionRoot: root, env: { PATH: '' } });
  assert.equal(path.basename(found.path), 'onnx-inspector-trt8');
  assert.equal(found.version.tensorrt, '8.0.0');
  assert.equal(found.probes.length, 2);
  assert.match(found.probes[0].problem ?? '', /no TensorRT: libnvinfer\.so\.N not found/);
});

test('none finds TensorRT: one error naming every place looked in and every helper, with the setting to set', async () => {
  const root = path.join(dir, 'none');
  const bin = path.join(root, 'bin', platformDir);
  fakeHelper(path.join(bin, 'onnx-inspector-trt10'), say(versionLine(null), 3));
  fakeHelper(path.join(bin, 'onnx-inspector-trt8'), say(versionLine(null), 3));
  await assert.rejects(locateHelper({ extensionRoot: root, env: { PATH: '' } }), (e: Error) => {
    assert.ok(e instanceof TrtError);
    assert.equal(e.errorClass, 'no-tensorrt');
    assert.match(e.message, /^TensorRT was not found: looked in \/opt\/tensorrt\/lib \(no such file\)/);
    assert.match(e.message, /onnx-inspector-trt10: no TensorRT.*onnx-inspector-trt8: no TensorRT/);
    assert.match(e.message, /set onnxInspector\.tensorrt\.libDir \(or --tensorrt-lib-dir\) to the folder holding libnvinfer\.so\.N$/);
    return true;
  });
  await assert.rejects(locateHelper({ extensionRoot: path.join(dir, 'empty'), env: { PATH: '' } }), /No TensorRT helper found: .*set onnxInspector\.tensorrt\.helperPath \(or --trt-helper\)/);
});

test('a file that is not executable, a missing file, garbage output and a hang each give a clear reason', async () => {
  const plain = path.join(dir, 'plain');
  fs.writeFileSync(plain, 'not a program', { mode: 0o644 });
  await assert.rejects(probeHelper(plain), new RegExp(`^Error: ${plain} is not executable \\(chmod \\+x`));
  await assert.rejects(probeHelper(path.join(dir, 'nope')), /nope does not exist$/);
  const garbage = fakeHelper(path.join(dir, 'garbage'), 'echo "Segmentation fault (core dumped) lol"\nexit 0');
  await assert.rejects(probeHelper(garbage), /garbage --version --json printed no version line \(exit code 0; it printed "Segmentation fault \(core dumped\) lol"\): is it an onnx-inspector TensorRT helper\?/);
  const slow = fakeHelper(path.join(dir, 'slow'), 'sleep 5');
  const t0 = Date.now();
  await assert.rejects(probeHelper(slow, { timeoutMs: 300 }), /slow --version did not answer within 300 ms/);
  assert.ok(Date.now() - t0 < 3000, 'the timeout is honoured');
  // With the setting, its problem is the error (no silent fallback to other helpers).
  await assert.rejects(locateHelper({ helperPath: plain }), (e: Error) => e instanceof TrtError && e.errorClass === 'no-helper' && /No working TensorRT helper: .*plain is not executable/.test(e.message));
});

test('the test double answers --version --json like a helper, including no GPU', async () => {
  const v = await probeHelper(DOUBLE, { env: { ...process.env, TRT_DOUBLE_MODE: 'no-gpu' } });
  assert.equal(v.tensorrt, '8.6.0');
  assert.equal(v.gpu, null);
  assert.deepEqual(v.problems, ['no CUDA-capable device is detected']);
  const located = await locateHelper({ env: { ...process.env, [HELPER_ENV]: DOUBLE, TRT_DOUBLE_MODE: 'ok' } });
  assert.equal(located.source, 'environment');
  assert.equal(located.version.gpu, 'Double GPU (sm_90)');
});
