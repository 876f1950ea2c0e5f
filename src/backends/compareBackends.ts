// 'Compare Backends' end to end: run two backends on the same request (one after the other, so memory
// holds one run), then compare tensor by tensor in graph order and locate the first divergence.
import { GraphModel, isDefaultDomain } from '../core/graph';
import { CompareRunsOptions, RunInputs, TensorProvider, compareRuns } from '../compare/compareRuns';
import type { NdArray } from '../compare/ndarray';
import { GraphOrder } from '../compare/divergence';
import { ComparisonReport } from '../compare/report';
import { Backend, RunControl, RunOutput, RunRequest, throwIfAborted } from './backend';
import { createResultsBackend } from './resultsBackend';
import { Parallelism, ownedLoads, withCompareExecutor } from './compareWorkers';

/** Graph order for the comparison: inputs, then node outputs topologically; producers' inputs as edges. */
export function graphOrderOf(graph: GraphModel): GraphOrder {
  const order: string[] = [...graph.inputs];
  const producerInputs = new Map<string, string[]>();
  const weights = new Set(graph.initializers);
  for (const i of graph.order) {
    const node = graph.nodes[i];
    if (node.opType === 'Constant' && isDefaultDomain(node)) for (const out of node.outputs) weights.add(out);
    const ins = [...node.inputs, ...node.implicitInputs].filter((n) => n !== '' && !graph.values.get(n)?.initializer);
    for (const out of node.outputs) {
      if (out === '') continue;
      order.push(out);
      producerInputs.set(out, ins);
    }
  }
  return { order, producerInputs: (n) => producerInputs.get(n) ?? [], weights };
}

/** What the backend said it fused away / could not capture, for compareRuns (which explains, not fails, them). */
function fusedOf(out: RunOutput): Map<string, string | null> {
  return new Map((out.fused ?? []).map((f) => [f.tensor, f.layer]));
}

function skippedOf(out: RunOutput): Map<string, string> {
  return new Map((out.skipped ?? []).map((t) => [t.name, t.reason]));
}

/** The run's tensors: in memory when it kept them, else read lazily from its results file. */
async function providerOf(out: RunOutput, control: RunControl): Promise<{ provider: TensorProvider; dispose(): void }> {
  if (out.tensors) return { provider: out.tensors, dispose: () => undefined };
  if (!out.resultsPath) throw new Error(`the ${out.runnerName} run kept no tensors and wrote no results file`);
  const indexed = await createResultsBackend(out.resultsPath, { runner: out.runnerName }).run({ modelPath: '', inputs: new Map(), capture: 'all' }, control);
  return { provider: indexed.tensors as TensorProvider, dispose: () => indexed.dispose() };
}

/**
 * The run's tensors plus the inputs it was fed (as tensors named like the graph inputs, first), so the comparison
 * sees whether both runs started from the same data. Inputs load as copies: the comparison may move buffers.
 */
function withInputs(p: TensorProvider, feed: ReadonlyMap<string, NdArray> | undefined): TensorProvider {
  if (!feed?.size) return p;
  const own = new Set(p.names);
  const added = [...feed.keys()].filter((n) => !own.has(n));
  if (!added.length) return p;
  return {
    names: [...added, ...p.names],
    load: (n) => {
      const a = own.has(n) ? undefined : feed.get(n);
      return a ? { dtype: a.dtype, shape: [...a.shape], data: a.data.slice() } : p.load(n);
    },
  };
}

function runInputsOf(out: RunOutput): RunInputs | null {
  return out.inputs ? { source: out.inputs.source, names: [...out.inputs.feed.keys()] } : null;
}

export interface CompareBackendsOptions extends Omit<CompareRunsOptions, 'runnerA' | 'runnerB' | 'graph' | 'executor' | 'inputs'> {
  /** What each side is, for people (RunnerRef.label); default: the runner names. */
  labels?: { a: string; b: string };
  graph?: GraphModel;
  /** Worker threads judging pairs (default: one per core); false: on this thread. Same report either way. */
  parallel?: Parallelism;
}

export interface BackendSide {
  backend: Backend;
  request: RunRequest;
}

/**
 * Runs A then B and compares A against B (B is the reference for relative error, as Polygraphy's
 * second runner). Each side's RunOutput is disposed afterwards; its results file, if any, stays.
 */
export async function compareBackends(a: BackendSide, b: BackendSide, o: CompareBackendsOptions = {}, control: RunControl = {}): Promise<{ report: ComparisonReport; runs: [RunOutput, RunOutput] }> {
  const cleanup: (() => void)[] = [];
  try {
    // A waits on disk while B runs, so memory holds one run's tensors at a time.
    const keepA = a.request.keep ?? 'disk';
    const keepB = b.request.keep ?? 'memory';
    const ra = await a.backend.run({ ...a.request, keep: keepA }, control);
    cleanup.push(() => ra.dispose());
    throwIfAborted(control.signal, 'between runs');
    const rb = await b.backend.run({ ...b.request, keep: keepB }, control);
    cleanup.push(() => rb.dispose());
    const pa = await providerOf(ra, control);
    cleanup.push(pa.dispose);
    const pb = await providerOf(rb, control);
    cleanup.push(pb.dispose);
    throwIfAborted(control.signal, 'before comparing');
    // compareRuns loads one pair at a time: checking the signal on each load cancels between tensors.
    const abortable = (p: TensorProvider): TensorProvider => ({
      names: p.names,
      load: (n) => { throwIfAborted(control.signal, 'while comparing'); return p.load(n); },
    });
    // Results files and spills decode a new buffer per load: the compare pool may move it to a worker.
    const own = (p: TensorProvider, fresh: boolean) => (fresh ? ownedLoads(p) : p);
    const pA = own(abortable(withInputs(pa.provider, ra.inputs?.feed)), ra.freshLoads === true || !ra.tensors);
    const pB = own(abortable(withInputs(pb.provider, rb.inputs?.feed)), rb.freshLoads === true || !rb.tensors);
    const { labels, ...rest } = o;
    const report = await withCompareExecutor(o.parallel, (executor) => compareRuns(pA, pB, {
      ...rest,
      executor,
      graph: o.graph ? graphOrderOf(o.graph) : undefined,
      runnerA: { runnerName: ra.runnerName, iteration: 0, ...(labels ? { label: labels.a } : {}) },
      runnerB: { runnerName: rb.runnerName, iteration: 0, ...(labels ? { label: labels.b } : {}) },
      inputs: { a: runInputsOf(ra), b: runInputsOf(rb) },
      fused: { a: fusedOf(ra), b: fusedOf(rb) },
      skipped: { a: skippedOf(ra), b: skippedOf(rb) },
    }));
    return { report, runs: [ra, rb] };
  } finally {
    for (const f of cleanup.reverse()) f();
  }
}
