// Options of a TensorRT run, checked: a bad value is named, never silently replaced.
import type { Capture } from '../backend';

export type CaptureMode = 'mark' | 'debug' | 'auto';

export interface TrtOptions {
  /** 'debug' keeps fusions (TensorRT 10+); 'mark' marks tensors as outputs (the only mode on 8); 'auto': the helper's default. */
  captureMode: CaptureMode;
  fp16: boolean;
  bf16: boolean;
  /** For models with Q/DQ nodes. */
  int8: boolean;
  /** Off by default: TF32 changes FP32 results by ~1e-3, which would hide the divergence being looked for. */
  tf32: boolean;
  obeyPrecision: boolean;
  workspaceMiB: number;
  tacticSources: string;
  cacheDir: string | null;
  noCache: boolean;
  buildTimeoutSec: number;
}

export const TRT_DEFAULTS: TrtOptions = {
  captureMode: 'auto', fp16: false, bf16: false, int8: false, tf32: false, obeyPrecision: false, workspaceMiB: 4096,
  tacticSources: 'default', cacheDir: null, noCache: false, buildTimeoutSec: 1800,
};

const TACTICS = new Set(['cublas', 'cublaslt', 'cudnn', 'edge-mask-convolutions', 'jit-convolutions']);

export function parseTrtOptions(raw: Record<string, unknown> | undefined): TrtOptions {
  const o = { ...TRT_DEFAULTS, ...Object.fromEntries(Object.entries(raw ?? {}).filter(([, v]) => v !== undefined)) } as Record<string, unknown>;
  if (!['mark', 'debug', 'auto'].includes(o.captureMode as string)) throw new RangeError(`captureMode must be mark, debug or auto, not ${JSON.stringify(o.captureMode)}`);
  for (const k of ['fp16', 'bf16', 'int8', 'tf32', 'obeyPrecision', 'noCache'] as const) {
    if (typeof o[k] !== 'boolean') throw new RangeError(`${k} must be true or false, not ${JSON.stringify(o[k])}`);
  }
  const pos = (k: string) => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`${k} must be a positive integer, not ${JSON.stringify(v)}`);
  };
  pos('workspaceMiB');
  pos('buildTimeoutSec');
  const ts = o.tacticSources;
  if (typeof ts !== 'string' || !(ts === 'default' || ts === 'all' || ts.split(',').every((t) => TACTICS.has(t.trim())))) {
    throw new RangeError(`tacticSources must be default, all or a comma list of ${[...TACTICS].join(', ')}, not ${JSON.stringify(ts)}`);
  }
  if (o.cacheDir !== null && typeof o.cacheDir !== 'string') throw new RangeError(`cacheDir must be a folder path, not ${JSON.stringify(o.cacheDir)}`);
  return {
    captureMode: o.captureMode as CaptureMode, fp16: o.fp16 as boolean, bf16: o.bf16 as boolean, int8: o.int8 as boolean, tf32: o.tf32 as boolean,
    obeyPrecision: o.obeyPrecision as boolean, workspaceMiB: o.workspaceMiB as number, tacticSources: ts, cacheDir: (o.cacheDir as string | null) || null,
    noCache: o.noCache as boolean, buildTimeoutSec: o.buildTimeoutSec as number,
  };
}

/** The helper's `capture` parameter: all, outputs, or a comma list. */
export function captureParam(c: Capture): string {
  return c === 'all' || c === 'outputs' ? c : c.join(',');
}

/** 'FP16', 'FP32 (TF32 off)', ...: the precision a run used, for labels. */
export function precisionText(o: Pick<TrtOptions, 'fp16' | 'bf16' | 'int8' | 'tf32'>): string {
  const p = [o.fp16 && 'FP16', o.bf16 && 'BF16', o.int8 && 'INT8'].filter(Boolean);
  return `${p.length ? p.join('+') : 'FP32'}${o.tf32 ? ', TF32 on' : ''}`;
}
