// What the graph view remembers per file (in the host's workspace state), so a reopened model shows as it was left.

export interface SavedView {
  /** The main graph's open groups. */
  expanded: string[];
  /** Zoom and position: screen = scene * k + (x, y), CSS px. */
  view: { k: number; x: number; y: number };
  /** The selected box, if any. */
  selected?: string;
}

/** A stored value is a SavedView (it comes from storage an older version may have written). */
export function isSavedView(v: unknown): v is SavedView {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<SavedView>;
  const t = s.view;
  return Array.isArray(s.expanded) && s.expanded.every((id) => typeof id === 'string')
    && !!t && [t.k, t.x, t.y].every((n) => typeof n === 'number' && Number.isFinite(n)) && t.k > 0
    && (s.selected === undefined || typeof s.selected === 'string');
}
