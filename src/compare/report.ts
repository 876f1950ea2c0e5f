// JSON-serializable comparison report. Non-finite numbers become strings ('NaN', 'Infinity') since
// JSON has no literal for them.
import { DType } from './ndarray';
import { Culprit } from './divergence';
import { Tolerance, ToleranceConfig } from './verdict';
import { TensorMetrics } from './tensorMetrics';

export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export function jsonNumber(v: number): JsonNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

export function fromJsonNumber(v: JsonNumber): number {
  return typeof v === 'number' ? v : Number(v);
}

export interface ErrorStatsReport {
  max: JsonNumber;
  mean: JsonNumber;
  median: JsonNumber;
  quantile: JsonNumber;
}

export interface MetricsReport {
  count: number;
  abs: ErrorStatsReport;
  rel: ErrorStatsReport;
  cosineSimilarity: JsonNumber;
  nan: [number, number];
  inf: [number, number];
  mismatches: number;
  firstMismatch: number;
}

export interface TensorReport {
  /** Name in run A (the "actual" side) and in run B (the reference for relative error). */
  name: string;
  nameB: string;
  shape: [number[], number[]];
  dtype: [DType, DType];
  tolerance: Tolerance;
  status: 'pass' | 'fail';
  reason: string;
  metrics: MetricsReport | null;
}

/**
 * A tensor one run did not produce because its backend fused it into another layer (TensorRT): explained, not
 * compared and not a failure. `tensor` is that run's name for it; `counterpart` the other run's name when a
 * name map pairs them differently.
 */
export interface FusedTensorReport {
  tensor: string;
  side: 'a' | 'b';
  /** The engine layer that absorbed it (e.g. 'Conv_3 + Relu_4'); null when the backend could not tell. */
  layer: string | null;
  counterpart?: string;
}

/** A tensor one run's backend could not capture at all, with its reason (e.g. inside a Loop body). */
export interface SkippedTensorReport {
  tensor: string;
  side: 'a' | 'b';
  reason: string;
  counterpart?: string;
}

/** The graph's (run A's) name of a fused or skipped tensor. */
export function graphNameOf(t: { tensor: string; side: 'a' | 'b'; counterpart?: string }): string {
  return t.side === 'a' ? t.tensor : t.counterpart ?? t.tensor;
}

export interface RunnerRef {
  runnerName: string;
  iteration: number;
}

export interface ComparisonReport {
  version: 1;
  /** A is compared against B; B is the reference for relative error, as Polygraphy's second runner. */
  runners: { a: RunnerRef; b: RunnerRef };
  options: {
    tolerances: ToleranceConfig;
    infinitiesCompareEqual: boolean;
    dtypeMismatch: 'fail' | 'compare';
    nameMap: Record<string, string>;
  };
  /** In graph order when a graph was given, else in run A's order. */
  tensors: TensorReport[];
  unpaired: { onlyA: string[]; onlyB: string[]; brokenMap: { a: string; b: string }[] };
  /** Tensors a backend fused away (not in `unpaired`); in graph order when a graph was given. Absent in older reports. */
  fused?: FusedTensorReport[];
  /** Tensors a backend could not capture (not in `unpaired`). Absent in older reports. */
  skipped?: SkippedTensorReport[];
  summary: {
    compared: number; passed: number; failed: number; onlyA: number; onlyB: number; bytes: number; seconds: number;
    /** Lengths of `fused` and `skipped`; absent in older reports. */
    fused?: number; skipped?: number;
  };
  firstDivergence: { first: Culprit | null; culprits: Culprit[]; outsideGraph: string[] } | null;
}

export function metricsReport(m: TensorMetrics): MetricsReport {
  const s = (x: TensorMetrics['abs']): ErrorStatsReport => ({
    max: jsonNumber(x.max), mean: jsonNumber(x.mean), median: jsonNumber(x.median), quantile: jsonNumber(x.quantile),
  });
  return {
    count: m.count,
    abs: s(m.abs),
    rel: s(m.rel),
    cosineSimilarity: jsonNumber(m.cosineSimilarity),
    nan: m.nan,
    inf: m.inf,
    mismatches: m.mismatches,
    firstMismatch: m.firstMismatch,
  };
}
