// Comparison throughput: MB/s of float32 pairs (both sides counted) through compareRuns, per stat, on
// one thread (CPU time: what the code costs) and on the worker pool (wall time: what the user waits;
// process CPU time includes the workers'), then two results files compared end to end, plus the
// results-file reader and writer on the same data.
//   node --import tsx --expose-gc bench/compare.bench.ts [tensors=100] [elements=1000000] [fileTensors=100]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NdArray } from '../src/compare/ndarray';
import { CompareExecutor, compareRuns, TensorProvider } from '../src/compare/compareRuns';
import { ErrorStat } from '../src/compare/tensorMetrics';
import { runResultsFromArrays } from '../src/backends/results/types';
import { writeRunResults } from '../src/backends/results/writeResults';
import { indexRunResults, streamRunResults } from '../src/backends/results/readRunResults';
import { compareResultsFiles } from '../src/backends/results/compareFiles';
import { CompareWorkerPool } from '../src/backends/compareWorkers';

const tensors = Number(process.argv[2] ?? 100);
const elements = Number(process.argv[3] ?? 1_000_000);
const fileTensors = Number(process.argv[4] ?? 100);

let seed = 1;
function rand(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
}

function makeRun(noise: number): Record<string, NdArray> {
  const out: Record<string, NdArray> = {};
  seed = 7;
  for (let t = 0; t < tensors; t++) {
    const d = new Float32Array(elements);
    for (let i = 0; i < elements; i++) d[i] = (rand() - 0.5) * 8 + (noise ? (rand() - 0.5) * noise : 0);
    out[`t${t}`] = { dtype: 'float32', shape: [elements], data: d };
  }
  return out;
}

function provider(t: Record<string, NdArray>): TensorProvider {
  return { names: Object.keys(t), load: (n) => t[n] };
}

