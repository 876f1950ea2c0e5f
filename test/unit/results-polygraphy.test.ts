// Polygraphy results files: the real files in ../shared/polygraphy, our writer read back by us and by
// Polygraphy itself, the three reading modes agreeing, and clear errors for broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { NdArray, fromNumbers } from '../../src/compare/ndarray';
import { indexRunResults, loadRunResults, streamRunResults } from '../../src/backends/results/readRunResults';
import { readInputsFile } from '../../src/backends/results/readInputs';
import { writeInputsFile, writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays, RunResults, findRunner } from '../../src/backends/results/types';

const repoRoot = path.resolve(__dirname, '../..');
const shared = path.resolve(repoRoot, '../shared');
const polyDir = path.join(shared, 'polygraphy');
const noShared = fs.existsSync(polyDir) ? false : `shared material not found at ${polyDir}`;
const allFile = path.join(polyDir, 'mobilenet_v3_small.ort_all.json.gz');
const finalFile = path.join(polyDir, 'mobilenet_v3_small.ort_final.json');
const inputsFile = path.join(polyDir, 'mobilenet_v3_small.inputs.json');
const modelFile = path.join(shared, 'models', 'mobilenet_v3_small.onnx');

function pythonHas(mods: string): string | false {
  const r = spawnSync('python3', ['-c', `import ${mods}`], { encoding: 'utf8' });
  return r.status === 0 ? false : `python3 with ${mods} is not available`;
}
const noPoly = pythonHas('polygraphy, numpy');

function python(script: string, args: string[]): string {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  // Polygraphy logs warnings to stdout: the JSON answer is the last line.
  return r.stdout.trim().split("\n").pop() as string;
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'results-test-'));
}

/** FNV-1a over the raw bytes: a cheap fingerprint both languages compute the same way. */
function fingerprint(a: NdArray): string {
  const b = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return h.toString(16);
}
// Polygraphy's RunResults.load reads plain JSON only; .json.gz is our (and users') gzip of it.
const PY_LOAD = `
def load(f):
    import gzip
    from polygraphy.comparator import RunResults
    if f.endswith('.gz'):
        return RunResults.from_json(gzip.open(f, 'rt').read())
    return RunResults.load(f)
`;
const PY_FINGERPRINT = `
def fp(a):
    import numpy as np
    b = np.ascontiguousarray(a).view(np.uint8).ravel()
    h = 0x811c9dc5
    # vectorised FNV would change the result; arrays in these tests are small enough for a loop.
    for x in b.tobytes():
        h = ((h ^ x) * 0x01000193) & 0xffffffff
    return format(h, 'x')
`;

test('final-output results: one runner, logits (1, 1000) float32, values as Polygraphy loads them', { skip: noShared }, async () => {
  const r = await loadRunResults(finalFile);
  assert.equal(r.runs.length, 1);
  assert.match(r.runs[0].runnerName, /^onnxrt-runner/);
  const it = r.runs[0].iterations[0];
  assert.equal(typeof it.runtime, 'number');
  const logits = await (it.outputs.get('logits') as { load(): Promise<NdArray> }).load();
  assert.equal(logits.dtype, 'float32');
  assert.deepEqual(logits.shape, [1, 1000]);
  if (!noPoly) {
    const out = python(`import sys, json
from polygraphy.comparator import RunResults
r = RunResults.load(sys.argv[1]); a = r[0][1][0]['logits']
print(json.dumps([float(a.sum()), float(a[0, 0]), float(a[0, 999])]))`, [finalFile]);
    const [sum, first, last] = JSON.parse(out) as number[];
    const d = logits.data as Float32Array;
    assert.equal(d[0], first);
    assert.equal(d[999], last);
    assert.ok(Math.abs(d.reduce((s, v) => s + v, 0) - sum) < 1e-3 * Math.max(1, Math.abs(sum)));
  }
});

