// The error overlay from a comparison report: an error per tensor, per op box (its worst output) and per group
// (its worst child, so a collapsed group shows the worst error inside). Computed over the whole view model, so
// any later layout (groups opened or closed) colors without asking the host again. Tensors a backend fused away
// (or could not capture) get a state of their own, as do boxes with nothing but such tensors. Pure: no vscode.
import type { GraphModel } from '../../core/graph';
import { fromJsonNumber, graphNameOf, maxRelOf, type ComparisonReport, type TensorReport } from '../../compare/report';
import type { ViewItem, ViewModel } from '../../layout/viewModel';
import type { AbsentState, CompareOverlay, ItemError, TensorError } from '../../protocol/compare';

/** A tensor a backend did not produce, by its graph name: the table's reason and the tooltip's note. */
export interface AbsentTensor {
  name: string;
  status: AbsentState;
  /** "fused into Conv_3 + Relu_4" / the backend's reason. */
  reason: string;
  /** The reason and which run's backend: "fused into Conv_3 + Relu_4 by TensorRT". */
  note: string;
}

/** The report's fused then skipped tensors (each in graph order); `runners` names the runs as the user chose them. */
export function absentTensors(report: ComparisonReport, runners: { a: string; b: string }): AbsentTensor[] {
  const fused = (report.fused ?? []).map((f): AbsentTensor => {
    const reason = f.layer === null ? 'fused away (layer unknown)' : `fused into ${f.layer}`;
    return { name: graphNameOf(f), status: 'fused', reason, note: `${reason} by ${runners[f.side]}` };
  });
  const skipped = (report.skipped ?? []).map((t): AbsentTensor => (
    { name: graphNameOf(t), status: 'skipped', reason: t.reason, note: `not captured by ${runners[t.side]}: ${t.reason}` }));
  return [...fused, ...skipped];
}

/** JSON carries no NaN/Infinity: a non-finite error is the worst there is. */
export function finiteError(v: number): number {
  return Number.isFinite(v) ? v : Number.MAX_VALUE;
}

export function tensorError(t: TensorReport): TensorError {
  if (!t.metrics) {
    // Not comparable (shape or dtype mismatch): a failure with no number, drawn as the worst.
    return t.status === 'fail' ? { abs: Number.MAX_VALUE, rel: Number.MAX_VALUE, status: 'fail' } : { abs: null, rel: null, status: t.status };
  }
  // 0/0 relative errors (identical integer zeros) count as 0, not as NaN, the worst.
  return { abs: finiteError(fromJsonNumber(t.metrics.abs.max)), rel: finiteError(maxRelOf(t.metrics)), status: t.status };
}

function absentState(e: TensorError | ItemError): AbsentState | undefined {
  if ('worst' in e) return e.state;
  return e.status === 'fused' || e.status === 'skipped' ? e.status : undefined;
}

/**
 * Keeps the larger of each metric; `worst` follows the relative error (then the absolute one). A compared tensor
 * outweighs fused ones (the box shows what was measured); among fused ones the first names the box.
 */
function merge(into: ItemError | undefined, name: string, e: TensorError | ItemError): ItemError {
  const failed = 'failed' in e ? e.failed : e.status === 'fail';
  const worst = 'worst' in e ? e.worst : name;
  const state = absentState(e);
  if (into?.state && !state) into = undefined;
  if (!into) return state ? { abs: null, rel: null, worst, failed: false, state, note: e.note } : { abs: e.abs, rel: e.rel, worst, failed };
  if (state) return into;
  const key = (x: { abs: number | null; rel: number | null }) => [x.rel ?? -1, x.abs ?? -1];
  const [r1, a1] = key(into), [r2, a2] = key(e);
  return {
    abs: max(into.abs, e.abs),
    rel: max(into.rel, e.rel),
    worst: r2 > r1 || (r2 === r1 && a2 > a1) ? worst : into.worst,
    failed: into.failed || failed,
  };
}

function max(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Tensors an item stands for: an op's outputs, an input's or output's own tensor. */
function itemTensors(graph: GraphModel, item: ViewItem): readonly string[] {
  if (item.kind === 'op' && item.nodeIndex !== undefined) return graph.nodes[item.nodeIndex]?.outputs ?? [];
  if (item.kind === 'input' || item.kind === 'output') return [item.name];
  return [];
}

export function computeOverlay(report: ComparisonReport, graph: GraphModel, view: ViewModel, runners = { a: report.runners.a.runnerName, b: report.runners.b.runnerName }): CompareOverlay {
  const tensors: Record<string, TensorError> = {};
  for (const t of report.tensors) tensors[t.name] = tensorError(t);
  for (const t of absentTensors(report, runners)) {
    if (!Object.prototype.hasOwnProperty.call(tensors, t.name)) tensors[t.name] = { abs: null, rel: null, status: t.status, note: t.note };
  }
  const items: Record<string, ItemError> = {};
  const visit = (item: ViewItem): ItemError | undefined => {
    let acc: ItemError | undefined;
    if (item.kind === 'group') {
      for (const id of item.children ?? []) {
        const child = view.items.get(id);
        const e = child && visit(child);
        if (e) acc = merge(acc, e.worst, e);
      }
    } else {
      for (const name of itemTensors(graph, item)) {
        const e = Object.prototype.hasOwnProperty.call(tensors, name) ? tensors[name] : undefined;
        if (e && (e.abs !== null || e.rel !== null || e.status !== 'pass')) acc = merge(acc, name, e);
      }
    }
    if (acc) items[item.id] = acc;
    return acc;
  };
  visit(view.root);
  return { tensors, items };
}
