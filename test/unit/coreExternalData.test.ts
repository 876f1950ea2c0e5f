// External data: location rules, lazy reads at offsets, clear errors for unsafe/missing/short files (while the
// graph still opens), the per-file summary, and a real model (resnet18_dynamo) checked against numpy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalDataError, locationSegments } from '../../src/core/externalData';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { firstValues, tensorStats } from '../../src/core/tensorValues';
import { checkExternalData, readTensorBytes, readTensorValues } from '../../src/node/externalDataReader';
import { readModelFile } from '../../src/node/modelFile';
import { DT, makeModel, TensorSpec } from '../fixtures/builders';

const root = mkdtempSync(join(tmpdir(), 'extdata-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const f32 = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);

/** A folder with model.onnx whose initializers are the given external tensors (x -> Add(each) -> ...). */
function modelDir(name: string, tensors: TensorSpec[], files: Record<string, Uint8Array> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), bytes);
  }
  const nodes = tensors.map((t, i) => ({ op: 'Add', inputs: [i === 0 ? 'x' : `h${i}`, t.name], outputs: [`h${i + 1}`] }));
  const p = join(dir, 'model.onnx');
  writeFileSync(p, makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: `h${tensors.length}`, elemType: DT.FLOAT }],
    nodes, initializers: tensors,
  }));
  return p;
}

test('locationSegments: relative paths inside the folder only', () => {
  assert.deepEqual(locationSegments('weights.bin'), { segments: ['weights.bin'] });
  assert.deepEqual(locationSegments('./data/w.bin'), { segments: ['data', 'w.bin'] });
  assert.deepEqual(locationSegments('data/sub/../w.bin'), { segments: ['data', 'w.bin'] });
  for (const bad of ['data\\w.bin', '..\\..\\x', '/etc/passwd', '\\\\server\\share\\w', 'C:\\w.bin', 'c:/w.bin', '../w.bin', 'a/../../w.bin', '', '.', 'a\0b']) {
    assert.ok('problem' in locationSegments(bad), `refused: ${JSON.stringify(bad)}`);
  }
});

test('external tensors are read lazily at their offsets and decode', async () => {
  const file = new Uint8Array(64);
  file.set(f32([1, 2]), 8);
  file.set(f32([3, 4]), 32);
  const p = modelDir('ok', [
    { name: 'a', dataType: DT.FLOAT, dims: [2], external: { location: 'data/w.bin', offset: 8, length: 8 } },
    { name: 'b', dataType: DT.FLOAT, dims: [2], external: { location: 'data/w.bin', offset: 32 } },
  ], { 'data/w.bin': file });
  const { model } = await readModelFile(p);
  const [a, b] = model.graph.initializers;
  assert.deepEqual(await readTensorBytes(p, model, a), f32([1, 2]));
  assert.deepEqual(firstValues(await readTensorValues(p, model, b), 10), [3, 4]);
  const [report] = await checkExternalData(p, model);
  assert.equal(report.location, 'data/w.bin');
  assert.equal(report.exists, true);
  assert.equal(report.size, 64);
  assert.deepEqual(report.tensors, ['a', 'b']);
  assert.equal(report.bytesNeeded, 16);
  assert.deepEqual(report.problems, []);
});

test('inline raw data is a view into the model buffer; typed data is re-laid as raw bytes', async () => {
  const p = modelDir('inline', [
    { name: 'r', dataType: DT.FLOAT, dims: [2], raw: f32([5, 6]) },
    { name: 't', dataType: DT.FLOAT, dims: [2], floatData: [7, 8] },
  ]);
  const { model } = await readModelFile(p);
  const [r, t] = model.graph.initializers;
  const rb = await readTensorBytes(p, model, r);
  assert.equal(rb.buffer, model.bytes.buffer, 'raw bytes share the file buffer (no copy)');
  assert.deepEqual(rb, f32([5, 6]));
  assert.deepEqual(await readTensorBytes(p, model, t), f32([7, 8]));
});

/** Asserts reading tensor `name` fails with ExternalDataError naming it and matching `re`, while the graph opens. */
async function assertBroken(p: string, name: string, re: RegExp, pathPart: string): Promise<void> {
  const { model } = await readModelFile(p);
  assert.deepEqual(buildModelGraph(model).problems, [], 'the graph itself is fine');
  const t = model.graph.initializers.find((i) => i.name === name)!;
  await assert.rejects(readTensorBytes(p, model, t), (e: unknown) => {
    assert.ok(e instanceof ExternalDataError, String(e));
    assert.equal(e.tensor, name);
    assert.match(e.message, re);
    assert.ok(e.message.includes(pathPart), `names the path: ${e.message}`);
    return true;
  });
  const reports = await checkExternalData(p, model);
  assert.ok(reports.some((r) => r.problems.some((m) => re.test(m))), `checkExternalData reports it: ${JSON.stringify(reports)}`);
}

