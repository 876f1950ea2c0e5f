// The worker-pool comparison must give the very report the sequential path gives (every metric, verdict,
// reason and the order), on real results files and on synthetic runs that hit every code path; worker
// errors and crashes must fail with the tensor's name, and a crashed worker must be replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { DType, NdArray, fromNumbers } from '../../src/compare/ndarray';
import { CompareRunsOptions, TensorProvider, compareRuns } from '../../src/compare/compareRuns';
import { ComparisonReport } from '../../src/compare/report';
import { meanF32, medianAndQuantile, meanMedianQuantileF32 } from '../../src/compare/orderStats';
import { CompareWorkerPool, fileBacked, ownedLoads } from '../../src/backends/compareWorkers';
import { indexRunResults, loadRunResults } from '../../src/backends/results/readRunResults';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { compareResultsFiles } from '../../src/backends/results/compareFiles';
import { rng } from '../fixtures/random';

const shared = path.resolve(__dirname, '../../../shared');
const allFile = path.join(shared, 'polygraphy', 'mobilenet_v3_small.ort_all.json.gz');
const noShared = fs.existsSync(allFile) ? false : `shared material not found under ${shared}`;
const workerTs = path.resolve(__dirname, '../../src/backends/compareWorker.ts');
const tsx = createRequire(__filename).resolve('tsx/cjs');

/** Counts the workers a pool starts; `crashOn` makes a worker exit when it receives that tensor. */
function countingSpawn(crashOn?: string): { spawn(): Worker; count(): number } {
  let n = 0;
  const hook = crashOn
    ? `const wt = require('node:worker_threads'); const on = wt.parentPort.on.bind(wt.parentPort);
       wt.parentPort.on = (ev, f) => on(ev, ev === 'message' ? (m) => { if (m.job.nameA === ${JSON.stringify(crashOn)}) process.exit(7); f(m); } : f);`
    : '';
  return {
    spawn: () => {
      n++;
      return new Worker(`${hook} require(${JSON.stringify(tsx)}); require(${JSON.stringify(workerTs)});`, { eval: true });
    },
    count: () => n,
  };
}

/** Reports differ only in the wall time they measured. */
function comparable(r: ComparisonReport): ComparisonReport {
  return { ...r, summary: { ...r.summary, seconds: 0 } };
}

function provider(t: Map<string, NdArray>): TensorProvider {
  return { names: [...t.keys()], load: (n) => t.get(n) as NdArray };
}

/** Two synthetic runs covering float32 radix/sort paths, NaN/inf, float16/64, ints, bool, empty and mismatches. */
function syntheticRuns(): [Map<string, NdArray>, Map<string, NdArray>] {
  const r = rng(5);
  const a = new Map<string, NdArray>(), b = new Map<string, NdArray>();
  const add = (name: string, dtype: DType, n: number, f: (v: number, i: number) => number, dtypeA: DType = dtype, shapeA?: number[]) => {
    const base = Array.from({ length: n }, () => (r() - 0.5) * 6);
    b.set(name, fromNumbers(dtype, [n], base));
    a.set(name, fromNumbers(dtypeA, shapeA ?? [n], base.map(f)));
  };
  add('big_noise', 'float32', 300_000, (v) => v + (r() - 0.5) * 1e-4);
  add('big_identical', 'float32', 200_000, (v) => v);
  add('big_outliers', 'float32', 150_001, (v, i) => (i % 1009 === 0 ? v + 1 : v + (r() - 0.5) * 1e-7));
  add('mid_noise', 'float32', 70_000, (v) => v * (1 + (r() - 0.5) * 1e-3));
  add('small', 'float32', 1000, (v, i) => v + (i % 3) * 2e-5);
  add('nan', 'float32', 100_000, (v, i) => (i === 777 ? NaN : v + 1e-6));
  add('inf', 'float32', 80_000, (v, i) => (i === 5 ? Infinity : v));
  add('fp16', 'float16', 90_000, (v, i) => v * (1 + (i % 10) * 1e-3));
  add('fp64', 'float64', 120_000, (v, i) => v + (i % 7) * 1e-6);
  add('int32', 'int32', 100_000, (v, i) => Math.round(v * 10) + (i % 50 === 0 ? 1 : 0));
  add('bool', 'bool', 70_000, (v, i) => ((v > 0) !== (i === 10) ? 1 : 0));
  add('dtype_change', 'float32', 70_000, (v) => v, 'float64');
  add('shape_change', 'float32', 70_000, (v) => v, 'float32', [1, 70_000]);
  b.set('empty', fromNumbers('float32', [0], []));
  a.set('empty', fromNumbers('float32', [0], []));
  return [a, b];
}

