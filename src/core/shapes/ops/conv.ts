// Sliding-window ops: Conv, ConvTranspose, ConvInteger, QLinearConv, the pools (ceil_mode included), the
// global pools, MaxUnpool, RoiAlign/MaxRoiPool, GridSample, Col2Im.
import { Dim } from '../../types';
import { OpContext } from '../context';
import { dimAdd, dimCeilDiv, dimDivExact, dimFloorDiv, dimMul, dimsConflict, dimSub } from '../dimExpr';
import { INT32, INT64 } from '../facts';
import type { OpRules } from './registry';

/** Spatial output sizes of a window sliding over `spatial` (pads, strides, dilations and auto_pad applied). */
function windowOutput(c: OpContext, spatial: Dim[], kernel: number[], ceilMode = false): Dim[] {
  const n = spatial.length;
  const strides = c.ints('strides') ?? new Array(n).fill(1);
  const dilations = c.ints('dilations') ?? new Array(n).fill(1);
  const autoPad = c.string('auto_pad', 'NOTSET');
  const pads = c.ints('pads') ?? new Array(2 * n).fill(0);
  if (kernel.length !== n) c.fail(`kernel has ${kernel.length} spatial dims but the input ${n}`);
  return spatial.map((d, i) => {
    const dk = (kernel[i] - 1) * dilations[i] + 1;
    const s = strides[i];
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return dimCeilDiv(d, s);
    if (autoPad === 'VALID') return d === null ? null : dimAdd(dimFloorDiv(dimSub(d, dk), s), 1);
    const span = dimSub(dimAdd(d, pads[i] + pads[i + n]), dk);
    if (typeof span === 'number' && span < 0) c.fail(`the window (${dk}) is larger than the padded input (${dimAdd(d, pads[i] + pads[i + n])})`);
    if (!ceilMode) return dimAdd(dimFloorDiv(span, s), 1);
    let out = dimAdd(dimCeilDiv(span, s), 1);
    // A last window that would start inside the end padding is dropped (as the runtimes do).
    if (typeof out === 'number' && typeof d === 'number' && (out - 1) * s >= d + pads[i]) out -= 1;
    return out;
  });
}

function conv(outType: (c: OpContext) => number, xIndex = 0, wIndex = 1) {
  return (c: OpContext): void => {
    const x = c.shape(xIndex);
    const w = c.shape(wIndex);
    const et = outType(c);
    if (!x) return c.out(0, et, undefined);
    if (x.length < 3) c.fail(`input rank is ${x.length}; convolution needs N, C and spatial dims`);
    const group = c.int('group', 1);
    if (w && w.length !== x.length) c.fail(`weight rank ${w.length} differs from input rank ${x.length}`);
    if (w && dimsConflict(w[1], typeof x[1] === 'number' ? x[1] / group : null)) c.fail(`weight expects ${w[1]} channels per group, the input has ${x[1]} in ${group} group(s)`);
    const kernel = c.ints('kernel_shape') ?? (w && w.slice(2).every((d) => typeof d === 'number') ? (w.slice(2) as number[]) : undefined);
    const spatial = kernel ? windowOutput(c, x.slice(2), kernel) : x.slice(2).map(() => null);
    c.out(0, et, [x[0], w ? w[0] : null, ...spatial]);
  };
}

function convTranspose(c: OpContext): void {
  const x = c.shape(0);
  const w = c.shape(1);
  const et = c.elemType(0);
  if (!x) return c.out(0, et, undefined);
  const n = x.length - 2;
  const group = c.int('group', 1);
  const channels = w ? dimMul(w[1], group) : null;
  const outputShape = c.ints('output_shape');
  if (outputShape) return c.out(0, et, [x[0], channels, ...outputShape.slice(-n)]);
  const kernel = c.ints('kernel_shape') ?? (w && w.slice(2).every((d) => typeof d === 'number') ? (w.slice(2) as number[]) : undefined);
  if (!kernel) return c.out(0, et, [x[0], channels, ...new Array(n).fill(null)]);
  const strides = c.ints('strides') ?? new Array(n).fill(1);
  const dilations = c.ints('dilations') ?? new Array(n).fill(1);
  const outPad = c.ints('output_padding') ?? new Array(n).fill(0);
  const pads = c.ints('pads') ?? new Array(2 * n).fill(0);
  const autoPad = c.string('auto_pad', 'NOTSET');
  const spatial = x.slice(2).map((d, i) => {
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return dimMul(d, strides[i]);
    const full = dimAdd(dimMul(dimSub(d, 1), strides[i]), outPad[i] + (kernel[i] - 1) * dilations[i] + 1);
    return autoPad === 'VALID' ? full : dimSub(full, pads[i] + pads[i + n]);
  });
  c.out(0, et, [x[0], channels, ...spatial]);
}

