// What the host adds to a run kind: its item in "Run A/B: what produces its tensors?" and its option picker.
import type { RunKindContext } from '../../../backends/registry';
import type { Item } from './quickPick';

/** One side of the comparison as chosen: a run kind's id, its options (checked by the kind) and a label. */
export interface RunChoice {
  kind: string;
  options: Record<string, unknown>;
  label: string;
}

export interface PickContext {
  which: 'A' | 'B';
  /** 'Compare Backends: run A (compared)'. */
  title: string;
  modelName: string;
  run: RunKindContext;
}

export interface RunPicker {
  kindId: string;
  /** The item in the kind list (its value is set by the caller). */
  item(ctx: PickContext): Omit<Item<string>, 'value'>;
  /** Asks for the options; undefined when the user cancelled. 'again' returns to the kind list (after an explanation). */
  pickOptions(ctx: PickContext): Promise<RunChoice | 'again' | undefined>;
}
