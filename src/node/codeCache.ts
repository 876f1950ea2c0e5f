// Starts a bundled worker script through codeCacheWorker.js, which keeps V8's compiled code for it on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface CachedWorkerData {
  /** Absolute path of the worker script to run (a CommonJS bundle). */
  script: string;
  /** Where the code cache files live (e.g. the extension's globalStorage). */
  cacheDir: string;
  /** How long after start the cache is written, when there was none or V8 rejected it. */
  saveAfterMs: number;
}

/** The bundled entry that runs a script with the code cache: beside the scripts it runs, in dist/. */
export function codeCacheEntry(script: string): string {
  return path.join(path.dirname(script), 'codeCacheWorker.js');
}

/**
 * A worker running `script`, through the code cache when `cacheDir` is given and the cache entry was bundled;
 * otherwise the script itself (tests that bundle only the worker, a cache directory that is not wanted).
 */
export function spawnCachedWorker(script: string, cacheDir: string | undefined, options: WorkerOptions, saveAfterMs = 8_000): Worker {
  const entry = codeCacheEntry(script);
  if (cacheDir === undefined || !fs.existsSync(entry)) return new Worker(script, options);
  const data: CachedWorkerData = { script, cacheDir, saveAfterMs };
  return new Worker(entry, { ...options, workerData: data });
}