function pool(withIndices: boolean) {
  return (c: OpContext): void => {
    const x = c.shape(0);
    const et = c.elemType(0);
    if (!x) {
      c.out(0, et, undefined);
      if (withIndices) c.out(1, INT64, undefined);
      return;
    }
    const kernel = c.ints('kernel_shape');
    if (!kernel) c.fail('kernel_shape is missing');
    const out = [x[0], x[1], ...windowOutput(c, x.slice(2), kernel, c.int('ceil_mode', 0) === 1)];
    c.out(0, et, out);
    if (withIndices) c.out(1, INT64, out);
  };
}

function globalPool(c: OpContext): void {
  const x = c.shape(0);
  c.out(0, c.elemType(0), x ? [x[0], x[1], ...x.slice(2).map(() => 1)] : undefined);
}

function maxUnpool(c: OpContext): void {
  const x = c.shape(0);
  const et = c.elemType(0);
  if (c.hasInput(2)) {
    const v = c.value(2);
    return c.out(0, et, v ?? (x ? x.map(() => null) : undefined));
  }
  if (!x) return c.out(0, et, undefined);
  const kernel = c.ints('kernel_shape') ?? [];
  const n = x.length - 2;
  const strides = c.ints('strides') ?? new Array(n).fill(1);
  const pads = c.ints('pads') ?? new Array(2 * n).fill(0);
  c.out(0, et, [x[0], x[1], ...x.slice(2).map((d, i) => dimSub(dimAdd(dimMul(dimSub(d, 1), strides[i]), kernel[i]), pads[i] + pads[i + n]))]);
}

function roiAlign(c: OpContext): void {
  const x = c.shape(0);
  const rois = c.shape(1);
  c.out(0, c.elemType(0), [rois ? rois[0] : null, x ? x[1] : null, c.int('output_height', 1), c.int('output_width', 1)]);
}

function maxRoiPool(c: OpContext): void {
  const x = c.shape(0);
  const rois = c.shape(1);
  const pooled = c.ints('pooled_shape') ?? [null, null];
  c.out(0, c.elemType(0), [rois ? rois[0] : null, x ? x[1] : null, ...pooled]);
}

function gridSample(c: OpContext): void {
  const x = c.shape(0);
  const grid = c.shape(1);
  if (!x || !grid) return c.out(0, c.elemType(0), x ? x.map(() => null) : undefined);
  c.out(0, c.elemType(0), [x[0], x[1], ...grid.slice(1, -1)]);
}

/** Col2Im: [N, C * prod(block), L] back to [N, C, *image_shape]. */
function col2im(c: OpContext): void {
  const x = c.shape(0);
  const image = c.value(1);
  const block = c.numbers(2);
  if (!x) return c.out(0, c.elemType(0), undefined);
  const channels = block ? dimDivExact(x[1], block.reduce((a, b) => a * b, 1)) : null;
  const n = image?.length ?? c.shape(1)?.[0];
  c.out(0, c.elemType(0), image ? [x[0], channels, ...image] : typeof n === 'number' ? [x[0], channels, ...new Array(n).fill(null)] : undefined);
}

/** AffineGrid: theta [N, 2, 3] gives [N, H, W, 2]; [N, 3, 4] gives [N, D, H, W, 3]. */
function affineGrid(c: OpContext): void {
  const size = c.value(1);
  const n = c.shape(1)?.[0];
  if (!size) return c.out(0, c.elemType(0), typeof n === 'number' ? new Array(n - 1).fill(null) : undefined);
  c.out(0, c.elemType(0), [size[0], ...size.slice(2), size.length - 2]);
}

export const CONV_OPS: OpRules = {
  Conv: conv((c) => c.elemType(0)),
  ConvInteger: conv(() => INT32),
  QLinearConv: conv((c) => c.elemType(7), 0, 3),
  ConvTranspose: convTranspose,
  MaxPool: pool(true), AveragePool: pool(false), LpPool: pool(false),
  GlobalAveragePool: globalPool, GlobalMaxPool: globalPool, GlobalLpPool: globalPool,
  DeformConv: conv((c) => c.elemType(0)), Col2Im: col2im, AffineGrid: affineGrid,
  MaxUnpool: maxUnpool, RoiAlign: roiAlign, MaxRoiPool: maxRoiPool, GridSample: gridSample,
};
