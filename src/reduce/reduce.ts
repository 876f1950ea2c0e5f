// Reduce a failing comparison to the smallest subgraph that still fails (Polygraphy's `debug reduce`, one call).
// Both sides run the full model once, capturing every tensor, and are compared as Compare Backends does; the
// first divergence names the target node. Candidates around it (search.ts) are cut out of each side's model
// in memory (core/edit.ts), fed with the reference side's captured tensors (so nothing upstream can leak in),
// run on both sides and compared with the same tolerances. The smallest failing candidate is the result.
//
//   const result = await reduceFailure({ a: { modelPath, kind: ortRunKind, options: { optLevel: 'all' } },
//     b: { modelPath, kind: ortRunKind, options: { optLevel: 'disabled' } }, inputs, context, signal, onStep });
//   if (result.status === 'reduced') await writeReduction(result, { modelPath: 'min.onnx' });
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { performance } from 'node:perf_hooks';
import { Backend, RunCancelledError, RunOutput, RunRequest, throwIfAborted } from '../backends/backend';
import { compareBackends } from '../backends/compareBackends';
import { ONNX_TO_DTYPE } from '../backends/inputs/inputSpecs';
import type { RunKind, RunKindContext } from '../backends/registry';
import { NdArray } from '../compare/ndarray';
import { ComparisonReport } from '../compare/report';
import { ToleranceConfig } from '../compare/verdict';
import { extractSubmodel, planCut } from '../core/edit';
import { buildModelGraph, describeNode, GraphModel } from '../core/graph';
import { OnnxModel } from '../core/model';
import { ValueType } from '../core/types';
import { readTensorBytes } from '../node/externalDataReader';
import { readModelFile } from '../node/modelFile';
import { Cut, CutBuilder, searchGraphOf } from './candidate';
import { SearchPhase, searchMinimalFailing } from './search';

export interface ReduceSide {
  /** The model this side runs (for a results-file side: the model the results came from, for names only). */
  modelPath: string;
  kind: RunKind;
  /** The kind's options as a picker or the CLI gives them; reduce sets `capture` itself. */
  options?: Record<string, unknown>;
  /** `modelPath` already read by the caller (it checked the file first): not read again. */
  model?: OnnxModel;
}

export interface ReduceStep {
  /** 0: the full models; 1, 2, ...: candidates. */
  index: number;
  phase: 'full' | SearchPhase;
  /** Nodes run (the candidate's, or the whole model's). */
  nodes: number;
  failed: boolean;
  seconds: number;
  /** The first failing tensor, when the step failed. */
  failing?: string;
  /** Set when a side could not run the candidate (counted as not failing). */
  error?: string;
}

export interface ReduceOptions {
  /** The side under test. */
  a: ReduceSide;
  /** The reference: relative errors are relative to it, and its captured tensors feed every candidate. */
  b: ReduceSide;
  /** Inputs of the full model (generated or loaded by the caller, see backends/inputs/prepareInputs). */
  inputs: ReadonlyMap<string, NdArray>;
  tolerances?: ToleranceConfig;
  context: RunKindContext;
  signal?: AbortSignal;
  /** Called after each step: the full run first, then each candidate. */
  onStep?(step: ReduceStep): void;
  /** Most single-node removals the last phase tries (default 64). */
  linearLimit?: number;
}

export interface ReducedModel {
  /** Node indices in side A's graph, topological order. */
  nodes: number[];
  /** 'Add (/layer1/Add)' for each node. */
  nodeLabels: string[];
  inputs: string[];
  outputs: string[];
  /** Side A's subgraph: a model with its weights inline, typed inputs and outputs. */
  model: Uint8Array;
  /** Side B's subgraph, when B runs another model file. */
  referenceModel?: Uint8Array;
  /** The reference values of its inputs. */
  feeds: Map<string, NdArray>;
  /** Its comparison (A against B). */
  report: ComparisonReport;
}

