// Compares two runs tensor by tensor: pairs by name, loads one pair at a time (memory stays at two
// tensors plus scratch), judges each with Polygraphy's semantics, then locates the first divergence.
import { DType, NdArray, itemSize } from './ndarray';
import { pairTensors } from './pairing';
import { AbsentNote, GraphOrder, TensorStatus, findDivergence } from './divergence';
import { AbsentTensors, explainAbsent } from './absentTensors';
import { ComparisonReport, InputCheckReport, RunnerRef, TensorReport, fromJsonNumber, graphNameOf, metricsReport } from './report';
import { triageRank, triageSort } from './triageOrder';
import { PairOptions, Tolerance, ToleranceConfig, compareTensorPair, toleranceFor } from './verdict';
import { Scratch, TensorMetrics } from './tensorMetrics';

/** A run's tensors as the comparison sees them; loading may be lazy (from disk). */
export interface TensorProvider {
  names: readonly string[];
  load(name: string): Promise<NdArray> | NdArray;
}

/** One tensor pair to judge: A's tensor `nameA` against B's `nameB`. */
export interface PairJob {
  /** Position in pairing order. */
  index: number;
  nameA: string;
  nameB: string;
  tolerance: Tolerance;
  options: Omit<PairOptions, 'scratch'>;
}

/** What judging one pair yields (compareTensorPair's verdict plus what the report says of the data). */
export interface PairResult {
  shape: [number[], number[]];
  dtype: [DType, DType];
  /** Bytes of both sides' data. */
  bytes: number;
  passed: boolean;
  reason: string;
  metrics: TensorMetrics | null;
}

/**
 * Loads and judges pairs, possibly elsewhere (worker threads) and several at once. compareRuns keeps
 * up to `concurrency` pairs in flight and still reports them in pairing order.
 */
export interface CompareExecutor {
  readonly concurrency: number;
  compare(job: PairJob, a: TensorProvider, b: TensorProvider): Promise<PairResult>;
}

/** Judges one pair of loaded arrays on this thread (what every executor computes). */
export function judgePair(x: NdArray, y: NdArray, job: PairJob, scratch?: Scratch): PairResult {
  const v = compareTensorPair(x, y, job.tolerance, { ...job.options, scratch });
  return {
    shape: [x.shape, y.shape],
    dtype: [x.dtype, y.dtype],
    bytes: x.data.length * itemSize(x.dtype) + y.data.length * itemSize(y.dtype),
    passed: v.passed,
    reason: v.reason,
    metrics: v.metrics,
  };
}

/** The default: one pair at a time on this thread, so memory holds two tensors plus scratch. */
export function sequentialExecutor(scratch = new Scratch()): CompareExecutor {
  return {
    concurrency: 1,
    async compare(job, a, b) {
      const x = await a.load(job.nameA);
      const y = await b.load(job.nameB);
      return judgePair(x, y, job, scratch);
    },
  };
}

export interface CompareRunsOptions {
  runnerA: RunnerRef;
  runnerB: RunnerRef;
  tolerances?: ToleranceConfig;
  /** Explicit a -> b name pairs; everything else pairs by exact name. */
  nameMap?: Record<string, string>;
  infinitiesCompareEqual?: boolean;
  dtypeMismatch?: 'fail' | 'compare';
  /** When given: tensors are reported in graph order and the first divergence is located. */
  graph?: GraphOrder;
  onProgress?(done: number, total: number, name: string): void;
  /** Injected clock (the pure layer has no performance/Date guarantees it wants to rely on). */
  now?(): number;
  /** Where pairs are judged (e.g. a worker pool); default: sequentially on this thread. */
  executor?: CompareExecutor;
  /** Tensors each backend fused away or could not capture: reported as such, not as unpaired. */
  fused?: AbsentTensors['fused'];
  skipped?: AbsentTensors['skipped'];
  /**
   * The inputs each run was fed, when known (null: unknown); their tensors are among the provider's names and are
   * judged like any other, and any difference in them (even within the tolerances) is reported in `inputs.differing`.
   */
  inputs?: { a: RunInputs | null; b: RunInputs | null };
}

/** The inputs a run was fed: where that is known from, and their names. */
export interface RunInputs {
  source: string;
  names: readonly string[];
}

function inputCheck(tensors: readonly TensorReport[], inputs: NonNullable<CompareRunsOptions['inputs']>): InputCheckReport {
  const inB = new Set(inputs.b?.names ?? []);
  const both = new Set((inputs.a?.names ?? []).filter((n) => inB.has(n)));
  const compared = tensors.filter((t) => both.has(t.name) && t.nameB === t.name);
  return {
    sources: { a: inputs.a?.source ?? null, b: inputs.b?.source ?? null },
    compared: compared.map((t) => t.name),
    // Any difference at all, not only one past the tolerances: a run fed other data is no evidence about a layer.
    differing: compared.filter((t) => !(t.status === 'pass' && t.metrics && fromJsonNumber(t.metrics.abs.max) === 0)).map((t) => t.name),
  };
}

