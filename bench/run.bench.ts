// Backend runs end to end, each scenario in its own process so peak RSS is its own:
//   (a) swin_tiny, all 3,379 intermediates: (i) one onnxruntime run compared against a results file of
//       another run written beforehand (Polygraphy format); (ii) two onnxruntime runs compared
//       (compareBackends: run A parked on disk, B in memory), with the graph optimization level 'all'
//       (onnxruntime's and Polygraphy's default) and 'disabled'; and the same through `run --save-results` files;
//   (b) comparison throughput on float32 pairs;
//   (c) `polygraphy run --onnxrt --onnx-outputs mark all --save-results` vs our `run --capture all`.
//   node --import tsx bench/run.bench.ts [--only-a]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '../shared');
const work = path.join(os.tmpdir(), 'onnx-inspector-run-bench');
const swinDir = path.join(work, 'swin');
const swin = path.join(swinDir, 'swin_tiny.onnx');
const mobilenet = path.join(shared, 'models/mobilenet_v3_small.onnx');
const refFile = path.join(work, 'ref.json');

interface Sample { wall: number; cpu: number; rss: number; extra?: Record<string, unknown> }

function cpuSeconds(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
}

/** Child side: one scenario, printing its sample as the last line. */
async function child(kind: string): Promise<void> {
  const { createOrtBackend } = await import('../src/backends/onnxruntime/ortBackend');
  const { compareBackends } = await import('../src/backends/compareBackends');
  const { prepareInputs } = await import('../src/backends/inputs/prepareInputs');
  const { readModelFile } = await import('../src/node/modelFile');
  const { buildModelGraph } = await import('../src/core/graph');
  const t0 = performance.now();
  const c0 = cpuSeconds();
  let extra: Record<string, unknown> = {};
  if (kind === 'swin-memory' || kind === 'swin-files' || kind === 'swin-memory-noopt') {
    const graph = buildModelGraph((await readModelFile(swin)).model);
    const { inputs } = await prepareInputs(graph);
    const files = kind === 'swin-files';
    const options = { optLevel: kind === 'swin-memory-noopt' ? 'disabled' : 'all' };
    const req = (f: string) => ({ modelPath: swin, inputs, capture: 'all' as const, options, saveResults: files ? path.join(work, f) : undefined });
    for (const f of ['a.json', 'b.json']) fs.rmSync(path.join(work, f), { force: true });
    const b = createOrtBackend();
    const { report, runs } = await compareBackends({ backend: b, request: req('a.json') }, { backend: b, request: req('b.json') }, { graph });
    extra = { compared: report.summary.compared, failed: report.summary.failed, mb: report.summary.bytes / 1e6, compareS: report.summary.seconds, timings: runs.map((r) => r.timings), optLevel: options.optLevel };
  } else if (kind === 'swin-save-ref') {
    // Not timed: the reference file of (a)(i), as `run --capture all --save-results` writes it.
    const graph = buildModelGraph((await readModelFile(swin)).model);
    const { inputs } = await prepareInputs(graph);
    const out = await createOrtBackend().run({ modelPath: swin, inputs, capture: 'all', saveResults: refFile, runnerName: 'reference' });
    out.dispose();
    extra = { timings: out.timings };
  } else if (kind === 'swin-vs-file') {
    const { createResultsBackend } = await import('../src/backends/resultsBackend');
    const graph = buildModelGraph((await readModelFile(swin)).model);
    const { inputs } = await prepareInputs(graph);
    // One run held in memory, the reference read lazily from its file.
    const { report, runs } = await compareBackends(
      { backend: createOrtBackend(), request: { modelPath: swin, inputs, capture: 'all', keep: 'memory' } },
      { backend: createResultsBackend(refFile), request: { modelPath: swin, inputs, capture: 'all' } },
      { graph },
    );
    extra = { compared: report.summary.compared, failed: report.summary.failed, mb: report.summary.bytes / 1e6, compareS: report.summary.seconds, timings: runs.map((r) => r.timings) };
  } else if (kind === 'throughput') {
    const { compareRuns } = await import('../src/compare/compareRuns');
    const n = 24;
    const len = 4 << 20; // 16 MiB per tensor, ~800 MB compared in all
    const mk = (shift: number) => Object.fromEntries(Array.from({ length: n }, (_, t) => {
      const d = new Float32Array(len);
      for (let i = 0; i < len; i++) d[i] = Math.sin(i * 0.001 + t) * 4 + shift * ((i % 97) - 48) * 1e-7;
      return [`t${t}`, { dtype: 'float32' as const, shape: [len], data: d }];
    }));
    const a = mk(0);
    const bb = mk(1);
    const { CompareWorkerPool } = await import('../src/backends/compareWorkers');
    const pa = { names: Object.keys(a), load: (x: string) => a[x] }, pb = { names: Object.keys(bb), load: (x: string) => bb[x] };
    const runners = { runnerA: { runnerName: 'a', iteration: 0 }, runnerB: { runnerName: 'b', iteration: 0 } };
    let s0 = performance.now();
    const r = await compareRuns(pa, pb, runners);
    const s = (performance.now() - s0) / 1000;
    // The worker pool, as Compare Backends uses it (started and warmed before timing).
    const pool = new CompareWorkerPool();
    let poolMbPerS = 0;
    try {
      await compareRuns({ names: pa.names.slice(0, 2), load: pa.load }, { names: pb.names.slice(0, 2), load: pb.load }, { ...runners, executor: pool });
      s0 = performance.now();
      const rp = await compareRuns(pa, pb, { ...runners, executor: pool });
      poolMbPerS = rp.summary.bytes / 1e6 / ((performance.now() - s0) / 1000);
    } finally {
      await pool.dispose();
    }
    extra = { mbPerS: r.summary.bytes / 1e6 / s, poolMbPerS, mb: r.summary.bytes / 1e6 };
  }
  const sample: Sample = { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0, rss: process.resourceUsage().maxRSS / 1024, extra };
  console.log(JSON.stringify(sample));
}

