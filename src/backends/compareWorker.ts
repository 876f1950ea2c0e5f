// Worker entry of the compare pool (src/backends/compareWorkers.ts): judges one tensor pair per message
// with the same code as the sequential path. Bundled to dist/compareWorker.js.
import { parentPort } from 'node:worker_threads';
import { judgePair } from '../compare/compareRuns';
import { Scratch } from '../compare/tensorMetrics';
import { loadArrayAt } from './results/readRunResults';
import type { WorkerReply, WorkerRequest } from './compareWorkers';

const port = parentPort;
if (!port) throw new Error('compareWorker.js runs as a worker thread only');
// One scratch per thread, reused across pairs as the sequential path does.
const scratch = new Scratch();

// The pool sends one pair at a time, so handling messages one after another needs no queue.
async function answer(m: WorkerRequest): Promise<void> {
  let reply: WorkerReply;
  try {
    // File-backed pairs are read here, by byte range: the data never crosses threads.
    const [x, y] = 'srcA' in m
      ? [await loadArrayAt(m.srcA.dataPath, m.srcA.loc, `tensor '${m.job.nameA}'`), await loadArrayAt(m.srcB.dataPath, m.srcB.loc, `tensor '${m.job.nameB}'`)]
      : [m.x, m.y];
    reply = { id: m.id, result: judgePair(x, y, m.job, scratch) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  port!.postMessage(reply);
}

// A failure to answer (the reply cannot be posted) still answers, so the pool never waits forever.
port.on('message', (m: WorkerRequest) => {
  answer(m).catch((e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply));
});
