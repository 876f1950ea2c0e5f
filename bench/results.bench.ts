// Polygraphy RunResults IO on a swin_tiny-sized file (3,379 float32 tensors, ~490 MB of data, ~653 MB
// of JSON): write, index, lazy load of every tensor (fast path and JSON path), streaming read.
//   node --import tsx bench/results.bench.ts [totalMB=490] [tensors=3379]
// Prints wall and CPU seconds per phase (CPU is the steadier figure on a loaded machine) and the load average.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NdArray } from '../src/compare/ndarray';
import { writeRunResults } from '../src/backends/results/writeResults';
import { indexRunResults, loadArrayAt, streamRunResults } from '../src/backends/results/readRunResults';
import { TensorEntry } from '../src/backends/results/types';

const totalMB = Number(process.argv[2] ?? 490);
const count = Number(process.argv[3] ?? 3379);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'results-bench-'));

// Sizes cycle like a transformer's activations: big, medium, small, tiny.
const weights = [1, 4, 0.25, 0.01];
const wsum = Array.from({ length: count }, (_, i) => weights[i % 4]).reduce((a, b) => a + b, 0);
const sizes = Array.from({ length: count }, (_, i) => Math.max(1, Math.round((totalMB * 1e6 / 4) * weights[i % 4] / wsum)));
const pool = new Float32Array(Math.max(...sizes));
let seed = 1;
for (let i = 0; i < pool.length; i++) { seed = (seed * 1103515245 + 12345) >>> 0; pool[i] = (seed / 2 ** 32 - 0.5) * 8; }
const dataBytes = sizes.reduce((a, b) => a + b, 0) * 4;

interface Phase { name: string; wall: number; cpu: number; mbps: number }
const phases: Phase[] = [];
async function phase(name: string, mb: number, f: () => Promise<void>): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  phases.push({ name, wall, cpu: (c.user + c.system) / 1e6, mbps: mb / wall });
}

/** Order-sensitive checksum of an array's bytes (cheap, catches any decoding difference). */
function sum(a: NdArray): number {
  const b = new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.byteLength >> 2);
  let h = 0;
  for (let i = 0; i < b.length; i += 7) h = (h * 31 + b[i]) >>> 0;
  return h;
}

async function main(): Promise<void> {
  const load0 = os.loadavg();
  const file = path.join(work, 'r.json');
  const outputs = new Map<string, TensorEntry>();
  sizes.forEach((n, i) => {
    const name = `/layers.${i >> 4}/blocks/Add_${i}_output_0`;
    outputs.set(name, { name, dtype: 'float32', shape: [1, n], load: async () => ({ dtype: 'float32', shape: [1, n], data: pool.subarray(0, n) }) });
  });
  const results = { runs: [{ runnerName: 'onnxruntime-node-cpu', iterations: [{ runnerName: 'onnxruntime-node-cpu', runtime: 0.1, outputs }] }] };
  await phase('write', dataBytes / 1e6, () => writeRunResults(file, results));
  const fileMB = fs.statSync(file).size / 1e6;
  let ix = await indexRunResults(file);
  ix.dispose();
  await phase('index', fileMB, async () => { ix = await indexRunResults(file); });
  const entries = [...ix.results.runs[0].iterations[0].outputs.values()];
  const fastSums: number[] = [];
  await phase('load all (fast path)', fileMB, async () => { for (const e of entries) fastSums.push(sum(await e.load())); });
  const jsonSums: number[] = [];
  // The JSON path is ~10x slower: time a tenth of the tensors and scale the throughput only.
  const some = entries.filter((_, i) => i % 10 === 0);
  const someMB = fileMB * some.reduce((a, e) => a + e.shape[1], 0) / (dataBytes / 4);
  // ix.locate is absent before the fast path existed (baseline runs of this bench on older trees).
  if (ix.locate) {
    await phase('load 1/10 (JSON path)', someMB, async () => {
      for (const e of some) jsonSums.push(sum(await loadArrayAt(ix.dataPath, ix.locate!(0, 0, e.name)!, e.name, { fast: false })));
    });
    some.forEach((_, k) => { if (jsonSums[k] !== fastSums[k * 10]) throw new Error(`fast and JSON paths differ at tensor ${k * 10}`); });
  }
  let streamed = 0;
  await phase('stream all', fileMB, async () => { for await (const r of streamRunResults(file)) { if (sum(r.array) !== fastSums[streamed]) throw new Error(`stream differs at ${streamed}`); streamed++; } });
  if (streamed !== count) throw new Error(`streamed ${streamed} of ${count}`);
  ix.dispose();
  fs.rmSync(work, { recursive: true, force: true });
  const load1 = os.loadavg();
  console.log(`${count} tensors, ${(dataBytes / 1e6).toFixed(0)} MB data, ${fileMB.toFixed(0)} MB file; ${os.cpus().length} cores, load average ${load0[0].toFixed(1)} -> ${load1[0].toFixed(1)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log('| phase | wall s | CPU s | MB/s (wall) |');
  console.log('|---|---|---|---|');
  for (const p of phases) console.log(`| ${p.name} | ${p.wall.toFixed(2)} | ${p.cpu.toFixed(2)} | ${p.mbps.toFixed(0)} |`);
}

main().catch((e) => { console.error(e); fs.rmSync(work, { recursive: true, force: true }); process.exit(1); });
