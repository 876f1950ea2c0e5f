// In-memory model of Polygraphy RunResults. Tensors are entries whose data may load lazily, so an
// index of a 500 MB file costs only names, shapes and offsets.
import { DType, NdArray } from '../../compare/ndarray';

export interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Returns the data; lazy entries read it from disk on each call (no cache: memory stays bounded). */
  load(): Promise<NdArray>;
}

export interface IterationResult {
  runnerName: string;
  /** Seconds, as Polygraphy records it; null when absent. */
  runtime: number | null;
  /** Output name -> tensor, in the runner's output order. */
  outputs: Map<string, TensorEntry>;
}

export interface RunnerResult {
  runnerName: string;
  iterations: IterationResult[];
}

export interface RunResults {
  runs: RunnerResult[];
}

export function eagerEntry(name: string, array: NdArray): TensorEntry {
  return { name, dtype: array.dtype, shape: array.shape, load: async () => array };
}

/** Builds RunResults from plain arrays (for writing files and tests). */
export function runResultsFromArrays(
  runs: { runnerName: string; iterations: { outputs: Record<string, NdArray> | Map<string, NdArray>; runtime?: number | null }[] }[],
): RunResults {
  return {
    runs: runs.map((r) => ({
      runnerName: r.runnerName,
      iterations: r.iterations.map((it) => {
        const src = it.outputs instanceof Map ? it.outputs : new Map(Object.entries(it.outputs));
        const outputs = new Map<string, TensorEntry>();
        for (const [name, a] of src) outputs.set(name, eagerEntry(name, a));
        return { runnerName: r.runnerName, runtime: it.runtime ?? null, outputs };
      }),
    })),
  };
}

/** Finds a runner by exact name, by index, or by unique prefix (Polygraphy names carry a timestamp). */
export function findRunner(results: RunResults, which: string | number): RunnerResult {
  if (typeof which === 'number') {
    const r = results.runs[which];
    if (!r) throw new Error(`no runner #${which}: the results hold ${results.runs.length} runner(s)`);
    return r;
  }
  const exact = results.runs.find((r) => r.runnerName === which);
  if (exact) return exact;
  const pre = results.runs.filter((r) => r.runnerName.startsWith(which));
  if (pre.length === 1) return pre[0];
  const names = results.runs.map((r) => r.runnerName).join(', ');
  throw new Error(pre.length ? `runner '${which}' is ambiguous: ${names}` : `no runner '${which}' in: ${names}`);
}
