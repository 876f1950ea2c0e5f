// Worker entry of the compare pool (src/backends/compareWorkers.ts): judges one tensor pair per message
// with the same code as the sequential path. Bundled to dist/compareWorker.js.
import { parentPort } from 'node:worker_threads';
import { judgePair } from '../compare/compareRuns';
import { Scratch } from '../compare/tensorMetrics';
import type { WorkerReply, WorkerRequest } from './compareWorkers';

const port = parentPort;
if (!port) throw new Error('compareWorker.js runs as a worker thread only');
// One scratch per thread, reused across pairs as the sequential path does.
const scratch = new Scratch();

port.on('message', (m: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: m.id, result: judgePair(m.x, m.y, m.job, scratch) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
