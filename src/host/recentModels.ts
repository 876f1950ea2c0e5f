// Models recently closed stay parsed for a while, so reopening one (a common back-and-forth while debugging)
// skips reading, parsing and building its view. Keyed by the file's identity: uri, size and mtime.
import type { ViewModel } from '../layout/viewModel';
import type { LoadedModel } from './onnxDocument';

export interface RecentEntry {
  loaded: LoadedModel;
  view?: ViewModel;
}

const MAX_ENTRIES = 3;
/** Keep at most this many graph nodes in all (a 50k-node model costs about 150 MB of heap). */
const MAX_NODES = 120_000;

export class RecentModels {
  private readonly entries = new Map<string, RecentEntry>();

  static key(uri: string, size: number, mtime: number): string {
    return `${uri}\u0000${size}\u0000${mtime}`;
  }

  get(key: string): RecentEntry | undefined {
    const e = this.entries.get(key);
    if (e) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, entry: RecentEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    let nodes = 0;
    for (const e of this.entries.values()) nodes += e.loaded.graph.nodes.length;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && nodes <= MAX_NODES) break;
      if (k === key) continue;
      nodes -= e.loaded.graph.nodes.length;
      this.entries.delete(k);
    }
  }
}
