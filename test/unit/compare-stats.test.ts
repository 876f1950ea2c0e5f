// Selection-based median/quantile and numpy's float32 pairwise mean, checked bit for bit against
// numpy on data that exercises the sort path, the radix path, ties, zeros and float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { medianAndQuantile, meanF32, selectRanks } from '../../src/compare/orderStats';
import { writeNpy } from '../../src/backends/results/npz';
import { rng } from '../fixtures/random';

const noNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0 ? false : 'python3 with numpy is not available';

function datasets(): Record<string, Float32Array | Float64Array> {
  const r = rng(3);
  const out: Record<string, Float32Array | Float64Array> = {};
  for (const n of [1, 2, 5, 255, 256, 4095, 4096, 4097, 100_000, 1_000_001]) {
    out[`f32_cubed_${n}`] = Float32Array.from({ length: n }, () => Math.abs(r() - 0.5) ** 3);
    out[`f64_${n}`] = Float64Array.from({ length: n }, () => r() * 1e-3);
  }
  // Mostly zeros with a few values: one bucket holds nearly everything (the no-copy refine path).
  out.zeros_mostly = Float32Array.from({ length: 300_000 }, (_, i) => (i % 1000 === 0 ? r() : 0));
  // Few distinct values: many ties at the median.
  out.ties = Float32Array.from({ length: 50_000 }, () => Math.floor(r() * 4) * 0.25);
  out.wide_range = Float32Array.from({ length: 200_000 }, () => 10 ** (r() * 40 - 30));
  out.subnormal = Float32Array.from({ length: 10_000 }, () => r() * 1e-39);
  return out;
}

test('median, quantile and float32 mean equal numpy exactly', { skip: noNumpy, timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stats-'));
  try {
    const data = datasets();
    for (const [k, v] of Object.entries(data)) {
      writeNpy(path.join(dir, `${k}.npy`), { dtype: v instanceof Float32Array ? 'float32' : 'float64', shape: [v.length], data: v });
    }
    const qs = [0.99, 0.5, 0.37, 0, 1, 0.999];
    const r = spawnSync('python3', ['-c', `import sys, json, glob, os, numpy as np
out = {}
for f in glob.glob(sys.argv[1] + '/*.npy'):
    a = np.load(f)
    out[os.path.basename(f)[:-4]] = [repr(float(np.median(a))), repr(float(np.mean(a, dtype=np.float32)))] + [repr(float(np.quantile(a, q))) for q in ${JSON.stringify(qs)}]
print(json.dumps(out))`, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(r.status, 0, r.stderr);
    const want = JSON.parse(r.stdout) as Record<string, string[]>;
    for (const [k, v] of Object.entries(data)) {
      const got = [medianAndQuantile(v, 0.5)[0], meanF32(v), ...qs.map((q) => medianAndQuantile(v, q)[1])];
      assert.deepEqual(got, want[k].map(Number), k);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('selectRanks agrees with sorting for every rank of random data (radix path)', () => {
  const r = rng(11);
  const v = Float32Array.from({ length: 20_000 }, () => (r() < 0.3 ? 0 : r() ** 8));
  const before = v.slice();
  const sorted = v.slice().sort();
  const ranks = Array.from({ length: 200 }, (_, i) => Math.floor((i / 199) * (v.length - 1)));
  assert.deepEqual(selectRanks(v, ranks), ranks.map((k) => sorted[k]));
  // Selection only counts and copies: the input is left as it was.
  assert.deepEqual(v, before);
});