test('all-intermediates .json.gz: stream, index and load agree; names and shapes match Polygraphy and the model', { skip: noShared, timeout: 120_000 }, async () => {
  const streamed: { name: string; shape: number[]; fp: string }[] = [];
  for await (const rec of streamRunResults(allFile)) {
    assert.equal(rec.runIndex, 0);
    assert.equal(rec.iteration, 0);
    streamed.push({ name: rec.name, shape: rec.array.shape, fp: fingerprint(rec.array) });
  }
  const ix = await indexRunResults(allFile);
  try {
    const outs = ix.results.runs[0].iterations[0].outputs;
    assert.deepEqual([...outs.keys()], streamed.map((s) => s.name));
    for (const [i, e] of [...outs.values()].entries()) {
      assert.deepEqual(e.shape, streamed[i].shape, e.name);
      if (i % 10 === 0) assert.equal(fingerprint(await e.load()), streamed[i].fp, e.name); // lazy load = streamed bytes
    }
  } finally {
    ix.dispose();
  }
  assert.ok(!fs.existsSync(ix.dataPath), 'the decompressed copy is removed');
  assert.ok(streamed.length > 100, `${streamed.length} tensors`);
  assert.ok(streamed.some((s) => s.name === 'logits' && s.shape.join() === '1,1000'));

  const noOnnx = pythonHas('onnx');
  if (!noPoly) {
    const out = python(`import sys, json
${PY_LOAD}
r = load(sys.argv[1]); it = r[0][1][0]
print(json.dumps([[k, list(v.shape)] for k, v in it.items()]))`, [allFile]);
    assert.deepEqual(JSON.parse(out), streamed.map((s) => [s.name, s.shape]));
  }
  if (!noOnnx && fs.existsSync(modelFile)) {
    // Every saved tensor is produced by a node of the model (Polygraphy marks node outputs).
    const names = JSON.parse(python(`import sys, json, onnx
m = onnx.load(sys.argv[1])
print(json.dumps(sorted({o for n in m.graph.node for o in n.output if o})))`, [modelFile])) as string[];
    const produced = new Set(names);
    const missing = streamed.filter((s) => !produced.has(s.name)).map((s) => s.name);
    assert.deepEqual(missing, []);
    assert.ok(streamed.length >= names.length * 0.5, `${streamed.length} saved of ${names.length} node outputs`);
  }
});

test('inputs file: one feed with images (1, 3, 224, 224) float32', { skip: noShared }, async () => {
  const feeds = await readInputsFile(inputsFile);
  assert.equal(feeds.length, 1);
  const images = feeds[0].get('images') as NdArray;
  assert.equal(images.dtype, 'float32');
  assert.deepEqual(images.shape, [1, 3, 224, 224]);
  const d = images.data as Float32Array;
  assert.ok(d.every((v) => Number.isFinite(v)));
  await assert.rejects(loadRunResults(inputsFile), /not a Polygraphy RunResults file: the top level is a list/);
  await assert.rejects(readInputsFile(finalFile), /not a Polygraphy inputs file/);
});

function sampleResults(): RunResults {
  const dtypes = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'] as const;
  const outputs: Record<string, NdArray> = {};
  for (const [k, dt] of dtypes.entries()) {
    const shape = k % 3 === 0 ? [2, 3, 4] : k % 3 === 1 ? [5] : [];
    const n = shape.reduce((a, b) => a * b, 1);
    outputs[`t_${dt}/with "quotes" \\ and ünicode`] = fromNumbers(dt, shape, Array.from({ length: n }, (_, i) => (dt === 'bool' ? i % 2 : ((i * 7 + k) % 11) - (dt.startsWith('u') ? 0 : 5))));
  }
  outputs.empty = fromNumbers('float32', [0, 3], []);
  // Big enough that the writer emits several base64 slices and the reader crosses 1 MiB chunks.
  outputs.big = fromNumbers('float32', [3, 1000, 1001], Array.from({ length: 3_003_000 }, (_, i) => Math.sin(i)));
  return runResultsFromArrays([
    { runnerName: 'trt-runner-N0', iterations: [{ outputs, runtime: 0.5 }, { outputs: { only: outputs.empty }, runtime: null }] },
    { runnerName: 'onnxrt-runner-N0', iterations: [{ outputs: { x: outputs.big } }] },
  ]);
}