test('meanMedianQuantileF32 equals meanF32 + medianAndQuantile bit for bit', () => {
  const r = rng(9);
  for (const n of [4095, 4096, 4097, 5000, 65_549, 400_001]) {
    for (const gen of [() => r() ** 8, () => (r() < 0.9 ? 0 : r()), () => Math.floor(r() * 4) / 4, () => 10 ** (r() * 40 - 30)]) {
      const v = Float32Array.from({ length: n }, gen);
      for (const q of [0.99, 0.5, 0, 1, 0.37]) {
        assert.deepEqual(meanMedianQuantileF32(v, q), [meanF32(v), ...medianAndQuantile(v, q)], `n=${n} q=${q}`);
      }
    }
  }
});

test('synthetic runs: the worker pool reports exactly what the sequential path reports, for every stat', { timeout: 180_000 }, async () => {
  const [a, b] = syntheticRuns();
  const s = countingSpawn();
  const pool = new CompareWorkerPool({ size: 2, spawn: s.spawn, inlineBelow: 0 });
  try {
    for (const checkErrorStat of ['elemwise', 'max', 'mean', 'median', 'quantile'] as const) {
      for (const infinitiesCompareEqual of [false, true]) {
        const o: CompareRunsOptions = {
          runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 },
          tolerances: { default: { checkErrorStat, atol: 1e-5, rtol: 1e-4 }, perTensor: { fp16: { atol: 1e-2 } } },
          infinitiesCompareEqual, dtypeMismatch: checkErrorStat === 'max' ? 'compare' : 'fail',
          graph: { order: [...a.keys()].reverse(), producerInputs: () => [] },
        };
        const seq = await compareRuns(provider(a), provider(b), o);
        const par = await compareRuns(provider(a), provider(b), { ...o, executor: pool });
        assert.deepEqual(comparable(par), comparable(seq), `${checkErrorStat}, infinitiesCompareEqual ${infinitiesCompareEqual}`);
        assert.ok(seq.summary.failed > 0 && seq.summary.passed > 0, 'the runs have passing and failing tensors');
      }
    }
    assert.equal(s.count(), 2, 'both workers were used and none was replaced');
    // Not owned: the caller's arrays were copied, not moved, and are intact.
    assert.equal(a.get('big_noise')?.data.length, 300_000);
  } finally {
    await pool.dispose();
  }
});

test('owned providers move their buffers to the workers (zero-copy); others are copied', { timeout: 60_000 }, async () => {
  const [a, b] = syntheticRuns();
  const loaded: NdArray[] = [];
  // A lazy provider: every load is a new array nobody else holds.
  const fresh = (t: Map<string, NdArray>): TensorProvider => ownedLoads({
    names: [...t.keys()],
    load: (n) => {
      const x = t.get(n) as NdArray;
      const c = { ...x, data: x.data.slice() };
      loaded.push(c);
      return c;
    },
  });
  const pool = new CompareWorkerPool({ size: 2, spawn: countingSpawn().spawn, inlineBelow: 1000 });
  try {
    const o: CompareRunsOptions = { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 } };
    const par = await compareRuns(fresh(a), provider(b), { ...o, executor: pool });
    const seq = await compareRuns(provider(a), provider(b), o);
    assert.deepEqual(comparable(par), comparable(seq));
    const big = loaded.filter((x) => x.shape.reduce((p, d) => p * d, 1) >= 1000);
    assert.ok(big.length > 5);
    for (const x of big) assert.equal(x.data.buffer.byteLength, 0, 'moved to the worker, detached here');
    for (const x of b.values()) assert.equal(x.data.length, x.shape.reduce((p, d) => p * d, 1), "B's own arrays are intact");
  } finally {
    await pool.dispose();
  }
});

