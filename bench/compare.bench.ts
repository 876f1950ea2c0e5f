// Comparison throughput: MB/s of float32 pairs (both sides counted) through compareRuns, per stat,
// plus the results-file reader and writer on the same data.
//   node --import tsx --expose-gc bench/compare.bench.ts [tensors=100] [elements=1000000]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NdArray } from '../src/compare/ndarray';
import { compareRuns, TensorProvider } from '../src/compare/compareRuns';
import { ErrorStat } from '../src/compare/tensorMetrics';
import { runResultsFromArrays } from '../src/backends/results/types';
import { writeRunResults } from '../src/backends/results/writeResults';
import { indexRunResults, streamRunResults } from '../src/backends/results/readRunResults';

const tensors = Number(process.argv[2] ?? 100);
const elements = Number(process.argv[3] ?? 1_000_000);

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
  for (const stat of stats) {
    const times: number[] = [];
    const cpus: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await compareRuns(provider(a), provider(b), {
        runnerA: { runnerName: 'a', iteration: 0 },
        runnerB: { runnerName: 'b', iteration: 0 },
        tolerances: { default: { checkErrorStat: stat } },
      });
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
      if (r.summary.compared !== tensors) throw new Error('bench: not all tensors compared');
    }
    const best = Math.min(...times);
    const bestCpu = Math.min(...cpus);
    // CPU time too: on a shared, loaded machine wall time mostly measures the neighbours.
    console.log(`  ${stat.padEnd(9)} wall best ${best.toFixed(0)} ms = ${(mb / (best / 1000)).toFixed(0)} MB/s; CPU best ${bestCpu.toFixed(0)} ms = ${(mb / (bestCpu / 1000)).toFixed(0)} MB/s  (wall runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
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
