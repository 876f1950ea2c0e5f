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
  /**
   * Where `rel` is NaN only because of 0/0 (identical zeros of an integer reference): the max relative error over
   * the other elements, which the table, the overlay and the order use. Absent otherwise.
   */
  relDefinedMax?: JsonNumber;
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
  /** What the run was, for people ('onnxruntime CPU, opt all', 'results file pert.json, runner trt-runner-…'). */
  label?: string;
}

/** A runner as people should read it: its label, else its runner name. */
export function runnerLabel(r: RunnerRef): string {
  return r.label ?? r.runnerName;
}

/** What the comparison knows of the inputs each run was fed. Absent in older reports. */
export interface InputCheckReport {
  /** Where each run's inputs are known from ('given to the run', 'pert.inputs.json'); null: unknown. */
  sources: { a: string | null; b: string | null };
  /** Graph inputs compared as tensors (both runs' inputs known). */
  compared: string[];
  /** Those whose values (or shape or dtype) differ between the runs: every difference downstream may come from them. */
  differing: string[];
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
  /**
   * Failing tensors first, then passing ones, passing weights last; each part in graph order when a graph was
   * given, else in run A's order.
   */
  tensors: TensorReport[];
  /** The inputs the runs were fed, compared as tensors when both are known. */
  inputs?: InputCheckReport;
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
  const defined = m.relDefinedMax !== undefined ? { relDefinedMax: jsonNumber(m.relDefinedMax) } : {};
  return {
    count: m.count,
    abs: s(m.abs),
    rel: s(m.rel),
    cosineSimilarity: jsonNumber(m.cosineSimilarity),
    nan: m.nan,
    inf: m.inf,
    mismatches: m.mismatches,
    firstMismatch: m.firstMismatch,
    ...defined,
  };
}

/** The max relative error to show and sort by: 0/0 elements count as 0 (see MetricsReport.relDefinedMax). */
export function maxRelOf(m: MetricsReport): number {
  return fromJsonNumber(m.relDefinedMax ?? m.rel.max);
}

/** The warning to show before any layer is blamed, or null when the runs' inputs are the same or unknown. */
export function inputMismatchWarning(r: ComparisonReport): string | null {
  const d = r.inputs?.differing ?? [];
  if (!d.length) return null;
  const detail = d.slice(0, 5).map((name) => {
    const t = r.tensors.find((x) => x.name === name);
    return t?.metrics ? `${name}: max abs difference ${fromJsonNumber(t.metrics.abs.max).toPrecision(3)}` : `${name}: ${t?.reason ?? 'differs'}`;
  }).join('; ');
  return `The runs were fed different inputs (${detail}${d.length > 5 ? `; and ${d.length - 5} more` : ''}): ` +
    'the tensors after them differ because of the inputs, not because of a layer.';
}

/** A note when one run's inputs are unknown (the check could not be made), else null. */
export function inputsUnknownNote(r: ComparisonReport): string | null {
  const i = r.inputs;
  if (!i) return null;
  const unknown = (['a', 'b'] as const).filter((s) => i.sources[s] === null);
  if (!unknown.length) return null;
  if (unknown.length === 2) return 'The inputs of both runs are unknown, so they could not be checked against each other.';
  const s = unknown[0];
  return `The inputs of run ${s.toUpperCase()} (${runnerLabel(r.runners[s])}) are unknown, so they could not be checked against run ${s === 'a' ? 'B' : 'A'}'s.`;
}
