// .npy/.npz codecs against numpy: numpy writes every dtype and we read it; we write and numpy reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DTYPES, NdArray, fromNumbers, getNumber, floatToHalf, halfToFloat } from '../../src/compare/ndarray';
import { decodeNpy, encodeNpy } from '../../src/backends/results/npy';
import { readNpy, readNpz, writeNpy } from '../../src/backends/results/npz';

const noNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0 ? false : 'python3 with numpy is not available';

function python(script: string, args: string[]): string {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').pop() as string;
}

const NUMPY_DTYPES = DTYPES.filter((d) => d !== 'bfloat16');

function values(a: NdArray): number[] {
  return Array.from({ length: a.data.length }, (_, i) => getNumber(a, i));
}

test('reads .npy of every numpy dtype (little and big endian) and .npz stored + deflated', { skip: noNumpy }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
  try {
    const listing = python(`import sys, json, numpy as np
d = sys.argv[1]; out = {}
for dt in ${JSON.stringify(NUMPY_DTYPES)}:
    a = (np.arange(24).reshape(2, 3, 4) % 7 - (0 if dt.startswith('u') else 3)).astype(dt)
    np.save(f'{d}/{dt}.npy', a)
    out[dt] = a.astype(np.float64).ravel().tolist()
np.save(f'{d}/be.npy', np.arange(5, dtype='>f4') / 4)
np.savez(f'{d}/s.npz', x=np.arange(3, dtype=np.int64), y=np.eye(2, dtype=np.float32))
np.savez_compressed(f'{d}/c.npz', x=np.arange(3, dtype=np.int64), y=np.eye(2, dtype=np.float32))
np.save(f'{d}/fortran.npy', np.asfortranarray(np.ones((2, 3), np.float32)))
np.save(f'{d}/object.npy', np.array([1, 'a'], dtype=object), allow_pickle=True)
print(json.dumps(out))`, [dir]);
    const want = JSON.parse(listing) as Record<string, number[]>;
    for (const dt of NUMPY_DTYPES) {
      const a = readNpy(path.join(dir, `${dt}.npy`));
      assert.equal(a.dtype, dt);
      assert.deepEqual(a.shape, [2, 3, 4]);
      assert.deepEqual(values(a), want[dt], dt);
    }
    assert.deepEqual(values(readNpy(path.join(dir, 'be.npy'))), [0, 0.25, 0.5, 0.75, 1]);
    for (const z of ['s.npz', 'c.npz']) {
      const m = readNpz(path.join(dir, z));
      assert.deepEqual([...m.keys()].sort(), ['x', 'y']);
      assert.deepEqual(values(m.get('x') as NdArray), [0, 1, 2]);
      assert.deepEqual((m.get('y') as NdArray).shape, [2, 2]);
      assert.deepEqual(values(m.get('y') as NdArray), [1, 0, 0, 1]);
    }
    assert.throws(() => readNpy(path.join(dir, 'fortran.npy')), /fortran\.npy: Fortran-order arrays are not supported/);
    assert.throws(() => readNpy(path.join(dir, 'object.npy')), /object arrays are not supported/);
    assert.throws(() => readNpz(path.join(dir, 'be.npy')), /be\.npy: not a zip/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('numpy reads the .npy we write, for every dtype, with identical header layout', { skip: noNumpy }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
  try {
    const arrays = NUMPY_DTYPES.map((dt) => fromNumbers(dt, [3, 2], [0, 1, 2, 3, 4, 5].map((v) => (dt === 'bool' ? v % 2 : v - (dt.startsWith('u') ? 0 : 2)))));
    arrays.forEach((a) => writeNpy(path.join(dir, `${a.dtype}.npy`), a));
    const out = JSON.parse(python(`import sys, json, numpy as np, io
d = sys.argv[1]; res = {}
for dt in ${JSON.stringify(NUMPY_DTYPES)}:
    raw = open(f'{d}/{dt}.npy', 'rb').read()
    a = np.load(io.BytesIO(raw))
    buf = io.BytesIO(); np.save(buf, a)
    res[dt] = [str(a.dtype), list(a.shape), a.astype(np.float64).ravel().tolist(), buf.getvalue() == raw]
print(json.dumps(res))`, [dir])) as Record<string, [string, number[], number[], boolean]>;
    for (const a of arrays) {
      const [dt, shape, vals, sameBytes] = out[a.dtype];
      assert.equal(dt, a.dtype);
      assert.deepEqual(shape, a.shape);
      assert.deepEqual(vals, values(a));
      assert.ok(sameBytes, `${a.dtype}: numpy.save writes the very same bytes`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npy round trip in memory keeps every dtype (bfloat16 as 2-byte void) and rejects bad headers', () => {
  for (const dt of DTYPES) {
    const a = fromNumbers(dt, [2, 2], [0, 1, dt === 'bool' ? 1 : 3, 0]);
    const b = decodeNpy(encodeNpy(a));
    assert.equal(b.dtype, dt);
    assert.deepEqual(b.shape, [2, 2]);
    assert.deepEqual(values(b), values(a));
  }
  const scalar = decodeNpy(encodeNpy(fromNumbers('float32', [], [2.5])));
  assert.deepEqual(scalar.shape, []);
  assert.equal(getNumber(scalar, 0), 2.5);
  assert.throws(() => decodeNpy(new Uint8Array([1, 2, 3]), 'x.npy'), /x\.npy: not \.npy data/);
  const bytes = encodeNpy(fromNumbers('float32', [4], [1, 2, 3, 4]));
  assert.throws(() => decodeNpy(bytes.subarray(0, bytes.length - 1), 'cut'), /cut: truncated \.npy data/);
  const changed = new Uint8Array(bytes);
  const at = Buffer.from(changed).indexOf("'<f4'");
  changed.set(Buffer.from("'<c8'", 'latin1'), at);
  assert.throws(() => decodeNpy(changed, 'c'), /c: unsupported dtype '<c8'/);
});

test('float16 conversion rounds to nearest even like numpy, including subnormals and overflow', () => {
  assert.equal(floatToHalf(1), 0x3c00);
  assert.equal(floatToHalf(65504), 0x7bff);
  assert.equal(floatToHalf(65520), 0x7c00); // rounds up to inf
  assert.equal(floatToHalf(2 ** -24), 0x0001);
  assert.equal(floatToHalf(2 ** -25), 0x0000); // tie to even (zero)
  assert.equal(floatToHalf(3 * 2 ** -25), 0x0002); // tie to even (2)
  assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // tie to even
  assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
  assert.ok(Number.isNaN(halfToFloat(floatToHalf(NaN))));
  assert.equal(halfToFloat(0xfc00), -Infinity);
  for (let h = 0; h < 0x7c00; h += 37) assert.equal(floatToHalf(halfToFloat(h)), h);
});
