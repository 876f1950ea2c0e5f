// The WebAssembly scan kernel against the JavaScript loop it replaces: every metric bit for bit on data with
// NaN, infinities, signed zeros, subnormals and values at the tolerances, for lengths with and without a tail,
// and tolerances that float32 cannot hold exactly. Also: the committed kernel module matches its .wat source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { computeMetrics, MetricsOptions } from '../../src/compare/tensorMetrics';
import { f32Above, scanKernelAvailable, setScanKernelEnabled } from '../../src/compare/kernel/scanKernel';
import type { NdArray } from '../../src/compare/ndarray';
import { rng } from '../fixtures/random';

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-38, 3.4e38, -3.4e38, 1e-5, Math.fround(1e-5), 1];

function pair(n: number, seed: number): [Float32Array, Float32Array] {
  const r = rng(seed);
  const b = Float32Array.from({ length: n }, () => (r() - 0.5) * 8);
  const a = Float32Array.from(b, (v) => v + (r() - 0.5) * 4e-5);
  // Sprinkle special values on either side, and exact ties.
  for (let k = 0; k < n / 50; k++) {
    const i = Math.floor(r() * n);
    const v = SPECIAL[Math.floor(r() * SPECIAL.length)];
    if (r() < 0.4) a[i] = v;
    else if (r() < 0.7) b[i] = v;
    else { a[i] = v; b[i] = v; }
  }
  return [a, b];
}

const nd = (data: Float32Array): NdArray => ({ dtype: 'float32', shape: [data.length], data });

function both(a: Float32Array, b: Float32Array, o: MetricsOptions): [string, string] {
  try {
    setScanKernelEnabled(true);
    const k = JSON.stringify(computeMetrics(nd(a), nd(b), o), (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    setScanKernelEnabled(false);
    const j = JSON.stringify(computeMetrics(nd(a), nd(b), o), (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
    return [k, j];
  } finally {
    setScanKernelEnabled(true);
  }
}

test('the kernel runs here (WebAssembly SIMD)', () => {
  assert.equal(scanKernelAvailable(1024), true);
});

test('kernel and JavaScript loop give identical metrics', () => {
  const tolerances: [number, number][] = [[1e-5, 1e-5], [0, 0], [1e-3, 0], [Math.fround(1e-5), 1e-7], [Infinity, 1e-5], [1e-5, Infinity], [-1, -1]];
  let cases = 0;
  for (const n of [16, 17, 18, 19, 1000, 4099, 70_001]) {
    for (const [atol, rtol] of tolerances) {
      const [a, b] = pair(n, n + atol * 7 + rtol * 13);
      const [k, j] = both(a, b, { atol, rtol, errorQuantile: 0.99, infinitiesCompareEqual: false });
      assert.equal(k, j, `n=${n} atol=${atol} rtol=${rtol}`);
      cases++;
    }
  }
  // Clean data (no NaN): the statistics path, not the NaN shortcut, must agree too.
  const r = rng(9);
  const b = Float32Array.from({ length: 100_003 }, () => (r() - 0.5) * 8);
  const a = Float32Array.from(b, (v, i) => (i % 3 === 0 ? v : v + (r() - 0.5) * 1e-4));
  const [k, j] = both(a, b, { atol: 1e-5, rtol: 1e-5, errorQuantile: 0.9, infinitiesCompareEqual: false });
  assert.equal(k, j);
  assert.ok(JSON.parse(k).abs.median > 0 && JSON.parse(k).mismatches > 0, 'the case has errors and failures');
  assert.ok(cases > 40);
});

test('f32Above: v > t in float64 is v >= f32Above(t) in float32', () => {
  const f = new Float32Array(1);
  const r = rng(5);
  const ts = [0, -0, 1e-5, -1e-5, 1, 1 / 3, 1e-46, -1e-46, 3.4028234663852886e38, 3.5e38, -3.5e38, -Infinity, Infinity, NaN];
  for (let k = 0; k < 200; k++) ts.push((r() - 0.5) * 10 ** Math.floor(r() * 20 - 10));
  for (const t of ts) {
    const th = f32Above(t);
    for (const v of [t, Math.fround(t), th, -th, 0, -0, Infinity, -Infinity, NaN, 1e-45]) {
      f[0] = v;
      const v32 = f[0];
      assert.equal(v32 > t, v32 >= th, `t=${t} v=${v32} threshold=${th}`);
    }
  }
});

test('the committed kernel module is compiled from its .wat source', { timeout: 60_000 }, () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '../../scripts/build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr || r.stdout);
});
