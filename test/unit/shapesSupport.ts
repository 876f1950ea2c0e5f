// Shared by the shape oracle tests: onnx's inference (Python) on a set of models, compared with ours.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../../src/core/model';
import { buildModelGraph } from '../../src/core/graph';
import { inferShapes } from '../../src/core/shapes';
import { Dim } from '../../src/core/types';

export type OracleEntry = { error: string } | { tensors: Record<string, [number, Dim[] | null]> };

export function findModels(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findModels(p, out);
    else if (name.endsWith('.onnx')) out.push(p);
  }
  return out;
}

export function pythonOnnx(): string | undefined {
  try {
    execFileSync('python3', ['-c', 'import onnx'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3 with the onnx package is not installed (pip install onnx): the shape oracle cannot run';
  }
}

export function runOracle(paths: string[]): Record<string, OracleEntry> {
  const out: Record<string, OracleEntry> = {};
  // In batches: the argument list of 1,000 paths is long, and one slow model should not hide the others.
  for (let i = 0; i < paths.length; i += 200) {
    const text = execFileSync('python3', [join(__dirname, '../fixtures/python/infer_shapes_oracle.py'), ...paths.slice(i, i + 200)], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    Object.assign(out, JSON.parse(text.toString()));
  }
  return out;
}

const fmt = (t: [number, Dim[] | null] | undefined) => (t ? `${t[0]}${t[1] ? `[${t[1].map((d) => d ?? '?').join(',')}]` : ''}` : 'unknown');

export interface Agreement {
  staticTensors: number;
  agree: number;
  differences: string[];
  /** The same differences, by model and tensor, with our type. */
  differing: { path: string; name: string; ours?: [number, Dim[] | null] }[];
  /** Tensors where onnx has no static shape but we do (checked against run outputs elsewhere). */
  oursMore: number;
  models: number;
  oracleErrors: number;
}

export function compare(paths: string[], oracle: Record<string, OracleEntry>, root: string): Agreement {
  const a: Agreement = { staticTensors: 0, agree: 0, differences: [], differing: [], oursMore: 0, models: 0, oracleErrors: 0 };
  for (const path of paths) {
    const entry = oracle[path];
    if (!entry) continue;
    a.models++;
    if ('error' in entry) {
      a.oracleErrors++;
      continue;
    }
    const model = readModel(readFileSync(path));
    const graph = buildModelGraph(model);
    const ours = inferShapes(model, graph, { ignoreDeclared: true });
    const rel = path.slice(root.length + 1);
    for (const [name, [elem, dims]] of Object.entries(entry.tensors)) {
      const t = ours.types.get(name);
      const mine: [number, Dim[] | null] | undefined = t && t.kind === 'tensor' ? [t.elemType, t.shape ?? null] : undefined;
      const isStatic = dims !== null && dims.every((d) => typeof d === 'number');
      if (!isStatic) {
        if (mine && mine[1] && mine[1].every((d) => typeof d === 'number') && mine[1].length === (dims?.length ?? mine[1].length)) a.oursMore++;
        continue;
      }
      a.staticTensors++;
      if (mine && mine[0] === elem && mine[1] && mine[1].length === dims.length && mine[1].every((d, i) => d === dims[i])) a.agree++;
      else {
        const node = graph.nodes[graph.values.get(name)?.producer ?? -1];
        const why = ours.unsupported.size > 0 && node && ours.unsupported.has(node.opType) ? ' (no rule for this op)' : '';
        const diag = ours.diagnostics.find((d) => node && d.node === node.index && d.graph === '');
        a.differing.push({ path, name, ours: mine });
        a.differences.push(`${rel}: ${name} (${node?.opType ?? '?'}): onnx ${fmt([elem, dims])}, ours ${fmt(mine)}${why}${diag ? ` [${diag.message}]` : ''}`);
      }
    }
  }
  return a;
}

export function report(label: string, a: Agreement): number {
  const pct = a.staticTensors ? (100 * a.agree) / a.staticTensors : 100;
  console.log(`${label}: ${a.models} models (${a.oracleErrors} onnx could not infer), ${a.staticTensors} tensors with a static shape from onnx, ` +
    `${a.agree} agree (${pct.toFixed(2)}%), ${a.differences.length} differ; ${a.oursMore} more where onnx has no static shape`);
  for (const d of a.differences) console.log(`  differs: ${d}`);
  return pct;
}

export function onnxruntimePython(): string | undefined {
  try {
    execFileSync('python3', ['-c', 'import onnxruntime, numpy'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3 with onnxruntime and numpy is not installed: the run oracle cannot run';
  }
}

/** Actual shapes of every node output from an onnxruntime run (symbolic input dims from `sizes`), or an error. */
export function runOrt(path: string, work: string, sizes: Record<string, number> = {}): Record<string, [number, number[]]> {
  const args = [join(__dirname, '../fixtures/python/ort_tensor_shapes.py'), path, work, ...Object.entries(sizes).map(([k, v]) => `${k}=${v}`)];
  return JSON.parse(execFileSync('python3', args, { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }).toString());
}
