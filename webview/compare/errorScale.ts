// Error values on a log scale: threshold classification, slider positions and overlay colors. Pure (no DOM), so
// unit tests and the legend share it with the canvas.
import type { ErrorPair } from '../../src/protocol/compare';
import { mix } from '../render/palette';

export type ErrorMetric = 'rel' | 'abs';
export type ErrorClass = 'pass' | 'fail' | 'none';

/** Decades the slider and legend span: [10^lo, 10^hi]. */
export interface LogScale { lo: number; hi: number }

export const MIN_EXP = -12;
export const MAX_EXP = 6;

export function errorOf(e: ErrorPair | undefined, metric: ErrorMetric): number | null {
  if (!e) return null;
  return metric === 'rel' ? e.rel : e.abs;
}

/** Above the threshold fails (as Polygraphy: equal to the tolerance passes); no value means not compared. */
export function classify(value: number | null | undefined, threshold: number): ErrorClass {
  if (value === null || value === undefined) return 'none';
  return value > threshold ? 'fail' : 'pass';
}

/** A scale covering the finite errors seen and the threshold, in whole decades, within [1e-12, 1e6]. */
export function scaleFor(values: Iterable<number | null>, threshold: number): LogScale {
  let lo = Math.log10(threshold), hi = Math.log10(threshold);
  for (const v of values) {
    if (v === null || v <= 0 || v >= Number.MAX_VALUE) continue;
    const e = Math.log10(v);
    if (e < lo) lo = e;
    if (e > hi) hi = e;
  }
  lo = Math.max(MIN_EXP, Math.floor(lo)) || 0; // no -0: it would read "1e-0"
  hi = Math.min(MAX_EXP, Math.ceil(hi)) || 0;
  return hi > lo ? { lo, hi } : { lo, hi: lo + 1 };
}

/** 0..1 along the scale; zero (and below the scale) is 0, non-finite (MAX_VALUE) and above is 1. */
export function logPosition(v: number, s: LogScale): number {
  if (v <= 0) return 0;
  return Math.min(1, Math.max(0, (Math.log10(v) - s.lo) / (s.hi - s.lo)));
}

export function fromPosition(t: number, s: LogScale): number {
  return 10 ** (s.lo + t * (s.hi - s.lo));
}

export interface OverlayColors {
  pass: string;
  warn: string;
  fail: string;
  background: string;
}

/**
 * Passing boxes in the pass color, stronger as they near the threshold; failing boxes from the warn color just
 * above it to the fail color at the top of the scale, so the worst stand out.
 */
export function overlayColor(value: number | null | undefined, threshold: number, s: LogScale, c: OverlayColors): string | undefined {
  const cls = classify(value, threshold);
  if (cls === 'none') return undefined;
  const v = value as number, p = logPosition(v, s), pt = logPosition(threshold, s);
  if (cls === 'pass') return mix(c.pass, c.background, 0.18 + 0.32 * (pt > 0 ? p / pt : 1));
  const t = pt < 1 ? (p - pt) / (1 - pt) : 1;
  return mix(mix(c.fail, c.warn, t), c.background, 0.8);
}
