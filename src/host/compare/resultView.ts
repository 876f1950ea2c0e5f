// What the webview gets after a comparison: the overlay, one table row per compared tensor, the first
// divergence with where its box is. Small per tensor (numbers and names, never values). Pure: no vscode.
import type { GraphModel } from '../../core/graph';
import { fromJsonNumber, type ComparisonReport, type TensorReport } from '../../compare/report';
import type { Tolerance } from '../../compare/verdict';
import type { ViewModel } from '../../layout/viewModel';
import type { CompareResultView, CompareTableRow, FirstDivergenceView } from '../../protocol/compare';
import { revealTarget } from '../inspect/reveal';
import { computeOverlay, tensorError } from './overlay';

function tableRow(t: TensorReport): CompareTableRow {
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
  };
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

export function compareResultView(report: ComparisonReport, graph: GraphModel, view: ViewModel, tolerance: Tolerance, notes: string[]): CompareResultView {
  const s = report.summary;
  return {
    runners: { a: report.runners.a.runnerName, b: report.runners.b.runnerName },
    summary: { compared: s.compared, passed: s.passed, failed: s.failed, onlyA: s.onlyA, onlyB: s.onlyB, seconds: s.seconds },
    tolerances: { atol: tolerance.atol, rtol: tolerance.rtol, checkErrorStat: tolerance.checkErrorStat },
    overlay: computeOverlay(report, graph, view),
    rows: report.tensors.map(tableRow),
    firstDivergence: firstDivergenceView(report, graph, view),
    notes,
  };
}
