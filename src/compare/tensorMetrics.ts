// Error metrics of one tensor pair, computed the way Polygraphy's `simple` comparison does
// (polygraphy/comparator/compare.py, SimpleCompareFunc._check_outputs_match):
//   abs = |cast_up(actual) - cast_up(expected)|, in float32 for float32/float16 data;
//   rel = abs / |expected|, where zeros of a floating `expected` become 2.220446049250313e-16;
//   statistics by numpy (NaN propagates into max/mean/median/quantile).
import { scanF32Kernel, scanKernelAvailable } from './kernel/scanKernel';
import { NdArray, isFloatDType, toFloat32, toFloat64 } from './ndarray';
import { medianAndQuantile, meanF32, meanMedianQuantileF32 } from './orderStats';

const EPSILON = 2.220446049250313e-16;
const EPSILON_F32 = Math.fround(EPSILON);

export type ErrorStat = 'elemwise' | 'max' | 'mean' | 'median' | 'quantile';

export interface ErrorStats {
  max: number;
  mean: number;
  median: number;
  /** At the tolerance's errorQuantile. */
  quantile: number;
}

export interface TensorMetrics {
  count: number;
  abs: ErrorStats;
  rel: ErrorStats;
  /** Dot product over norms in float64; 1 when both sides are all zeros; NaN if any NaN. */
  cosineSimilarity: number;
  nan: [number, number];
  inf: [number, number];
  /** Elements failing the elementwise check (abs > atol AND rel > rtol, NaN counting as a failure). */
  mismatches: number;
  /** Flat index of the first such element, or -1. */
  firstMismatch: number;
  /** Values at firstMismatch (actual, expected), for messages. */
  firstMismatchValues: [number, number] | null;
  /**
   * Set when the only NaN relative errors are 0/0 (identical zeros of an integer reference, where Polygraphy's
   * `rel` statistics are NaN): the max relative error over the other elements, 0 when there are none.
   */
  relDefinedMax?: number;
}

export interface MetricsOptions {
  atol: number;
  rtol: number;
  errorQuantile: number;
  /** Polygraphy --infinities-compare-equal: matching +-inf give abs error 0. */
  infinitiesCompareEqual: boolean;
}

/** Scratch buffers reused across tensors so a run over thousands of tensors allocates once. */
export class Scratch {
  private f32a = new Float32Array(0);
  private f32b = new Float32Array(0);
  private f64a = new Float64Array(0);
  private f64b = new Float64Array(0);

  f32(n: number): [Float32Array, Float32Array] {
    if (this.f32a.length < n) { this.f32a = new Float32Array(n); this.f32b = new Float32Array(n); }
    return [this.f32a.subarray(0, n), this.f32b.subarray(0, n)];
  }

  f64(n: number): [Float64Array, Float64Array] {
    if (this.f64a.length < n) { this.f64a = new Float64Array(n); this.f64b = new Float64Array(n); }
    return [this.f64a.subarray(0, n), this.f64b.subarray(0, n)];
  }
}

const defaultScratch = new Scratch();

/** Float32 math iff both sides widen to float32 in numpy (cast_up leaves float32, lifts float16). */
function usesFloat32(a: NdArray, b: NdArray): boolean {
  const f32like = (d: string) => d === 'float32' || d === 'float16' || d === 'bfloat16';
  return f32like(a.dtype) && f32like(b.dtype);
}