export async function compareRuns(a: TensorProvider, b: TensorProvider, o: CompareRunsOptions): Promise<ComparisonReport> {
  const now = o.now ?? (() => Date.now());
  const t0 = now();
  const pairing = pairTensors(a.names, b.names, o.nameMap);
  const exec = o.executor ?? sequentialExecutor();
  const total = pairing.pairs.length;
  const results: PairResult[] = new Array(total);
  const tols: Tolerance[] = pairing.pairs.map((p) => toleranceFor(o.tolerances, p.a));
  const options = { infinitiesCompareEqual: o.infinitiesCompareEqual, dtypeMismatch: o.dtypeMismatch };
  let next = 0;
  let done = 0;
  let stopped = false;
  // `concurrency` lanes pull pairs in order; results land by index, so the report order is unchanged.
  const lane = async () => {
    while (next < total && !stopped) {
      const i = next++;
      const p = pairing.pairs[i];
      o.onProgress?.(done, total, p.a);
      try {
        results[i] = await exec.compare({ index: i, nameA: p.a, nameB: p.b, tolerance: tols[i], options }, a, b);
      } catch (e) {
        stopped = true; // stop handing out pairs; the first error is the one reported
        throw e;
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(exec.concurrency, total)) }, lane));
  const tensors: TensorReport[] = [];
  let bytes = 0;
  for (const [i, p] of pairing.pairs.entries()) {
    const r = results[i];
    bytes += r.bytes;
    tensors.push({
      name: p.a,
      nameB: p.b,
      shape: r.shape,
      dtype: r.dtype,
      tolerance: tols[i],
      status: r.passed ? 'pass' : 'fail',
      reason: r.reason,
      metrics: r.metrics ? metricsReport(r.metrics) : null,
    });
  }
  o.onProgress?.(pairing.pairs.length, pairing.pairs.length, '');

  const explained = explainAbsent(pairing, a.names, b.names, o.nameMap ?? {}, { fused: o.fused, skipped: o.skipped });
  let firstDivergence: ComparisonReport['firstDivergence'] = null;
  if (o.graph) {
    const pos = new Map(o.graph.order.map((t, i) => [t, i]));
    const byGraph = (u: string, w: string) => (pos.get(u) ?? Infinity) - (pos.get(w) ?? Infinity);
    explained.fused.sort((u, w) => byGraph(graphNameOf(u), graphNameOf(w)));
    explained.skipped.sort((u, w) => byGraph(graphNameOf(u), graphNameOf(w)));
    const status = new Map<string, TensorStatus>(tensors.map((t) => [t.name, t.status]));
    const absent = new Map<string, AbsentNote>();
    for (const t of explained.skipped) absent.set(graphNameOf(t), { skipped: t.reason });
    for (const t of explained.fused) absent.set(graphNameOf(t), { fusedInto: t.layer });
    firstDivergence = findDivergence(o.graph, status, absent);
  }
  const failed = tensors.filter((t) => t.status === 'fail').length;
  const position = new Map(o.graph?.order.map((t, i) => [t, i]) ?? []);
  const weights = o.graph?.weights;
  const ordered = triageSort(tensors, (t) => triageRank(t.status, weights?.has(t.name) ?? false), (t) => position.get(t.name));
  return {
    version: 1,
    runners: { a: o.runnerA, b: o.runnerB },
    options: {
      tolerances: o.tolerances ?? {},
      infinitiesCompareEqual: o.infinitiesCompareEqual ?? false,
      dtypeMismatch: o.dtypeMismatch ?? 'fail',
      nameMap: o.nameMap ?? {},
    },
    tensors: ordered,
    ...(o.inputs ? { inputs: inputCheck(ordered, o.inputs) } : {}),
    unpaired: { onlyA: explained.onlyA, onlyB: explained.onlyB, brokenMap: pairing.brokenMap },
    fused: explained.fused,
    skipped: explained.skipped,
    summary: {
      compared: tensors.length,
      passed: tensors.length - failed,
      failed,
      onlyA: explained.onlyA.length,
      onlyB: explained.onlyB.length,
      fused: explained.fused.length,
      skipped: explained.skipped.length,
      bytes,
      seconds: (now() - t0) / 1000,
    },
    firstDivergence,
  };
}
