// The run kinds the editor offers, in the registry's order: a kind with options to ask has its picker file beside
// this one (one line below); any other registered kind is offered with its default options.
import { ortPicker } from './ortPicker';
import { resultsPicker } from './resultsPicker';
import { tensorrtPicker } from './tensorrtPicker';
import type { RunPicker } from './runPicker';
import { RUN_KINDS } from '../../../backends/runKinds';
import type { RunKind } from '../../../backends/registry';

const PICKERS: readonly RunPicker[] = [
  ortPicker,
  resultsPicker,
  tensorrtPicker,
];

/** A kind registered without a picker of its own is still offered, with its default options. */
function defaultPicker(kind: RunKind): RunPicker {
  return {
    kindId: kind.id,
    item: (ctx) => ({ label: kind.label, description: kind.readsFile ? undefined : ctx.modelName, detail: `Run this model with ${kind.label} (default options)` }),
    async pickOptions() {
      const options = kind.parseOptions({});
      return { kind: kind.id, options: { ...options }, label: kind.describe(options) };
    },
  };
}

/** In the registry's order. */
export const RUN_PICKERS: readonly RunPicker[] = RUN_KINDS.map((k) => PICKERS.find((p) => p.kindId === k.id) ?? defaultPicker(k));

export type { RunChoice, PickContext, RunPicker } from './runPicker';
