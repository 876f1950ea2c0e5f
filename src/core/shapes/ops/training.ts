// The ai.onnx.preview.training optimizers: each updated tensor has the shape and type of the one it updates.
import { OpContext } from '../context';
import type { OpRules } from './registry';

/** Outputs are groups of n tensors; group g copies the type of input group `from[g]` (after R and T). */
function optimizer(inputGroups: number, from: number[]) {
  return (c: OpContext): void => {
    const n = (c.inputCount - 2) / inputGroups;
    if (!Number.isInteger(n)) c.fail(`${c.inputCount - 2} tensors do not form ${inputGroups} groups`);
    from.forEach((g, j) => {
      for (let i = 0; i < n; i++) c.out(j * n + i, c.elemType(2 + g * n + i), c.shape(2 + g * n + i));
    });
  };
}

export const TRAINING_OPS: OpRules = {
  Adagrad: optimizer(3, [0, 2]),
  Adam: optimizer(4, [0, 2, 3]),
  Momentum: optimizer(3, [0, 2]),
};
