// A client of the helper's serve mode (PROTOCOL.md): one long-lived process (loading TensorRT takes seconds),
// requests by id over stdin, JSON-line events routed to their request, stderr kept in a bounded ring for error
// messages. A crash fails the running request with the helper's last words; the next request starts a new process
// (the supervisor caps restarts). Cancel = SIGTERM, SIGKILL after a grace period; no partial results file remains.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createInterface } from 'node:readline';
import { BackendError, RunCancelledError } from '../backend';
import { describeExit, Supervisor, type ExitInfo, type Health, type SupervisedChild } from '../../node/supervisor';
import { EXIT_CLASS, parseEventLine, type HelperEvent, type LogEvent, type ProgressEvent, type ResultEvent, type RunParams, type VersionEvent } from './helperProtocol';
import { trtErrorFrom } from './trtErrors';

export interface HelperClientOptions {
  path: string;
  /** LOCATE arguments (--tensorrt-lib-dir, --python). */
  locateArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** The helper's stderr lines and unrouted events, for the output channel. */
  log?(level: 'info' | 'warn' | 'error', message: string): void;
  /** Lines of stderr kept for error messages (default 200). */
  stderrLines?: number;
  /** Between SIGTERM and SIGKILL when cancelling or stopping (default 2 s). */
  killAfterMs?: number;
  /** Stop the process after this long without requests (default: never). */
  idleMs?: number;
  maxRestarts?: number;
  restartWindowMs?: number;
}

export interface RequestHandlers {
  signal?: AbortSignal;
  onProgress?(e: ProgressEvent): void;
  onLog?(e: LogEvent): void;
}

interface Pending {
  method: string;
  resolve(e: HelperEvent): void;
  reject(e: Error): void;
  handlers: RequestHandlers;
  /** Results file to remove if the request does not succeed. */
  partialFile?: string;
}

/** A bounded ring of the last lines (stderr). */
export class LineRing {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  tail(n = this.max): string[] {
    return this.lines.slice(-n);
  }
}

class HelperChild implements SupervisedChild {
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitInfo>;
  readonly pending = new Map<number, Pending>();
  readonly stderr: LineRing;
  /** Set when we end it on purpose (cancel, stop): its exit fails requests as cancelled, not crashed. */
  cancelling = false;
  /** Set the moment it has ended, before anyone hears of it: a request must not wait on a dead process. */
  ended = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(readonly proc: ChildProcess, stderrLines: number, private readonly killAfterMs: number) {
    this.stderr = new LineRing(stderrLines);
    this.exited = new Promise((resolve) => {
      let error: Error | undefined;
      proc.on('error', (e) => { error = e; if (proc.pid === undefined) resolve({ code: null, signal: null, error: e }); });
      // 'close', not 'exit': every stdout line (a result printed just before exiting) is read by then.
      proc.on('close', (code, signal) => { clearTimeout(this.killTimer); this.ended = true; resolve({ code, signal, error }); });
    });
    this.ready = new Promise((resolve, reject) => {
      proc.once('spawn', () => resolve());
      void this.exited.then((info) => reject(new Error(describeExit(info))));
    });
    this.ready.catch(() => undefined);
  }

  send(line: object): void {
    this.proc.stdin?.write(JSON.stringify(line) + '\n');
  }

  requestStop(): void {
    this.proc.stdin?.end();
  }

  /** SIGTERM, then SIGKILL if it is still there after the grace period. */
  terminate(): void {
    this.cancelling = true;
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    this.killTimer = setTimeout(() => this.kill(), this.killAfterMs);
    this.killTimer.unref?.();
  }

