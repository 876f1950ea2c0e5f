// onnxruntime (onnxruntime-node) as a Backend: mark the captured tensors, run once, and hand the arrays to the
// shared sink (runOutputSink.ts), which streams them to a results file and keeps, spills or drops them.
import { performance } from 'node:perf_hooks';
import { buildModelGraph } from '../../core/graph';
import { NdArray } from '../../compare/ndarray';
import { readModelFile } from '../../node/modelFile';
import { spillsWritten } from '../tensorSpill';
import { keepOf, sinkArrays } from '../runOutputSink';
import { Backend, RunControl, RunNote, RunOutput, RunRequest, throwIfAborted } from '../backend';
import { EP_LABEL, ExecutionProvider, OrtSession, createSession, externalDataFiles, loadOrt, markedModelBytes } from './ortSession';
import { ndarrayFromOrt, ortFromNdarray } from './ortTensors';

export interface OrtOptions {
  /** Graph optimization level (default 'all', onnxruntime's and Polygraphy's default). */
  optLevel?: 'all' | 'disabled';
  intraOpThreads?: number;
  /** One execution provider; a missing one is an error, never a fallback (default 'cpu'). */
  ep?: ExecutionProvider;
}

export function ortRunnerName(ep: ExecutionProvider): string {
  return `onnxruntime-node-${ep}`;
}

export function parseOrtOptions(raw: Record<string, unknown> | undefined): Required<Omit<OrtOptions, 'intraOpThreads'>> & OrtOptions {
  const o = (raw ?? {}) as OrtOptions;
  if (o.intraOpThreads !== undefined && (!Number.isInteger(o.intraOpThreads) || o.intraOpThreads < 1)) throw new RangeError(`intraOpThreads must be a positive integer, not ${String(o.intraOpThreads)}`);
  const optLevel = o.optLevel ?? 'all';
  const ep = o.ep ?? 'cpu';
  if (optLevel !== 'all' && optLevel !== 'disabled') throw new RangeError(`optLevel must be 'all' or 'disabled', not '${String(optLevel)}'`);
  if (!(ep in EP_LABEL)) throw new RangeError(`ep must be cpu, cuda or tensorrt, not '${String(ep)}'`);
  return { ...o, optLevel, ep };
}

export function createOrtBackend(): Backend {
  return {
    id: 'onnxruntime',
    label: 'onnxruntime (onnxruntime-node)',
    run: runOrt,
  };
}

async function runOrt(req: RunRequest, ctl: RunControl = {}): Promise<RunOutput> {
  const o = parseOrtOptions(req.options);
  const timings: Record<string, number> = {};
  const notes: RunNote[] = [];
  const lap = (key: string, t0: number) => { timings[key] = (performance.now() - t0) / 1000; };
  let t = performance.now();
  ctl.onProgress?.({ stage: 'prepare' });
  const { model } = await readModelFile(req.modelPath);
  const graph = buildModelGraph(model);
  const { bytes, marked } = markedModelBytes(model, graph, req.capture);
  const external = externalDataFiles(model, req.modelPath);
  lap('prepare', t);
  throwIfAborted(ctl.signal, 'before the session');

  const ort = loadOrt();
  t = performance.now();
  ctl.onProgress?.({ stage: 'session' });
  let session: OrtSession | null = await createSession(ort, bytes, external, { optLevel: o.optLevel, intraOpThreads: o.intraOpThreads, ep: o.ep });
  lap('session', t);
  notes.push({ kind: 'provider', text: `execution provider: ${EP_LABEL[o.ep]}` });
  notes.push({
    kind: 'optimization',
    text: `graph optimization level: ${o.optLevel}` +
      (marked > 0 && o.optLevel === 'all' ? `; ${marked} intermediate tensors were marked as outputs, which keeps onnxruntime from fusing the nodes around them, so this is not exactly the graph an outputs-only run executes` : ''),
  });
  let outputs: Record<string, InstanceType<typeof ort.Tensor>> | null = null;
  try {
    throwIfAborted(ctl.signal, 'before the run');
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    for (const [name, a] of req.inputs) feeds[name] = ortFromNdarray(ort, name, a);
    // A previous run's spill may still be writing (it overlapped this session's creation): wait before
    // this run allocates its tensors, so memory holds one run's tensors at a time.
    t = performance.now();
    await spillsWritten();
    lap('spillWait', t);
    t = performance.now();
    ctl.onProgress?.({ stage: 'run' });
    outputs = await session.run(feeds);
    lap('run', t);
  } finally {
    // Release before writing: the session's arena is as large as the activations.
    await session.release();
    session = null;
  }
  const runtime = timings.run;
  throwIfAborted(ctl.signal, 'after the run');

  // Convert, skipping tensors an NdArray cannot hold (strings). No copies: NdArrays view ORT's data.
  t = performance.now();
  const arrays = new Map<string, NdArray>();
  const skipped: string[] = [];
  for (const [name, tensor] of Object.entries(outputs)) {
    const a = ndarrayFromOrt(tensor);
    if (a) arrays.set(name, a);
    else skipped.push(`${name} (${tensor.type})`);
  }
  outputs = null;
  lap('convert', t);
  if (skipped.length) notes.push({ kind: 'capture', text: `not captured (type not comparable): ${skipped.join(', ')}` });
  const captured = [...arrays.keys()];
  const runnerName = req.runnerName ?? ortRunnerName(o.ep);
  const sunk = await sinkArrays(arrays, { keep: keepOf(req), saveResults: req.saveResults, runnerName, runtime, control: ctl, timings });
  return { runnerName, captured, notes, timings, inputs: { source: 'fed by this run', feed: req.inputs }, ...sunk };
}
