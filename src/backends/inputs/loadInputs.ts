// Inputs from files: Polygraphy inputs JSON (`--save-inputs`), .npy, .npz, or ONNX TensorProto .pb files,
// named and checked against the model's inputs so a mismatch fails before onnxruntime sees it.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { NdArray, shapeToString } from '../../compare/ndarray';
import { readInputsFile } from '../results/readInputs';
import { readNpy, readNpz } from '../results/npz';
import { InputError, InputSpec } from './inputSpecs';
import { decodeTensorProto } from './tensorProtoFile';

export interface LoadInputsOptions {
  /** Which feed dict of a Polygraphy inputs file (default 0). */
  iteration?: number;
}

function kindOf(path: string): 'json' | 'npy' | 'npz' | 'pb' {
  const p = path.toLowerCase();
  if (p.endsWith('.json') || p.endsWith('.json.gz')) return 'json';
  if (p.endsWith('.npy')) return 'npy';
  if (p.endsWith('.npz')) return 'npz';
  if (p.endsWith('.pb')) return 'pb';
  throw new InputError(`${path}: unknown inputs file type; give a Polygraphy inputs .json, .npy, .npz or TensorProto .pb`);
}

/**
 * Reads every file into one name -> array map. A lone .npy, or .pb files without names, map to the
 * model's inputs by position (one .npy: the only input; else by file stem).
 */
export async function loadInputFiles(paths: readonly string[], specs: readonly InputSpec[], o: LoadInputsOptions = {}): Promise<Map<string, NdArray>> {
  const out = new Map<string, NdArray>();
  const put = (name: string, a: NdArray, where: string) => {
    if (out.has(name)) throw new InputError(`${where}: input '${name}' is given twice`);
    out.set(name, a);
  };
  let pbIndex = 0;
  for (const path of paths) {
    if (!fs.existsSync(path)) throw new InputError(`${path}: no such inputs file`);
    switch (kindOf(path)) {
      case 'json': {
        const feeds = await readInputsFile(path);
        const it = o.iteration ?? 0;
        const feed = feeds[it];
        if (!feed) throw new InputError(`${path}: no feed dict #${it}; the file holds ${feeds.length}`);
        for (const [n, a] of feed) put(n, a, path);
        break;
      }
      case 'npy': {
        const stem = nodePath.basename(path).replace(/\.npy$/i, '');
        const name = paths.length === 1 && specs.length === 1 ? specs[0].name : stem;
        put(name, readNpy(path), path);
        break;
      }
      case 'npz':
        for (const [n, a] of readNpz(path)) put(n, a, path);
        break;
      case 'pb': {
        const { name, array } = decodeTensorProto(fs.readFileSync(path), path);
        const spec = specs[pbIndex++];
        const chosen = name || spec?.name;
        if (!chosen) throw new InputError(`${path}: unnamed TensorProto #${pbIndex - 1}, but the model has only ${specs.length} input(s)`);
        put(chosen, array, path);
        break;
      }
    }
  }
  return out;
}

/** Checks names, dtypes and shapes against the model's inputs; every problem in one message. */
export function validateInputs(inputs: ReadonlyMap<string, NdArray>, specs: readonly InputSpec[]): void {
  const problems: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const s of specs) {
    const a = inputs.get(s.name);
    if (!a) {
      problems.push(`input '${s.name}' is missing`);
      continue;
    }
    if (a.dtype !== s.dtype) problems.push(`input '${s.name}' is ${a.dtype}, the model wants ${s.dtype}`);
    if (s.dims) {
      const bad = a.shape.length !== s.dims.length || s.dims.some((d, i) => typeof d === 'number' && d !== a.shape[i]);
      if (bad) problems.push(`input '${s.name}' has shape ${shapeToString(a.shape)}, the model wants [${s.dims.map((d) => d ?? '?').join(', ')}]`);
    }
  }
  const extra = [...inputs.keys()].filter((n) => !byName.has(n));
  if (extra.length) problems.push(`not inputs of the model: ${extra.map((n) => `'${n}'`).join(', ')} (inputs: ${specs.map((s) => s.name).join(', ')})`);
  if (problems.length) throw new InputError(problems.join('; '));
}
