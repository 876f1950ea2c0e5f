// The helper's layer-information file beside a results file: its path, its checked parse, and the results backend
// filling RunOutput.fused/skipped from it (a broken one is noted, not fatal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layerInfoPathFor, parseLayerInfo } from '../../src/backends/results/layerInfo';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { createResultsBackend } from '../../src/backends/resultsBackend';

test('layerInfoPathFor: OUT.json and OUT.json.gz -> OUT.layers.json', () => {
  assert.equal(layerInfoPathFor('/x/trt.json'), '/x/trt.layers.json');
  assert.equal(layerInfoPathFor('/x/trt.json.gz'), '/x/trt.layers.json');
  assert.equal(layerInfoPathFor('/x/trt'), '/x/trt.layers.json');
});

test('parseLayerInfo: lists checked, layer null kept, a foreign file named', () => {
  const info = parseLayerInfo(JSON.stringify({ tensorrt: '10.3.0', runnerName: 'trt-runner-N10.3.0', captureMode: 'debug', fused: [{ tensor: 't', layer: null }, { tensor: 'u', layer: 'Conv_1 + Relu_2' }], skipped: [{ name: 'l', reason: 'inside a Loop body' }] }), 'f.layers.json');
  assert.deepEqual(info, { tensorrt: '10.3.0', runnerName: 'trt-runner-N10.3.0', captureMode: 'debug', fused: [{ tensor: 't', layer: null }, { tensor: 'u', layer: 'Conv_1 + Relu_2' }], skipped: [{ name: 'l', reason: 'inside a Loop body' }] });
  assert.throws(() => parseLayerInfo('[1]', 'f.layers.json'), /f\.layers\.json: not a layer-information file \(no JSON object\)/);
  assert.throws(() => parseLayerInfo('{"fused":[{"layer":"x"}]}', 'f.layers.json'), /f\.layers\.json: fused\[0\] is not \{tensor, layer\}/);
  assert.throws(() => parseLayerInfo('{"fused":', 'f.layers.json'), /not a layer-information file/);
});

test('the results backend fills fused/skipped from a sibling layer file, and notes a broken one', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-info-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'trt.json');
  const a = { dtype: 'float32' as const, shape: [2], data: new Float32Array([1, 2]) };
  await writeRunResults(file, runResultsFromArrays([{ runnerName: 'trt-runner-N8.6.0', iterations: [{ outputs: { a }, runtime: 0.1 }] }]));
  const run = (() => createResultsBackend(file).run({ modelPath: '', inputs: new Map(), capture: 'all' }));
  const plain = await run();
  assert.equal(plain.fused, undefined);
  assert.equal(plain.freshLoads, true);
  plain.dispose();
  fs.writeFileSync(path.join(dir, 'trt.layers.json'), JSON.stringify({ fused: [{ tensor: 'b', layer: 'A + B' }], skipped: [] }));
  const withLayers = await run();
  assert.deepEqual(withLayers.fused, [{ tensor: 'b', layer: 'A + B' }]);
  assert.deepEqual(withLayers.skipped, []);
  assert.ok(withLayers.notes.some((n) => n.kind === 'capture' && /layer information: .*trt\.layers\.json \(1 fused, 0 not captured\)/.test(n.text)));
  withLayers.dispose();
  fs.writeFileSync(path.join(dir, 'trt.layers.json'), 'garbage');
  const broken = await run();
  assert.equal(broken.fused, undefined);
  assert.ok(broken.notes.some((n) => /^layer information ignored: .*not a layer-information file/.test(n.text)));
  assert.deepEqual([...(await broken.tensors!.load('a')).data], [1, 2]);
  broken.dispose();
});
