// `onnx-inspector run --backend tensorrt` and `doctor` with the helper test double: what they print, the files they
// write (results, inputs, layer information), and their exit codes (3 no TensorRT, 4 no GPU, 5 parse, ...).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRunResults } from '../../src/backends/results/readRunResults';
import { DOUBLE, trtFixture, type TrtFixture } from './trtSupport';

let fx: TrtFixture;
before(async () => { fx = await trtFixture(); });
after(() => fx.dispose());

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [fx.cli, ...args], { encoding: 'utf8', env: { ...fx.env(env), ONNX_INSPECTOR_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const p = (f: string) => path.join(fx.dir, f);

test('run --backend tensorrt writes results, inputs and the layer file; prints engine, fused and skipped; compare agrees with onnxruntime', async () => {
  const r = cli(['run', fx.model, '--backend', 'tensorrt', '--trt-helper', DOUBLE, '--trt-capture', 'mark', '--no-engine-cache', '--seed', '3', '--save-results', p('trt.json')], { TRT_DOUBLE_FUSE: '2' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wrote .*trt\.json: 3 tensors \(0\.0 MB\) from trt-runner-N8\.6\.0; inputs generated with seed 3 .*saved to .*trt\.inputs\.json$/m);
  assert.match(r.stdout, /^engine: built in \d+\.\d\d s, cached for the next run$/m);
  assert.match(r.stdout, /^captured 3; fused 2: b \(in neg1 \+ abs1\), d \(in sig1 \+ mul1\); skipped 0$/m);
  assert.match(r.stdout, /^helper peak memory: [1-9]\d* MiB$/m);
  assert.match(r.stdout, new RegExp(`^layer information: ${p('trt.layers.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
  assert.match(r.stdout, /^time: load .* build .* run .* write /m);
  assert.ok(fs.existsSync(p('trt.inputs.json')));
  const saved = await loadRunResults(p('trt.json'));
  assert.equal(saved.runs[0].runnerName, 'trt-runner-N8.6.0');
  // The same inputs through onnxruntime, then compare: the fused tensors are only in the onnxruntime run, and the
  // TensorRT run's layer file beside its results says they were fused (not unpaired).
  const o = cli(['run', fx.model, '--inputs', p('trt.inputs.json'), '--save-results', p('ort.json')]);
  assert.equal(o.code, 0, o.stderr);
  const c = cli(['compare', p('trt.json'), p('ort.json'), '--model', fx.model]);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  // Both files have their inputs beside them: the same input, compared as a tensor too.
  assert.match(c.stdout, /4 compared, 4 passed, 0 failed, 2 fused away \(not compared\) \(/);
  assert.doesNotMatch(c.stdout, /WARNING|inputs .* unknown/);
  assert.match(c.stdout, /\n\s+b\s+A: results file trt\.json, runner trt-runner-N8\.6\.0\s+fused into neg1 \+ abs1\n\s+d\s+A: results file trt\.json, runner trt-runner-N8\.6\.0\s+fused into sig1 \+ mul1/);
});

test('run --backend tensorrt: the helper\'s problems keep its exit codes, on one line', () => {
  const cases: [string, number, RegExp][] = [
    ['no-tensorrt', 3, /^onnx-inspector: TensorRT was not found: looked in \/opt\/tensorrt\/lib .*--tensorrt-lib-dir/],
    ['no-gpu', 4, /^onnx-inspector: No GPU for TensorRT: no CUDA-capable device is detected/],
    ['parse-error', 5, /^onnx-inspector: TensorRT could not parse the model at node 'abs1': /],
    ['bad-input', 8, /^onnx-inspector: TensorRT refused the inputs: /],
  ];
  for (const [mode, code, re] of cases) {
    const out = p(`fail-${mode}.json`);
    const r = cli(['run', fx.model, '--backend', 'tensorrt', '--no-engine-cache', '--save-results', out], { TRT_DOUBLE_MODE: mode, ONNX_INSPECTOR_TRT_HELPER: DOUBLE });
    assert.equal(r.code, code, `${mode}: ${r.stderr}`);
    assert.match(r.stderr, re, mode);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${mode}: ${r.stderr}`);
    assert.equal(fs.existsSync(out), false, `${mode}: no results file`);
  }
  const usage: [string[], RegExp][] = [
    [['--trt-capture', 'all'], /--trt-capture must be one of debug, mark, auto, not 'all'/],
    [['--opt-level', 'disabled'], /--opt-level applies to --backend onnxruntime/],
    [['--workspace', '0'], /--workspace must be an integer in \[1, /],
    [['--tactic-sources', 'magic'], /tacticSources must be default, all or a comma list/],
  ];
  fs.writeFileSync(p('mine.layers.json'), 'a file of the user');
  const refused = cli(['run', fx.model, '--backend', 'tensorrt', '--trt-helper', DOUBLE, '--save-results', p('mine.json')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /mine\.layers\.json already exists; choose another output file or pass --force/);
  assert.equal(fs.readFileSync(p('mine.layers.json'), 'utf8'), 'a file of the user');
  for (const [extra, re] of usage) {
    const r = cli(['run', fx.model, '--backend', 'tensorrt', '--trt-helper', DOUBLE, '--save-results', p('u.json'), ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('doctor: 0 when usable, 4 without a GPU, 3 without TensorRT or without a helper', () => {
  const ok = cli(['doctor', '--trt-helper', DOUBLE]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^helper: .*trtHelperDouble\.mjs \(setting\)$/m);
  assert.match(ok.stdout, /TensorRT 8\.6\.0 on Double GPU \(sm_90\)/);
  assert.match(ok.stdout, /^  TensorRT 8\.6\.0 from \/double\/lib; CUDA 12\.2$/m);
  const noGpu = cli(['doctor'], { ONNX_INSPECTOR_TRT_HELPER: DOUBLE, TRT_DOUBLE_MODE: 'no-gpu' });
  assert.equal(noGpu.code, 4, noGpu.stdout);
  assert.match(noGpu.stdout, /\(environment\)[\s\S]*problem: no CUDA-capable device is detected[\s\S]*not usable: TensorRT was found but no GPU/);
  const noTrt = cli(['doctor', '--trt-helper', DOUBLE], { TRT_DOUBLE_MODE: 'no-tensorrt' });
  assert.equal(noTrt.code, 3, noTrt.stdout);
  assert.match(noTrt.stdout, /looked in: \/opt\/tensorrt\/lib \(libnvinfer\.so\.8: no such file\)/);
  const json = JSON.parse(cli(['doctor', '--trt-helper', DOUBLE, '--json'], { TRT_DOUBLE_MODE: 'no-tensorrt' }).stdout);
  assert.equal(json.exitCode, 3);
  assert.equal(json.probes[0].version.tensorrt, null);
  const none = cli(['doctor', '--trt-helper', p('missing-helper')]);
  assert.equal(none.code, 3);
  assert.match(none.stdout, /problem: .*missing-helper does not exist/);
});
