// The lazy-load fast path (base64 decoded straight from file bytes) against the JSON path it short-cuts:
// identical arrays on plain, escaped ("\/"), gzip and multi-chunk files; clear errors on truncated,
// corrupt or changed files; the streaming decoder under every split of its input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NdArray } from '../../src/compare/ndarray';
import { indexRunResults, loadArrayAt, streamRunResults } from '../../src/backends/results/readRunResults';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { Base64NpyDecoder } from '../../src/backends/results/base64Npy';
import { encodeNpy } from '../../src/backends/results/npy';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'results-fast-'));
}

function bytesOf(a: NdArray): Buffer {
  return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
}

function sample(): Record<string, NdArray> {
  const f = new Float32Array(3_000_001); // 12 MB: its base64 spans several 8 MiB read chunks
  for (let i = 0; i < f.length; i++) f[i] = Math.sin(i * 0.37) * 1e3;
  return {
    big: { dtype: 'float32', shape: [3_000_001], data: f },
    // 1, 2 and 0 padding characters at the end of the base64.
    pad1: { dtype: 'uint8', shape: [1], data: new Uint8Array([255]) },
    pad2: { dtype: 'uint8', shape: [2, 1], data: new Uint8Array([0xfb, 0xff]) },
    pad0: { dtype: 'uint8', shape: [3], data: new Uint8Array([0xfb, 0xef, 0xbe]) },
    i64: { dtype: 'int64', shape: [2, 3], data: new BigInt64Array([1n, -2n, 3n, 2n ** 62n, -(2n ** 63n), 0n]) },
    f16: { dtype: 'float16', shape: [5], data: new Uint16Array([0x3c00, 0xfc00, 0x7e00, 0, 0x8000]) },
    bool: { dtype: 'bool', shape: [4], data: new Uint8Array([1, 0, 1, 1]) },
    scalar: { dtype: 'float64', shape: [], data: new Float64Array([Math.PI]) },
    empty: { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
  };
}

async function writeSample(file: string): Promise<Record<string, NdArray>> {
  const arrays = sample();
  await writeRunResults(file, runResultsFromArrays([{ runnerName: 'r', iterations: [{ outputs: arrays, runtime: 0.1 }] }]));
  return arrays;
}

/** Loads every tensor both ways; asserts each equals the written array; returns how many were compared. */
async function assertBothPaths(file: string, want: Record<string, NdArray>): Promise<number> {
  const ix = await indexRunResults(file);
  try {
    let n = 0;
    for (const [name, entry] of ix.results.runs[0].iterations[0].outputs) {
      const fast = await entry.load();
      const loc = ix.locate(0, 0, name);
      assert.ok(loc, name);
      const slow = await loadArrayAt(ix.dataPath, loc, name, { fast: false });
      for (const got of [fast, slow]) {
        assert.equal(got.dtype, want[name].dtype, name);
        assert.deepEqual(got.shape, want[name].shape, name);
        assert.ok(bytesOf(got).equals(bytesOf(want[name])), `${name}: data differs`);
      }
      n++;
    }
    return n;
  } finally {
    ix.dispose();
  }
}

test('fast path and JSON path give the written arrays: plain and gzip files, every padding, multi-chunk tensors', async () => {
  const dir = tmp();
  try {
    const plain = path.join(dir, 'r.json');
    const want = await writeSample(plain);
    assert.equal(await assertBothPaths(plain, want), Object.keys(want).length);
    const gz = path.join(dir, 'r.json.gz');
    await writeSample(gz);
    assert.equal(await assertBothPaths(gz, want), Object.keys(want).length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('base64 with escaped slashes ("\\/", as json.dumps can write) falls back to the JSON path with identical arrays', async () => {
  const dir = tmp();
  try {
    const plain = path.join(dir, 'r.json');
    const want = await writeSample(plain);
    const text = fs.readFileSync(plain, 'latin1');
    assert.ok(text.includes('/'), 'the sample base64 contains slashes');
    const escaped = path.join(dir, 'escaped.json');
    fs.writeFileSync(escaped, text.replace(/\//g, '\\/'), 'latin1');
    assert.equal(await assertBothPaths(escaped, want), Object.keys(want).length);
    // Through the streaming reader as well.
    const seen = new Set<string>();
    for await (const rec of streamRunResults(escaped)) {
      assert.ok(bytesOf(rec.array).equals(bytesOf(want[rec.name])), rec.name);
      seen.add(rec.name);
    }
    assert.equal(seen.size, Object.keys(want).length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt base64 character is reported by the JSON path, not decoded silently', async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, 'r.json');
    await writeSample(file);
    const text = fs.readFileSync(file, 'latin1');
    // Inside 'big', in its second 8 MiB read chunk: past what indexing decodes (the npy header's chunk).
    const at = text.indexOf('"array": "') + 10 + 9_000_000;
    fs.writeFileSync(file, text.slice(0, at) + '*' + text.slice(at + 1), 'latin1');
    const ix = await indexRunResults(file);
    try {
      await assert.rejects(ix.results.runs[0].iterations[0].outputs.get('big')!.load(), /invalid base64 character/);
    } finally {
      ix.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('truncated files: indexing and streaming fail naming the file; a file cut after indexing fails its loads clearly', async () => {
  const dir = tmp();
  try {
    const file = path.join(dir, 'r.json');
    await writeSample(file);
    const full = fs.readFileSync(file);
    const cut = path.join(dir, 'cut.json');
    fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    await assert.rejects(indexRunResults(cut), (e: Error) => e.message.includes(cut) && /truncated/.test(e.message));
    await assert.rejects((async () => { for await (const _ of streamRunResults(cut)) { /* drain */ } })(), (e: Error) => e.message.includes(cut) && /truncated/.test(e.message));
    const ix = await indexRunResults(file);
    try {
      fs.truncateSync(file, 1000); // changed since indexing: 'big' lies past the new end
      await assert.rejects(ix.results.runs[0].iterations[0].outputs.get('big')!.load(), (e: Error) => e.message.includes(file) && /file ended early/.test(e.message));
    } finally {
      ix.dispose();
    }
    await assert.rejects(indexRunResults(file), (e: Error) => e.message.includes(file) && /truncated/.test(e.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('streaming decoder: any split of the base64 (padding included) decodes to the same array', () => {
  for (const a of Object.values(sample()).filter((x) => x.data.byteLength < 1000)) {
    const b64 = Buffer.from(Buffer.from(encodeNpy(a)).toString('base64'), 'latin1');
    for (const step of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const dec = new Base64NpyDecoder('t');
      for (let i = 0; i < b64.length; i += step) dec.write(b64.subarray(i, i + step));
      const got = dec.finish();
      assert.equal(got.dtype, a.dtype);
      assert.deepEqual(got.shape, a.shape);
      assert.ok(bytesOf(got).equals(bytesOf(a)), `${a.dtype} step ${step}`);
    }
  }
  const bad = new Base64NpyDecoder('t');
  assert.throws(() => { bad.write(Buffer.from('k05VTVBZ', 'latin1')); bad.write(Buffer.from('AQB2AHs=AAAA', 'latin1')); }, /base64/);
});
