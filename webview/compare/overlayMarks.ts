// From the host's overlay (errors per view item and tensor) to what the canvas draws for the scene on screen:
// a color per box and per edge for the chosen metric and threshold. An aggregate edge (into a collapsed group)
// takes the worst of its tensors. Boxes and edges whose tensors were fused away get their own dashed marks. Pure.
import type { AbsentState, CompareOverlay } from '../../src/protocol/compare';
import type { Scene } from '../../src/protocol/scene';
import type { ErrorOverlayMarks } from '../render/drawScene';
import { classify, errorOf, overlayColor, type ErrorMetric, type LogScale, type OverlayColors } from './errorScale';

export interface OverlaySettings {
  metric: ErrorMetric;
  threshold: number;
  scale: LogScale;
  colors: OverlayColors;
  culprit?: string;
  culpritColor: string;
  /** Colors of the dashed marks for fused and not-captured tensors. */
  absentColors?: Record<AbsentState, string>;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** An edge is drawn as fused when no tensor on it has an error and one of them was fused (or not captured). */
export function absentStateOf(overlay: CompareOverlay, tensors: readonly string[]): AbsentState | undefined {
  let state: AbsentState | undefined;
  for (const t of tensors) {
    const e = own(overlay.tensors, t);
    if (e?.status === 'fused' || e?.status === 'skipped') state ??= e.status;
  }
  return state;
}

export function worstTensorError(overlay: CompareOverlay, tensors: readonly string[], metric: ErrorMetric): number | null {
  let worst: number | null = null;
  for (const t of tensors) {
    const v = errorOf(Object.prototype.hasOwnProperty.call(overlay.tensors, t) ? overlay.tensors[t] : undefined, metric);
    if (v !== null && (worst === null || v > worst)) worst = v;
  }
  return worst;
}

export function overlayMarks(scene: Scene, overlay: CompareOverlay, s: OverlaySettings): ErrorOverlayMarks {
  const boxes = new Map<string, string>();
  for (const n of scene.nodes) {
    const e = Object.prototype.hasOwnProperty.call(overlay.items, n.id) ? overlay.items[n.id] : undefined;
    const c = overlayColor(errorOf(e, s.metric), s.threshold, s.scale, s.colors);
    if (c) boxes.set(n.id, c);
  }
  const edges = new Map<string, string>();
  const absentEdges = new Map<string, string>();
  for (const e of scene.edges) {
    const tensors = e.tensors ?? [e.tensor];
    const c = overlayColor(worstTensorError(overlay, tensors, s.metric), s.threshold, s.scale, s.colors);
    const absent = c ? undefined : absentStateOf(overlay, tensors);
    if (c) edges.set(e.id, c);
    else if (absent && s.absentColors) absentEdges.set(e.id, s.absentColors[absent]);
  }
  const absentBoxes = new Map<string, string>();
  for (const n of scene.nodes) {
    const state = own(overlay.items, n.id)?.state;
    if (state && s.absentColors && !boxes.has(n.id)) absentBoxes.set(n.id, s.absentColors[state]);
  }
  return { boxes, edges, culprit: s.culprit, culpritColor: s.culpritColor, absentBoxes, absentEdges };
}

/** How many compared tensors the threshold fails and passes (the legend's count). */
export function countByClass(overlay: CompareOverlay, metric: ErrorMetric, threshold: number): { pass: number; fail: number } {
  let pass = 0, fail = 0;
  for (const e of Object.values(overlay.tensors)) {
    const c = classify(errorOf(e, metric), threshold);
    if (c === 'pass') pass++;
    else if (c === 'fail') fail++;
  }
  return { pass, fail };
}
