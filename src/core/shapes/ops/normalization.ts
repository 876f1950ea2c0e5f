// Normalization ops: the normalized output has the input's shape; training and statistics outputs have
// the reduced shapes.
import { normAxis, OpContext } from '../context';
import type { OpRules } from './registry';

function batchNorm(c: OpContext): void {
  const x = c.shape(0);
  c.out(0, c.elemType(0), x);
  const channels = x && x.length > 1 ? [x[1]] : c.shape(1);
  for (let k = 1; k < 5; k++) c.out(k, c.elemType(k === 1 || k === 2 ? 3 : 0) || c.elemType(0), channels);
}

function layerNorm(c: OpContext): void {
  const x = c.shape(0);
  c.out(0, c.elemType(0), x);
  const stash = c.int('stash_type', 1);
  if (!x) {
    c.out(1, stash, undefined);
    return c.out(2, stash, undefined);
  }
  const axis = normAxis(c, c.int('axis', -1), x.length);
  const stats = x.map((d, i) => (i < axis ? d : 1));
  c.out(1, stash, stats);
  c.out(2, stash, stats);
}

function sameShape(c: OpContext): void {
  c.out(0, c.elemType(0), c.shape(0));
}

export const NORMALIZATION_OPS: OpRules = {
  BatchNormalization: batchNorm, LayerNormalization: layerNorm, InstanceNormalization: sameShape,
  GroupNormalization: sameShape, RMSNormalization: sameShape,
};
