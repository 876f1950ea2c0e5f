// One supervisor for every child process or worker thread the extension and the CLI keep alive (the layout
// worker, the TensorRT helper): start, readiness, restarts with a cap, graceful stop then kill, health events.
// Modelled on a language client: a process that keeps dying is given up on with a clear error, not respawned forever.

/** How a supervised child ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** The error that ended it, if any (spawn failure, uncaught worker error). */
  error?: Error;
}

/** What the supervisor needs of a child: the spawner wires everything else (messages, stdio). */
export interface SupervisedChild {
  /** Resolves once the child takes requests; rejects if it ends first. */
  readonly ready: Promise<void>;
  /** Resolves once, when the child has ended. */
  readonly exited: Promise<ExitInfo>;
  /** Asks the child to end on its own (EOF on stdin, a close message). */
  requestStop(): void;
  /** Ends it now (SIGKILL, Worker.terminate). */
  kill(): void;
}

export type HealthState = 'idle' | 'starting' | 'ready' | 'crashed' | 'stopping' | 'failed' | 'disposed';

export interface Health {
  state: HealthState;
  /** Starts so far, the first included. */
  starts: number;
  lastExit?: ExitInfo;
  /** Why the supervisor gave up (state 'failed'). */
  reason?: string;
}

export interface SupervisorOptions<C extends SupervisedChild> {
  /** For messages: 'the TensorRT helper', 'the layout worker'. */
  name: string;
  spawn(): C;
  /** Restarts after crashes allowed within `restartWindowMs`; the next crash gives up (default 3 in 60 s). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Grace period between requestStop and kill (default 2 s). */
  stopTimeoutMs?: number;
  /** 'eager': an unexpected exit starts a new child at once (the layout worker); 'lazy': the next acquire does. */
  restart?: 'eager' | 'lazy';
}

/** The supervisor stopped restarting a child that kept ending. */
export class SupervisorGaveUpError extends Error {
  override name = 'SupervisorGaveUpError';
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return info.error.message;
  if (info.signal) return `killed by ${info.signal}`;
  return `exit code ${info.code}`;
}

type Listener<T> = (value: T) => void;

export class Supervisor<C extends SupervisedChild> {
  private child: C | undefined;
  /** Times of recent crashes. */
  private readonly restarts: number[] = [];
  private readonly retired = new Set<C>();
  private readonly healthListeners = new Set<Listener<Health>>();
  private readonly exitListeners = new Set<(child: C, info: ExitInfo) => void>();
  private health_: Health = { state: 'idle', starts: 0 };
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly stopTimeoutMs: number;

  constructor(private readonly o: SupervisorOptions<C>) {
    this.maxRestarts = o.maxRestarts ?? 3;
    this.windowMs = o.restartWindowMs ?? 60_000;
    this.stopTimeoutMs = o.stopTimeoutMs ?? 2_000;
  }

  get health(): Health {
    return { ...this.health_ };
  }

  /** The running child, if any (no start). */
  get current(): C | undefined {
    return this.child;
  }

  onHealth(listener: Listener<Health>): { dispose(): void } {
    this.healthListeners.add(listener);
    return { dispose: () => this.healthListeners.delete(listener) };
  }

  /** Called when a child the supervisor did not retire ends (a crash): its owner fails what it was doing. */
  onUnexpectedExit(listener: (child: C, info: ExitInfo) => void): { dispose(): void } {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  /** The running child, started (or restarted, within the cap) if there is none. Resolves once it is ready. */
  async acquire(): Promise<C> {
    const child = this.child ?? this.start();
    await child.ready;
    return child;
  }

  /** The running child or a new one, without waiting for readiness. */
  ensure(): C {
    return this.child ?? this.start();
  }

  /** Replaces the running child (e.g. a request ran too long): the old one is killed, not reported as a crash. */
  restart(): C {
    this.retire(this.child, true);
    return this.start();
  }

  /**
   * Hands the running child over to the caller (e.g. to end it with SIGTERM for a cancel): its exit is no crash,
   * and the next acquire starts a new one.
   */
  release(): C | undefined {
    const child = this.child;
    this.retire(child, false);
    if (child && this.health_.state !== 'failed' && this.health_.state !== 'disposed') this.setHealth({ state: 'idle' });
    return child;
  }

  /** Stops the child gracefully, killing it after the grace period; the supervisor can start again afterwards. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.setHealth({ state: 'stopping' });
    this.retire(child, false);
    await this.waitOrKill(child);
    if (this.health_.state === 'stopping') this.setHealth({ state: 'idle' });
  }

  /** Forgets a give-up (e.g. after the user changed a setting): the next acquire starts afresh. */
  reset(): void {
    if (this.health_.state !== 'failed') return;
    this.restarts.length = 0;
    this.health_ = { ...this.health_, state: 'idle', reason: undefined };
    for (const l of this.healthListeners) l(this.health);
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.setHealth({ state: 'disposed' });
  }

  private start(): C {
    if (this.health_.state === 'disposed') throw new Error(`${this.o.name} was shut down`);
    if (this.health_.state === 'failed') throw new SupervisorGaveUpError(this.health_.reason ?? `${this.o.name} was given up on`);
    // Only crashes count toward the cap: a restart we asked for (a hung request, a cancel) is not the child failing.
    const now = Date.now();
    while (this.restarts.length && now - this.restarts[0] > this.windowMs) this.restarts.shift();
    if (this.restarts.length > this.maxRestarts) {
      const last = this.health_.lastExit ? `; last: ${describeExit(this.health_.lastExit)}` : '';
      const reason = `${this.o.name} ended ${this.restarts.length} times within ${Math.round(this.windowMs / 1000)} s, so it is not restarted again${last}`;
      this.setHealth({ state: 'failed', reason });
      throw new SupervisorGaveUpError(reason);
    }
    const child = this.o.spawn();
    this.child = child;
    this.setHealth({ state: 'starting', starts: this.health_.starts + 1, reason: undefined });
    child.ready.then(
      () => { if (this.child === child) this.setHealth({ state: 'ready' }); },
      () => { /* an exit before ready is reported through `exited` */ },
    );
    void child.exited.then((info) => this.onExit(child, info));
    return child;
  }

  private onExit(child: C, info: ExitInfo): void {
    if (this.retired.delete(child)) return;
    if (this.child !== child) return;
    this.child = undefined;
    this.restarts.push(Date.now());
    this.setHealth({ state: 'crashed', lastExit: info });
    // Eager: the replacement exists before the owner hears of the crash, so it can adopt it (`current`).
    if (this.o.restart === 'eager') {
      try {
        this.start();
      } catch {
        // Given up: health says so, and acquire() throws the reason.
      }
    }
    for (const l of this.exitListeners) l(child, info);
  }

  private retire(child: C | undefined, kill: boolean): void {
    if (!child) return;
    this.retired.add(child);
    if (this.child === child) this.child = undefined;
    if (kill) child.kill();
  }

  private async waitOrKill(child: C): Promise<void> {
    child.requestStop();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), this.stopTimeoutMs); });
    const outcome = await Promise.race([child.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      child.kill();
      await child.exited;
    }
  }

  private setHealth(change: Partial<Health>): void {
    if (this.health_.state === 'failed' && change.state && change.state !== 'disposed' && change.state !== 'failed') {
      // A given-up supervisor stays failed until disposed: its reason is what the user needs to see.
      return;
    }
    this.health_ = { ...this.health_, ...change };
    const h = this.health;
    for (const l of this.healthListeners) l(h);
  }
}
