// Markdown rendering of a ComparisonReport: summary, first divergence, failures, then the rest.
import { shapeToString } from './ndarray';
import { ComparisonReport, JsonNumber, RunnerRef, TensorReport, inputMismatchWarning, inputsUnknownNote, runnerLabel } from './report';
import { Culprit, CulpritInput } from './divergence';

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/\n/g, ' ');
}

function num(v: JsonNumber | undefined): string {
  if (v === undefined) return '';
  if (typeof v !== 'number') return v;
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? Number(v.toPrecision(4)).toString() : v.toExponential(3);
}

function row(t: TensorReport): string {
  const m = t.metrics;
  const shape = t.shape[0].join() === t.shape[1].join() ? shapeToString(t.shape[0]) : `${shapeToString(t.shape[0])} vs ${shapeToString(t.shape[1])}`;
  const dtype = t.dtype[0] === t.dtype[1] ? t.dtype[0] : `${t.dtype[0]} vs ${t.dtype[1]}`;
  const name = t.name === t.nameB ? `\`${esc(t.name)}\`` : `\`${esc(t.name)}\` ↔ \`${esc(t.nameB)}\``;
  const cells = [
    t.status === 'pass' ? 'pass' : '**FAIL**',
    name,
    shape,
    dtype,
    num(m?.abs.max),
    num(m?.abs.mean),
    num(m?.relDefinedMax ?? m?.rel.max),
    num(m?.rel.quantile),
    num(m?.cosineSimilarity),
    m ? `${m.nan[0]}/${m.nan[1]}` : '',
    esc(t.reason),
  ];
  return `| ${cells.join(' | ')} |`;
}

const HEAD = '| | tensor | shape | dtype | max abs | mean abs | max rel | q rel | cosine | NaN a/b | reason |\n|---|---|---|---|---|---|---|---|---|---|---|';

/** "fused into `L`" / "fused away (layer unknown)" / "not captured: why" / the verdict. */
function inputState(i: CulpritInput): string {
  if (i.fusedInto !== undefined) return i.fusedInto === null ? 'fused away, layer unknown' : `fused into \`${esc(i.fusedInto)}\``;
  if (i.skipped !== undefined) return `not captured: ${esc(i.skipped)}`;
  return i.status;
}

function culprit(c: Culprit): string {
  const inputs = c.inputs.length ? c.inputs.map((i) => `\`${esc(i.name)}\` (${inputState(i)})`).join(', ') : 'graph inputs/initializers only';
  const ex = c.explains.length ? `; explains ${c.explains.length} failing tensor(s) downstream: ${c.explains.slice(0, 10).map((n) => `\`${esc(n)}\``).join(', ')}${c.explains.length > 10 ? ', …' : ''}` : '';
  return `\`${esc(c.tensor)}\` (#${c.position} in graph order) — producer inputs: ${inputs}${ex}`;
}