async function main(): Promise<void> {
  const load = os.loadavg()[0];
  console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(1)}${load > os.cpus().length ? ' (oversubscribed: wall-clock figures are pessimistic)' : ''}`);
  const a = makeRun(1e-4);
  const b = makeRun(0);
  const mb = (tensors * elements * 4 * 2) / 1e6;
  console.log(`compare: ${tensors} tensors x ${elements} float32, ${mb.toFixed(0)} MB of pairs (both sides)`);
  // Floor for context: one bare pass reading both sides and writing |a - b| (what any comparison must do).
  {
    const out = new Float32Array(elements);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const name of Object.keys(a)) {
      const x = a[name].data as Float32Array, y = b[name].data as Float32Array;
      for (let i = 0; i < elements; i++) out[i] = Math.abs(x[i] - y[i]);
    }
    const w = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    console.log(`  floor     bare |a-b| pass: wall ${w.toFixed(0)} ms = ${(mb / (w / 1000)).toFixed(0)} MB/s; CPU ${cpu.toFixed(0)} ms = ${(mb / (cpu / 1000)).toFixed(0)} MB/s`);
  }
  const stats: ErrorStat[] = ['elemwise', 'max', 'mean', 'median', 'quantile'];
  const t0p = performance.now();
  const pool = new CompareWorkerPool();
  // Start every worker before timing (under tsx each one transpiles its sources first: ~0.5 s).
  await compareRuns(provider(a), provider(b), { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 }, executor: pool });
  console.log(`  worker pool: ${pool.size} workers (availableParallelism ${os.availableParallelism()}), started and warmed in ${(performance.now() - t0p).toFixed(0)} ms`);
  const measure = async (stat: ErrorStat, executor?: CompareExecutor) => {
    const times: number[] = [];
    const cpus: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await compareRuns(provider(a), provider(b), {
        runnerA: { runnerName: 'a', iteration: 0 },
        runnerB: { runnerName: 'b', iteration: 0 },
        tolerances: { default: { checkErrorStat: stat } },
        executor,
      });
      times.push(performance.now() - t0);
      // process.cpuUsage covers every thread of the process, so the workers' time is included.
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
      if (r.summary.compared !== tensors) throw new Error('bench: not all tensors compared');
    }
    return { best: Math.min(...times), bestCpu: Math.min(...cpus), times };
  };
  try {
    for (const stat of stats) {
      const one = await measure(stat);
      const par = await measure(stat, pool);
      // CPU time too: on a shared, loaded machine wall time mostly measures the neighbours.
      console.log(`  ${stat.padEnd(9)} 1 thread: CPU ${(mb / (one.bestCpu / 1000)).toFixed(0)} MB/s, wall ${(mb / (one.best / 1000)).toFixed(0)} MB/s | pool: wall ${(mb / (par.best / 1000)).toFixed(0)} MB/s, CPU (all threads) ${(mb / (par.bestCpu / 1000)).toFixed(0)} MB/s  (wall runs 1 thread ${one.times.map((t) => t.toFixed(0)).join(', ')} ms; pool ${par.times.map((t) => t.toFixed(0)).join(', ')} ms; load ${os.loadavg()[0].toFixed(1)})`);
    }
  } finally {
    await pool.dispose();
  }

  // End to end: two results files on disk (B = A plus noise), indexed and compared by compareResultsFiles.
  if (fileTensors > 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-bench-e2e-'));
    try {
      const ft = Math.min(tensors, fileTensors);
      const pick = (r: Record<string, NdArray>) => Object.fromEntries(Object.entries(r).slice(0, ft));
      const fa = path.join(dir, 'a.json'), fb = path.join(dir, 'b.json');
      let t0 = performance.now();
      await writeRunResults(fa, runResultsFromArrays([{ runnerName: 'a', iterations: [{ outputs: pick(a) }] }]));
      await writeRunResults(fb, runResultsFromArrays([{ runnerName: 'b', iterations: [{ outputs: pick(b) }] }]));
      const fmb = (ft * elements * 4 * 2) / 1e6;
      console.log(`files: 2 x ${(fs.statSync(fa).size / 1e6).toFixed(0)} MB on disk (${fmb.toFixed(0)} MB of float32 pairs), written in ${(performance.now() - t0).toFixed(0)} ms`);
      const e2ePool = new CompareWorkerPool();
      try {
        for (const [label, parallel] of [['1 thread', false], ['pool', e2ePool]] as const) {
          const times: number[] = [];
          const cpus: number[] = [];
          for (let rep = 0; rep < 2; rep++) {
            t0 = performance.now();
            const c0 = process.cpuUsage();
            const r = await compareResultsFiles(fa, fb, { parallel });
            times.push(performance.now() - t0);
            const c = process.cpuUsage(c0);
            cpus.push((c.user + c.system) / 1000);
            if (r.summary.compared !== ft) throw new Error('bench: not all tensors compared');
          }
          const w = Math.min(...times), c = Math.min(...cpus);
          console.log(`  compareResultsFiles ${label.padEnd(8)}: wall ${(fmb / (w / 1000)).toFixed(0)} MB/s (${w.toFixed(0)} ms), CPU (all threads) ${(fmb / (c / 1000)).toFixed(0)} MB/s (${c.toFixed(0)} ms), index + load + compare; load ${os.loadavg()[0].toFixed(1)}`);
        }
      } finally {
        await e2ePool.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // Files: fewer tensors so the bench stays quick on 2 cores.
  const ft = Math.min(tensors, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-bench-'));
  try {
    const sub = Object.fromEntries(Object.entries(a).slice(0, ft));
    const results = runResultsFromArrays([{ runnerName: 'a', iterations: [{ outputs: sub }] }]);
    const raw = (ft * elements * 4) / 1e6;
    for (const file of [path.join(dir, 'r.json'), path.join(dir, 'r.json.gz')]) {
      let t0 = performance.now();
      await writeRunResults(file, results);
      const w = performance.now() - t0;
      const size = fs.statSync(file).size / 1e6;
      t0 = performance.now();
      let n = 0;
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      for await (const rec of streamRunResults(file)) {
        n += rec.array.data.length;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      const s = performance.now() - t0;
      if (n !== ft * elements) throw new Error('bench: stream lost data');
      t0 = performance.now();
      const ix = await indexRunResults(file);
      const i = performance.now() - t0;
      ix.dispose();
      console.log(`file ${path.basename(file)} (${size.toFixed(0)} MB on disk, ${raw.toFixed(0)} MB of arrays): write ${(raw / (w / 1000)).toFixed(0)} MB/s, stream-read ${(raw / (s / 1000)).toFixed(0)} MB/s (RSS growth ${((peak - rss0) / 1e6).toFixed(0)} MB), index ${(raw / (i / 1000)).toFixed(0)} MB/s`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