test('absolute, escaping, symlinked-out, missing and short external files fail per tensor with the path', async () => {
  const outside = join(root, 'outside.bin');
  writeFileSync(outside, new Uint8Array(8));
  await assertBroken(modelDir('abs', [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: outside } }]),
    'w', /absolute path/, outside);
  await assertBroken(modelDir('up', [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: '../outside.bin' } }]),
    'w', /escapes the model's folder/, '../outside.bin');
  const linked = modelDir('link', [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: 'w.bin' } }]);
  symlinkSync(outside, join(root, 'link', 'w.bin'));
  await assertBroken(linked, 'w', /escapes the model's folder: 'w.bin' is a symbolic link/, 'w.bin');
  await assertBroken(modelDir('missing', [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: 'gone.bin' } }]),
    'w', /is missing from the model's folder/, join(root, 'missing', 'gone.bin'));
  await assertBroken(modelDir('short', [{ name: 'w', dataType: DT.FLOAT, dims: [4], external: { location: 'w.bin', offset: 4 } }], { 'w.bin': new Uint8Array(12) }),
    'w', /needs bytes 4\.\.20 but the file has only 12 bytes/, 'w.bin');
  await assertBroken(modelDir('len', [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: 'w.bin', length: 4 } }], { 'w.bin': new Uint8Array(8) }),
    'w', /declares length 4 but its type and dims need 8 bytes/, 'w.bin');
});

test('a symlink inside the folder to a file inside the folder is allowed', async () => {
  const p = modelDir('innerlink', [{ name: 'w', dataType: DT.FLOAT, dims: [1], external: { location: 'alias.bin' } }], { 'real.bin': f32([9]) });
  symlinkSync(join(root, 'innerlink', 'real.bin'), join(root, 'innerlink', 'alias.bin'));
  const { model } = await readModelFile(p);
  assert.deepEqual(firstValues(await readTensorValues(p, model, model.graph.initializers[0]), 1), [9]);
});

test('overlapping tensors in one file are reported', async () => {
  const p = modelDir('overlap', [
    { name: 'a', dataType: DT.FLOAT, dims: [2], external: { location: 'w.bin', offset: 0 } },
    { name: 'b', dataType: DT.FLOAT, dims: [2], external: { location: 'w.bin', offset: 4 } },
  ], { 'w.bin': new Uint8Array(16) });
  const { model } = await readModelFile(p);
  const [report] = await checkExternalData(p, model);
  assert.deepEqual(report.problems, ["tensors 'a' and 'b' overlap in the file"]);
});

const RESNET = '/work/shared/models/resnet18_dynamo.onnx';
const FILL = '/work/shared/tools/fill-external-data.py';

test('resnet18_dynamo with generated weights: every external tensor matches numpy', { skip: !existsSync(RESNET) || !existsSync(FILL) ? 'shared model or tool missing' : false, timeout: 60_000 }, async (t) => {
  const dir = join(root, 'resnet');
  mkdirSync(dir);
  const p = join(dir, 'model.onnx');
  copyFileSync(RESNET, p);
  const { model: before } = await readModelFile(p);
  const missing = await checkExternalData(p, before);
  assert.ok(missing.length > 0 && missing.every((r) => !r.exists && r.problems.some((m) => /is missing from the model's folder/.test(m))), 'weights absent before filling');
  try {
    execFileSync('python3', [FILL, p, dir], { stdio: 'pipe' });
  } catch (e) {
    t.skip(`python3 with onnx cannot run ${FILL}: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  const oracle = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, onnx
from onnx import numpy_helper
m = onnx.load(sys.argv[1], load_external_data=False)
out = {}
for t in m.graph.initializer:
    a = numpy_helper.to_array(t, sys.argv[2]).astype('float64').ravel()
    out[t.name] = [int(a.size), float(a.sum()), [float(x) for x in a[:3]]]
print(json.dumps(out))`, p, dir], { maxBuffer: 1 << 26 }).toString());
  const { model } = await readModelFile(p);
  const reports = await checkExternalData(p, model);
  assert.ok(reports.every((r) => r.exists && r.problems.length === 0), JSON.stringify(reports.map((r) => r.problems)));
  let checked = 0;
  for (const init of model.graph.initializers) {
    const [count, sum, first] = oracle[init.name];
    const v = await readTensorValues(p, model, init);
    assert.equal(v.count, count, init.name);
    assert.deepEqual(firstValues(v, 3).map(Number), first, init.name);
    const s = tensorStats(v);
    assert.ok(Math.abs(s.mean! * (count - s.nan) - sum) <= 1e-6 * Math.max(1, Math.abs(sum)) + 1e-3, `${init.name}: sum ${s.mean! * count} vs ${sum}`);
    if (init.data.kind === 'external') checked++;
  }
  assert.ok(checked > 0);
});

test('readModel never touches external files: opening works with none present', () => {
  const bytes = makeModel({ initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [1 << 20], external: { location: 'huge.bin' } }], outputs: [{ name: 'w' }] });
  const model = readModel(bytes);
  assert.equal(model.graph.initializers[0].data.kind, 'external');
});
