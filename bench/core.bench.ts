// Core benchmarks: open (read file + parse) and build the graph for real and generated models; median of
// several runs, retained heap after gc, and array-buffer memory (to prove weights are not copied).
// Run: node --import tsx --expose-gc bench/core.bench.ts [case-name-filter]
// Add a case: push a BenchCase onto CASES (setup runs once, run is timed, its result is kept alive while
// memory is measured, check may assert on it).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { extractSubmodel, markOutputs, planCut } from '../src/core/edit';
import { OnnxModelError } from '../src/core/errors';
import { buildModelGraph, GraphModel } from '../src/core/graph';
import { ValueType } from '../src/core/types';
import { OnnxModel } from '../src/core/model';
import { readModelFile } from '../src/node/modelFile';
import { readTensorBytes } from '../src/node/externalDataReader';
import { DT, makeModel, NodeSpec, TensorSpec } from '../test/fixtures/builders';

export interface BenchCase {
  name: string;
  /** Targets shown next to the measurement (a miss is marked, and makes the exit code 1). */
  targetMs?: number;
  targetHeapMB?: number;
  runs?: number;
  /** Files the case needs; it is listed as skipped when one is missing. */
  requires?: string[];
  setup?: () => Promise<void> | void;
  run: () => Promise<unknown> | unknown;
  /** Extra columns / assertions from the last run's result. */
  check?: (result: unknown, m: Measurement) => string | void;
  teardown?: () => void;
}

export interface Measurement {
  medianMs: number;
  minMs: number;
  /** Process CPU time (all threads, GC helpers included): steadier than wall time on a shared machine. */
  cpuMedianMs: number;
  heapMB: number;
  arrayBuffersMB: number;
}

const MODELS = process.env.BENCH_MODELS ?? '/work/shared/models';
const tmp = mkdtempSync(join(tmpdir(), 'core-bench-'));
const gc = (globalThis as { gc?: () => void }).gc;

interface Opened { model: OnnxModel; graph: GraphModel; path: string }

async function openAndBuild(path: string): Promise<Opened> {
  const { model } = await readModelFile(path);
  return { model, graph: buildModelGraph(model), path };
}

function modelCase(name: string, file: string, targetMs: number, targetHeapMB?: number): BenchCase {
  const path = join(MODELS, file);
  return {
    name: `open+graph ${name}`, targetMs, targetHeapMB, runs: 7, requires: [path],
    run: () => openAndBuild(path),
    check: (r) => `${(r as Opened).graph.nodes.length} nodes`,
  };
}

/** A model of `mb` MB of raw_data weights in 8 initializers (the shape of a typical exported CNN). */
function writeInlineWeightsModel(path: string, mb: number): void {
  const count = 8;
  const elems = Math.floor((mb * 2 ** 20) / count / 4);
  const initializers: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < count; i++) {
    const raw = new Uint8Array(elems * 4);
    for (let j = 0; j < raw.length; j += 4096) raw[j] = (i * 31 + j) & 0xff; // not all zeros
    initializers.push({ name: `w${i}`, dataType: DT.FLOAT, dims: [elems], raw });
    nodes.push({ op: 'Add', inputs: [i === 0 ? 'x' : `h${i}`, `w${i}`], outputs: [`h${i + 1}`] });
  }
  writeFileSync(path, makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [elems] }],
    outputs: [{ name: `h${count}`, elemType: DT.FLOAT, shape: [elems] }],
    nodes, initializers,
  }));
}

const INLINE_MB = 200;
const inlinePath = join(tmp, 'inline200.onnx');