async function assertSameResults(got: RunResults, want: RunResults): Promise<void> {
  assert.deepEqual(got.runs.map((r) => [r.runnerName, r.iterations.length]), want.runs.map((r) => [r.runnerName, r.iterations.length]));
  for (const [ri, run] of want.runs.entries()) {
    for (const [ii, it] of run.iterations.entries()) {
      const g = got.runs[ri].iterations[ii];
      assert.equal(g.runtime, it.runtime);
      assert.deepEqual([...g.outputs.keys()], [...it.outputs.keys()]);
      for (const [name, e] of it.outputs) {
        const a = await (g.outputs.get(name) as { load(): Promise<NdArray> }).load();
        const b = await e.load();
        assert.equal(a.dtype, b.dtype, name);
        assert.deepEqual(a.shape, b.shape, name);
        assert.deepEqual(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength), name);
      }
    }
  }
}

test('write -> read round trip, plain and gzip, through load and index', { timeout: 120_000 }, async () => {
  const dir = tmpdir();
  try {
    const want = sampleResults();
    for (const file of [path.join(dir, 'r.json'), path.join(dir, 'r.json.gz')]) {
      await writeRunResults(file, want);
      await assertSameResults(await loadRunResults(file), want);
      const ix = await indexRunResults(file);
      try {
        await assertSameResults(ix.results, want);
      } finally {
        ix.dispose();
      }
    }
    assert.equal(findRunner(want, 'onnxrt').runnerName, 'onnxrt-runner-N0');
    assert.throws(() => findRunner(want, 'tensorrt'), /no runner 'tensorrt'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Polygraphy loads the files we write (RunResults plain + gzip, inputs) with identical arrays', { skip: noPoly, timeout: 120_000 }, async () => {
  const dir = tmpdir();
  try {
    const want = sampleResults();
    const it0 = want.runs[0].iterations[0];
    const small = runResultsFromArrays([{ runnerName: want.runs[0].runnerName, iterations: [{ outputs: new Map(await Promise.all([...it0.outputs].filter(([n]) => n !== 'big').map(async ([n, e]) => [n, await e.load()] as [string, NdArray]))), runtime: 0.5 }] }]);
    const plain = path.join(dir, 'r.json');
    const gz = path.join(dir, 'r.json.gz');
    const inputs = path.join(dir, 'inputs.json');
    await writeRunResults(plain, small);
    await writeRunResults(gz, small);
    await writeInputsFile(inputs, [new Map([['images', fromNumbers('float16', [2, 2], [1, 2.5, -3, 65504])]]), { ids: fromNumbers('int64', [3], [1, -2, 3]) }]);
    const out = python(`import sys, json
${PY_FINGERPRINT}
${PY_LOAD}
from polygraphy.json import load_json
res = []
for f in sys.argv[1:3]:
    r = load(f)
    it = r[0][1][0]
    res.append([r[0][0], it.runtime, [[k, str(v.dtype), list(v.shape), fp(v)] for k, v in it.items()]])
feeds = load_json(sys.argv[3])
res.append([[[k, str(v.dtype), v.ravel().tolist()] for k, v in f.items()] for f in feeds])
print(json.dumps(res))`, [plain, gz, inputs]);
    const [p, g, feeds] = JSON.parse(out) as [unknown[], unknown[], [string, string, number[]][][]];
    const mine = [...small.runs[0].iterations[0].outputs.values()];
    const expected = await Promise.all(mine.map(async (e) => { const a = await e.load(); return [e.name, a.dtype, a.shape, fingerprint(a)]; }));
    assert.deepEqual(p, [small.runs[0].runnerName, 0.5, expected]);
    assert.deepEqual(g, p);
    assert.deepEqual(feeds, [[['images', 'float16', [1, 2.5, -3, 65504]]], [['ids', 'int64', [1, -2, 3]]]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('broken files fail with the file name and what is wrong', async () => {
  const dir = tmpdir();
  try {
    const good = path.join(dir, 'good.json');
    await writeRunResults(good, runResultsFromArrays([{ runnerName: 'r', iterations: [{ outputs: { t: fromNumbers('float32', [100], Array.from({ length: 100 }, (_, i) => i)) } }] }]));
    const text = fs.readFileSync(good, 'utf8');
    const write = (name: string, content: string | Buffer) => { const f = path.join(dir, name); fs.writeFileSync(f, content); return f; };

    // Other JSON writers may escape characters ('\/', '\u0041'): still the same data, in every reading mode.
    const escaped = write('escaped.json', text.replace(/("array": ")([^"]*)/, (_m, p: string, b64: string) => p + b64.replace(/\//g, '\\/').replace(/A/g, '\\u0041')));
    assert.ok(fs.readFileSync(escaped, 'utf8').includes('\\u0041'), 'the fixture really contains escapes');
    const plainT = await (await loadRunResults(good)).runs[0].iterations[0].outputs.get('t')?.load();
    const escT = await (await loadRunResults(escaped)).runs[0].iterations[0].outputs.get('t')?.load();
    assert.deepEqual(escT, plainT);
    const ixE = await indexRunResults(escaped);
    assert.deepEqual(await ixE.results.runs[0].iterations[0].outputs.get('t')?.load(), plainT);
    ixE.dispose();

    const notJson = write('notjson.json', 'hello');
    await assert.rejects(loadRunResults(notJson), (e: Error) => e.message.includes(notJson) && /not JSON/.test(e.message));
    const truncated = write('trunc.json', text.slice(0, Math.floor(text.length / 2)));
    await assert.rejects(loadRunResults(truncated), (e: Error) => e.message.includes(truncated) && /truncated/.test(e.message));
    const truncGz = write('trunc.json.gz', zlib.gzipSync(text).subarray(0, 200));
    await assert.rejects(loadRunResults(truncGz), (e: Error) => e.message.includes(truncGz) && /truncated gzip/.test(e.message));
    const wrongClass = write('class.json', text.replace('"polygraphy_class": "RunResults"', '"polygraphy_class": "AccuracyResult"'));
    await assert.rejects(loadRunResults(wrongClass), /it is a Polygraphy 'AccuracyResult', not 'RunResults'/);
    // Cut 7 characters out of the base64: its length is no longer a multiple of 4.
    const b64start = text.indexOf('"array": "') + 10;
    const shortB64 = write('b64.json', text.slice(0, b64start + 100) + text.slice(b64start + 107));
    await assert.rejects(loadRunResults(shortB64), /truncated base64/);
    await assert.rejects(indexRunResults(shortB64), /truncated base64/);
    // Drop a whole 4-character group: valid base64 but the npy data is short.
    const shortNpy = write('npy.json', text.slice(0, b64start + 100) + text.slice(b64start + 104));
    await assert.rejects(loadRunResults(shortNpy), /truncated .npy data/);
    await assert.rejects(indexRunResults(shortNpy), /truncated base64/);
    // A header that is not .npy (base64 of "hello world!").
    const badMagic = write('magic.json', text.slice(0, b64start) + Buffer.from('hello world!').toString('base64') + text.slice(text.indexOf('"', b64start)));
    await assert.rejects(loadRunResults(badMagic), /bad magic/);
    const badChar = write('char.json', text.slice(0, b64start + 40) + '!!!!' + text.slice(b64start + 44));
    await assert.rejects(loadRunResults(badChar), /invalid base64 character/);
    const torch = write('torch.json', text.replace('"polygraphy_class": "ndarray"', '"polygraphy_class": "torch.Tensor"'));
    await assert.rejects(loadRunResults(torch), /unsupported array class 'torch.Tensor'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
