// The ELK worker thread: one long-lived thread that lays out one level at a time, so layout never blocks the
// extension host and ELK's JIT warm-up is paid once. Bundled to dist/layoutWorker.js.
import { parentPort } from 'node:worker_threads';
import { LEVEL_OPTIONS } from './elkOptions';
import { ElkGraph, toLevelLayout } from './levelGraph';
import { warmupGraph, WorkerReady, WorkerRequest, WorkerResponse } from './workerProtocol';

interface ElkAnswer { id: number; data?: ElkGraph; error?: unknown }
/** elk.bundled's same-thread worker shim: `dispatcher.saveDispatch` lays out synchronously and answers via onmessage. */
interface ElkShim { dispatcher: { saveDispatch(msg: { data: unknown }): void }; onmessage: (m: { data: ElkAnswer }) => void }
interface Elk { layout(graph: ElkGraph): Promise<ElkGraph>; worker?: { worker?: ElkShim } }

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ElkCtor = require('elkjs/lib/elk.bundled.js') as new () => Elk;
const elk = new ElkCtor();
const shim = elk.worker?.worker;
// The API registers algorithms asynchronously on construction; synchronous layouts must not run before that.
if (shim?.dispatcher) {
  shim.onmessage = () => {};
  shim.dispatcher.saveDispatch({ data: { cmd: 'register', id: -1, algorithms: ['layered'] } });
}

const port = parentPort;
if (!port) throw new Error('layout worker must run in a worker thread');

/**
 * Runs ELK synchronously through the bundled shim (its promise API defers every layout through setTimeout, which
 * costs idle milliseconds per level under load). Falls back to the promise API if a future elkjs lacks the shim.
 */
function layoutNow(graph: ElkGraph): ElkGraph | Promise<ElkGraph> {
  if (!shim?.dispatcher) return elk.layout(graph);
  let answer: ElkAnswer | undefined;
  shim.onmessage = (m) => { answer = m.data; };
  shim.dispatcher.saveDispatch({ data: { cmd: 'layout', id: 0, graph, layoutOptions: {}, options: {} } });
  if (!answer) throw new Error('ELK gave no answer');
  if (answer.error !== undefined) throw answer.error;
  return answer.data!;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

async function handle(req: WorkerRequest): Promise<void> {
  const t0 = performance.now();
  let msg: WorkerResponse;
  try {
    const out = await layoutNow(req.graph);
    msg = { id: req.id, ok: true, layout: toLevelLayout(out), ms: performance.now() - t0 };
  } catch (e) {
    msg = { id: req.id, ok: false, error: errorText(e) };
  }
  port!.postMessage(msg);
}

// Warm-up: layouts of varied shapes run while idle (a cold JIT doubled level times in measurements). Real requests
// always go first: a warm-up step starts only after a quiet spell with none pending, so a request waits for at
// most one step. The first step is a 4-box graph run at once: ELK's first layout in a thread takes 75-150 ms
// whatever its size (its code runs for the first time), after which a 7-box level takes 10-25 ms; a request
// arriving meanwhile waits at most that step (~50 ms) and is then fast. The bigger steps wait for a quiet spell:
// the extension starts this worker when it activates, often just before the first model's layouts, and a cold
// 100-box step in front of them cost more than it saved (1.6 s in the e2e bench instead of 0.4 s). Steps stay
// at 40 boxes or fewer, the size of most levels, so a model opened during warm-up never waits long for one.
const WARMUP_SIZES = [4, 40, 12, 30, 24, 40, 16, 40, 8, 30, 40, 24];
const WARMUP_AFTER_IDLE_MS = 1000;
let warmupDone = 0;
const pending: WorkerRequest[] = [];
let busy = false;
let warmupTimer: NodeJS.Timeout | undefined;

async function warmupStep(): Promise<void> {
  const t0 = performance.now();
  try {
    await layoutNow({ ...warmupGraph(WARMUP_SIZES[warmupDone]), layoutOptions: LEVEL_OPTIONS });
  } catch {
    // A failed warm-up only costs speed; real requests report their own errors.
  }
  const ms = performance.now() - t0;
  warmupDone++;
  if (warmupDone === WARMUP_SIZES.length) port!.postMessage({ ready: true, warm: true, warmupMs: ms } satisfies WorkerReady);
}

function scheduleWarmup(delayMs: number): void {
  clearTimeout(warmupTimer);
  if (warmupDone >= WARMUP_SIZES.length) return;
  warmupTimer = setTimeout(() => {
    if (busy || pending.length > 0) return; // drain() schedules again when it is done
    busy = true;
    void warmupStep().then(() => { busy = false; void drain(); });
  }, delayMs);
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  const served = pending.length > 0;
  while (pending.length > 0) await handle(pending.shift()!);
  busy = false;
  // Between warm-up steps no pause is needed; after real work, or after the first small step, wait for a quiet spell.
  scheduleWarmup(served || warmupDone === 1 ? WARMUP_AFTER_IDLE_MS : 0);
}

port.on('message', (req: WorkerRequest) => { clearTimeout(warmupTimer); pending.push(req); void drain(); });
// ELK is loaded and registered: requests are welcome now; the first warm-up step runs unless one is already here.
port.postMessage({ ready: true, warmupMs: 0 } satisfies WorkerReady);
scheduleWarmup(0);
