// Watches one model file on disk so its editor can follow it: a re-export (changed or re-created) and a delete.
// Events are debounced: exporters write a model in several steps, and the last one is the one to read.
import * as vscode from 'vscode';

export interface FileEvents {
  changed(): void;
  deleted(): void;
}

export const FOLLOW_DEBOUNCE_MS = 400;

export function followFile(uri: vscode.Uri, events: FileEvents, debounceMs = FOLLOW_DEBOUNCE_MS): vscode.Disposable {
  const slash = uri.path.lastIndexOf('/');
  const folder = uri.with({ path: uri.path.slice(0, slash) || '/' });
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, uri.path.slice(slash + 1)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: 'changed' | 'deleted' = 'changed';
  const later = (what: 'changed' | 'deleted') => {
    last = what;
    clearTimeout(timer);
    timer = setTimeout(() => events[last](), debounceMs);
  };
  const subscriptions = [
    watcher.onDidChange(() => later('changed')),
    watcher.onDidCreate(() => later('changed')),
    watcher.onDidDelete(() => later('deleted')),
  ];
  return {
    dispose: () => {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      watcher.dispose();
    },
  };
}
