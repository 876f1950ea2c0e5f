// One panel's finished comparison: the report, where each run's results file is (temporary files for runs made
// here, the user's own file for "Results file…") and, once the webview asks for a histogram, the two indexed
// files. Tensors are loaded one pair at a time, on demand. dispose() deletes the temporary files.
import * as fs from 'node:fs';
import type { RunOutput } from '../../backends/backend';
import { createResultsBackend } from '../../backends/resultsBackend';
import { pairHistograms, type Histogram } from '../../compare/histogram';
import type { NdArray } from '../../compare/ndarray';
import { graphNameOf, runnerLabel, type ComparisonReport } from '../../compare/report';
import type { HistogramView, TensorHistogramsView } from '../../protocol/compare';

export interface RunFile {
  path: string;
  /** Runner index or name inside the file. */
  runner: number | string;
}

function view(h: Histogram): HistogramView {
  return { edges: h.edges, counts: h.counts, nan: h.nan, posInf: h.posInf, negInf: h.negInf };
}

export class CompareState {
  private readonly indexed: (Promise<RunOutput> | undefined)[] = [undefined, undefined];
  private disposed = false;

  constructor(
    readonly report: ComparisonReport,
    readonly files: readonly [RunFile, RunFile],
    /** Folder of this comparison's temporary results files; removed with the state. */
    private readonly tempDir: string | undefined,
    /** The inputs each run was fed, when known: their tensors are compared but not in the results files. */
    private readonly inputs: readonly [ReadonlyMap<string, NdArray> | undefined, ReadonlyMap<string, NdArray> | undefined] = [undefined, undefined],
  ) {}

  /** A tensor of one side: an input it was fed, else from its results file. */
  private async load(i: 0 | 1, name: string): Promise<NdArray> {
    const fed = this.inputs[i]?.get(name);
    const out = await this.side(i);
    if (out.tensors?.names.includes(name) || !fed) {
      if (!out.tensors) throw new Error('the results files hold no tensors');
      return out.tensors.load(name);
    }
    return fed;
  }

  private side(i: 0 | 1): Promise<RunOutput> {
    if (this.disposed) return Promise.reject(new Error('the comparison was closed'));
    let p = this.indexed[i];
    if (!p) {
      const f = this.files[i];
      p = createResultsBackend(f.path, { runner: f.runner }).run({ modelPath: '', inputs: new Map(), capture: 'all' });
      p.catch(() => { this.indexed[i] = undefined; }); // a failed index may be retried
      this.indexed[i] = p;
    }
    return p;
  }

  /** The three histograms of one tensor pair: loads just these two tensors from the results files. */
  async histograms(tensor: string): Promise<TensorHistogramsView> {
    const t = this.report.tensors.find((x) => x.name === tensor);
    if (!t) {
      const fused = this.report.fused?.find((f) => graphNameOf(f) === tensor);
      throw new Error(fused ? `'${tensor}' was fused into ${fused.layer ?? 'another layer'} by ${runnerLabel(this.report.runners[fused.side])}: it has no values to compare` : `'${tensor}' was not compared`);
    }
    const actual = await this.load(0, t.name);
    const expected = await this.load(1, t.nameB);
    if (actual.data.length !== expected.data.length) throw new Error(`'${tensor}' has ${actual.data.length} values in run A and ${expected.data.length} in run B: no error histogram`);
    const h = pairHistograms(actual, expected);
    return {
      tensor,
      runners: { a: runnerLabel(this.report.runners.a), b: runnerLabel(this.report.runners.b) },
      actual: view(h.actual), expected: view(h.expected), absError: view(h.absError),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.indexed) p?.then((o) => o.dispose(), () => undefined);
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}
