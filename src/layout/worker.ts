// The ELK worker thread: one long-lived thread that lays out one level at a time, so layout never blocks the
// extension host and ELK's JIT warm-up is paid once. Bundled to dist/layoutWorker.js.
import { parentPort } from 'node:worker_threads';
import { LEVEL_OPTIONS } from './elkOptions';
import { ElkGraph, toLevelLayout } from './levelGraph';
import { warmupGraph, WorkerReady, WorkerRequest, WorkerResponse } from './workerProtocol';

interface Elk { layout(graph: ElkGraph): Promise<ElkGraph> }
// The bundled build runs ELK in this thread (its internal "worker" is a same-thread shim): no nested workers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ElkCtor = require('elkjs/lib/elk.bundled.js') as new () => Elk;
const elk = new ElkCtor();

const port = parentPort;
if (!port) throw new Error('layout worker must run in a worker thread');

let queue: Promise<void> = Promise.resolve();

async function handle(req: WorkerRequest): Promise<void> {
  const t0 = performance.now();
  let msg: WorkerResponse;
  try {
    const out = await elk.layout(req.graph);
    msg = { id: req.id, ok: true, layout: toLevelLayout(out), ms: performance.now() - t0 };
  } catch (e) {
    msg = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port!.postMessage(msg);
}

async function warmup(): Promise<void> {
  const t0 = performance.now();
  try {
    await elk.layout({ ...warmupGraph(), layoutOptions: LEVEL_OPTIONS });
  } catch {
    // A failed warm-up only costs speed; real requests report their own errors.
  }
  port!.postMessage({ ready: true, warmupMs: performance.now() - t0 } satisfies WorkerReady);
}

// One layout at a time, in arrival order (ELK's promise API would otherwise interleave them).
queue = queue.then(warmup);
port.on('message', (req: WorkerRequest) => { queue = queue.then(() => handle(req)); });
