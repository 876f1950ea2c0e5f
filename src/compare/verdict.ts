// Pass/fail of one tensor pair with Polygraphy's `simple` semantics (SimpleThreshold.passed and the
// elemwise check in SimpleCompareFunc).
import { NdArray, shapeToString } from './ndarray';
import { ErrorStat, MetricsOptions, Scratch, TensorMetrics, computeMetrics } from './tensorMetrics';

export interface Tolerance {
  atol: number;
  rtol: number;
  checkErrorStat: ErrorStat;
  errorQuantile: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-5, checkErrorStat: 'elemwise', errorQuantile: 0.99 };

export interface ToleranceConfig {
  /** Defaults for every tensor (missing fields: Polygraphy's defaults). */
  default?: Partial<Tolerance>;
  /** Per-tensor overrides keyed by the first run's tensor name (exact match). */
  perTensor?: Record<string, Partial<Tolerance>>;
}

export function toleranceFor(cfg: ToleranceConfig | undefined, name: string): Tolerance {
  return { ...DEFAULT_TOLERANCE, ...cfg?.default, ...cfg?.perTensor?.[name] };
}

export interface TensorVerdict {
  passed: boolean;
  /** One line saying why (the failing statistic, the mismatch, or what matched). */
  reason: string;
  metrics: TensorMetrics | null;
}

export interface PairOptions {
  infinitiesCompareEqual?: boolean;
  /** Polygraphy compares across dtypes (numpy promotion); by default a dtype change fails. */
  dtypeMismatch?: 'fail' | 'compare';
  scratch?: Scratch;
}

function statFailed(v: number, tol: number): boolean {
  return Number.isNaN(v) || v > tol;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(5)).toString() : String(v);
}

/** Tolerances as users type them (1e-5, not 0.00001). */
function tolStr(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Compares `actual` against `expected` (Polygraphy's second runner is the relative-error reference). */
export function compareTensorPair(actual: NdArray, expected: NdArray, tol: Tolerance, opts: PairOptions = {}): TensorVerdict {
  if (!sameShape(actual.shape, expected.shape)) {
    return { passed: false, reason: `shape mismatch: ${shapeToString(actual.shape)} vs ${shapeToString(expected.shape)}`, metrics: null };
  }
  if (actual.dtype !== expected.dtype && (opts.dtypeMismatch ?? 'fail') === 'fail') {
    return { passed: false, reason: `dtype mismatch: ${actual.dtype} vs ${expected.dtype}`, metrics: null };
  }
  const mo: MetricsOptions = { atol: tol.atol, rtol: tol.rtol, errorQuantile: tol.errorQuantile, infinitiesCompareEqual: opts.infinitiesCompareEqual ?? false };
  const m = computeMetrics(actual, expected, mo, opts.scratch);
  return { ...judge(m, tol), metrics: m };
}

/** The verdict from metrics alone (elemwise uses the stored mismatch count). */
export function judge(m: TensorMetrics, tol: Tolerance): { passed: boolean; reason: string } {
  const stat = tol.checkErrorStat;
  if (stat === 'elemwise') {
    if (m.mismatches === 0) return { passed: true, reason: `all ${m.count} elements within atol ${tolStr(tol.atol)} or rtol ${tolStr(tol.rtol)}` };
    const [a, e] = m.firstMismatchValues as [number, number];
    return {
      passed: false,
      reason: `${m.mismatches} of ${m.count} elements exceed atol ${tolStr(tol.atol)} and rtol ${tolStr(tol.rtol)} (first at flat index ${m.firstMismatch}: ${fmt(a)} vs ${fmt(e)})`,
    };
  }
  const abs = m.abs[stat];
  const rel = m.rel[stat];
  const label = stat === 'quantile' ? `p${fmt(tol.errorQuantile * 100)}` : stat;
  const failed = statFailed(abs, tol.atol) && statFailed(rel, tol.rtol);
  const desc = `${label} abs error ${fmt(abs)} ${statFailed(abs, tol.atol) ? '>' : '<='} atol ${tolStr(tol.atol)}, ${label} rel error ${fmt(rel)} ${statFailed(rel, tol.rtol) ? '>' : '<='} rtol ${tolStr(tol.rtol)}`;
  const empty = m.count === 0 && (stat === 'mean' || stat === 'quantile') ? ' (empty tensor: Polygraphy counts it as failing this statistic)' : '';
  return { passed: !failed, reason: desc + empty };
}