function inChild(kind: string): Sample {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, kind], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${kind} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Sample;
}

/** A command's wall time and the peak RSS of its process tree's largest child (GNU time). */
function timed(cmd: string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...cmd], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const [kb, u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: u + s, rss: kb / 1024 };
}

async function buildCli(): Promise<string> {
  const esbuild = await import('esbuild');
  const file = path.join(root, '.tmp', 'run-bench', 'cli.js');
  await esbuild.build({ entryPoints: [path.join(root, 'src/cli/main.ts')], outfile: file, bundle: true, platform: 'node', format: 'cjs', target: 'node18', external: ['onnxruntime-node'], logLevel: 'silent' });
  return file;
}

function prepareSwin(): void {
  if (fs.existsSync(path.join(swinDir, 'swin_tiny.weights'))) return;
  fs.mkdirSync(swinDir, { recursive: true });
  const r = spawnSync('python3', [path.join(shared, 'tools/fill-external-data.py'), path.join(shared, 'models/swin_tiny.onnx'), swinDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fill-external-data failed: ${r.stderr}`);
  fs.copyFileSync(path.join(shared, 'models/swin_tiny.onnx'), swin);
}

function best(samples: Sample[]): Sample {
  return samples.reduce((x, y) => (y.wall < x.wall ? y : x));
}

async function main(): Promise<void> {
  const load = os.loadavg()[0];
  console.log(`machine: ${os.cpus().length} cores, load average ${load.toFixed(1)}${load > os.cpus().length ? ' (oversubscribed: wall times are pessimistic; CPU time is the steadier figure)' : ''}`);
  fs.mkdirSync(work, { recursive: true });
  prepareSwin();
  const rows: string[][] = [['scenario', 'wall s', 'CPU s', 'peak RSS MB', 'target', 'detail']];
  const stages = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
  type E = { compared: number; failed: number; mb: number; compareS: number; timings: Record<string, number>[]; optLevel?: string };
  const row = (label: string, x: Sample, target = true) => {
    const e = x.extra as E;
    rows.push([label, x.wall.toFixed(2), x.cpu.toFixed(2), x.rss.toFixed(0), target ? `< 5 s, < 1536 MB: ${x.wall < 5 && x.rss < 1536 ? 'met' : 'MISSED'}` : 'info',
      `${e.compared} compared (${e.failed} failed), ${e.mb.toFixed(0)} MB in ${e.compareS.toFixed(2)} s; A: ${stages(e.timings[0])}; B: ${stages(e.timings[1])}`]);
  };
  if (!fs.existsSync(refFile)) inChild('swin-save-ref');
  row('(a)(i) swin_tiny all intermediates, 1 run + compare against a saved results file', best([inChild('swin-vs-file'), inChild('swin-vs-file'), inChild('swin-vs-file')]));
  row('(a)(ii) swin_tiny all intermediates, 2 runs + compare (opt level all)', best([inChild('swin-memory'), inChild('swin-memory'), inChild('swin-memory')]));
  row('(a)(ii) same, graph optimization disabled', best([inChild('swin-memory-noopt'), inChild('swin-memory-noopt')]), false);
  if (process.argv.includes('--only-a')) {
    const w0 = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(w0[i])).join(' | ')} |`);
    console.log(`load average after: ${os.loadavg()[0].toFixed(1)}`);
    return;
  }
  const files = inChild('swin-files');
  const f = files.extra as E;
  rows.push(['(a\') same, both runs also saved as results JSON', files.wall.toFixed(2), files.cpu.toFixed(2), files.rss.toFixed(0), 'info',
    `${(fs.statSync(path.join(work, 'a.json')).size / 1e6).toFixed(0)} MB per file; A: ${stages(f.timings[0])}`]);
  const tp = inChild('throughput');
  const { mbPerS: mbps, poolMbPerS } = tp.extra as { mbPerS: number; poolMbPerS: number };
  rows.push(['(b) comparison throughput, float32 pairs', tp.wall.toFixed(2), tp.cpu.toFixed(2), tp.rss.toFixed(0),
    `>= 500 MB/s: ${poolMbPerS >= 500 ? 'met' : 'MISSED'} (pool)`,
    `worker pool (what Compare Backends uses) ${poolMbPerS.toFixed(0)} MB/s; one thread ${mbps.toFixed(0)} MB/s; over ${(tp.extra as { mb: number }).mb.toFixed(0)} MB`]);

  const cli = await buildCli();
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  for (let i = 0; i < 3; i++) {
    for (const f2 of ['y.json', 'y.inputs.json', 'x.json']) fs.rmSync(path.join(work, f2), { force: true });
    ours.push(timed([process.execPath, cli, 'run', mobilenet, '--capture', 'all', '--save-results', path.join(work, 'y.json')]));
    theirs.push(timed(['polygraphy', 'run', mobilenet, '--onnxrt', '--onnx-outputs', 'mark', 'all', '--save-results', path.join(work, 'x.json')]));
  }
  const [o, t] = [best(ours), best(theirs)];
  rows.push(['(c) polygraphy run --onnx-outputs mark all (mobilenet)', t.wall.toFixed(2), t.cpu.toFixed(2), t.rss.toFixed(0), 'anchor ~3.7 s', '']);
  rows.push(['(c) onnx-inspector run --capture all (mobilenet)', o.wall.toFixed(2), o.cpu.toFixed(2), o.rss.toFixed(0), 'faster', `${(t.wall / o.wall).toFixed(1)}x faster wall, ${(t.cpu / o.cpu).toFixed(1)}x less CPU`]);

  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`);
}

if (process.argv[2] && !process.argv[2].startsWith('--')) child(process.argv[2]).catch((err) => { console.error(err); process.exit(1); });
else main().catch((err) => { console.error(err); process.exit(1); });
