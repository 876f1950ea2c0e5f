// The client of the ELK worker: lays out scenes level by level, caches levels (memory and disk), serves real
// requests before background prefetches, drops superseded requests, and restarts the worker when a layout
// runs too long or the thread dies. Usable from the extension host and from tests/benchmarks (give it the
// path of the bundled worker, dist/layoutWorker.js).
import type { Worker } from 'node:worker_threads';
import type { Scene } from '../protocol/scene';
import { LevelCache } from './layoutCache';
import { layoutChain } from './chainLayout';
import { boxSize, ElkGraph, levelGraph, LevelLayout, toLevelLayout } from './levelGraph';
import { fromCanonical, levelShape, toCanonical } from './levelShape';
import { childSize, composeScene, levelBatches, levelKey, visibleExpanded } from './sceneLayout';
import type { ViewModel } from './viewModel';
import type { WorkerReady, WorkerRequest, WorkerResponse } from './workerProtocol';
import { spawnCachedWorker } from '../node/codeCache';
import { describeExit, Supervisor, type ExitInfo, type SupervisedChild } from '../node/supervisor';

export interface LayoutServiceOptions {
  /** Path of the bundled worker script (dist/layoutWorker.js). */
  workerPath: string;
  /** Directory for the on-disk level cache (e.g. the extension's globalStorage/layout-cache). */
  cacheDir?: string;
  /** A single level layout running longer than this is abandoned: the worker is terminated and restarted. */
  timeoutMs?: number;
  /** Thread stack for ELK's deep recursion (the findings: >= 4 MB needed at 5k nodes). */
  stackSizeMb?: number;
  /** Directory for V8's code cache of the worker script (needs dist/codeCacheWorker.js beside it); without it
   *  every worker start parses and compiles ELK afresh. */
  codeCacheDir?: string;
  /** Tests: how soon after a worker starts its code cache is written (default 8 s, after warm-up). */
  codeCacheSaveAfterMs?: number;
}

export interface SceneRequestOptions {
  /** Requests on one channel (e.g. one editor) supersede each other: an older one rejects with LayoutCancelledError. */
  channel?: string;
}

export class LayoutCancelledError extends Error {
  constructor() {
    super('layout superseded by a newer request');
    this.name = 'LayoutCancelledError';
  }
}

/** The worker thread as the supervisor sees it. */
interface LayoutWorker extends SupervisedChild { worker: Worker; warm: Promise<void> }

interface Waiter { token: number; resolve: (l: LevelLayout) => void; reject: (e: Error) => void }
/** One ELK run; its waiters get the canonical layout (by position), which every level of the same shape shares. */
interface Job { key: string; graph: ElkGraph; low: boolean; waiters: Waiter[] }

/** Token of prefetch waiters; never cancelled by a channel. */
const PREFETCH = 0;
/** Canonical layouts kept by shape (small: a few KB each). */
const MAX_SHAPES = 2000;

export class LayoutService {
  readonly cache: LevelCache;
  /** Resolves once the worker thread has loaded ELK and takes requests (warm-up continues in idle time). */
  ready!: Promise<void>;
  /** Resolves once the worker has finished all its background warm-up layouts (benchmarks wait for it). */
  warm!: Promise<void>;
  /** Diagnostics: worker (re)starts, ELK layouts run, levels served by another level's layout of the same shape,
   *  time of the last warm-up layout, ELK time in the worker. */
  readonly stats = { workerStarts: 0, layouts: 0, shared: 0, chains: 0, warmupMs: 0, timeouts: 0, elkMs: 0 };

  private worker!: Worker;
  /** Starts the worker, restarts it when it dies or hangs (at most 10 times a minute), terminates it on dispose. */
  private readonly supervisor: Supervisor<LayoutWorker>;
  private readonly queue: Job[] = [];
  private readonly jobs = new Map<string, Job>();
  /** Canonical layouts by model and level shape, oldest first. */
  private readonly shapes = new Map<string, LevelLayout>();
  private inFlight?: { job: Job; id: number; timer: NodeJS.Timeout };
  private nextId = 1;
  private nextToken = 1;
  private sceneVersion = 0;
  private readonly channels = new Map<string, number>();
  /** Token of each channel's prefetches, so closing the channel drops them. */
  private readonly prefetchTokens = new Map<string, number>();
  private readonly cancelled = new Set<number>();
  private disposed = false;
  private warmedUp = false;
  private fullyWarm = false;
  private idleWaiters: (() => void)[] = [];
  /** A single level layout running longer than this is abandoned and the worker restarted (settable at any time). */
  timeoutMs: number;

