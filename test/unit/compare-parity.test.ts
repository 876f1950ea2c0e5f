// Verdict parity with Polygraphy: the same two runs (written by our writer) are judged by Polygraphy's
// SimpleCompareFunc in Python and by compareTensorPair, for every check_error_stat and several
// tolerance settings, including tensors built to sit exactly on a tolerance boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DType, NdArray, fromNumbers, getNumber } from '../../src/compare/ndarray';
import { ErrorStat } from '../../src/compare/tensorMetrics';
import { Tolerance, compareTensorPair, toleranceFor, ToleranceConfig } from '../../src/compare/verdict';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { writeRunResults } from '../../src/backends/results/writeResults';

function pythonHas(mods: string): string | null {
  const r = spawnSync('python3', ['-c', `import ${mods}`], { encoding: 'utf8' });
  return r.status === 0 ? null : `python3 with ${mods} is not available (${(r.error?.message ?? r.stderr).trim().split('\n').pop()})`;
}
const skip = pythonHas('polygraphy, numpy');

// Deterministic PRNG (mulberry32) so failures reproduce.
interface Case {
  name: string;
  a: NdArray;
  b: NdArray;
}

function buildCases(): Case[] {
  const r = rng(42);
  const cases: Case[] = [];
  const base = (n: number) => Array.from({ length: n }, () => (r() - 0.5) * 4);
  const add = (name: string, dtype: DType, shape: number[], b: number[], perturb: (v: number, i: number) => number, dtypeA: DType = dtype) => {
    cases.push({ name, a: fromNumbers(dtypeA, shape, b.map(perturb)), b: fromNumbers(dtype, shape, b) });
  };
  const n = 5000; // above the sort/radix switch, so both selection paths are exercised
  add('identical', 'float32', [n], base(n), (v) => v);
  add('tiny_noise', 'float32', [50, 100], base(n), (v) => v + (r() - 0.5) * 2e-6);
  add('few_outliers', 'float32', [n], base(n), (v, i) => (i % 997 === 0 ? v + 0.5 : v + (r() - 0.5) * 1e-7));
  add('broad_noise', 'float32', [n], base(n), (v) => v + (r() - 0.5) * 4e-4);
  add('half_bad', 'float32', [n], base(n), (v, i) => (i % 2 ? v + 1e-2 : v));
  add('small_odd', 'float32', [7, 3], base(21), (v, i) => v + (i % 3) * 3e-5);
  add('zeros_in_expected', 'float32', [1000], base(1000).map((v, i) => (i % 5 === 0 ? 0 : v)), (v, i) => (i % 5 === 0 ? 1e-9 * (i % 3) : v));
  add('nan_one_side', 'float32', [100], base(100), (v, i) => (i === 37 ? NaN : v));
  add('nan_both', 'float32', [100], base(100).map((v, i) => (i === 3 ? NaN : v)), (v) => v);
  add('inf_matching', 'float32', [100], base(100).map((v, i) => (i === 5 ? Infinity : i === 6 ? -Infinity : v)), (v) => v);
  add('inf_vs_finite', 'float32', [100], base(100), (v, i) => (i === 9 ? Infinity : v));
  add('fp16', 'float16', [2000], base(2000), (v, i) => v * (1 + (i % 10) * 1e-3));
  add('fp64', 'float64', [6000], base(6000), (v, i) => v + (i % 7) * 1e-6);
  add('int32', 'int32', [300], base(300).map((v) => Math.round(v * 10)), (v, i) => (i % 50 === 0 ? v + 1 : v));
  add('bool', 'bool', [64], base(64).map((v) => (v > 0 ? 1 : 0)), (v, i) => (i === 10 ? 1 - v : v));
  add('empty', 'float32', [0, 4], [], (v) => v);
  add('scalar', 'float32', [], [1.5], (v) => v + 1e-3);
  add('large_skew', 'float32', [200000], base(200000), (v, i) => v + (i % 100 === 0 ? 1e-2 : 1e-7));
  // Shape mismatch: Polygraphy fails it outright.
  cases.push({ name: 'shape_mismatch', a: fromNumbers('float32', [2, 3], base(6)), b: fromNumbers('float32', [3, 2], base(6)) });
  return cases;
}

/** Per-tensor tolerances that sit exactly on each tensor's own max abs error (checks float32-exact math). */
function boundaryTolerances(cases: Case[]): Record<string, { atol: number; rtol: number }> {
  const out: Record<string, { atol: number; rtol: number }> = {};
  for (const c of cases) {
    if (c.a.dtype !== 'float32' || c.a.data.length === 0 || c.a.shape.join() !== c.b.shape.join()) continue;
    let max = 0;
    for (let i = 0; i < c.a.data.length; i++) {
      const d = Math.abs(Math.fround(getNumber(c.a, i) - getNumber(c.b, i)));
      if (d > max) max = d;
    }
    if (Number.isFinite(max)) out[c.name] = { atol: max, rtol: 1e-12 };
  }
  return out;
}

