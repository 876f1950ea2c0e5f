// Indexing ops: Gather (values folded for 1-D data, the `Shape -> Gather` idiom), GatherElements, GatherND,
// the Scatter family (shape of the data), Compress (data-dependent: a new symbolic dim).
import { Dim } from '../../types';
import { normAxis, OpContext } from '../context';
import type { OpRules } from './registry';

function gather(c: OpContext): void {
  const data = c.shape(0);
  const idx = c.shape(1);
  const et = c.elemType(0);
  if (!data || !idx) return c.out(0, et, undefined);
  if (data.length === 0) c.fail('data is a scalar');
  const axis = normAxis(c, c.int('axis', 0), data.length);
  const out = [...data.slice(0, axis), ...idx, ...data.slice(axis + 1)];
  let value: Dim[] | undefined;
  const v = c.value(0);
  const iv = c.numbers(1);
  if (data.length === 1 && v && iv) {
    const n = v.length;
    value = iv.map((i) => {
      const j = i < 0 ? i + n : i;
      if (j < 0 || j >= n) c.fail(`index ${i} is out of range for ${n} elements`);
      return v[j];
    });
  } else if (iv && typeof data[axis] === 'number') {
    for (const i of iv) if (i < -data[axis]! || i >= data[axis]!) c.fail(`index ${i} is out of range for axis size ${data[axis]}`);
  }
  c.out(0, et, out, value);
}

function gatherElements(c: OpContext): void {
  c.out(0, c.elemType(0), c.shape(1));
}

function gatherND(c: OpContext): void {
  const data = c.shape(0);
  const idx = c.shape(1);
  const b = c.int('batch_dims', 0);
  if (!data || !idx) return c.out(0, c.elemType(0), undefined);
  const last = idx[idx.length - 1];
  if (typeof last !== 'number') return c.out(0, c.elemType(0), undefined);
  if (b + last > data.length) c.fail(`indices reach ${b + last} axes of rank ${data.length} data`);
  c.out(0, c.elemType(0), [...idx.slice(0, -1), ...data.slice(b + last)]);
}

function sameAsData(c: OpContext): void {
  c.out(0, c.elemType(0), c.shape(0));
}

function compress(c: OpContext): void {
  const s = c.shape(0);
  const axis = c.int('axis');
  if (axis === undefined) return c.out(0, c.elemType(0), [c.freshDim()]);
  if (!s) return c.out(0, c.elemType(0), undefined);
  const a = normAxis(c, axis, s.length);
  const out = [...s];
  out[a] = c.freshDim();
  c.out(0, c.elemType(0), out);
}


export const GATHER_OPS: OpRules = {
  Gather: gather, GatherElements: gatherElements, GatherND: gatherND, ScatterND: sameAsData, ScatterElements: sameAsData,
  Scatter: sameAsData, Compress: compress, TensorScatter: sameAsData,
};
