// Numpy-style (multidirectional) broadcasting of shapes, and elementwise folding of small values over it.
import { Dim } from '../types';
import { OpContext } from './context';
import { MAX_FOLDED_ELEMENTS } from './facts';

/** One broadcast dim: 1 yields to the other; a number beats an unknown (a valid model can only broadcast). */
function broadcastDim(c: OpContext | undefined, a: Dim, b: Dim): Dim {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number') {
    if (c) c.fail(`cannot broadcast dimensions ${a} and ${b}`);
    return null;
  }
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

/** The broadcast shape of all given shapes, undefined when any rank is unknown. */
export function broadcastShapes(c: OpContext | undefined, shapes: (Dim[] | undefined)[]): Dim[] | undefined {
  let rank = 0;
  for (const s of shapes) {
    if (!s) return undefined;
    rank = Math.max(rank, s.length);
  }
  const out: Dim[] = new Array(rank).fill(1);
  for (const s of shapes as Dim[][]) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) out[off + i] = broadcastDim(c, out[off + i], s[i]);
  }
  return out;
}

export function staticSize(shape: Dim[] | undefined): number | undefined {
  if (!shape) return undefined;
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** Applies `fn` elementwise over inputs broadcast to `outShape` (static, small), or undefined. */
export function foldBroadcast(
  outShape: Dim[] | undefined, inputs: { shape?: Dim[]; value?: Dim[] }[], fn: (xs: Dim[]) => Dim,
): Dim[] | undefined {
  const n = staticSize(outShape);
  if (n === undefined || n > MAX_FOLDED_ELEMENTS) return undefined;
  for (const x of inputs) if (!x.value || !x.shape || staticSize(x.shape) !== x.value.length) return undefined;
  const rank = outShape!.length;
  const outDims = outShape as number[];
  // Per input, the stride of each output axis into its values (0 where it broadcasts).
  const strides = inputs.map((x) => {
    const s = new Array(rank).fill(0);
    let acc = 1;
    for (let i = x.shape!.length - 1; i >= 0; i--) {
      const d = x.shape![i] as number;
      if (d !== 1) s[rank - x.shape!.length + i] = acc;
      acc *= d;
    }
    return s;
  });
  const out: Dim[] = new Array(n);
  const idx = new Array(rank).fill(0);
  const args: Dim[] = new Array(inputs.length);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < inputs.length; j++) {
      let off = 0;
      for (let a = 0; a < rank; a++) off += idx[a] * strides[j][a];
      args[j] = inputs[j].value![off];
    }
    out[k] = fn(args);
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a] < outDims[a]) break;
      idx[a] = 0;
    }
  }
  return out;
}
