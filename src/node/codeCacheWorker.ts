// A worker thread's entry that runs another bundled worker script through V8's code cache. The layout worker's
// bundle (ELK, 3 MB) takes 170-380 ms to parse and compile in a fresh thread and its functions compile lazily
// during the first layouts; with the bytecode cached after warm-up the thread is ready in ~60-80 ms. Bundled to
// dist/codeCacheWorker.js; started by spawnCachedWorker (codeCache.ts).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { workerData } from 'node:worker_threads';
import type { CachedWorkerData } from './codeCache';

const { script, cacheDir, saveAfterMs } = workerData as CachedWorkerData;
const source = fs.readFileSync(script, 'utf8');
// V8 checks only the source's length and its own version and flags before using a cache: the file name carries a
// hash of the content, so a cache is never applied to another build of the script.
const digest = createHash('sha256').update(source).digest('hex').slice(0, 20);
const cacheFile = path.join(cacheDir, `${path.basename(script, '.js')}-${digest}-${process.versions.v8}-${process.arch}.v8cache`);

let cachedData: Buffer | undefined;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // No cache yet: compiled from source and saved below.
}
const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const compiled = new vm.Script(wrapped, { filename: script, cachedData });
const needsSave = cachedData === undefined || compiled.cachedDataRejected === true;

// Saved once the script has run for a while, so the cache holds the functions its warm-up compiled too. Written to
// a temporary file and renamed: a reader never sees half a cache.
if (needsSave) {
  setTimeout(() => {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
      fs.writeFileSync(tmp, compiled.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A cache that cannot be written only costs start-up time.
    }
  }, saveAfterMs).unref();
}

const module = { exports: {} as unknown };
(compiled.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void)(
  module.exports, require, module, script, path.dirname(script));
