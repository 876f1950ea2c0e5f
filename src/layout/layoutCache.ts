// Level layouts cached in memory and, when given a directory, on disk so reopening a model skips ELK.
// Disk entries are JSON files named by sha256(model key + level key); unreadable or corrupt files count as misses.
import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LevelLayout } from './levelGraph';

/** The model key the cache expects: sha256 of the model file's bytes. */
export function modelKeyOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface DiskEntry { model: string; level: string; layout: LevelLayout }

export class LevelCache {
  private readonly memory = new Map<string, LevelLayout>();
  private readonly pending = new Set<Promise<void>>();
  private dirReady = false;
  /** Disk files that could not be parsed or did not match (for diagnostics and tests). */
  corruptReads = 0;
  diskHits = 0;
  memoryHits = 0;

  constructor(private readonly dir?: string, private readonly maxEntries = 5000) {}

  fileFor(modelKey: string, levelKey: string): string | undefined {
    if (!this.dir) return undefined;
    return join(this.dir, `${createHash('sha256').update(modelKey).update('\n').update(levelKey).digest('hex')}.json`);
  }

  get(modelKey: string, levelKey: string): LevelLayout | undefined {
    const k = `${modelKey}\n${levelKey}`;
    const hit = this.memory.get(k);
    if (hit) {
      this.memoryHits++;
      return hit;
    }
    const file = this.fileFor(modelKey, levelKey);
    if (!file) return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined; // not cached yet
    }
    try {
      const entry = JSON.parse(text) as DiskEntry;
      if (entry.model !== modelKey || entry.level !== levelKey || !isLevelLayout(entry.layout)) throw new Error('mismatch');
      this.remember(k, entry.layout);
      this.diskHits++;
      return entry.layout;
    } catch {
      this.corruptReads++;
      try { unlinkSync(file); } catch { /* another process may have removed it */ }
      return undefined;
    }
  }

  set(modelKey: string, levelKey: string, layout: LevelLayout): void {
    this.remember(`${modelKey}\n${levelKey}`, layout);
    const file = this.fileFor(modelKey, levelKey);
    if (!file) return;
    const body = JSON.stringify({ model: modelKey, level: levelKey, layout } satisfies DiskEntry);
    // Written off the critical path; a temp file + rename so a reader never sees half a file.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const write = (async () => {
      if (!this.dirReady) { await mkdir(this.dir!, { recursive: true }); this.dirReady = true; }
      await writeFile(tmp, body);
      await rename(tmp, file);
    })().catch(() => { /* a full or read-only disk only loses the cache */ });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Waits for disk writes in flight (tests, and before the host shuts down). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Drops the in-memory copies (tests use it to simulate reopening in a new process). */
  clearMemory(): void {
    this.memory.clear();
  }

  private remember(k: string, layout: LevelLayout): void {
    this.memory.delete(k);
    this.memory.set(k, layout);
    // Maps iterate in insertion order: the first key is the least recently used.
    while (this.memory.size > this.maxEntries) this.memory.delete(this.memory.keys().next().value!);
  }
}

function isLevelLayout(v: unknown): v is LevelLayout {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as LevelLayout;
  return typeof l.width === 'number' && typeof l.height === 'number' && typeof l.nodes === 'object' && l.nodes !== null
    && typeof l.edges === 'object' && l.edges !== null;
}