export function renderMarkdown(r: ComparisonReport, opts: { maxPassing?: number } = {}): string {
  const out: string[] = [];
  const s = r.summary;
  const who = (x: RunnerRef) => `${esc(runnerLabel(x))}${x.label !== undefined && x.label !== x.runnerName ? ` (runner ${esc(x.runnerName)}, iteration ${x.iteration})` : ` (iteration ${x.iteration})`}`;
  out.push(`# Comparison: A: ${esc(runnerLabel(r.runners.a))} vs B: ${esc(runnerLabel(r.runners.b))}`, '');
  out.push(`Compared (A): ${who(r.runners.a)}; reference for relative error (B): **${who(r.runners.b)}**.`, '');
  const warning = inputMismatchWarning(r);
  if (warning) out.push(`> **Warning:** ${esc(warning)}`, '');
  const unknown = inputsUnknownNote(r);
  if (unknown) out.push(`Note: ${esc(unknown)}`, '');
  const absent = [s.fused ? `${s.fused} fused away by a backend (not compared, not failures)` : '', s.skipped ? `${s.skipped} not captured` : ''].filter(Boolean);
  out.push(`**${s.failed === 0 ? 'PASSED' : 'FAILED'}**: ${s.passed} of ${s.compared} tensors match, ${s.failed} fail; ${s.onlyA} only in A, ${s.onlyB} only in B${absent.map((x) => `; ${x}`).join('')}.`, '');
  const d = r.options.tolerances.default ?? {};
  out.push(`Tolerances: atol ${d.atol ?? 1e-5}, rtol ${d.rtol ?? 1e-5}, check ${d.checkErrorStat ?? 'elemwise'}${(d.checkErrorStat ?? 'elemwise') === 'quantile' ? ` (q=${d.errorQuantile ?? 0.99})` : ''}; per-tensor overrides: ${Object.keys(r.options.tolerances.perTensor ?? {}).length}; infinities compare equal: ${r.options.infinitiesCompareEqual}.`, '');
  if (r.firstDivergence) {
    out.push('## First divergence', '');
    const fd = r.firstDivergence;
    if (!fd.first) out.push(s.failed ? 'No failing tensor lies in the graph order.' : 'No tensor fails.');
    else {
      out.push(`Likely culprit: ${culprit(fd.first)}`);
      const others = fd.culprits.slice(1);
      if (others.length) {
        out.push('', `Other independent culprits (${others.length}):`, '');
        for (const c of others) out.push(`- ${culprit(c)}`);
      }
    }
    if (fd.outsideGraph.length) out.push('', `Failing tensors outside the graph order: ${fd.outsideGraph.map((n) => `\`${esc(n)}\``).join(', ')}`);
    out.push('');
  }
  // The report's order: failures in graph order (the first divergence first), then passes, passing weights last.
  const failing = r.tensors.filter((t) => t.status === 'fail');
  if (failing.length) out.push('## Failing tensors', '', HEAD, ...failing.map(row), '');
  const passing = r.tensors.filter((t) => t.status === 'pass');
  const maxPassing = opts.maxPassing ?? 200;
  if (passing.length) {
    out.push('## Passing tensors', '', HEAD, ...passing.slice(0, maxPassing).map(row));
    if (passing.length > maxPassing) out.push('', `… and ${passing.length - maxPassing} more.`);
    out.push('');
  }
  const runner = (side: 'a' | 'b') => `${esc(runnerLabel(r.runners[side]))} (${side.toUpperCase()})`;
  if (r.fused?.length) {
    out.push('## Fused tensors', '', 'Not produced by one run because its backend fused the layer producing them into another; their consumers are compared instead.', '');
    out.push('| tensor | run | fused into |', '|---|---|---|');
    for (const f of r.fused.slice(0, maxPassing)) out.push(`| \`${esc(f.tensor)}\` | ${runner(f.side)} | ${f.layer === null ? 'layer unknown' : `fused into \`${esc(f.layer)}\``} |`);
    if (r.fused.length > maxPassing) out.push('', `… and ${r.fused.length - maxPassing} more.`);
    out.push('');
  }
  if (r.skipped?.length) {
    out.push('## Tensors not captured', '', '| tensor | run | reason |', '|---|---|---|');
    for (const t of r.skipped.slice(0, maxPassing)) out.push(`| \`${esc(t.tensor)}\` | ${runner(t.side)} | ${esc(t.reason)} |`);
    if (r.skipped.length > maxPassing) out.push('', `… and ${r.skipped.length - maxPassing} more.`);
    out.push('');
  }
  const u = r.unpaired;
  if (u.onlyA.length || u.onlyB.length || u.brokenMap.length) {
    out.push('## Unpaired tensors', '');
    if (u.onlyA.length) out.push(`Only in A, ${esc(runnerLabel(r.runners.a))} (${u.onlyA.length}): ${u.onlyA.map((n) => `\`${esc(n)}\``).join(', ')}`, '');
    if (u.onlyB.length) out.push(`Only in B, ${esc(runnerLabel(r.runners.b))} (${u.onlyB.length}): ${u.onlyB.map((n) => `\`${esc(n)}\``).join(', ')}`, '');
    if (u.brokenMap.length) out.push(`Name map entries whose target is missing: ${u.brokenMap.map((p) => `\`${esc(p.a)}\` → \`${esc(p.b)}\``).join(', ')}`, '');
  }
  return out.join('\n');
}
