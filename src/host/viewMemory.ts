// The graph view of each file as it was left (zoom, position, open groups, selection), kept in the workspace state
// so that closing and reopening a model shows it the same way. Bounded: the most recently used files only, and a
// view with very many open groups is not kept (it would bloat the state; such a view is rebuilt in a few clicks).
import type * as vscode from 'vscode';
import { isSavedView, type SavedView } from '../protocol/viewState';

const KEY = 'onnxInspector.graphViews';
/** Files remembered, most recently saved first. */
export const MAX_FILES = 50;
/** Open groups beyond this are not remembered. */
export const MAX_EXPANDED = 2000;

type Entry = [uri: string, view: SavedView];

export class ViewMemory {
  constructor(private readonly state: vscode.Memento) {}

  get(uri: string): SavedView | undefined {
    const hit = this.entries().find(([u]) => u === uri);
    return hit?.[1];
  }

  /** Remembers `view` for `uri`; false when it is too big to keep (any older view of the file is then dropped). */
  set(uri: string, view: SavedView): Promise<boolean> {
    const rest = this.entries().filter(([u]) => u !== uri);
    const keep = isSavedView(view) && view.expanded.length <= MAX_EXPANDED;
    // Only the known fields are stored (the message came from the webview).
    const next: Entry[] = rest;
    if (keep) {
      const clean: SavedView = { expanded: view.expanded, view: { k: view.view.k, x: view.view.x, y: view.view.y } };
      if (view.selected) clean.selected = view.selected;
      next.unshift([uri, clean]);
    }
    return Promise.resolve(this.state.update(KEY, next.slice(0, MAX_FILES))).then(() => keep);
  }

  private entries(): Entry[] {
    const raw: unknown = this.state.get(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.filter((e): e is Entry => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isSavedView(e[1]));
  }
}
