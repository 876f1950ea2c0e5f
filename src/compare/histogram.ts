// Fixed-bin histograms of a tensor pair for the UI: both sides over one shared range (so they
// overlay) and the absolute error. Non-finite values are counted apart instead of stretching bins.
import { NdArray, getNumber } from './ndarray';

export interface Histogram {
  /** Bin i covers [edges[i], edges[i+1]); the last bin includes its upper edge. */
  edges: number[];
  counts: number[];
  nan: number;
  posInf: number;
  negInf: number;
}

export interface PairHistograms {
  actual: Histogram;
  expected: Histogram;
  absError: Histogram;
}

function finiteRange(arrays: NdArray[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.data.length; i++) {
      const v = getNumber(a, i);
      if (v - v !== 0) continue; // NaN or +-inf
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return [0, 1]; // empty or nothing finite
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

function histogramOf(n: number, value: (i: number) => number, lo: number, hi: number, bins: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const h: Histogram = { edges: [], counts, nan: 0, posInf: 0, negInf: 0 };
  for (let k = 0; k <= bins; k++) h.edges.push(lo + ((hi - lo) * k) / bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v !== v) h.nan++;
    else if (v === Infinity) h.posInf++;
    else if (v === -Infinity) h.negInf++;
    else counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)))]++;
  }
  return h;
}

export function valueHistogram(a: NdArray, bins = 64, range?: [number, number]): Histogram {
  const [lo, hi] = range ?? finiteRange([a]);
  return histogramOf(a.data.length, (i) => getNumber(a, i), lo, hi, bins);
}

export function pairHistograms(actual: NdArray, expected: NdArray, bins = 64): PairHistograms {
  if (actual.data.length !== expected.data.length) throw new Error('pairHistograms: element counts differ');
  const range = finiteRange([actual, expected]);
  const err = (i: number) => Math.abs(getNumber(actual, i) - getNumber(expected, i));
  let maxErr = 0;
  for (let i = 0; i < actual.data.length; i++) {
    const e = err(i);
    if (Number.isFinite(e) && e > maxErr) maxErr = e;
  }
  return {
    actual: valueHistogram(actual, bins, range),
    expected: valueHistogram(expected, bins, range),
    absError: histogramOf(actual.data.length, err, 0, maxErr > 0 ? maxErr : 1, bins),
  };
}
