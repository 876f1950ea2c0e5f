// Judges tensor pairs on a small pool of worker threads (the pure layer's CompareExecutor), so a
// comparison uses every core. Best case, a worker reads its pair itself from the indexed results files
// by byte range (nothing crosses threads but offsets; decoding runs in parallel too). Otherwise pairs
// load here and their buffers are moved, not copied, when the provider's loads are fresh copies.
// Small pairs are judged on this thread: posting them would cost more than it saves.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CompareExecutor, PairJob, PairResult, TensorProvider, judgePair } from '../compare/compareRuns';
import { NdArray, elementCount } from '../compare/ndarray';
import { Scratch } from '../compare/tensorMetrics';
import { ArrayLocation } from './results/polygraphyTree';

/** Where a tensor's base64 lies in an indexed results file (see indexRunResults' locate). */
export interface FileSource { dataPath: string; loc: ArrayLocation }

export type WorkerRequest =
  | { id: number; job: PairJob; x: NdArray; y: NdArray }
  | { id: number; job: PairJob; srcA: FileSource; srcB: FileSource };
export type WorkerReply = { id: number; result: PairResult } | { id: number; error: string };

/** A worker count, an executor of one's own, or false for the sequential path on this thread. */
export type Parallelism = number | CompareExecutor | false;

export const MAX_COMPARE_WORKERS = 8;

export interface CompareWorkersOptions {
  /** Workers (default: available parallelism, at most MAX_COMPARE_WORKERS). */
  size?: number;
  /** Worker script (default: compareWorker.js next to this bundle, or compareWorker.ts under tsx). */
  workerFile?: string;
  /** Starts one worker (tests wrap the real one); overrides workerFile. */
  spawn?(): Worker;
  /** Pairs with fewer elements (both sides together) are judged on this thread. Default 65536. */
  inlineBelow?: number;
}

// Providers whose every load returns a new buffer that nobody else holds (lazy files, spills).
const fresh = new WeakSet<TensorProvider>();

/** Marks a provider's loads as fresh copies, so the pool may move their buffers to a worker. */
export function ownedLoads<T extends TensorProvider>(p: T): T {
  fresh.add(p);
  return p;
}

const sources = new WeakMap<TensorProvider, (name: string) => FileSource | undefined>();

/** Lets workers read this provider's tensors straight from its results file (its loads are fresh too). */
export function fileBacked<T extends TensorProvider>(p: T, locate: (name: string) => FileSource | undefined): T {
  sources.set(p, locate);
  return ownedLoads(p);
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, MAX_COMPARE_WORKERS));
}

