// Shared by the edit/CLI tests: where the real models are, whether python/onnx is there, how to pick valid
// cuts from a graph, filled weights for graph-only models, and deterministic onnxruntime runs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelGraph, GraphModel } from '../../src/core/graph';
import { constantNodes } from '../../src/core/constantNodes';
import { OnnxModel, readModel } from '../../src/core/model';

export const repoRoot = path.resolve(__dirname, '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const modelsDir = path.join(sharedDir, 'models');
export const polygraphyDir = path.join(sharedDir, 'polygraphy');
export const oracleDir = path.join(repoRoot, 'test/oracle');

/** A skip reason when a shared file is missing (CI provides /work/shared; a laptop may not). */
export function missingShared(...files: string[]): string | false {
  const missing = files.map((f) => path.resolve(sharedDir, f)).filter((f) => !fs.existsSync(f));
  return missing.length > 0 ? `needs ${missing.join(', ')} (shared test data not present)` : false;
}

let pythonCheck: string | false | undefined;
/** A skip reason unless `python3` has a current onnx (extract_model's Extractor API, onnx >= 1.16). */
export function missingPythonOnnx(): string | false {
  if (pythonCheck === undefined) {
    const r = spawnSync('python3', ['-c', 'import onnx, numpy; v = tuple(int(x) for x in onnx.__version__.split(".")[:2]); assert v >= (1, 16), onnx.__version__'], { encoding: 'utf8' });
    pythonCheck = r.status === 0 ? false : `needs python3 with onnx >= 1.16 and numpy (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
  }
  return pythonCheck;
}

export function skipReason(...reasons: (string | false)[]): string | false {
  return reasons.find((r) => r !== false) ?? false;
}

/** Runs a python oracle once with a JSON job on stdin and returns its JSON answer. */
export function runPython<T>(script: string, job: unknown): T {
  const r = spawnSync('python3', [path.join(oracleDir, script)], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as T;
}

export interface Loaded {
  path: string;
  bytes: Uint8Array;
  model: OnnxModel;
  graph: GraphModel;
}

export function loadModelFile(file: string): Loaded {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const model = readModel(bytes);
  return { path: file, bytes, model, graph: buildModelGraph(model) };
}

export interface Cut {
  inputs: string[];
  outputs: string[];
}

/**
 * A valid cut chosen from the graph itself: outputs are produced by nodes at about `to` (a fraction of the
 * topological order; several nodes for several outputs), inputs are every non-initializer tensor those
 * outputs depend on that is produced at or before `from` (or is a graph input). Such a cut is always
 * computable, and residual branches make it multi-input. Constant-only subgraphs (weights behind Identity or
 * Constant nodes) are followed wherever they are, as they are part of the weights, not of the cut.
 */
export function chooseCut(graph: GraphModel, from: number, to: number, outputCount = 1): Cut {
  const constant = constantNodes(graph);
  const live = graph.order.filter((i) => !constant[i]);
  const position = new Int32Array(graph.nodes.length).fill(-1);
  live.forEach((node, i) => { position[node] = i; });
  const n = live.length;
  const k = Math.floor(from * (n - 1));
  const outputs: string[] = [];
  for (let p = Math.max(Math.floor(to * (n - 1)), k + 1), step = 0; p > k && outputs.length < outputCount; p -= 1 + (step++ % 3)) {
    const out = graph.nodes[live[p]].outputs.find((o) => o !== '');
    if (out && !outputs.includes(out)) outputs.push(out);
  }
  const inputs = new Set<string>();
  const seen = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === '' || seen.has(name)) continue;
    seen.add(name);
    const v = graph.values.get(name)!;
    if (v.producer >= 0 && (position[v.producer] > k || constant[v.producer])) {
      const node = graph.nodes[v.producer];
      stack.push(...node.inputs, ...node.implicitInputs);
    } else if (!v.initializer) {
      inputs.add(name);
    }
  }
  const rank = (t: string) => { const p = graph.values.get(t)!.producer; return p >= 0 ? position[p] : -1; };
  return { inputs: [...inputs].sort((a, b) => rank(a) - rank(b)), outputs };
}


const filled = new Map<string, string>();
/**
 * A temp folder with a copy of a graph-only model and random weights in its external data files (by the
 * shared fill-external-data.py), so it can run; one per model per process.
 */
export function modelWithWeights(name: string): string {
  const cached = filled.get(name);
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `onnx-inspector-${name}-`));
  const src = path.join(modelsDir, `${name}.onnx`);
  fs.copyFileSync(src, path.join(dir, `${name}.onnx`));
  const r = spawnSync('python3', [path.join(sharedDir, 'tools/fill-external-data.py'), src, dir, '--seed=7'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fill-external-data.py failed: ${r.stderr}`);
  filled.set(name, dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of filled.values()) fs.rmSync(dir, { recursive: true, force: true });
  filled.clear();
}

/** Deterministic floats in [-1, 1) (a 32-bit LCG), the same on every run and machine. */
export function seededFloats(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

type Ort = typeof import('onnxruntime-node');
export type OrtTensor = import('onnxruntime-node').Tensor;

/** Runs a model file on CPU with optimizations off and one thread, so equal graphs give equal bits. */
export async function runOrt(file: string, feeds: Record<string, OrtTensor>, outputs: string[]): Promise<Record<string, OrtTensor>> {
  const ort: Ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    return await session.run(feeds, outputs);
  } finally {
    await session.release();
  }
}

export async function floatTensor(data: Float32Array, dims: number[]): Promise<OrtTensor> {
  const ort: Ort = await import('onnxruntime-node');
  return new ort.Tensor('float32', data, dims);
}

/** Byte-for-byte equality of two tensors' data (types and shapes included). */
export function sameBits(a: OrtTensor, b: OrtTensor): boolean {
  if (a.type !== b.type || a.dims.join() !== b.dims.join()) return false;
  const da = a.data as ArrayBufferView;
  const db = b.data as ArrayBufferView;
  return Buffer.from(da.buffer, da.byteOffset, da.byteLength).equals(Buffer.from(db.buffer, db.byteOffset, db.byteLength));
}
