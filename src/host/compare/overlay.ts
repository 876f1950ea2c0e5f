// The error overlay from a comparison report: an error per tensor, per op box (its worst output) and per group
// (its worst child, so a collapsed group shows the worst error inside). Computed over the whole view model, so
// any later layout (groups opened or closed) colors without asking the host again. Pure: no vscode.
import type { GraphModel } from '../../core/graph';
import { fromJsonNumber, type ComparisonReport, type TensorReport } from '../../compare/report';
import type { ViewItem, ViewModel } from '../../layout/viewModel';
import type { CompareOverlay, ItemError, TensorError } from '../../protocol/compare';

/** JSON carries no NaN/Infinity: a non-finite error is the worst there is. */
export function finiteError(v: number): number {
  return Number.isFinite(v) ? v : Number.MAX_VALUE;
}

export function tensorError(t: TensorReport): TensorError {
  if (!t.metrics) {
    // Not comparable (shape or dtype mismatch): a failure with no number, drawn as the worst.
    return t.status === 'fail' ? { abs: Number.MAX_VALUE, rel: Number.MAX_VALUE, status: 'fail' } : { abs: null, rel: null, status: t.status };
  }
  return { abs: finiteError(fromJsonNumber(t.metrics.abs.max)), rel: finiteError(fromJsonNumber(t.metrics.rel.max)), status: t.status };
}

/** Keeps the larger of each metric; `worst` follows the relative error (then the absolute one). */
function merge(into: ItemError | undefined, name: string, e: TensorError | ItemError): ItemError {
  const failed = 'failed' in e ? e.failed : e.status === 'fail';
  const worst = 'worst' in e ? e.worst : name;
  if (!into) return { abs: e.abs, rel: e.rel, worst, failed };
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

export function computeOverlay(report: ComparisonReport, graph: GraphModel, view: ViewModel): CompareOverlay {
  const tensors: Record<string, TensorError> = {};
  for (const t of report.tensors) tensors[t.name] = tensorError(t);
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
        if (e && (e.abs !== null || e.rel !== null || e.status === 'fail')) acc = merge(acc, name, e);
      }
    }
    if (acc) items[item.id] = acc;
    return acc;
  };
  visit(view.root);
  return { tensors, items };
}
