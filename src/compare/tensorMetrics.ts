// Error metrics of one tensor pair, computed the way Polygraphy's `simple` comparison does
// (polygraphy/comparator/compare.py, SimpleCompareFunc._check_outputs_match):
//   abs = |cast_up(actual) - cast_up(expected)|, in float32 for float32/float16 data;
//   rel = abs / |expected|, where zeros of a floating `expected` become 2.220446049250313e-16;
//   statistics by numpy (NaN propagates into max/mean/median/quantile).
import { NdArray, isFloatDType, toFloat32, toFloat64 } from './ndarray';
import { medianAndQuantile, meanF32 } from './orderStats';

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
  const [absBuf, relBuf] = wideOut ? scratch.f64(n) : scratch.f32(n);
  const x = narrow ? toFloat32(actual) : toFloat64(actual);
  const y = narrow ? toFloat32(expected) : toFloat64(expected);
  const eps = isFloatDType(expected.dtype) ? (narrow ? EPSILON_F32 : EPSILON) : 0;
  const { atol, rtol } = o;
  let amax = -Infinity, rmax = -Infinity, absNaN = 0, relNaN = 0;
  let nanA = 0, nanB = 0, infA = 0, infB = 0;
  let dot = 0, na = 0, nb = 0;
  let mismatches = 0, firstMismatch = -1;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const yi = y[i];
    let ad = narrow ? Math.abs(Math.fround(xi - yi)) : Math.abs(xi - yi);
    if (infEq && xi === yi && (xi === Infinity || xi === -Infinity)) ad = 0;
    const den = yi === 0 && eps !== 0 ? eps : Math.abs(yi);
    const r = wideOut ? ad / den : Math.fround(ad / den);
    absBuf[i] = ad;
    relBuf[i] = r;
    if (ad > amax) amax = ad;
    else if (ad !== ad) absNaN++;
    if (r > rmax) rmax = r;
    else if (r !== r) relNaN++;
    if ((ad > atol || ad !== ad) && (r > rtol || r !== r)) {
      if (mismatches++ === 0) firstMismatch = i;
    }
    dot += xi * yi;
    na += xi * xi;
    nb += yi * yi;
    if (xi - xi !== 0) { if (xi !== xi) nanA++; else infA++; }
    if (yi - yi !== 0) { if (yi !== yi) nanB++; else infB++; }
  }
  return {
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
}

function stats(buf: Float32Array | Float64Array, n: number, max: number, hasNaN: boolean, q: number, _s: Scratch): ErrorStats {
  // Polygraphy: max/median of an empty array are 0, the float32 mean is NaN, the quantile is inf.
  if (n === 0) return { max: 0, mean: NaN, median: 0, quantile: Infinity };
  if (hasNaN) return { max: NaN, mean: NaN, median: NaN, quantile: NaN };
  const mean = meanF32(buf);
  // Selection reorders nothing (it only counts), so the buffer stays valid for the caller.
  const [median, quantile] = medianAndQuantile(buf, q);
  return { max, mean, median, quantile };
}

function cosine(dot: number, na: number, nb: number): number {
  if (na === 0 && nb === 0) return 1;
  if (na === 0 || nb === 0) return 0;
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}
