// The one interface every way of producing tensors implements: onnxruntime runs, saved results files
// (e.g. a TensorRT run made elsewhere with Polygraphy), and later the TensorRT helper. A run yields a
// results file streamed to disk and/or a TensorProvider that compareRuns reads one tensor at a time.
import { TensorProvider } from '../compare/compareRuns';
import { NdArray } from '../compare/ndarray';

/** Which tensors to capture: every intermediate, the model's outputs only, or these names. */
export type Capture = 'all' | 'outputs' | readonly string[];

export interface RunRequest {
  modelPath: string;
  inputs: ReadonlyMap<string, NdArray>;
  capture: Capture;
  /** Stream the captured tensors to this Polygraphy RunResults file (`.gz` compresses). */
  saveResults?: string;
  /**
   * How `RunOutput.tensors` holds the captured tensors: 'memory', 'disk' (raw bytes in a temporary file,
   * read back one at a time: for comparing big runs) or 'none'. Default: 'memory' without saveResults,
   * else 'none' (the results file is the output).
   */
  keep?: 'memory' | 'disk' | 'none';
  /** Runner name written to the results (default: the backend's own). */
  runnerName?: string;
  /** Backend-specific options (see each backend's options type). */
  options?: Record<string, unknown>;
}

export interface RunProgress {
  /** load/parse/build: the TensorRT helper loading TensorRT, parsing the model, building the engine. */
  stage: 'prepare' | 'session' | 'load' | 'parse' | 'build' | 'run' | 'write' | 'index';
  done?: number;
  total?: number;
  /** Extra words for the user, e.g. 'first time for this model; cached afterwards'. */
  detail?: string;
}

export interface RunControl {
  /** Checked between steps; a run in flight finishes first (onnxruntime cannot be interrupted). */
  signal?: AbortSignal;
  onProgress?(p: RunProgress): void;
}

/** What actually happened, for the user: optimization level, execution provider, caveats. */
export interface RunNote {
  kind: 'optimization' | 'provider' | 'capture' | 'source';
  text: string;
}

export interface RunOutput {
  runnerName: string;
  /** Names captured, in the backend's output order. */
  captured: string[];
  resultsPath?: string;
  /** Tensors for compareRuns; lazy (from disk) or in memory. */
  tensors?: TensorProvider;
  notes: RunNote[];
  /** Seconds per stage (e.g. session, run, write). */
  timings: Record<string, number>;
  /**
   * Tensors the backend was asked for but did not produce because it fused them into another layer (TensorRT):
   * not failures, and not silently missing. `layer` is the engine layer that absorbed the tensor, null if unknown.
   */
  fused?: { tensor: string; layer: string | null }[];
  /** Tensors the backend could not capture at all, with why (e.g. inside a Loop body on TensorRT 8). */
  skipped?: { name: string; reason: string }[];
  /**
   * True when each `tensors.load` returns a new buffer nobody else holds (results files, spills): the comparison
   * may then transfer it to a worker. False or absent: loads share memory the run keeps.
   */
  freshLoads?: boolean;
  /**
   * The inputs the run was fed, when known: the request's for runs made here, the inputs file beside a saved
   * results file. The comparison compares them as tensors, to tell when two runs did not start from the same data.
   */
  inputs?: { source: string; feed: ReadonlyMap<string, NdArray> };
  /** Frees what the run holds (memory, temporary files). Idempotent. */
  dispose(): void;
}

export interface Backend {
  id: string;
  label: string;
  run(request: RunRequest, control?: RunControl): Promise<RunOutput>;
}

/** Thrown when a run is cancelled through its AbortSignal. */
export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor(stage: string) {
    super(`run cancelled (${stage})`);
  }
}

/** A backend problem the user can act on (missing execution provider, unloadable model): one line. */
export class BackendError extends Error {
  override name = 'BackendError';
}

export function throwIfAborted(signal: AbortSignal | undefined, stage: string): void {
  if (signal?.aborted) throw new RunCancelledError(stage);
}
