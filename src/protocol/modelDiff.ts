// Messages of one feature, merged into the protocol in messages.ts. Plain data only.
// Compare Models: the graph of the difference (model B with A's removed nodes added back), the marks on its
// boxes, and the list of differences the dock steps through.
import type { RevealTarget } from './inspect';

export type DiffStatus = 'added' | 'removed' | 'changed';

/** One thing that changed on a node, old → new, as the text form prints it ('' when absent on that side). */
export interface DiffChangeView {
  kind: 'op' | 'name' | 'attribute' | 'input' | 'output' | 'initializer';
  key: string;
  before: string;
  after: string;
}

export interface DiffEntryView {
  status: DiffStatus;
  /** The node's box id in the diff graph (`n:<index>`). */
  id: string;
  name: string;
  opType: string;
  changes: DiffChangeView[];
  /** How a changed node was paired with its old self (by name, by its outputs, by its inputs). */
  matchedBy?: string;
}

export interface ModelDiffView {
  /** File names of the old (A) and new (B) models. */
  a: string;
  b: string;
  summary: { added: number; removed: number; changed: number; unchanged: number };
  /** Differences in the new model's graph order (removed nodes where they used to be). */
  entries: DiffEntryView[];
  /** Graph inputs and outputs added, removed or retyped: "input x: float[1,3] → float[1,4]". */
  graphChanges: string[];
  /** By view item id (`n:<index>` boxes, `g:<scope>` groups: what they hold), whether drawn now or not. */
  marks: Record<string, DiffStatus | 'mixed'>;
}

/** Requests the webview sends for this feature: method -> { params; result }. */
export interface ModelDiffRequests {
  /** Where the box of a diff entry is (`id` from DiffEntryView). */
  'modelDiff.reveal': { params: { id: string }; result: RevealTarget };
  /** Opens VS Code's diff editor on the two models' text forms. */
  'modelDiff.textDiff': { params: Record<string, never>; result: { done: boolean } };
}

/** Messages the host sends for this feature without being asked. */
export type ModelDiffHostEvent = { type: 'modelDiff.show'; diff: ModelDiffView };
