// The TensorRT helper's JSON-line protocol (helper/PROTOCOL.md) as types, plus a checked parse of one line.

export type HelperStage = 'load' | 'parse' | 'build' | 'run' | 'write';

export type HelperErrorClass =
  | 'usage' | 'no-tensorrt' | 'no-gpu' | 'parse' | 'unsupported-opset' | 'build' | 'build-timeout' | 'run'
  | 'bad-input' | 'write' | 'cancelled' | 'internal';

export interface SearchedPlace { path: string; reason: string }

export interface ProgressEvent { event: 'progress'; id?: number; stage: HelperStage; state: 'start' | 'done'; seconds?: number; done?: number; total?: number }
export interface LogEvent { event: 'log'; id?: number; level: 'info' | 'warning' | 'error'; message: string }
export interface ResultEvent {
  event: 'result'; id?: number; runnerName: string; resultsPath: string; layerInfoPath: string | null;
  captured: string[]; skipped: { name: string; reason: string }[]; fused: { tensor: string; layer: string | null }[];
  engineCached: boolean; timings: Record<string, number>; notes: string[];
}
export interface ErrorEvent { event: 'error'; id?: number; class: HelperErrorClass; message: string; node?: string | null; searched?: SearchedPlace[] }
export interface VersionEvent {
  event: 'version'; id?: number; helper: string; tensorrtMajor: number | null; tensorrt: string | null; tensorrtLibDir: string | null;
  gpu: string | null; cuda: string | null; problems: string[]; searched: SearchedPlace[];
}

export type HelperEvent = ProgressEvent | LogEvent | ResultEvent | ErrorEvent | VersionEvent;

/** Exit codes and their classes (PROTOCOL.md). */
export const EXIT_CLASS: Record<number, HelperErrorClass> = {
  1: 'internal', 2: 'usage', 3: 'no-tensorrt', 4: 'no-gpu', 5: 'parse', 6: 'build', 7: 'run', 8: 'bad-input', 9: 'build-timeout', 10: 'write', 143: 'cancelled',
};

/** Parameters of a serve-mode `run` request. */
export interface RunParams {
  model: string; inputs: string; saveResults: string; capture: 'all' | 'outputs' | string;
  captureMode: 'mark' | 'debug' | null; fp16: boolean; bf16: boolean; int8: boolean; tf32: boolean; obeyPrecision: boolean;
  workspaceMiB: number; tacticSources: string; runnerName: string | null; layerInfo: string | null;
  cacheDir: string | null; noCache: boolean; buildTimeoutSec: number;
}

const KNOWN = new Set(['progress', 'log', 'result', 'error', 'version']);

/** One stdout line as an event, or an Error saying what is wrong with it (the helper printed something else). */
export function parseEventLine(line: string): HelperEvent | Error {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return new Error(`not a JSON line: ${JSON.stringify(line.slice(0, 120))}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return new Error(`not a JSON object: ${JSON.stringify(line.slice(0, 120))}`);
  const e = v as Record<string, unknown>;
  if (typeof e.event !== 'string' || !KNOWN.has(e.event)) return new Error(`unknown event ${JSON.stringify(e.event)}`);
  if (e.event === 'version' && typeof e.helper !== 'string') return new Error('a version event without "helper"');
  if (e.event === 'error' && (typeof e.class !== 'string' || typeof e.message !== 'string')) return new Error('an error event without class or message');
  if (e.event === 'result' && (typeof e.resultsPath !== 'string' || !Array.isArray(e.captured))) return new Error('a result event without resultsPath or captured');
  return v as HelperEvent;
}