export interface ReduceResult {
  /** reduced: `minimal` fails; no-failure: the full models agree; not-reducible: no candidate failed on its own. */
  status: 'reduced' | 'no-failure' | 'not-reducible';
  steps: ReduceStep[];
  /** Candidates run (steps after the full run). */
  candidateRuns: number;
  seconds: number;
  sides: { a: string; b: string };
  modelPaths: { a: string; b: string };
  /** The full comparison. */
  fullReport: ComparisonReport;
  /** The first diverging tensor and its node in A's graph. */
  divergence?: { tensor: string; node: string };
  minimal?: ReducedModel;
}

export class ReduceError extends Error {
  override name = 'ReduceError';
}

const DTYPE_TO_ONNX = new Map(Object.entries(ONNX_TO_DTYPE).map(([k, v]) => [v, Number(k)]));

/** A backend that "runs" by handing back tensors already captured (the reference's full run, for candidates). */
function capturedBackend(runnerName: string, names: readonly string[], load: (n: string) => Promise<NdArray> | NdArray): Backend {
  return {
    id: 'captured',
    label: 'captured reference tensors',
    run: async (): Promise<RunOutput> => ({ runnerName, captured: [...names], tensors: { names, load }, notes: [], timings: {}, dispose: () => undefined }),
  };
}

interface LoadedSide {
  path: string;
  model: OnnxModel;
  graph: GraphModel;
  backend: Backend | null;
  options: unknown;
  kind: RunKind;
}

async function loadSide(side: ReduceSide, ctx: RunKindContext, capture: 'all' | 'outputs'): Promise<LoadedSide> {
  const model = side.model ?? (await readModelFile(side.modelPath)).model;
  const options = side.kind.parseOptions({ ...side.options, capture });
  const backend = side.kind.createBackend(options, ctx);
  return { path: side.modelPath, model, graph: buildModelGraph(model), backend, options, kind: side.kind };
}

function requestOf(side: LoadedSide, options: unknown, modelPath: string, inputs: ReadonlyMap<string, NdArray>, twin: 'a' | 'b' | undefined, keep?: RunRequest['keep']): RunRequest {
  return side.kind.request(options, { modelPath, inputs, twin, keep });
}

function typeOf(a: NdArray): ValueType | undefined {
  const elemType = DTYPE_TO_ONNX.get(a.dtype);
  return elemType ? { kind: 'tensor', elemType, shape: [...a.shape] } : undefined;
}

function firstFailing(report: ComparisonReport): string | undefined {
  return report.tensors.find((t) => t.status === 'fail')?.name;
}