/** Computes all metrics in one pass over the data plus selection passes over the error buffers. */
export function computeMetrics(actual: NdArray, expected: NdArray, o: MetricsOptions, scratch = defaultScratch): TensorMetrics {
  const n = actual.data.length;
  if (expected.data.length !== n) throw new Error(`element counts differ: ${n} vs ${expected.data.length}`);
  const narrow = usesFloat32(actual, expected);
  const infEq = o.infinitiesCompareEqual;
  // Polygraphy's infinities fix-up, np.where(cond, 0, absdiff), promotes float32 errors to float64
  // (the 0 becomes an int64 array), so relative errors and statistics are then float64 too.
  const wideOut = !narrow || infEq;
  let absBuf: Float32Array | Float64Array, relBuf: Float32Array | Float64Array;
  const x = narrow ? toFloat32(actual) : toFloat64(actual);
  const y = narrow ? toFloat32(expected) : toFloat64(expected);
  const eps = isFloatDType(expected.dtype) ? (narrow ? EPSILON_F32 : EPSILON) : 0;
  const acc: Acc = { amax: -Infinity, rmax: -Infinity, absNaN: 0, relNaN: 0, relUndefined: 0, nanA: 0, nanB: 0, infA: 0, infB: 0, dot: 0, na: 0, nb: 0, mismatches: 0, firstMismatch: -1 };
  // Monomorphic loops: one typed-array kind per call site keeps V8's fast path (several x faster).
  if (!wideOut) [absBuf, relBuf] = scanF32(x as Float32Array, y as Float32Array, scratch, eps, o, acc);
  else {
    [absBuf, relBuf] = scratch.f64(n);
    scanWide(x, y, absBuf, relBuf, narrow, eps, o, acc);
  }
  const { amax, rmax, absNaN, relNaN, relUndefined, nanA, nanB, infA, infB, dot, na, nb, mismatches, firstMismatch } = acc;
  const m: TensorMetrics = {
    count: n,
    abs: stats(absBuf, n, amax, absNaN > 0, o.errorQuantile, scratch),
    rel: stats(relBuf, n, rmax, relNaN > 0, o.errorQuantile, scratch),
    cosineSimilarity: cosine(dot, na, nb),
    nan: [nanA, nanB],
    inf: [infA, infB],
    mismatches,
    firstMismatch,
    firstMismatchValues: firstMismatch >= 0 ? [x[firstMismatch], y[firstMismatch]] : null,
  };
  if (relUndefined > 0 && relUndefined === relNaN) m.relDefinedMax = Math.max(rmax, 0);
  return m;
}

function stats(buf: Float32Array | Float64Array, n: number, max: number, hasNaN: boolean, q: number, _s: Scratch): ErrorStats {
  // Polygraphy: max/median of an empty array are 0, the float32 mean is NaN, the quantile is inf.
  if (n === 0) return { max: 0, mean: NaN, median: 0, quantile: Infinity };
  if (hasNaN) return { max: NaN, mean: NaN, median: NaN, quantile: NaN };
  // Bit-identical tensors are common among intermediates: every statistic is exactly 0.
  if (max === 0) return { max: 0, mean: 0, median: 0, quantile: 0 };
  // Selection reorders nothing (it only counts), so the buffer stays valid for the caller. For float32
  // buffers the mean's pass also builds the selection's first histogram (one read pass fewer: ~5% less CPU).
  if (buf instanceof Float32Array) {
    const [mean, median, quantile] = meanMedianQuantileF32(buf, q);
    return { max, mean, median, quantile };
  }
  const mean = meanF32(buf);
  const [median, quantile] = medianAndQuantile(buf, q);
  return { max, mean, median, quantile };
}