test('mobilenet_v3_small results vs a perturbed copy: compareResultsFiles in parallel equals sequential', { skip: noShared, timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-parallel-'));
  try {
    const ort = await loadRunResults(allFile);
    const r = rng(17);
    const fake = new Map<string, NdArray>();
    let k = 0;
    for (const [name, e] of ort.runs[0].iterations[0].outputs) {
      const x = await e.load();
      const mode = k++ % 3; // unchanged, tiny noise, or large noise with a NaN
      if (x.dtype !== 'float32' || mode === 0) { fake.set(name, x); continue; }
      const d = Float32Array.from(x.data as Float32Array, (v) => v + (r() - 0.5) * (mode === 1 ? 1e-6 : 1e-2));
      if (mode === 2 && d.length > 10) d[7] = NaN;
      fake.set(name, { ...x, data: d });
    }
    const fakeFile = path.join(dir, 'fake.json');
    await writeRunResults(fakeFile, runResultsFromArrays([{ runnerName: 'fake', iterations: [{ outputs: fake }] }]));
    const s = countingSpawn();
    const pool = new CompareWorkerPool({ size: 2, spawn: s.spawn, inlineBelow: 0 });
    try {
      for (const checkErrorStat of ['elemwise', 'median', 'quantile'] as const) {
        const o = { tolerances: { default: { checkErrorStat, atol: 1e-4, rtol: 1e-4 } } };
        const seq = await compareResultsFiles(fakeFile, allFile, { ...o, parallel: false });
        const par = await compareResultsFiles(fakeFile, allFile, { ...o, parallel: pool });
        const dflt = await compareResultsFiles(fakeFile, allFile, o); // the default: a pool per call
        assert.deepEqual(comparable(par), comparable(seq), checkErrorStat);
        assert.deepEqual(comparable(dflt), comparable(seq), `${checkErrorStat} (default pool)`);
        assert.equal(seq.summary.compared, fake.size);
        assert.ok(seq.summary.failed > 0 && seq.summary.passed > 0);
      }
      assert.ok(s.count() >= 1);
    } finally {
      await pool.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a pair failing in a worker rejects with its tensor name; the pool keeps working', { timeout: 60_000 }, async () => {
  const good = fromNumbers('float32', [5000], Array.from({ length: 5000 }, (_, i) => i));
  // Shapes agree but the data does not: computeMetrics throws inside the worker.
  const bad: NdArray = { dtype: 'float32', shape: [5000], data: new Float32Array(5001) };
  const pool = new CompareWorkerPool({ size: 1, spawn: countingSpawn().spawn, inlineBelow: 0 });
  try {
    const o: CompareRunsOptions = { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 }, executor: pool };
    await assert.rejects(
      compareRuns(provider(new Map([['fine', good], ['broken', bad]])), provider(new Map([['fine', good], ['broken', good]])), o),
      /tensor 'broken': element counts differ: 5001 vs 5000/,
    );
    const ok = await compareRuns(provider(new Map([['fine', good]])), provider(new Map([['fine', good]])), o);
    assert.equal(ok.summary.passed, 1);
  } finally {
    await pool.dispose();
  }
});

test('a crashed worker fails its tensor by name and is replaced', { timeout: 60_000 }, async () => {
  const x = fromNumbers('float32', [5000], Array.from({ length: 5000 }, (_, i) => i / 7));
  const s = countingSpawn('crash_me');
  const pool = new CompareWorkerPool({ size: 1, spawn: s.spawn, inlineBelow: 0 });
  try {
    const o: CompareRunsOptions = { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 }, executor: pool };
    const run = new Map([['before', x], ['crash_me', x], ['after', x]]);
    await assert.rejects(compareRuns(provider(run), provider(run), o), /tensor 'crash_me': compare worker exited with code 7/);
    const again = await compareRuns(provider(new Map([['after', x]])), provider(new Map([['after', x]])), o);
    assert.equal(again.summary.passed, 1);
    assert.equal(s.count(), 2, 'one replacement worker');
  } finally {
    await pool.dispose();
  }
});

test('file-backed pairs are read by the workers; a bad byte range fails with the tensor name', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-parallel-src-'));
  const x = fromNumbers('float32', [5000], Array.from({ length: 5000 }, (_, i) => Math.sin(i)));
  const y = fromNumbers('float32', [5000], Array.from({ length: 5000 }, (_, i) => Math.sin(i) + (i % 11) * 1e-6));
  const file = path.join(dir, 'r.json');
  await writeRunResults(file, runResultsFromArrays([{ runnerName: 'a', iterations: [{ outputs: { t: x } }] }, { runnerName: 'b', iterations: [{ outputs: { t: y } }] }]));
  const ix = await indexRunResults(file);
  const pool = new CompareWorkerPool({ size: 1, spawn: countingSpawn().spawn, inlineBelow: 0 });
  try {
    // Loads on this thread would be counted: the worker path must not call them.
    let mainLoads = 0;
    const side = (run: number, shift = 0) => fileBacked(
      { names: ['t'], load: () => { mainLoads++; return run === 0 ? x : y; } },
      (n) => { const loc = ix.locate(run, 0, n); return loc && { dataPath: ix.dataPath, loc: { ...loc, end: loc.end + shift } }; },
    );
    const o: CompareRunsOptions = { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 } };
    const par = await compareRuns(side(0), side(1), { ...o, executor: pool });
    const seq = await compareRuns(provider(new Map([['t', x]])), provider(new Map([['t', y]])), o);
    assert.deepEqual(comparable(par), comparable(seq));
    assert.equal(mainLoads, 0);
    await assert.rejects(compareRuns(side(0), side(1, 1 << 30), { ...o, executor: pool }), /tensor 't': .*r\.json: /);
  } finally {
    await pool.dispose();
    ix.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