/** Runs the reduction. Throws RunCancelledError when `signal` aborts, ReduceError for sides it cannot use. */
export async function reduceFailure(o: ReduceOptions): Promise<ReduceResult> {
  if (o.a.kind.readsFile) throw new ReduceError(`side A must run the model; ${o.a.kind.label} only reads saved tensors`);
  const t0 = performance.now();
  const ctx = o.context;
  const twins = o.a.kind.id === o.b.kind.id;
  const control = { signal: o.signal };
  const steps: ReduceStep[] = [];
  const step = (s: ReduceStep) => { steps.push(s); o.onStep?.(s); };
  const a = await loadSide(o.a, ctx, 'all');
  const b = await loadSide(o.b, ctx, 'all');
  const bReadsFile = !!o.b.kind.readsFile;
  const optionsA = o.a.kind.parseOptions({ ...o.a.options, capture: 'outputs' });
  const optionsB = bReadsFile ? null : o.b.kind.parseOptions({ ...o.b.options, capture: 'outputs' });
  const sameModel = nodePath.resolve(o.a.modelPath) === nodePath.resolve(o.b.modelPath);
  const sides = { a: o.a.kind.describe(a.options), b: o.b.kind.describe(b.options) };
  const tmp = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'onnx-inspector-reduce-'));
  const cleanup: (() => void)[] = [() => fs.rmSync(tmp, { recursive: true, force: true })];
  try {
    // The reference's full run, kept: its tensors are compared, then feed the candidates.
    throwIfAborted(o.signal, 'before the reference run');
    let t = performance.now();
    const refRun = await b.backend!.run(requestOf(b, b.options, o.b.modelPath, o.inputs, twins ? 'b' : undefined, 'memory'), control);
    cleanup.push(() => refRun.dispose());
    if (!refRun.tensors) throw new ReduceError(`the reference run (${sides.b}) kept no tensors`);
    const refTensors = refRun.tensors;
    const refNames = new Set(refTensors.names);
    const reference = new Map<string, NdArray>(o.inputs);
    const refValue = async (n: string): Promise<NdArray | undefined> => {
      if (!reference.has(n) && refNames.has(n)) reference.set(n, await refTensors.load(n));
      return reference.get(n);
    };
    const full = await compareBackends(
      { backend: a.backend!, request: requestOf(a, a.options, o.a.modelPath, o.inputs, twins ? 'a' : undefined) },
      { backend: capturedBackend(refRun.runnerName, refTensors.names, (n) => refTensors.load(n)), request: { modelPath: '', inputs: new Map(), capture: 'all' } },
      { graph: a.graph, tolerances: o.tolerances }, control);
    const fullReport = full.report;
    const failed = fullReport.summary.failed > 0;
    step({ index: 0, phase: 'full', nodes: a.graph.nodes.length, failed, seconds: (performance.now() - t) / 1000, failing: firstFailing(fullReport) });
    const base = { steps, sides, modelPaths: { a: o.a.modelPath, b: o.b.modelPath }, fullReport };
    const done = (r: Omit<ReduceResult, keyof typeof base | 'seconds' | 'candidateRuns'>): ReduceResult =>
      ({ ...base, ...r, candidateRuns: steps.length - 1, seconds: (performance.now() - t0) / 1000 });
    if (!failed) return done({ status: 'no-failure' });

    const target = targetNode(a.graph, fullReport);
    if (!target) throw new ReduceError('the failing tensors are not produced by any node of the model (only graph inputs differ)');
    const divergence = { tensor: target.tensor, node: describeNode(a.graph.nodes[target.node]) };
    const builder = new CutBuilder(a.graph, (n) => reference.has(n) || refNames.has(n), new Set([target.tensor]));
    const inlineA = inlineDataCache(o.a.modelPath, a.model);
    const inlineB = inlineDataCache(o.b.modelPath, b.model);
    const outcomes = new Map<string, { failed: boolean; model?: ReducedModel }>();
    let probes = 0;

    const probe = async (nodes: readonly number[], phase: SearchPhase): Promise<boolean> => {
      const cut = builder.cut(nodes);
      const key = cut.nodes.join(',');
      const known = outcomes.get(key);
      if (known) return known.failed;
      throwIfAborted(o.signal, 'between candidates');
      t = performance.now();
      const n = ++probes;
      let outcome: { failed: boolean; model?: ReducedModel; error?: string };
      try {
        outcome = await runCandidate(cut, n);
      } catch (e) {
        if (e instanceof RunCancelledError || o.signal?.aborted) throw e;
        outcome = { failed: false, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
      }
      outcomes.set(key, outcome);
      step({ index: n, phase, nodes: cut.nodes.length, failed: outcome.failed, seconds: (performance.now() - t) / 1000, failing: outcome.model ? firstFailing(outcome.model.report) : undefined, error: outcome.error });
      return outcome.failed;
    };

    const runCandidate = async (cut: Cut, n: number): Promise<{ failed: boolean; model?: ReducedModel }> => {
      if (cut.outputs.length === 0) return { failed: false };
      const feeds = new Map<string, NdArray>();
      const types = new Map<string, ValueType>();
      for (const name of [...cut.inputs, ...cut.outputs]) {
        const v = await refValue(name);
        const type = v && typeOf(v);
        if (type) types.set(name, type);
        if (v && cut.inputs.includes(name)) feeds.set(name, v);
      }
      const modelA = await cutModel(a, cut, types, inlineA);
      const pathA = nodePath.join(tmp, `candidate-${n}-a.onnx`);
      fs.writeFileSync(pathA, modelA);
      let referenceModel: Uint8Array | undefined;
      let sideB: { backend: Backend; request: RunRequest };
      const capturedB = { backend: capturedBackend(refRun.runnerName, cut.outputs.filter((x) => refNames.has(x)), (x) => refTensors.load(x)), request: { modelPath: '', inputs: new Map(), capture: 'all' as const } };
      if (bReadsFile) {
        sideB = capturedB;
      } else {
        // The same cut of B's model by tensor names; when B's graph has no such cut, its captured values stand in.
        let pathB = pathA;
        if (!sameModel) {
          referenceModel = await cutModel(b, cut, types, inlineB).catch(() => undefined);
          pathB = nodePath.join(tmp, `candidate-${n}-b.onnx`);
          if (referenceModel) fs.writeFileSync(pathB, referenceModel);
        }
        sideB = sameModel || referenceModel ? { backend: b.backend!, request: requestOf(b, optionsB, pathB, feeds, twins ? 'b' : undefined, 'memory') } : capturedB;
      }
      try {
        const { report } = await compareBackends(
          { backend: a.backend!, request: requestOf(a, optionsA, pathA, feeds, twins ? 'a' : undefined, 'memory') }, sideB,
          { tolerances: o.tolerances, parallel: false }, control);
        const failedHere = report.summary.failed > 0;
        const model: ReducedModel = {
          nodes: cut.nodes, nodeLabels: cut.nodes.map((i) => describeNode(a.graph.nodes[i])), inputs: cut.inputs, outputs: cut.outputs,
          model: modelA, referenceModel, feeds, report,
        };
        return { failed: failedHere, model: failedHere ? model : undefined };
      } finally {
        fs.rmSync(pathA, { force: true });
        if (!sameModel) fs.rmSync(nodePath.join(tmp, `candidate-${n}-b.onnx`), { force: true });
      }
    };

    const found = await searchMinimalFailing(searchGraphOf(a.graph), target.node, probe, { linearLimit: o.linearLimit });
    if (!found) return done({ status: 'not-reducible', divergence });
    const minimal = outcomes.get(builder.cut(found).nodes.join(','))?.model;
    if (!minimal) throw new Error('internal: the failing candidate was not kept');
    return done({ status: 'reduced', divergence, minimal });
  } finally {
    for (const f of cleanup.reverse()) f();
  }
}