  constructor(private readonly options: LayoutServiceOptions) {
    this.cache = new LevelCache(options.cacheDir);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.supervisor = new Supervisor<LayoutWorker>({
      name: 'the layout worker', spawn: () => this.spawnWorker(), restart: 'eager', maxRestarts: 10, stopTimeoutMs: 1_000,
    });
    this.supervisor.onUnexpectedExit((_child, info) => this.onWorkerDied(info));
    this.adopt(this.supervisor.ensure());
  }

  /** Lays out the scene for these open groups (others stay collapsed). Levels come from the cache when possible. */
  async layoutScene(view: ViewModel, expanded: Iterable<string>, options: SceneRequestOptions = {}): Promise<Scene> {
    const t0 = performance.now();
    const before = { elkMs: this.stats.elkMs, layouts: this.stats.layouts, chains: this.stats.chains };
    const token = this.nextToken++;
    if (options.channel !== undefined) {
      const older = this.channels.get(options.channel);
      if (older !== undefined) this.cancel(older);
      this.channels.set(options.channel, token);
    }
    try {
      const open = visibleExpanded(view, expanded);
      const layouts = new Map<string, LevelLayout>();
      let allCached = true;
      for (const batch of levelBatches(view, open)) {
        await Promise.all(batch.map(async (groupId) => {
          const key = levelKey(view, groupId, open);
          let layout = this.cached(view, groupId, key);
          if (!layout) {
            allCached = false;
            const graph = levelGraph(view, groupId, (item) => childSize(item, open, layouts));
            layout = await this.layoutLevel(view.modelKey, key, graph, false, token);
          }
          layouts.set(groupId, layout);
        }));
        if (this.cancelled.has(token)) throw new LayoutCancelledError();
      }
      const scene = composeScene(view, open, layouts, ++this.sceneVersion, performance.now() - t0, allCached);
      scene.elkMs = this.stats.elkMs - before.elkMs;
      scene.elkLevels = this.stats.layouts - before.layouts;
      scene.chainLevels = this.stats.chains - before.chains;
      return scene;
    } finally {
      this.cancelled.delete(token);
      if (options.channel !== undefined && this.channels.get(options.channel) === token) this.channels.delete(options.channel);
    }
  }

  /**
   * Lays out these groups' interiors (with nothing open below them) in the background, so opening one later
   * needs only its (small) ancestor levels. Real requests always go first; a prefetch never rejects.
   */
  prefetch(view: ViewModel, groupIds: Iterable<string>, channel?: string): void {
    let token = PREFETCH;
    if (channel !== undefined) {
      token = this.prefetchTokens.get(channel) ?? this.nextToken++;
      this.prefetchTokens.set(channel, token);
    }
    for (const groupId of groupIds) {
      const item = view.items.get(groupId);
      if (!item || item.kind !== 'group') continue;
      const key = levelKey(view, groupId, new Set([groupId]));
      if (this.cached(view, groupId, key)) continue;
      const graph = levelGraph(view, groupId, boxSize);
      this.layoutLevel(view.modelKey, key, graph, true, token).catch(() => { /* prefetch is best effort */ });
    }
  }

  /**
   * The channel's editor is gone: its pending request and queued prefetches are dropped, so the next editor's
   * layouts do not wait behind them (a running layout still finishes and is cached).
   */
  closeChannel(channel: string): void {
    const request = this.channels.get(channel);
    if (request !== undefined) this.cancel(request);
    const prefetch = this.prefetchTokens.get(channel);
    if (prefetch !== undefined) {
      this.cancel(prefetch);
      this.cancelled.delete(prefetch); // no scene waits on a prefetch token
      this.prefetchTokens.delete(channel);
    }
  }

  /** Lays out one raw ELK graph (no cache). Rejects with ELK's message on bad input. */
  async layoutGraph(graph: ElkGraph): Promise<LevelLayout> {
    return fromCanonical(await this.enqueue(`raw:${this.nextId}:${Math.random()}`, graph, false, this.nextToken++), graph);
  }

  /** Jobs waiting (not counting the one running). */
  get queued(): number {
    return this.queue.length;
  }

