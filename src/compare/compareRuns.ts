// Compares two runs tensor by tensor: pairs by name, loads one pair at a time (memory stays at two
// tensors plus scratch), judges each with Polygraphy's semantics, then locates the first divergence.
import { NdArray, itemSize } from './ndarray';
import { pairTensors } from './pairing';
import { GraphOrder, TensorStatus, findDivergence } from './divergence';
import { ComparisonReport, RunnerRef, TensorReport, metricsReport } from './report';
import { ToleranceConfig, compareTensorPair, toleranceFor } from './verdict';
import { Scratch } from './tensorMetrics';

/** A run's tensors as the comparison sees them; loading may be lazy (from disk). */
export interface TensorProvider {
  names: readonly string[];
  load(name: string): Promise<NdArray> | NdArray;
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
}

export async function compareRuns(a: TensorProvider, b: TensorProvider, o: CompareRunsOptions): Promise<ComparisonReport> {
  const now = o.now ?? (() => Date.now());
  const t0 = now();
  const pairing = pairTensors(a.names, b.names, o.nameMap);
  const scratch = new Scratch();
  const tensors: TensorReport[] = [];
  let bytes = 0;
  for (const [i, p] of pairing.pairs.entries()) {
    o.onProgress?.(i, pairing.pairs.length, p.a);
    const x = await a.load(p.a);
    const y = await b.load(p.b);
    const tol = toleranceFor(o.tolerances, p.a);
    const v = compareTensorPair(x, y, tol, { infinitiesCompareEqual: o.infinitiesCompareEqual, dtypeMismatch: o.dtypeMismatch, scratch });
    bytes += x.data.length * itemSize(x.dtype) + y.data.length * itemSize(y.dtype);
    tensors.push({
      name: p.a,
      nameB: p.b,
      shape: [x.shape, y.shape],
      dtype: [x.dtype, y.dtype],
      tolerance: tol,
      status: v.passed ? 'pass' : 'fail',
      reason: v.reason,
      metrics: v.metrics ? metricsReport(v.metrics) : null,
    });
  }
  o.onProgress?.(pairing.pairs.length, pairing.pairs.length, '');

  let firstDivergence: ComparisonReport['firstDivergence'] = null;
  if (o.graph) {
    const pos = new Map(o.graph.order.map((t, i) => [t, i]));
    tensors.sort((u, w) => (pos.get(u.name) ?? Infinity) - (pos.get(w.name) ?? Infinity));
    const status = new Map<string, TensorStatus>(tensors.map((t) => [t.name, t.status]));
    firstDivergence = findDivergence(o.graph, status);
  }
  const failed = tensors.filter((t) => t.status === 'fail').length;
  return {
    version: 1,
    runners: { a: o.runnerA, b: o.runnerB },
    options: {
      tolerances: o.tolerances ?? {},
      infinitiesCompareEqual: o.infinitiesCompareEqual ?? false,
      dtypeMismatch: o.dtypeMismatch ?? 'fail',
      nameMap: o.nameMap ?? {},
    },
    tensors,
    unpaired: { onlyA: pairing.onlyA, onlyB: pairing.onlyB, brokenMap: pairing.brokenMap },
    summary: {
      compared: tensors.length,
      passed: tensors.length - failed,
      failed,
      onlyA: pairing.onlyA.length,
      onlyB: pairing.onlyB.length,
      bytes,
      seconds: (now() - t0) / 1000,
    },
    firstDivergence,
  };
}
