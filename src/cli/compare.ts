// `compare A.json [B.json] [--model MODEL]`: compare two saved runs tensor by tensor with Polygraphy's
// semantics; with the model, in graph order, naming the node where the runs first diverge.
// Exit 0: every compared tensor passes; 1: some fail (or an error); 2: usage.
import * as fs from 'node:fs';
import { compareBackends } from '../backends/compareBackends';
import { createResultsBackend, parseRunnerChoice } from '../backends/resultsBackend';
import { CulpritInput } from '../compare/divergence';
import { ComparisonReport, JsonNumber, inputMismatchWarning, inputsUnknownNote, runnerLabel } from '../compare/report';
import { distinctLabels } from '../compare/runnerLabels';
import { resultsFileLabel } from '../backends/results/resultsLabel';
import { renderMarkdown } from '../compare/reportMarkdown';
import { GraphModel, describeNode } from '../core/graph';
import { Command, CliError, single, UsageError } from './command';
import { loadModel } from './modelInput';
import { TOLERANCE_OPTIONS, toleranceFromArgs } from './toleranceOptions';
import { checkResultsFile } from './resultsFileCheck';

const USER_ERRORS = new Set(['InputError', 'BackendError', 'RunCancelledError', 'RangeError']);

/** Errors of the backends layer are written for users: report them on one line, not as internal. */
export function asCliError(e: unknown): unknown {
  if (e instanceof Error && (USER_ERRORS.has(e.name) || /^no runner|^runner '|has no iteration|iteration \d+ is missing/.test(e.message))) return new CliError(e.message);
  return e;
}

function num(v: JsonNumber | undefined): string {
  if (v === undefined) return '-';
  if (typeof v !== 'number') return v;
  return v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? Number(v.toPrecision(4)).toString() : v.toExponential(2);
}

function table(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n') + '\n';
}

/** A culprit input's verdict, or why it was not compared. */
function inputState(i: CulpritInput): string {
  if (i.fusedInto !== undefined) return i.fusedInto === null ? 'fused (layer unknown)' : `fused into ${i.fusedInto}`;
  return i.skipped !== undefined ? 'not captured' : i.status;
}

/** The compact terminal summary: counts, the first divergence and its node, the failing tensors. */
export function summaryText(r: ComparisonReport, graph?: GraphModel, maxRows = 15): string {
  const s = r.summary;
  const lines: string[] = [];
  lines.push(`A: ${runnerLabel(r.runners.a)} vs B: ${runnerLabel(r.runners.b)} (reference): ${s.compared} compared, ${s.passed} passed, ${s.failed} failed` +
    `${s.fused ? `, ${s.fused} fused away (not compared)` : ''}${s.skipped ? `, ${s.skipped} not captured` : ''}` +
    `${s.onlyA || s.onlyB ? `; unpaired: ${s.onlyA} only in A, ${s.onlyB} only in B` : ''} (${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s)`);
  const warning = inputMismatchWarning(r);
  if (warning) lines.push(`WARNING: ${warning}`);
  const unknown = inputsUnknownNote(r);
  if (unknown) lines.push(`note: ${unknown}`);
  const first = r.firstDivergence?.first;
  if (first && graph) {
    const producer = graph.values.get(first.tensor)?.producer ?? -1;
    const what = producer >= 0 ? `output of ${describeNode(graph.nodes[producer])}` : graph.inputs.includes(first.tensor) ? 'a graph input' : 'output of (no producing node)';
    lines.push(`first divergence: ${first.tensor}, ${what}; its inputs: ${first.inputs.map((i) => `${i.name} ${inputState(i)}`).join(', ') || 'none'}`);
    lines.push(`  explains ${first.explains.length} failing tensor(s) downstream; ${(r.firstDivergence?.culprits.length ?? 1) - 1} other independent divergence(s)`);
  }
  const failing = r.tensors.filter((t) => t.status === 'fail');
  if (failing.length) {
    // In the report's order: graph order, so the first divergence comes first.
    const rows = [['', 'tensor', 'max abs', 'max rel', 'mismatches', 'reason']];
    for (const t of failing.slice(0, maxRows)) {
      rows.push([t.name === first?.tensor ? '>' : ' ', t.name, num(t.metrics?.abs.max), num(t.metrics?.relDefinedMax ?? t.metrics?.rel.max), t.metrics ? `${t.metrics.mismatches}/${t.metrics.count}` : '-', t.reason]);
    }
    lines.push('', table(rows).trimEnd());
    if (failing.length > maxRows) lines.push(`... ${failing.length - maxRows} more failing tensor(s) (see --report/--json)`);
  }
  lines.push(...absentText(r, maxRows));
  return lines.join('\n') + '\n';
}

/** Tensors a backend fused away or could not capture (not failures): the first `maxRows` of each, with why. */
function absentText(r: ComparisonReport, maxRows: number): string[] {
  const lines: string[] = [];
  const run = (side: 'a' | 'b') => `${side.toUpperCase()}: ${runnerLabel(r.runners[side])}`;
  const list = (title: string, items: { tensor: string; side: 'a' | 'b'; why: string }[]) => {
    if (!items.length) return;
    const rows = [['', 'tensor', 'run', 'why']];
    for (const t of items.slice(0, maxRows)) rows.push([' ', t.tensor, run(t.side), t.why]);
    lines.push('', `${title} (${items.length}):`, table(rows).trimEnd());
    if (items.length > maxRows) lines.push(`... ${items.length - maxRows} more (see --report/--json)`);
  };
  list('fused away by the backend, not compared (not failures)', (r.fused ?? []).map((f) => ({ ...f, why: f.layer === null ? 'fused (layer unknown)' : `fused into ${f.layer}` })));
  list('not captured by the backend', (r.skipped ?? []).map((t) => ({ ...t, why: t.reason })));
  return lines;
}



export const compareCommand: Command = {
  name: 'compare',
  summary: 'Compare two runs saved as Polygraphy RunResults files (from `onnx-inspector run` or `polygraphy run --save-results`; one file holding two runners works too). With --model, tensors are ordered as in the graph and the first divergence names the node where the runs start to disagree. Exit code 0 when all compared tensors pass, 1 when some fail.',
  synopsis: 'A.json [B.json] [--model MODEL] [--runner-a NAME] [--runner-b NAME] [--atol X] [--rtol Y] [--check-error-stat elemwise|max|mean|median|quantile] [--report OUT.md] [--json OUT.json]',
  positionals: [{ name: 'A' }, { name: 'B', optional: true }],
  options: [
    { name: 'model', short: 'm', kind: 'string', help: 'the model: graph order and first divergence' },
    { name: 'runner-a', kind: 'string', help: 'runner of A: name, name prefix or index (default 0)' },
    { name: 'runner-b', kind: 'string', help: 'runner of B, the reference (default: 0 of B, or the next runner of A)' },
    ...TOLERANCE_OPTIONS,
    { name: 'report', kind: 'string', help: 'write a markdown report here' },
    { name: 'json', kind: 'string', help: 'write the JSON report here' },
    { name: 'force', kind: 'flag', help: 'replace --report/--json files if they exist' },
  ],
  async run(args, io) {
    const [fileA, fileB] = args.positionals;
    const tol = toleranceFromArgs(args);
    const reportPath = single(args, 'report');
    const jsonPath = single(args, 'json');
    for (const p of [reportPath, jsonPath]) {
      if (p && !args.flags.has('force') && fs.existsSync(p)) throw new CliError(`${p} already exists; choose another file or pass --force to replace it`);
    }
    for (const f of [fileA, fileB]) if (f) checkResultsFile(f);
    const modelPath = single(args, 'model');
    const graph = modelPath ? loadModel(modelPath).graph : undefined;
    const runnerA = parseRunnerChoice(single(args, 'runner-a')) ?? 0;
    // One file: B defaults to the runner after A, as Polygraphy's default comparison.
    const runnerB = parseRunnerChoice(single(args, 'runner-b')) ?? (fileB ? 0 : typeof runnerA === 'number' ? runnerA + 1 : 1);
    if (!fileB && runnerA === runnerB) throw new UsageError('with one results file, --runner-a and --runner-b must differ');
    const request = { modelPath: modelPath ?? '', inputs: new Map(), capture: 'all' as const };
    let report: ComparisonReport;
    try {
      ({ report } = await compareBackends(
        { backend: createResultsBackend(fileA, { runner: runnerA }), request },
        { backend: createResultsBackend(fileB ?? fileA, { runner: runnerB }), request },
        { graph, tolerances: { default: tol } },
      ));
    } catch (e) {
      throw asCliError(e);
    }
    // What each side is, for people: the file and the runner, never the same text for both.
    const pathB = fileB ?? fileA;
    const labels = distinctLabels(resultsFileLabel(fileA, report.runners.a.runnerName), resultsFileLabel(pathB, report.runners.b.runnerName),
      { a: `results file ${fileA}, runner ${report.runners.a.runnerName}`, b: `results file ${pathB}, runner ${report.runners.b.runnerName}` });
    report.runners.a.label = labels.a;
    report.runners.b.label = labels.b;
    if (report.summary.compared === 0) throw new CliError(`no tensor names in common between ${report.runners.a.runnerName} and ${report.runners.b.runnerName}: nothing was compared`);
    io.out(summaryText(report, graph));
    if (reportPath) fs.writeFileSync(reportPath, renderMarkdown(report));
    if (jsonPath) fs.writeFileSync(jsonPath, JSON.stringify(report, null, 1));
    return report.summary.failed > 0 ? 1 : 0;
  },
};
