// Byte compatibility between the TensorRT helper's C++ file code and ours: an inputs file written by our TS
// writer goes through the helper's reader and RunResults writer (helper-io-tool), and comes back through our
// reader and Polygraphy's. Also the helper's protobuf scan against a model our builders encode.
// Needs helper/build/helper-io-tool (bash scripts/build-helper.sh); skipped with a message otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NdArray } from '../../src/compare/ndarray';
import { writeInputsFile, writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { loadRunResults } from '../../src/backends/results/readRunResults';
import { DT, makeModel } from '../fixtures/builders';

const root = path.resolve(__dirname, '../..');
const tool = path.join(root, 'helper/build/helper-io-tool');
const noTool = fs.existsSync(tool) ? false : `${tool} is not built (run: bash scripts/build-helper.sh)`;
const noPolygraphy = spawnSync('python3', ['-c', 'import polygraphy.comparator'], { encoding: 'utf8' }).status === 0
  ? false : 'python3 cannot import polygraphy';

// One array of every dtype the helper passes through, with edge values.
const feed: Record<string, NdArray> = {
  f32: { dtype: 'float32', shape: [2, 3], data: new Float32Array([0, -1.5, 3.25, 1e-30, -0, 65504]) },
  f16: { dtype: 'float16', shape: [3], data: new Uint16Array([0x3c00, 0xc000, 0x7c00]) },  // 1, -2, inf
  i64: { dtype: 'int64', shape: [2], data: new BigInt64Array([-(2n ** 40n), 9007199254740993n]) },
  i32: { dtype: 'int32', shape: [1, 2, 2], data: new Int32Array([-2147483648, 2147483647, 0, 7]) },
  u8: { dtype: 'uint8', shape: [4], data: new Uint8Array([0, 1, 128, 255]) },
  b: { dtype: 'bool', shape: [3], data: new Uint8Array([1, 0, 1]) },
  scalar: { dtype: 'float32', shape: [], data: new Float32Array([42]) },
  empty: { dtype: 'float32', shape: [0, 5], data: new Float32Array(0) },
  'odd "name"/é': { dtype: 'uint8', shape: [5], data: new Uint8Array([5, 4, 3, 2, 1]) },
};

function runTool(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helper-io-'));
  return fn(dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

async function helperResults(dir: string): Promise<string> {
  const inputs = path.join(dir, 'inputs.json');
  const out = path.join(dir, 'out.json');
  await writeInputsFile(inputs, [feed]);
  const r = runTool(['write-results', inputs, out, 'trt-runner-N8.6.0']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!fs.existsSync(`${out}.partial`), 'the partial file is renamed away');
  return out;
}

test('helper RunResults read back by our reader: every value, dtype and shape', { skip: noTool }, async () => {
  await withDir(async (dir) => {
    const results = await loadRunResults(await helperResults(dir));
    assert.equal(results.runs.length, 1);
    assert.equal(results.runs[0].runnerName, 'trt-runner-N8.6.0');
    const it = results.runs[0].iterations[0];
    assert.equal(it.runnerName, 'trt-runner-N8.6.0');
    assert.equal(it.runtime, 0);
    assert.deepEqual([...it.outputs.keys()], Object.keys(feed));
    for (const [name, want] of Object.entries(feed)) {
      const got = await it.outputs.get(name)!.load();
      assert.equal(got.dtype, want.dtype, name);
      assert.deepEqual(got.shape, want.shape, name);
      assert.deepEqual(Array.from(got.data as ArrayLike<number | bigint>), Array.from(want.data as ArrayLike<number | bigint>), name);
    }
  });
});

test('helper RunResults are byte for byte what our TS writer writes (Polygraphy json.dumps indent=4 layout)', { skip: noTool }, async () => {
  await withDir(async (dir) => {
    const ours = path.join(dir, 'ours.json');
    await writeRunResults(ours, runResultsFromArrays([{ runnerName: 'trt-runner-N8.6.0', iterations: [{ outputs: feed, runtime: 0 }] }]));
    assert.equal(fs.readFileSync(await helperResults(dir), 'utf8'), fs.readFileSync(ours, 'utf8'));
  });
});

test("helper RunResults read by Polygraphy's RunResults.load", { skip: noTool || noPolygraphy }, async () => {
  await withDir(async (dir) => {
    const out = await helperResults(dir);
    const py = spawnSync('python3', ['-c', `import sys, json
from polygraphy.comparator import RunResults
r = RunResults.load(sys.argv[1])
runner, its = r[0]
arrs = {n: its[0][n] for n in its[0].keys()}
print(json.dumps({"runner": runner, "runtime": its[0].runtime, "arrays": {n: {"dtype": str(a.dtype), "shape": list(a.shape),
  "values": [str(v) for v in a.ravel().tolist()]} for n, a in arrs.items()}}))`, out], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    // Polygraphy may print its own notices ("[W] 'colored' module is not installed") before our line.
    const got = JSON.parse(py.stdout.trim().split('\n').at(-1) ?? '') as { runner: string; runtime: number; arrays: Record<string, { dtype: string; shape: number[]; values: string[] }> };
    assert.equal(got.runner, 'trt-runner-N8.6.0');
    assert.equal(got.runtime, 0);
    const numpyName: Record<string, string> = { float32: 'float32', float16: 'float16', int64: 'int64', int32: 'int32', uint8: 'uint8', bool: 'bool' };
    const f16: Record<number, string> = { 0x3c00: '1.0', 0xc000: '-2.0', 0x7c00: 'inf' };
    assert.deepEqual(Object.keys(got.arrays), Object.keys(feed));
    for (const [name, want] of Object.entries(feed)) {
      const a = got.arrays[name];
      assert.equal(a.dtype, numpyName[want.dtype], name);
      assert.deepEqual(a.shape, want.shape, name);
      const values = Array.from(want.data as ArrayLike<number | bigint>, (v) => {
        if (want.dtype === 'bool') return v ? 'True' : 'False';
        if (want.dtype === 'float16') return f16[Number(v)];
        return String(v);
      });
      // Python prints floats as repr; compare float32 numerically (-0 included).
      if (want.dtype === 'float32') assert.deepEqual(a.values.map(Number), Array.from(want.data as Float32Array), name);
      else assert.deepEqual(a.values, values, name);
    }
  });
});

test('a bad inputs file is one stderr line naming the file, exit 8 (bad-input), and no results file', { skip: noTool }, async () => {
  await withDir(async (dir) => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '[{"x": {"array": "not base64!", "polygraphy_class": "ndarray"}}]');
    const r = runTool(['write-results', bad, path.join(dir, 'o.json'), 'r']);
    assert.equal(r.status, 8);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /bad-input: .*bad\.json: input 'x'/);
    assert.ok(!fs.existsSync(path.join(dir, 'o.json')) && !fs.existsSync(path.join(dir, 'o.json.partial')));
  });
});

test('helper scan of a model our builders encode: ir version, opsets, node names, external data', { skip: noTool }, async () => {
  await withDir(async (dir) => {
    const model = path.join(dir, 'm.onnx');
    fs.writeFileSync(model, makeModel({
      irVersion: 9,
      opsets: [{ version: 18 }, { domain: 'com.microsoft', version: 1 }],
      inputs: [{ name: 'a', elemType: DT.FLOAT, shape: [2] }], outputs: [{ name: 'y', elemType: DT.FLOAT }],
      nodes: [{ op: 'Relu', inputs: ['a'], outputs: ['r'], name: 'relu' }, { op: 'Add', inputs: ['r', 'w'], outputs: ['y'], name: 'Add_1' }],
      initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: 'w.bin', offset: 0, length: 8 } }],
    }));
    const r = runTool(['scan', model]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      irVersion: 9, opsets: { '': 18, 'com.microsoft': 1 }, nodeNames: ['relu', 'Add_1'], nodeOps: ['Relu', 'Add'],
      externalDataLocations: ['w.bin'],
    });
  });
});