export const CASES: BenchCase[] = [
  modelCase('swin_tiny', 'swin_tiny.onnx', 100),
  modelCase('synth_10k', 'synth_10k.onnx', 250),
  modelCase('synth_50k', 'synth_50k.onnx', 1000, 300),
  modelCase('squeezenet1_1', 'squeezenet1_1.onnx', 50),
  {
    name: `open+graph inline ${INLINE_MB} MB weights`, targetMs: 500, targetHeapMB: 20, runs: 5,
    setup: () => writeInlineWeightsModel(inlinePath, INLINE_MB),
    run: () => openAndBuild(inlinePath),
    check: (r, m) => {
      const { model } = r as Opened;
      // No copy: every tensor's bytes are a view into the one file buffer, and array-buffer memory is the file.
      for (const t of model.graph.initializers) {
        if (t.data.kind !== 'raw') throw new Error(`${t.name} is not raw`);
      }
      const fileMB = model.bytes.length / 2 ** 20;
      if (m.arrayBuffersMB > fileMB * 1.05) throw new Error(`array buffers ${m.arrayBuffersMB.toFixed(0)} MB > file ${fileMB.toFixed(0)} MB: weights were copied`);
      return `file ${fileMB.toFixed(0)} MB, buffers ${m.arrayBuffersMB.toFixed(0)} MB`;
    },
    teardown: () => rmSync(inlinePath, { force: true }),
  },
  {
    name: 'readTensorBytes inline 25 MB tensor', runs: 7,
    setup: async () => {
      if (!existsSync(inlinePath)) writeInlineWeightsModel(inlinePath, INLINE_MB);
      inlineOpened = await openAndBuild(inlinePath);
    },
    run: () => readTensorBytes(inlinePath, inlineOpened!.model, inlineOpened!.model.graph.initializers[0]),
    check: (r) => {
      if ((r as Uint8Array).buffer !== inlineOpened!.model.bytes.buffer) throw new Error('tensor bytes were copied');
      return 'view into the file buffer';
    },
    teardown: () => { inlineOpened = undefined; rmSync(inlinePath, { force: true }); },
  },
];
let inlineOpened: Opened | undefined;

/** A valid cut across the middle of the graph: inputs grow by the tensors an impossible cut names. */
function middleCut(graph: GraphModel): { inputs: string[]; outputs: string[] } {
  const at = (f: number) => graph.nodes[graph.order[Math.floor(graph.order.length * f)]].outputs[0];
  const cut = { inputs: [at(0.4)], outputs: [at(0.6)] };
  for (let i = 0; i < 100; i++) {
    try {
      planCut(graph, cut.inputs, cut.outputs);
      return cut;
    } catch (e) {
      if (!(e instanceof OnnxModelError) || e.details.length === 0) throw e;
      cut.inputs.push(...e.details);
    }
  }
  throw new Error('no valid middle cut found');
}

let editOpened: Opened | undefined;
let synthCut: { inputs: string[]; outputs: string[] } | undefined;
const synth50k = join(MODELS, 'synth_50k.onnx');
const swinPath = join(MODELS, 'swin_tiny.onnx');

CASES.push(
  {
    name: 'mark-all + write swin_tiny', targetMs: 200, runs: 7, requires: [swinPath],
    setup: async () => { editOpened = await openAndBuild(swinPath); },
    run: () => {
      const r = markOutputs(editOpened!.model, editOpened!.graph, 'all');
      writeFileSync(join(tmp, 'swin.all.onnx'), r.bytes);
      return r;
    },
    check: (r) => `${(r as { added: string[] }).added.length} outputs added`,
    teardown: () => { editOpened = undefined; },
  },
  {
    name: 'extract middle cut synth_50k', targetMs: 100, runs: 7, requires: [synth50k],
    setup: async () => {
      editOpened = await openAndBuild(synth50k);
      synthCut = middleCut(editOpened.graph);
    },
    run: () => {
      // synth_50k declares no value_info: the CLI infers input types with onnxruntime; here they are given.
      const types = new Map<string, ValueType>(synthCut!.inputs.map((n) => [n, { kind: 'tensor', elemType: 1 }]));
      return extractSubmodel(editOpened!.model, editOpened!.graph, { ...synthCut!, types });
    },
    check: (r) => `${(r as { nodes: number[] }).nodes.length} nodes kept, ${synthCut!.inputs.length} inputs`,
  },
  {
    name: 'python onnx extract, same cut (reference)', runs: 1, requires: [synth50k],
    run: () => {
      const script = [
        'import json, sys, time, onnx, onnx.utils',
        'cut = json.loads(sys.argv[2]); m = onnx.load(sys.argv[1])',
        't = time.perf_counter(); m = onnx.shape_inference.infer_shapes(m); ti = time.perf_counter() - t',
        't = time.perf_counter(); e = onnx.utils.Extractor(m).extract_model(cut["inputs"], cut["outputs"]); te = time.perf_counter() - t',
        'print(json.dumps({"onnx": onnx.__version__, "infer_ms": ti * 1000, "extract_ms": te * 1000, "nodes": len(e.graph.node)}))',
      ].join('\n');
      try {
        return JSON.parse(execFileSync('python3', ['-c', script, synth50k, JSON.stringify(synthCut)], { encoding: 'utf8', timeout: 600_000 }));
      } catch (e) {
        return { error: `python onnx not available: ${(e as Error).message.split('\n')[0]}` };
      }
    },
    check: (r) => {
      const p = r as { onnx?: string; infer_ms?: number; extract_ms?: number; nodes?: number; error?: string };
      if (p.error) return p.error;
      return `onnx ${p.onnx}: Extractor ${p.extract_ms!.toFixed(0)} ms (+ shape inference ${p.infer_ms!.toFixed(0)} ms), ${p.nodes} nodes (the wall time column includes loading)`;
    },
    teardown: () => { editOpened = undefined; },
  },
);

