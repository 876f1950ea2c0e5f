// Data-dependent ops (NonZero, NonMaxSuppression, Unique): their sizes depend on tensor values, so they get
// new symbolic dims; Resize/Upsample take sizes or scales that exporters compute from shapes.
import { Dim } from '../../types';
import { normAxis, OpContext } from '../context';
import { dimMul } from '../dimExpr';
import { INT64 } from '../facts';
import type { OpRules } from './registry';

function nonZero(c: OpContext): void {
  const s = c.shape(0);
  c.out(0, INT64, [s ? s.length : null, c.freshDim()]);
}

function nonMaxSuppression(c: OpContext): void {
  c.out(0, INT64, [c.freshDim(), 3]);
}

function unique(c: OpContext): void {
  const s = c.shape(0);
  const et = c.elemType(0);
  const n = c.freshDim();
  const axis = c.int('axis');
  if (axis === undefined || !s) c.out(0, et, axis === undefined ? [n] : undefined);
  else {
    const a = normAxis(c, axis, s.length);
    c.out(0, et, s.map((d, i) => (i === a ? n : d)));
  }
  c.out(1, INT64, [n]);
  const inverse: Dim = axis === undefined ? (s && s.every((d) => typeof d === 'number') ? (s as number[]).reduce((p, d) => p * d, 1) : null) : s ? s[normAxis(c, axis, s.length)] : null;
  c.out(2, INT64, [inverse]);
  c.out(3, INT64, [n]);
}

/** floor(d * scale), float32 as the runtimes compute it; symbolic dims only for whole scales. */
function scaleDim(d: Dim, scale: number): Dim {
  if (typeof d === 'number') return Math.floor(Math.fround(d * scale));
  if (Number.isInteger(scale)) return dimMul(d, scale);
  return null;
}

function resize(c: OpContext): void {
  const x = c.shape(0);
  const et = c.elemType(0);
  if (!x) return c.out(0, et, undefined);
  const rank = x.length;
  const axes = (c.ints('axes') ?? x.map((_, i) => i)).map((a) => normAxis(c, a, rank));
  const scalesIndex = c.opset >= 11 ? 2 : 1;
  const sizesGiven = c.opset >= 11 && c.hasInput(3);
  const out = [...x];
  if (sizesGiven) {
    const sizes = c.value(3);
    if (!sizes) return c.out(0, et, x.map(() => null));
    if (sizes.length !== axes.length) c.fail(`sizes has ${sizes.length} entries for ${axes.length} axes`);
    const policy = c.string('keep_aspect_ratio_policy', 'stretch');
    if (policy !== 'stretch') {
      if (!x.every((d) => typeof d === 'number') || !sizes.every((d) => typeof d === 'number')) return c.out(0, et, x.map(() => null));
      const ratios = axes.map((a, k) => (sizes[k] as number) / (x[a] as number));
      const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
      axes.forEach((a) => (out[a] = Math.round((x[a] as number) * scale)));
      return c.out(0, et, out);
    }
    axes.forEach((a, k) => (out[a] = sizes[k]));
    return c.out(0, et, out);
  }
  const scales = c.numbers(scalesIndex);
  if (!scales) return c.out(0, et, x.map(() => null));
  if (scales.length !== axes.length) c.fail(`scales has ${scales.length} entries for rank ${axes.length}`);
  axes.forEach((a, k) => (out[a] = scaleDim(x[a], scales[k])));
  c.out(0, et, out);
}

function upsample(c: OpContext): void {
  const x = c.shape(0);
  const scales = c.opset >= 9 ? c.numbers(1) : c.floats('scales');
  if (!x) return c.out(0, c.elemType(0), undefined);
  if (!scales) return c.out(0, c.elemType(0), x.map(() => null));
  c.out(0, c.elemType(0), x.map((d, i) => scaleDim(d, scales[i])));
}

export const DETECTION_OPS: OpRules = {
  NonZero: nonZero, NonMaxSuppression: nonMaxSuppression, Unique: unique, Resize: resize, Upsample: upsample,
};
