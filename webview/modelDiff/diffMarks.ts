// What the canvas draws for a model difference, through the compare overlay's marks: boxes filled by what
// happened to them (added, changed, removed; groups by what they hold), removed nodes also outlined dashed so
// they read as gone, and the difference being looked at framed. Pure.
import type { DiffStatus, ModelDiffView } from '../../src/protocol/modelDiff';
import type { Scene } from '../../src/protocol/scene';
import type { ErrorOverlayMarks } from '../render/drawScene';
import { mix } from '../render/palette';

export interface DiffColors {
  added: string;
  removed: string;
  changed: string;
  background: string;
  current: string;
}

/** The fill of a box for its mark; a group holding several kinds of change reads as changed. */
export function diffFill(mark: DiffStatus | 'mixed', c: DiffColors): string {
  const color = mark === 'mixed' ? c.changed : c[mark];
  return mix(color, c.background, 0.45);
}

export function diffMarks(scene: Scene, diff: ModelDiffView, colors: DiffColors, current?: string): ErrorOverlayMarks {
  const boxes = new Map<string, string>();
  const absentBoxes = new Map<string, string>();
  for (const n of scene.nodes) {
    const mark = Object.prototype.hasOwnProperty.call(diff.marks, n.id) ? diff.marks[n.id] : undefined;
    if (!mark) continue;
    boxes.set(n.id, diffFill(mark, colors));
    if (mark === 'removed') absentBoxes.set(n.id, colors.removed);
  }
  return { boxes, edges: new Map(), culprit: current, culpritColor: colors.current, absentBoxes };
}

/** One change as a line: `attribute kernel_shape: ints = [3, 3] → ints = [5, 5]`. */
export function changeLine(c: { kind: string; key: string; before: string; after: string }): string {
  const what = c.kind === c.key ? c.kind : `${c.kind} ${c.key}`;
  return `${what}: ${c.before || '(none)'} \u2192 ${c.after || '(none)'}`;
}