const PY = String.raw`
import json, sys
from polygraphy.comparator import RunResults, IterationResult
from polygraphy.comparator.compare import SimpleCompareFunc
from polygraphy.logger import G_LOGGER
G_LOGGER.module_severity = G_LOGGER.CRITICAL
res = RunResults.load(sys.argv[1])
settings = json.load(open(sys.argv[2]))
it0 = res[0][1][0]; it1 = res[1][1][0]
out = []
for s in settings:
    f = SimpleCompareFunc(check_error_stat=s["stat"], atol=s["atol"], rtol=s["rtol"],
                          error_quantile=s["q"], infinities_compare_equal=s["infeq"])
    # Polygraphy crashes computing a quantile of a bool error array (numpy bool subtract): skip those.
    keep = lambda it: IterationResult(outputs={k: v for k, v in it.items() if k not in s["exclude"]}, runner_name=it.runner_name)
    r = f(keep(it0), keep(it1))
    row = {}
    for name, v in r.items():
        d = {"passed": bool(v)}
        if not isinstance(v, bool):
            for k in ("max_absdiff","max_reldiff","mean_absdiff","mean_reldiff","median_absdiff","median_reldiff","quantile_absdiff","quantile_reldiff"):
                x = getattr(v, k)
                d[k] = None if x is None else repr(float(x))
        row[name] = d
    out.append(row)
print(json.dumps(out))
`;
import { rng } from '../fixtures/random';

interface Setting {
  stat: ErrorStat;
  atol: number | Record<string, number>;
  rtol: number | Record<string, number>;
  q: number;
  infeq: boolean;
  exclude: string[];
}

test('verdicts and statistics match Polygraphy SimpleCompareFunc for every check_error_stat', { skip: skip ?? false, timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-parity-'));
  try {
    const cases = buildCases();
    const file = path.join(dir, 'runs.json');
    await writeRunResults(file, runResultsFromArrays([
      { runnerName: 'trt-runner', iterations: [{ outputs: Object.fromEntries(cases.map((c) => [c.name, c.a])) }] },
      { runnerName: 'onnxrt-runner', iterations: [{ outputs: Object.fromEntries(cases.map((c) => [c.name, c.b])) }] },
    ]));
    const boundary = boundaryTolerances(cases);
    const stats: ErrorStat[] = ['elemwise', 'max', 'mean', 'median', 'quantile'];
    const settings: Setting[] = [];
    for (const stat of stats) {
      const exclude = stat === 'quantile' ? ['bool'] : [];
      settings.push({ stat, atol: 1e-5, rtol: 1e-5, q: 0.99, infeq: false, exclude });
      settings.push({ stat, atol: 1e-3, rtol: 1e-4, q: 0.9, infeq: true, exclude });
      settings.push({ stat, atol: 0, rtol: 1e-2, q: 0.5, infeq: false, exclude });
      const perA: Record<string, number> = { '': 1e-5 }, perR: Record<string, number> = { '': 1e-5 };
      for (const [k, v] of Object.entries(boundary)) { perA[k] = v.atol; perR[k] = v.rtol; }
      settings.push({ stat, atol: perA, rtol: perR, q: 0.99, infeq: false, exclude });
    }
    const settingsFile = path.join(dir, 'settings.json');
    fs.writeFileSync(settingsFile, JSON.stringify(settings));
    const script = path.join(dir, 'oracle.py');
    fs.writeFileSync(script, PY);
    const py = spawnSync('python3', [script, file, settingsFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(py.status, 0, py.stderr);
    const oracle = JSON.parse(py.stdout) as Record<string, Record<string, string | boolean | null>>[];

    let passes = 0, fails = 0;
    settings.forEach((s, si) => {
      const cfg: ToleranceConfig = { default: { checkErrorStat: s.stat, errorQuantile: s.q }, perTensor: {} };
      for (const c of cases) {
        const pick = (v: number | Record<string, number>) => (typeof v === 'number' ? v : (v[c.name] ?? v['']));
        (cfg.perTensor as Record<string, Partial<Tolerance>>)[c.name] = { atol: pick(s.atol), rtol: pick(s.rtol) };
      }
      for (const c of cases) {
        if (s.exclude.includes(c.name)) continue;
        const tol = toleranceFor(cfg, c.name);
        const mine = compareTensorPair(c.a, c.b, tol, { infinitiesCompareEqual: s.infeq, dtypeMismatch: 'compare' });
        const theirs = oracle[si][c.name];
        const ctx = `${c.name} stat=${s.stat} atol=${tol.atol} rtol=${tol.rtol} q=${s.q} infeq=${s.infeq}: ${mine.reason}`;
        assert.ok(theirs, `Polygraphy did not compare ${c.name}`);
        assert.equal(mine.passed, theirs.passed, ctx);
        if (mine.passed) passes++; else fails++;
        if (!mine.metrics) continue;
        const m = mine.metrics;
        const pairs: [string, number][] = [
          ['max_absdiff', m.abs.max], ['max_reldiff', m.rel.max], ['mean_absdiff', m.abs.mean], ['mean_reldiff', m.rel.mean],
          ['median_absdiff', m.abs.median], ['median_reldiff', m.rel.median],
        ];
        if (s.stat === 'quantile') pairs.push(['quantile_absdiff', m.abs.quantile], ['quantile_reldiff', m.rel.quantile]);
        for (const [k, v] of pairs) {
          const expected = Number(String(theirs[k]).replace('inf', 'Infinity').replace('nan', 'NaN'));
          assert.ok(Object.is(v, expected) || v === expected, `${ctx}: ${k} ${v} != Polygraphy ${theirs[k]}`);
        }
      }
    });
    // The data must exercise both outcomes under every statistic, or the parity says little.
    assert.ok(passes > 40 && fails > 40, `passes ${passes}, fails ${fails}`);
    for (const stat of stats) {
      const idx = settings.map((s, i) => (s.stat === stat ? i : -1)).filter((i) => i >= 0);
      const verdicts = idx.flatMap((i) => Object.values(oracle[i]).map((v) => v.passed));
      assert.ok(verdicts.includes(true) && verdicts.includes(false), `${stat}: both verdicts occur`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
