// What the webview gets after a comparison: the overlay, one table row per compared (or fused away) tensor, the first
// divergence with where its box is. Small per tensor (numbers and names, never values). Pure: no vscode.
import { isDefaultDomain, type GraphModel } from '../../core/graph';
import { fromJsonNumber, inputMismatchWarning, inputsUnknownNote, runnerLabel, type ComparisonReport, type TensorReport } from '../../compare/report';
import type { Tolerance } from '../../compare/verdict';
import type { ViewModel } from '../../layout/viewModel';
import type { CompareResultView, CompareTableRow, FirstDivergenceView } from '../../protocol/compare';
import { revealTarget } from '../inspect/reveal';
import { absentTensors, computeOverlay, tensorError, type AbsentTensor } from './overlay';

function tableRow(t: TensorReport, weights: ReadonlySet<string>): CompareTableRow {
  const e = tensorError(t);
  const cos = t.metrics ? fromJsonNumber(t.metrics.cosineSimilarity) : NaN;
  const sides = <T>(pair: [T, T], str: (x: T) => string) => (str(pair[0]) === str(pair[1]) ? str(pair[0]) : `${str(pair[0])} vs ${str(pair[1])}`);
  return {
    name: t.name,
    status: t.status,
    maxAbs: t.metrics ? e.abs : null,
    maxRel: t.metrics ? e.rel : null,
    cosine: Number.isFinite(cos) ? cos : null,
    shape: sides(t.shape, (s) => `[${s.join(', ')}]`),
    dtype: sides(t.dtype, String),
    reason: t.reason,
    ...(weights.has(t.name) ? { weight: true } : {}),
  };
}

/** Initializers and Constant outputs. */
function weightsOf(graph: GraphModel): Set<string> {
  const w = new Set(graph.initializers);
  for (const n of graph.nodes) if (n.opType === 'Constant' && isDefaultDomain(n)) for (const o of n.outputs) w.add(o);
  return w;
}

function absentRow(t: AbsentTensor): CompareTableRow {
  return { name: t.name, status: t.status, maxAbs: null, maxRel: null, cosine: null, shape: '', dtype: '', reason: t.reason };
}

/** Tensor name -> position in graph order (inputs, then node outputs topologically). */
function graphPositions(graph: GraphModel): Map<string, number> {
  const pos = new Map<string, number>();
  for (const name of graph.inputs) pos.set(name, pos.size);
  for (const i of graph.order) for (const out of graph.nodes[i].outputs) if (out !== '' && !pos.has(out)) pos.set(out, pos.size);
  return pos;
}

/**
 * Every compared, fused and skipped tensor in graph order (those outside it after, in the report's order): the
 * table's graph order. The webview opens it failures first (tableSort.ts).
 */
function tableRows(report: ComparisonReport, graph: GraphModel, runners: { a: string; b: string }): CompareTableRow[] {
  const weights = weightsOf(graph);
  const rows = [...report.tensors.map((t) => tableRow(t, weights)), ...absentTensors(report, runners).map(absentRow)];
  const pos = graphPositions(graph);
  const at = (r: CompareTableRow) => pos.get(r.name) ?? Infinity;
  return rows.map((r, i) => ({ r, i })).sort((x, y) => at(x.r) - at(y.r) || x.i - y.i).map((x) => x.r);
}

export function firstDivergenceView(report: ComparisonReport, graph: GraphModel, view: ViewModel): FirstDivergenceView | null {
  const first = report.firstDivergence?.first;
  if (!first) return null;
  const producer = graph.values.get(first.tensor)?.producer ?? -1;
  const node = producer >= 0 ? graph.nodes[producer] : undefined;
  let target = null;
  try {
    target = revealTarget(graph, view, `t:${first.tensor}`);
  } catch {
    // Not drawn in this view (e.g. a tensor only inside a subgraph): the table still names it.
  }
  return { tensor: first.tensor, node: node?.name ?? '', op: node?.opType ?? '', target, explains: first.explains.length };
}

/** `dockHeight`: the height the user left the dock at, remembered by the host. */
export function compareResultView(report: ComparisonReport, graph: GraphModel, view: ViewModel, tolerance: Tolerance, notes: string[],
  dockHeight: number | null = null): CompareResultView {
  const s = report.summary;
  const runners = { a: runnerLabel(report.runners.a), b: runnerLabel(report.runners.b) };
  return {
    runners,
    inputs: { warning: inputMismatchWarning(report), note: inputsUnknownNote(report) },
    dockHeight,
    summary: { compared: s.compared, passed: s.passed, failed: s.failed, onlyA: s.onlyA, onlyB: s.onlyB, fused: s.fused ?? 0, skipped: s.skipped ?? 0, seconds: s.seconds },
    tolerances: { atol: tolerance.atol, rtol: tolerance.rtol, checkErrorStat: tolerance.checkErrorStat },
    overlay: computeOverlay(report, graph, view, runners),
    rows: tableRows(report, graph, runners),
    firstDivergence: firstDivergenceView(report, graph, view),
    notes,
  };
}
