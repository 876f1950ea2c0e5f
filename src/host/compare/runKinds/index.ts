// The run kinds the editor offers, in the order shown: one line per kind (its picker file beside this one).
import { ortPicker } from './ortPicker';
import { resultsPicker } from './resultsPicker';
import { tensorrtPicker } from './tensorrtPicker';
import type { RunPicker } from './runPicker';

export const RUN_PICKERS: readonly RunPicker[] = [
  ortPicker,
  resultsPicker,
  tensorrtPicker,
];

export type { RunChoice, PickContext, RunPicker } from './runPicker';
