// Where a run's captured tensors go once a backend has them, shared by every backend: kept in memory, parked on
// disk (a spill, or the results file itself read lazily), streamed to a Polygraphy RunResults file, or dropped.
// onnxruntime hands over arrays it holds; the TensorRT helper hands over the results file it wrote.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { NdArray } from '../compare/ndarray';
import { TensorProvider } from '../compare/compareRuns';
import { writeRunResults } from './results/writeResults';
import { indexRunResults } from './results/readRunResults';
import { findRunner, TensorEntry } from './results/types';
import { providerFromIteration } from './results/providers';
import { TensorSpill } from './tensorSpill';
import { RunControl, RunOutput, RunRequest, throwIfAborted } from './backend';

export type Keep = NonNullable<RunRequest['keep']>;

/** What the sink adds to a RunOutput. */
export type SunkTensors = Pick<RunOutput, 'tensors' | 'resultsPath' | 'freshLoads' | 'dispose'>;

/** The request's `keep`, with its documented default: memory without a results file, else none. */
export function keepOf(req: Pick<RunRequest, 'keep' | 'saveResults'>): Keep {
  return req.keep ?? (req.saveResults ? 'none' : 'memory');
}

/** Removes a partial results file. The writer's stream opens asynchronously: wait for it before removing. */
export async function removePartialFile(path: string): Promise<void> {
  for (let i = 0; i < 100 && !fs.existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 10));
  fs.rmSync(path, { force: true });
}

export interface ArraySinkOptions {
  keep: Keep;
  saveResults?: string;
  runnerName: string;
  /** Seconds the inference took, written into the results file. */
  runtime: number | null;
  control: RunControl;
  /** Seconds per sink stage ('spill', 'write') are added here. */
  timings: Record<string, number>;
}

/**
 * Arrays the backend holds (`arrays`, in capture order). With keep 'disk' they are spilled in the background;
 * with a results path they are streamed to it and, unless kept in memory, dropped as each is written.
 */
export async function sinkArrays(arrays: Map<string, NdArray>, o: ArraySinkOptions): Promise<SunkTensors> {
  const { keep, saveResults, runnerName, control: ctl } = o;
  const captured = [...arrays.keys()];
  const lap = (key: string, t0: number) => { o.timings[key] = (performance.now() - t0) / 1000; };
  let t = performance.now();
  let spill: TensorSpill | null = null;
  if (keep === 'disk') {
    spill = new TensorSpill();
    try {
      for (const [name, a] of arrays) {
        // Written in the background: the caller goes on (the next run's session creation) meanwhile, and
        // each array is dropped as its write ends, so memory shrinks as the spill grows.
        spill.addInBackground(name, a);
        if (!saveResults) arrays.delete(name);
      }
    } catch (e) {
      spill.dispose();
      throw e;
    }
    lap('spill', t);
  }
  if (saveResults) {
    t = performance.now();
    const total = captured.length;
    let done = 0;
    const entries = new Map<string, TensorEntry>();
    for (const [name, a] of arrays) {
      entries.set(name, {
        name, dtype: a.dtype, shape: a.shape,
        load: async () => {
          const arr = (arrays.get(name) ?? a) as NdArray;
          // Once written, a tensor nobody keeps can be collected: memory shrinks as the file grows.
          if (keep !== 'memory') arrays.delete(name);
          ctl.onProgress?.({ stage: 'write', done: ++done, total });
          throwIfAborted(ctl.signal, 'while writing results');
          return arr;
        },
      });
    }
    try {
      await writeRunResults(saveResults, { runs: [{ runnerName, iterations: [{ runnerName, runtime: o.runtime, outputs: entries }] }] });
    } catch (e) {
      // A partial file is not a result.
      await removePartialFile(saveResults);
      spill?.dispose();
      throw e;
    }
    lap('write', t);
  }
  let held: Map<string, NdArray> | null = keep === 'memory' ? arrays : null;
  const tensors: TensorProvider | undefined = spill ?? (held ? {
    names: captured,
    load(name: string) {
      const a = held?.get(name);
      if (!a) throw new Error(held ? `no tensor '${name}' in the ${runnerName} run` : 'the run was disposed');
      return a;
    },
  } : undefined);
  return { resultsPath: saveResults, tensors, freshLoads: keep === 'disk', dispose: () => { held = null; spill?.dispose(); } };
}

export interface FileSinkOptions {
  keep: Keep;
  /** Runner inside the file (default: the first). */
  runner?: string | number;
  control: RunControl;
  /** The file is ours (a temporary file, not asked for by the caller): removed on dispose, not reported as resultsPath. */
  owned?: boolean;
}

/**
 * A results file the backend wrote: keep 'memory' loads every tensor now; 'disk' serves them lazily from the file
 * (it is already on disk: no second copy); 'none' leaves the file as the output.
 */
export async function sinkResultsFile(path: string, o: FileSinkOptions): Promise<SunkTensors> {
  const removeOwned = () => { if (o.owned) fs.rmSync(path, { force: true }); };
  if (o.keep === 'none') {
    if (o.owned) removeOwned();
    return { resultsPath: o.owned ? undefined : path, dispose: () => undefined };
  }
  o.control.onProgress?.({ stage: 'index' });
  const indexed = await indexRunResults(path);
  const release = () => { indexed.dispose(); removeOwned(); };
  try {
    const runner = findRunner(indexed.results, o.runner ?? 0);
    const it = runner.iterations[0];
    if (!it) throw new Error(`${path}: runner ${runner.runnerName} has no iteration`);
    const lazy = providerFromIteration(it);
    const resultsPath = o.owned ? undefined : path;
    if (o.keep === 'disk') {
      return { resultsPath, tensors: { names: [...lazy.names], load: (n) => lazy.load(n) }, freshLoads: true, dispose: release };
    }
    let held: Map<string, NdArray> | null = new Map();
    for (const name of lazy.names) {
      throwIfAborted(o.control.signal, 'while reading results');
      held.set(name, await lazy.load(name));
    }
    release();
    return {
      resultsPath,
      tensors: {
        names: [...held.keys()],
        load(name: string) {
          const a = held?.get(name);
          if (!a) throw new Error(held ? `no tensor '${name}' in ${path}` : 'the run was disposed');
          return a;
        },
      },
      freshLoads: false,
      dispose: () => { held = null; },
    };
  } catch (e) {
    release();
    throw e;
  }
}