/** The node of the first divergence (else of the first failing tensor a node produces) and its tensor. */
function targetNode(graph: GraphModel, report: ComparisonReport): { node: number; tensor: string } | undefined {
  const names = [report.firstDivergence?.first?.tensor, ...report.firstDivergence?.culprits.map((c) => c.tensor) ?? [], ...report.tensors.filter((t) => t.status === 'fail').map((t) => t.name)];
  for (const tensor of names) {
    const p = tensor === undefined ? -1 : graph.values.get(tensor)?.producer ?? -1;
    if (p >= 0) return { node: p, tensor: tensor! };
  }
  return undefined;
}

/** External initializers' bytes, read once each, so candidates written elsewhere carry their weights inline. */
function inlineDataCache(modelPath: string, model: OnnxModel): (names: Iterable<string>) => Promise<Map<string, Uint8Array> | undefined> {
  const external = new Map(model.graph.initializers.filter((t) => t.data.kind === 'external').map((t) => [t.name, t]));
  const read = new Map<string, Uint8Array>();
  return async (names) => {
    if (external.size === 0) return undefined;
    const out = new Map<string, Uint8Array>();
    for (const n of names) {
      const t = external.get(n);
      if (!t) continue;
      if (!read.has(n)) read.set(n, await readTensorBytes(modelPath, model, t));
      out.set(n, read.get(n)!);
    }
    return out;
  };
}

async function cutModel(side: LoadedSide, cut: Cut, types: ReadonlyMap<string, ValueType>, inline: ReturnType<typeof inlineDataCache>): Promise<Uint8Array> {
  const plan = planCut(side.graph, cut.inputs, cut.outputs);
  const inlineData = await inline(plan.initializers);
  return extractSubmodel(side.model, side.graph, { inputs: cut.inputs, outputs: cut.outputs, types, inlineData }).bytes;
}
