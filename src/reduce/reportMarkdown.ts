// The reduction's report for people: what was compared, every step with the candidate's size, its verdict and
// time, and the minimal subgraph (nodes, inputs, outputs, failing tensors).
import { JsonNumber } from '../compare/report';
import { ReduceResult } from './reduce';

function num(v: JsonNumber | undefined): string {
  if (v === undefined) return '-';
  if (typeof v !== 'number') return v;
  return v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? Number(v.toPrecision(4)).toString() : v.toExponential(2);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Files the reduction wrote, named in the report when known. */
export interface ReportFiles {
  model?: string;
  referenceModel?: string;
  inputs?: string;
}

export function renderReduceReport(r: ReduceResult, files: ReportFiles = {}): string {
  const lines: string[] = ['# Reduce to the smallest failing subgraph', ''];
  lines.push(`- A (under test): ${cell(r.sides.a)} on \`${r.modelPaths.a}\``);
  lines.push(`- B (reference): ${cell(r.sides.b)} on \`${r.modelPaths.b}\``);
  const tol = r.fullReport.options.tolerances.default ?? {};
  lines.push(`- tolerances: atol ${tol.atol ?? 1e-5}, rtol ${tol.rtol ?? 1e-5}, check ${tol.checkErrorStat ?? 'elemwise'}`);
  if (r.divergence) lines.push(`- first divergence: \`${cell(r.divergence.tensor)}\`, output of ${cell(r.divergence.node)}`);
  const verdict = {
    reduced: `reduced to ${r.minimal?.nodes.length ?? 0} node(s)`,
    'no-failure': 'the full models do not fail: nothing to reduce',
    'not-reducible': 'no candidate fails on its own with reference inputs: the failure needs the whole model as it was run',
  }[r.status];
  lines.push(`- result: ${verdict}; ${r.candidateRuns} candidate run(s), ${r.seconds.toFixed(2)} s in all`, '');
  lines.push('## Steps', '', '| step | phase | nodes | result | time (s) | first failing tensor / error |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of r.steps) {
    lines.push(`| ${s.index} | ${s.phase} | ${s.nodes} | ${s.failed ? 'fail' : 'pass'} | ${s.seconds.toFixed(3)} | ${cell(s.error ? `error: ${s.error}` : s.failing ?? '')} |`);
  }
  const m = r.minimal;
  if (m) {
    lines.push('', '## Minimal failing subgraph', '');
    if (files.model) lines.push(`- model: \`${files.model}\``);
    if (files.referenceModel) lines.push(`- reference model (B's subgraph): \`${files.referenceModel}\``);
    if (files.inputs) lines.push(`- inputs (reference values, Polygraphy JSON): \`${files.inputs}\``);
    lines.push(`- nodes: ${m.nodeLabels.map(cell).join(', ')}`);
    lines.push(`- inputs: ${m.inputs.map((n) => `\`${cell(n)}\``).join(', ') || 'none'}`);
    lines.push(`- outputs: ${m.outputs.map((n) => `\`${cell(n)}\``).join(', ')}`, '');
    lines.push('| tensor | result | max abs | max rel | mismatches |', '| --- | --- | --- | --- | --- |');
    for (const t of m.report.tensors) {
      lines.push(`| ${cell(t.name)} | ${t.status} | ${num(t.metrics?.abs.max)} | ${num(t.metrics?.rel.max)} | ${t.metrics ? `${t.metrics.mismatches}/${t.metrics.count}` : '-'} |`);
    }
    if (files.model && files.inputs) {
      lines.push('', 'Repeat it: `polygraphy run ' + files.model + ' --onnxrt --load-inputs ' + files.inputs + '` or `onnx-inspector run ' + files.model + ' --inputs ' + files.inputs + ' --save-results out.json`.');
    }
  }
  return lines.join('\n') + '\n';
}