function cosine(dot: number, na: number, nb: number): number {
  if (na === 0 && nb === 0) return 1;
  if (na === 0 || nb === 0) return 0;
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

interface Acc {
  amax: number; rmax: number; absNaN: number; relNaN: number;
  /** Relative errors that are 0/0 (only with an integer reference: floats divide by epsilon). */
  relUndefined: number;
  nanA: number; nanB: number; infA: number; infB: number;
  dot: number; na: number; nb: number; mismatches: number; firstMismatch: number;
}

/**
 * float32 math throughout, as numpy does for float32/float16 pairs. The elementwise pass runs in the WebAssembly
 * kernel where it can (bit-identical, ~3x faster), else in scanRangeF32. Returns the abs/rel buffers it filled
 * (the kernel's own memory, or the scratch buffers).
 */
function scanF32(x: Float32Array, y: Float32Array, scratch: Scratch, eps: number, o: MetricsOptions, acc: Acc): [Float32Array, Float32Array] {
  const { atol, rtol } = o;
  const n = x.length;
  let from = 0;
  let absBuf: Float32Array, relBuf: Float32Array;
  if (scanKernelAvailable(n)) {
    const k = scanF32Kernel(x, y, eps, atol, rtol, acc);
    absBuf = k.abs;
    relBuf = k.rel;
    from = k.done;
  } else {
    [absBuf, relBuf] = scratch.f32(n);
  }
  scanRangeF32(x, y, absBuf, relBuf, eps, atol, rtol, from, n, acc);
  // With a nonzero epsilon the denominator is never 0, so rel is NaN only where abs is NaN or where
  // abs and |expected| are both inf: both are elementwise failures the 0/1 sum above did not count.
  if (acc.relNaN > 0) {
    acc.mismatches += acc.relNaN;
    for (let i = 0; i < n; i++) if (absBuf[i] !== absBuf[i]) acc.absNaN++;
  }
  if (acc.mismatches > 0) {
    for (let i = 0; i < n; i++) {
      const ad = absBuf[i], r = relBuf[i];
      if ((ad > atol || ad !== ad) && (r > rtol || r !== r)) { acc.firstMismatch = i; break; }
    }
  }
  return [absBuf, relBuf];
}

/**
 * The elementwise loop over [from, to), adding to acc. Kept free of unpredictable branches (elements near the
 * tolerance would mispredict): mismatches are summed as 0/1; the rare NaN bookkeeping is redone afterwards.
 */
function scanRangeF32(x: Float32Array, y: Float32Array, absBuf: Float32Array, relBuf: Float32Array, eps: number, atol: number, rtol: number, from: number, to: number, acc: Acc): void {
  let { amax, rmax, relNaN, nanA, nanB, infA, infB, dot, na, nb, mismatches: mism } = acc;
  for (let i = from; i < to; i++) {
    const xi = x[i];
    const yi = y[i];
    const ad = Math.abs(Math.fround(xi - yi));
    const r = Math.fround(ad / (yi === 0 ? eps : Math.abs(yi)));
    absBuf[i] = ad;
    relBuf[i] = r;
    if (ad > amax) amax = ad;
    if (r > rmax) rmax = r;
    mism += ((ad > atol) as unknown as number) & ((r > rtol) as unknown as number);
    dot += xi * yi;
    na += xi * xi;
    nb += yi * yi;
    if (r !== r) relNaN++;
    if (xi - xi !== 0) { if (xi !== xi) nanA++; else infA++; }
    if (yi - yi !== 0) { if (yi !== yi) nanB++; else infB++; }
  }
  acc.amax = amax; acc.rmax = rmax; acc.relNaN = relNaN; acc.nanA = nanA; acc.nanB = nanB; acc.infA = infA; acc.infB = infB;
  acc.dot = dot; acc.na = na; acc.nb = nb; acc.mismatches = mism;
}

/** float64 statistics: float64/integer/bool data, or float32 data under infinities-compare-equal. */
function scanWide(
  x: Float32Array | Float64Array, y: Float32Array | Float64Array, absBuf: Float64Array, relBuf: Float64Array,
  narrowAbs: boolean, eps: number, o: MetricsOptions, acc: Acc,
): void {
  const { atol, rtol, infinitiesCompareEqual: infEq } = o;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    let ad = narrowAbs ? Math.abs(Math.fround(xi - yi)) : Math.abs(xi - yi);
    if (infEq && xi === yi && (xi === Infinity || xi === -Infinity)) ad = 0;
    // Only a floating reference gets the epsilon; integer zeros divide to inf/NaN as in numpy.
    const r = ad / (yi === 0 && eps !== 0 ? eps : Math.abs(yi));
    absBuf[i] = ad;
    relBuf[i] = r;
    if (ad > acc.amax) acc.amax = ad;
    else if (ad !== ad) acc.absNaN++;
    if (r > acc.rmax) acc.rmax = r;
    else if (r !== r) { acc.relNaN++; if (ad === 0) acc.relUndefined++; }
    if ((ad > atol || ad !== ad) && (r > rtol || r !== r) && acc.mismatches++ === 0) acc.firstMismatch = i;
    acc.dot += xi * yi;
    acc.na += xi * xi;
    acc.nb += yi * yi;
    if (xi - xi !== 0) { if (xi !== xi) acc.nanA++; else acc.infA++; }
    if (yi - yi !== 0) { if (yi !== yi) acc.nanB++; else acc.infB++; }
  }
}