/** How to start the worker: the bundled script, the TS source through tsx, or null (not found). */
function defaultSpawn(file?: string): (() => Worker) | null {
  const js = file ?? path.join(__dirname, 'compareWorker.js');
  if (fs.existsSync(js) && !js.endsWith('.ts')) return () => new Worker(js);
  const ts = file ?? path.join(__dirname, 'compareWorker.ts');
  if (!fs.existsSync(ts)) return null;
  let tsx: string;
  try {
    tsx = createRequire(__filename).resolve('tsx/cjs');
  } catch {
    return null;
  }
  return () => new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(ts)});`, { eval: true });
}

interface Pending { id: number; name: string; resolve(r: PairResult): void; reject(e: Error): void }
interface Slot { worker: Worker; pending: Pending | null; dead: boolean }

export class CompareWorkerPool implements CompareExecutor {
  readonly size: number;
  /** One pair more than workers: the next pair loads while every worker is busy. */
  readonly concurrency: number;
  private readonly spawn: () => Worker;
  private readonly inlineBelow: number;
  private readonly slots = new Set<Slot>();
  private idle: Slot[] = [];
  private waiters: { resolve(s: Slot): void; reject(e: Error): void }[] = [];
  private readonly scratch = new Scratch();
  private nextId = 1;
  private disposed = false;

  constructor(o: CompareWorkersOptions = {}) {
    this.size = Math.max(1, Math.min(o.size ?? defaultPoolSize(), MAX_COMPARE_WORKERS));
    this.concurrency = this.size + 1;
    this.inlineBelow = o.inlineBelow ?? 65536;
    const spawn = o.spawn ?? defaultSpawn(o.workerFile);
    if (!spawn) throw new Error(`compare worker script not found${o.workerFile ? `: ${o.workerFile}` : ` next to ${__dirname}`}`);
    this.spawn = spawn;
  }

  /** Starts the pool when its worker script exists; null otherwise (compare on this thread instead). */
  static tryCreate(o: CompareWorkersOptions = {}): CompareWorkerPool | null {
    return o.spawn || defaultSpawn(o.workerFile) ? new CompareWorkerPool(o) : null;
  }

  async compare(job: PairJob, a: TensorProvider, b: TensorProvider): Promise<PairResult> {
    const srcA = sources.get(a)?.(job.nameA);
    const srcB = sources.get(b)?.(job.nameB);
    if (srcA && srcB && elementCount(srcA.loc.header.shape) + elementCount(srcB.loc.header.shape) >= this.inlineBelow) {
      return this.post(job, (id) => [{ id, job, srcA, srcB }, []]);
    }
    const x = await a.load(job.nameA);
    const y = await b.load(job.nameB);
    if (this.disposed) throw new Error(`tensor '${job.nameA}': the compare pool was disposed`);
    if (x.data.length + y.data.length < this.inlineBelow) return judgePair(x, y, job, this.scratch);
    return this.post(job, (id) => {
      const [px, tx] = payload(x, fresh.has(a));
      const [py, ty] = payload(y, fresh.has(b));
      return [{ id, job, x: px, y: py }, [...new Set([...tx, ...ty])]];
    });
  }

  private async post(job: PairJob, request: (id: number) => [WorkerRequest, ArrayBuffer[]]): Promise<PairResult> {
    let slot = await this.acquire();
    while (slot.dead) slot = await this.acquire(); // died while handed over: take another
    return new Promise<PairResult>((resolve, reject) => {
      const id = this.nextId++;
      slot.pending = { id, name: job.nameA, resolve, reject };
      slot.worker.ref(); // a pair in flight keeps the process alive
      try {
        const [req, transfer] = request(id);
        slot.worker.postMessage(req, transfer);
      } catch (e) {
        slot.pending = null;
        this.release(slot);
        reject(new Error(`tensor '${job.nameA}': ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  private acquire(): Promise<Slot> {
    const s = this.idle.pop();
    if (s) return Promise.resolve(s);
    if (this.slots.size < this.size) return Promise.resolve(this.start());
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(s: Slot): void {
    if (s.dead) return;
    const w = this.waiters.shift();
    if (w) return w.resolve(s);
    s.worker.unref(); // an idle pool never holds the process open
    this.idle.push(s);
  }

  private start(): Slot {
    const slot: Slot = { worker: this.spawn(), pending: null, dead: false };
    this.slots.add(slot);
    slot.worker.on('message', (m: WorkerReply) => {
      const p = slot.pending;
      if (!p || p.id !== m.id) return;
      slot.pending = null;
      this.release(slot);
      if ('error' in m) p.reject(new Error(`tensor '${p.name}': ${m.error}`));
      else p.resolve(m.result);
    });
    slot.worker.on('error', (e) => this.lost(slot, `compare worker failed: ${e.message}`));
    slot.worker.on('exit', (code) => this.lost(slot, `compare worker exited with code ${code}`));
    return slot;
  }

  /** A worker died: its pair fails with the tensor's name, and a waiting pair gets a new worker. */
  private lost(slot: Slot, why: string): void {
    if (slot.dead) return;
    slot.dead = true;
    this.slots.delete(slot);
    this.idle = this.idle.filter((s) => s !== slot);
    void slot.worker.terminate();
    const p = slot.pending;
    slot.pending = null;
    if (p) p.reject(new Error(`tensor '${p.name}': ${why}`));
    const w = this.disposed ? undefined : this.waiters.shift();
    if (w) {
      try {
        w.resolve(this.start());
      } catch (e) {
        w.reject(e as Error);
      }
    }
  }

  /** Stops every worker; pairs still waiting for one fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const w of this.waiters.splice(0)) w.reject(new Error('the compare pool was disposed'));
    const all = [...this.slots];
    for (const s of all) s.dead = true;
    this.slots.clear();
    this.idle = [];
    await Promise.all(all.map((s) => {
      s.pending?.reject(new Error(`tensor '${s.pending.name}': the compare pool was disposed`));
      return s.worker.terminate();
    }));
  }
}

/**
 * Moving a buffer is zero-copy but empties it on this side: only for fresh loads whose view is (nearly)
 * the whole buffer. Anything else is copied first (posting a view would clone its whole buffer).
 */
function payload(a: NdArray, owned: boolean): [NdArray, ArrayBuffer[]] {
  const d = a.data;
  if (owned && d.buffer instanceof ArrayBuffer && d.buffer.byteLength - d.byteLength <= 4096) return [a, [d.buffer]];
  const copy = d.slice();
  return [{ dtype: a.dtype, shape: a.shape, data: copy }, [copy.buffer as ArrayBuffer]];
}

/**
 * Runs `f` with the executor that `parallel` asks for: a pool of that many workers (default: one per
 * core), disposed afterwards; the caller's own executor; or undefined (sequential) for false/0 or when
 * the worker script is missing.
 */
export async function withCompareExecutor<T>(parallel: Parallelism | undefined, f: (e: CompareExecutor | undefined) => Promise<T>): Promise<T> {
  if (parallel === false || parallel === 0) return f(undefined);
  if (typeof parallel === 'object') return f(parallel);
  const pool = CompareWorkerPool.tryCreate({ size: parallel });
  if (!pool) return f(undefined);
  try {
    return await f(pool);
  } finally {
    await pool.dispose();
  }
}