  /** Resolves when no layout is queued or running (e.g. prefetching finished). */
  idle(): Promise<void> {
    if (!this.inFlight && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const err = new Error('layout service disposed');
    for (const job of [...this.queue, ...(this.inFlight ? [this.inFlight.job] : [])]) for (const w of job.waiters) w.reject(err);
    this.queue.length = 0;
    this.jobs.clear();
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    this.inFlight = undefined;
    await this.cache.flush();
    await this.supervisor.dispose();
  }

  private cached(view: ViewModel, groupId: string, key: string): LevelLayout | undefined {
    const layout = this.cache.get(view.modelKey, key);
    // A cache entry must cover every child of the level (a stale or foreign file would break the scene).
    if (layout && (view.items.get(groupId)?.children ?? []).every((id) => layout.nodes[id] !== undefined)) return layout;
    return undefined;
  }

  /** One level of a model: a chain is laid out here, a layout of the same shape is relabelled (or awaited, if
   *  running), else ELK runs. */
  private async layoutLevel(modelKey: string, levelKey: string, graph: ElkGraph, low: boolean, token: number): Promise<LevelLayout> {
    const chain = layoutChain(graph);
    if (chain) {
      this.stats.chains++;
      const layout = toLevelLayout(chain);
      this.cache.set(modelKey, levelKey, layout);
      return layout;
    }
    const shape = `shape:${modelKey}\n${levelShape(graph)}`;
    const known = this.shapes.get(shape);
    if (known || this.jobs.has(shape)) this.stats.shared++;
    const layout = fromCanonical(known ?? await this.enqueue(shape, graph, low, token), graph);
    this.cache.set(modelKey, levelKey, layout);
    return layout;
  }

  private enqueue(key: string, graph: ElkGraph, low: boolean, token: number): Promise<LevelLayout> {
    return new Promise<LevelLayout>((resolve, reject) => {
      const waiter: Waiter = { token, resolve, reject };
      const existing = this.jobs.get(key);
      if (existing) {
        existing.waiters.push(waiter);
        // A real request for a queued prefetch promotes it.
        if (!low && existing.low && this.inFlight?.job !== existing) {
          existing.low = false;
          this.queue.splice(this.queue.indexOf(existing), 1);
          this.insert(existing);
        }
        return;
      }
      const job: Job = { key, graph, low, waiters: [waiter] };
      this.jobs.set(key, job);
      this.insert(job);
      this.pump();
    });
  }

  /** Real requests go before every prefetch, each class in arrival order. */
  private insert(job: Job): void {
    if (job.low) { this.queue.push(job); return; }
    const firstLow = this.queue.findIndex((j) => j.low);
    if (firstLow < 0) this.queue.push(job);
    else this.queue.splice(firstLow, 0, job);
  }

  private cancel(token: number): void {
    this.cancelled.add(token);
    const err = new LayoutCancelledError();
    for (const job of [...this.queue]) {
      const mine = job.waiters.filter((w) => w.token === token);
      if (mine.length === 0) continue;
      job.waiters = job.waiters.filter((w) => w.token !== token);
      for (const w of mine) w.reject(err);
      // A stale job nobody waits for is dropped before it costs ELK time.
      if (job.waiters.length === 0) {
        this.queue.splice(this.queue.indexOf(job), 1);
        this.jobs.delete(job.key);
      }
    }
    const running = this.inFlight?.job;
    if (running) {
      // The running layout finishes (and is cached); only its stale waiters are released now.
      const mine = running.waiters.filter((w) => w.token === token);
      running.waiters = running.waiters.filter((w) => w.token !== token);
      for (const w of mine) w.reject(err);
    }
  }

  private pump(): void {
    // Nothing is sent during warm-up, so a job's timeout measures its own layout only.
    if (this.inFlight || this.disposed || !this.warmedUp) return;
    const job = this.queue.shift();
    if (!job) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const id = this.nextId++;
    const timer = setTimeout(() => this.onTimeout(id), this.timeoutMs);
    this.inFlight = { job, id, timer };
    this.refWhileBusy();
    this.worker.postMessage({ id, graph: job.graph } satisfies WorkerRequest);
  }

  private finish(id: number, outcome: { layout: LevelLayout } | { error: Error }): void {
    const running = this.inFlight;
    if (!running || running.id !== id) return; // a late answer from a worker we already gave up on
    clearTimeout(running.timer);
    this.inFlight = undefined;
    this.jobs.delete(running.job.key);
    if ('layout' in outcome) {
      this.stats.layouts++;
      const canonical = toCanonical(outcome.layout, running.job.graph);
      if (running.job.key.startsWith('shape:')) this.remember(running.job.key, canonical);
      for (const w of running.job.waiters) w.resolve(canonical);
    } else {
      for (const w of running.job.waiters) w.reject(outcome.error);
    }
    this.pump();
    this.refWhileBusy();
  }

  private remember(shape: string, canonical: LevelLayout): void {
    this.shapes.delete(shape);
    this.shapes.set(shape, canonical);
    if (this.shapes.size > MAX_SHAPES) this.shapes.delete(this.shapes.keys().next().value!);
  }

  /** The thread keeps the process alive only while it warms up or works: an idle one must not hold up an exit. */
  private refWhileBusy(): void {
    if (this.inFlight || !this.fullyWarm) this.worker.ref();
    else this.worker.unref();
  }

  private onTimeout(id: number): void {
    this.stats.timeouts++;
    this.restartWorker();
    this.finish(id, { error: new Error(`layout timed out after ${this.timeoutMs} ms (the layout worker was restarted)`) });
  }

  /** A new worker thread wired to this service; readiness and warm-up are tracked on the service. */
  private spawnWorker(): LayoutWorker {
    this.stats.workerStarts++;
    this.warmedUp = false;
    this.fullyWarm = false;
    const worker = spawnCachedWorker(this.options.workerPath, this.options.codeCacheDir,
      { resourceLimits: { stackSizeMb: this.options.stackSizeMb ?? 8 } }, this.options.codeCacheSaveAfterMs);
    let warmResolve: () => void = () => {};
    const warm = new Promise<void>((resolve) => { warmResolve = resolve; });
    let lastError: Error | undefined;
    const exited = new Promise<ExitInfo>((resolve) => {
      worker.on('error', (e) => { lastError = e; });
      worker.on('exit', (code) => { warmResolve(); resolve({ code, signal: null, error: lastError }); });
    });
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: WorkerResponse | WorkerReady) => {
        if (this.worker !== worker) return;
        if ('ready' in msg && msg.warm) {
          this.stats.warmupMs = msg.warmupMs;
          this.fullyWarm = true;
          this.refWhileBusy();
          warmResolve();
          return;
        }
        if ('ready' in msg) {
          this.warmedUp = true;
          this.pump();
          this.refWhileBusy();
          resolve();
          return;
        }
        if (msg.ok && msg.id === this.inFlight?.id) this.stats.elkMs += msg.ms;
        this.finish(msg.id, msg.ok ? { layout: msg.layout } : { error: new Error(msg.error) });
      });
      void exited.then((info) => reject(new Error(`layout worker exited (${describeExit(info)}) before it was ready`)));
    });
    ready.catch(() => { /* surfaced through the layouts that fail */ });
    // A terminated worker's exit is its own: graceful stop and kill are the same for a thread.
    return { worker, warm, ready, exited, requestStop: () => void worker.terminate(), kill: () => void worker.terminate() };
  }

  /** Makes a (re)started worker the one requests go to. */
  private adopt(child: LayoutWorker): void {
    this.worker = child.worker;
    this.ready = child.ready;
    this.warm = child.warm;
  }

  /** The worker died on its own: its running layout fails, and the supervisor has started the next one. */
  private onWorkerDied(info: ExitInfo): void {
    if (this.disposed) return;
    const running = this.inFlight;
    const next = this.supervisor.current;
    if (next) this.adopt(next);
    if (running) {
      this.finish(running.id, { error: new Error(info.error ? `layout worker crashed: ${info.error.message}` : `layout worker exited with code ${info.code}`) });
    }
    if (!next) {
      // Given up: every queued layout fails with the supervisor's reason instead of waiting forever.
      const err = new Error(this.supervisor.health.reason ?? 'the layout worker could not be restarted');
      for (const job of this.queue) for (const w of job.waiters) w.reject(err);
      this.queue.length = 0;
      this.jobs.clear();
    }
  }

  private restartWorker(): void {
    try {
      this.adopt(this.supervisor.restart());
    } catch {
      // Given up: pump() finds no worker ready; the reason is in the supervisor's health.
    }
  }
}