  kill(): void {
    this.cancelling = true;
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

export class HelperClient {
  private readonly supervisor: Supervisor<HelperChild>;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly o: HelperClientOptions) {
    this.supervisor = new Supervisor<HelperChild>({
      name: `the TensorRT helper (${o.path})`, spawn: () => this.spawnChild(), restart: 'lazy',
      maxRestarts: o.maxRestarts ?? 3, restartWindowMs: o.restartWindowMs ?? 60_000, stopTimeoutMs: o.killAfterMs ?? 2_000,
    });
  }

  get path(): string {
    return this.o.path;
  }

  get health(): Health {
    return this.supervisor.health;
  }

  onHealth(listener: (h: Health) => void): { dispose(): void } {
    return this.supervisor.onHealth(listener);
  }

  /** The serving process's `version` answer. */
  async version(handlers: RequestHandlers = {}): Promise<VersionEvent> {
    return (await this.request('version', undefined, handlers)) as VersionEvent;
  }

  /** One run; resolves with its result event, rejects with a TrtError, a BackendError (crash) or RunCancelledError. */
  async run(params: RunParams, handlers: RequestHandlers = {}): Promise<ResultEvent> {
    return (await this.request('run', params, handlers, params.saveResults)) as ResultEvent;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    await this.supervisor.dispose();
  }

  private async request(method: string, params: object | undefined, handlers: RequestHandlers, partialFile?: string): Promise<HelperEvent> {
    if (this.disposed) throw new BackendError('the TensorRT helper was shut down');
    if (handlers.signal?.aborted) throw new RunCancelledError(`before the TensorRT ${method}`);
    clearTimeout(this.idleTimer);
    let child: HelperChild;
    try {
      child = await this.supervisor.acquire();
    } catch (e) {
      throw new BackendError(`The TensorRT helper cannot be started: ${(e as Error).message}`);
    }
    if (child.ended) throw new BackendError(`The TensorRT helper ended before the ${method} could be sent; try again (a new process starts)`);
    const id = this.nextId++;
    const done = new Promise<HelperEvent>((resolve, reject) => {
      child.pending.set(id, { method, resolve, reject, handlers, partialFile });
    });
    const onAbort = () => {
      // The helper cannot stop a build midway: the process goes, and the next request starts a new one.
      if (this.supervisor.current === child) this.supervisor.release();
      child.terminate();
    };
    handlers.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Aborted while the process was starting: the listener came too late to hear it.
      if (handlers.signal?.aborted) onAbort();
      else child.send(params === undefined ? { id, method } : { id, method, params });
      return await done;
    } finally {
      handlers.signal?.removeEventListener('abort', onAbort);
      this.armIdle();
    }
  }

  private armIdle(): void {
    if (!this.o.idleMs || this.disposed) return;
    const child = this.supervisor.current;
    if (!child || child.pending.size > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => { if (child.pending.size === 0) void this.supervisor.stop(); }, this.o.idleMs);
    this.idleTimer.unref?.();
  }

  private spawnChild(): HelperChild {
    const proc = spawn(this.o.path, [...(this.o.locateArgs ?? []), 'serve'], { stdio: ['pipe', 'pipe', 'pipe'], env: this.o.env ?? process.env });
    const child = new HelperChild(proc, this.o.stderrLines ?? 200, this.o.killAfterMs ?? 2_000);
    proc.stdin?.on('error', () => { /* EPIPE when it died: its exit says why */ });
    createInterface({ input: proc.stdout! }).on('line', (line) => this.onLine(child, line));
    createInterface({ input: proc.stderr! }).on('line', (line) => {
      child.stderr.push(line);
      this.o.log?.('info', `[tensorrt helper] ${line}`);
    });
    void child.exited.then((info) => this.onExit(child, info));
    return child;
  }

  private onLine(child: HelperChild, line: string): void {
    if (line.trim() === '') return;
    const ev = parseEventLine(line);
    if (ev instanceof Error) {
      this.o.log?.('warn', `[tensorrt helper] unexpected output: ${ev.message}`);
      return;
    }
    const p = ev.id !== undefined ? child.pending.get(ev.id) : undefined;
    if (!p) {
      if (ev.event === 'log') this.o.log?.(ev.level === 'error' ? 'error' : ev.level === 'warning' ? 'warn' : 'info', `[tensorrt helper] ${ev.message}`);
      else this.o.log?.('warn', `[tensorrt helper] event for no pending request: ${line.slice(0, 200)}`);
      return;
    }
    switch (ev.event) {
      case 'progress':
        p.handlers.onProgress?.(ev);
        return;
      case 'log':
        this.o.log?.(ev.level === 'error' ? 'error' : ev.level === 'warning' ? 'warn' : 'info', `[tensorrt helper] ${ev.message}`);
        p.handlers.onLog?.(ev);
        return;
      case 'error':
        child.pending.delete(ev.id as number);
        if (p.partialFile) fs.rmSync(p.partialFile, { force: true });
        p.reject(ev.class === 'cancelled' ? new RunCancelledError('in the TensorRT helper') : trtErrorFrom(ev));
        return;
      default:
        child.pending.delete(ev.id as number);
        p.resolve(ev);
    }
  }

  private onExit(child: HelperChild, info: ExitInfo): void {
    const tail = child.stderr.tail(8).join(' | ');
    for (const [id, p] of child.pending) {
      child.pending.delete(id);
      // The helper removes its partial file on SIGTERM; a crash or SIGKILL cannot: remove it here.
      if (p.partialFile) fs.rmSync(p.partialFile, { force: true });
      const cls = info.code !== null ? EXIT_CLASS[info.code] : undefined;
      if (child.cancelling || cls === 'cancelled') {
        p.reject(new RunCancelledError(`the TensorRT ${p.method} was stopped`));
      } else if (cls && cls !== 'internal') {
        // It exited with a class's code (PROTOCOL.md) but no error event: its stderr says why.
        p.reject(trtErrorFrom({ class: cls, message: tail || `exit code ${info.code}` }));
      } else {
        p.reject(new BackendError(`The TensorRT helper ended during the ${p.method} (${describeExit(info)})${tail ? `; its last output: ${tail}` : ''}. The next run starts a new helper process.`));
      }
    }
  }
}