function mem(): { heap: number; ab: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, ab: m.arrayBuffers };
}

/** The last run's result, kept alive here (not in an async frame's temporaries) while memory is measured. */
const kept: { value: unknown } = { value: undefined };

/** One timed run in its own frame: only numbers come back, so no earlier result stays reachable. */
async function once(c: BenchCase): Promise<{ ms: number; cpu: number; heap: number; ab: number }> {
  const before = mem();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  kept.value = await c.run();
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const after = mem();
  return { ms, cpu: (c1.user + c1.system) / 1000, heap: (after.heap - before.heap) / 2 ** 20, ab: (after.ab - before.ab) / 2 ** 20 };
}

async function measure(c: BenchCase): Promise<{ m: Measurement; note: string }> {
  await c.setup?.();
  await once(c); // warm-up (JIT)
  const times: number[] = [];
  const cpus: number[] = [];
  let heapMB = 0;
  let arrayBuffersMB = 0;
  for (let i = 0; i < (c.runs ?? 5); i++) {
    kept.value = undefined;
    const o = await once(c);
    times.push(o.ms);
    cpus.push(o.cpu);
    heapMB = Math.max(heapMB, o.heap);
    arrayBuffersMB = Math.max(arrayBuffersMB, o.ab);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const m = { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], cpuMedianMs: cpus[Math.floor(cpus.length / 2)], heapMB, arrayBuffersMB };
  const note = c.check?.(kept.value, m) ?? '';
  kept.value = undefined;
  c.teardown?.();
  return { m, note };
}

function verdict(value: number, target: number | undefined): string {
  if (target === undefined) return '';
  return value <= target ? ` (≤ ${target} ok)` : ` (> ${target} MISS)`;
}

async function main(): Promise<void> {
  if (!gc) console.warn('run with --expose-gc: heap numbers are unreliable without it');
  const filter = process.argv[2];
  const rows: string[][] = [['case', 'median ms', 'min ms', 'cpu median ms', 'retained heap MB', 'array buffers MB', 'notes']];
  let missed = false;
  for (const c of CASES) {
    if (filter && !c.name.includes(filter)) continue;
    const missing = (c.requires ?? []).filter((f) => !existsSync(f));
    if (missing.length > 0) { rows.push([c.name, '-', '-', '-', '-', '-', `skipped: ${missing.join(', ')} missing`]); continue; }
    const { m, note } = await measure(c);
    missed ||= (c.targetMs !== undefined && m.medianMs > c.targetMs) || (c.targetHeapMB !== undefined && m.heapMB > c.targetHeapMB);
    rows.push([c.name, m.medianMs.toFixed(1) + verdict(m.medianMs, c.targetMs), m.minMs.toFixed(1), m.cpuMedianMs.toFixed(1),
      m.heapMB.toFixed(1) + verdict(m.heapMB, c.targetHeapMB), m.arrayBuffersMB.toFixed(1), note]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((s, i) => s.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  rmSync(tmp, { recursive: true, force: true });
  process.exitCode = missed ? 1 : 0;
}

void main();
