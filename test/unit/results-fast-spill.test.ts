// Background spill writes (run A's tensors going to disk while run B's session is created): loads give
// the same arrays while writes are in flight and after; dispose with writes in flight cleans up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NdArray } from '../../src/compare/ndarray';
import { TensorSpill, spillsWritten } from '../../src/backends/tensorSpill';

function arrays(): Map<string, NdArray> {
  const m = new Map<string, NdArray>();
  for (let t = 0; t < 20; t++) {
    const d = new Float32Array(50_000 + t * 7919);
    for (let i = 0; i < d.length; i++) d[i] = Math.cos(i + t) * (t + 1);
    m.set(`t${t}`, { dtype: 'float32', shape: [d.length], data: d });
  }
  m.set('i64', { dtype: 'int64', shape: [3], data: new BigInt64Array([1n, -1n, 2n ** 60n]) });
  m.set('empty', { dtype: 'uint8', shape: [0], data: new Uint8Array(0) });
  return m;
}

function same(a: NdArray, b: NdArray): boolean {
  return a.dtype === b.dtype && JSON.stringify(a.shape) === JSON.stringify(b.shape) &&
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
}

test('background spill: loads equal the arrays during and after the writes, and match a synchronous spill', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-test-'));
  const bg = new TensorSpill(dir);
  const sync = new TensorSpill(dir);
  try {
    const want = arrays();
    for (const [n, a] of want) { bg.addInBackground(n, a); sync.add(n, a); }
    assert.deepEqual(bg.names, [...want.keys()]);
    for (const [n, a] of want) assert.ok(same(bg.load(n), a), `${n} while writing`);
    await spillsWritten();
    await bg.written();
    assert.equal(bg.byteLength, sync.byteLength);
    for (const [n, a] of want) {
      const got = bg.load(n);
      assert.notEqual(got.data, a.data, `${n} comes from disk once written`);
      assert.ok(same(got, a) && same(sync.load(n), a), `${n} after writing`);
    }
  } finally {
    bg.dispose();
    sync.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('background spill: dispose with writes in flight removes the file and refuses loads', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-test-'));
  try {
    const s = new TensorSpill(dir);
    for (const [n, a] of arrays()) s.addInBackground(n, a);
    s.dispose();
    assert.deepEqual(fs.readdirSync(dir), [], 'the spill folder is removed at once');
    assert.throws(() => s.load('t0'), /disposed/);
    assert.throws(() => s.addInBackground('x', { dtype: 'uint8', shape: [1], data: new Uint8Array(1) }), /disposed/);
    await spillsWritten(); // the writes in flight end (and close the descriptor) without errors
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
