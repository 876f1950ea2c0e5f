// End to end: compare two runners' saved results (one file holding both, as `polygraphy run
// --onnxrt --trt --save-results` writes, or one file each). Files are indexed, never held whole.
import { ComparisonReport } from '../../compare/report';
import { CompareRunsOptions, compareRuns } from '../../compare/compareRuns';
import { IndexedRunResults, indexRunResults } from './readRunResults';
import { findRunner } from './types';
import { providerFromIteration } from './providers';
import { Parallelism, fileBacked, withCompareExecutor } from '../compareWorkers';

export interface CompareFilesOptions extends Omit<CompareRunsOptions, 'runnerA' | 'runnerB' | 'executor'> {
  /** Worker threads judging pairs (default: one per core); false: on this thread. Same report either way. */
  parallel?: Parallelism;
  /** Runner of the compared side: name, unique name prefix, or index (default 0). */
  runnerA?: string | number;
  /** Reference runner (relative error divides by it). Default: the next runner, as Polygraphy's
   *  default comparison (i, i + 1) does; with two files, runner 0 of the second file. */
  runnerB?: string | number;
  iteration?: number;
  tempDir?: string;
}

export async function compareResultsFiles(fileA: string, fileB: string | null, o: CompareFilesOptions = {}): Promise<ComparisonReport> {
  const opened: IndexedRunResults[] = [];
  try {
    const ia = await indexRunResults(fileA, { tempDir: o.tempDir });
    opened.push(ia);
    const ib = fileB ? await indexRunResults(fileB, { tempDir: o.tempDir }) : ia;
    if (fileB) opened.push(ib);
    const ra = findRunner(ia.results, o.runnerA ?? 0);
    const rb = findRunner(ib.results, o.runnerB ?? (fileB ? 0 : ia.results.runs.indexOf(ra) + 1));
    const iteration = o.iteration ?? 0;
    const itA = ra.iterations[iteration];
    const itB = rb.iterations[iteration];
    if (!itA || !itB) {
      throw new Error(`iteration ${iteration} is missing: ${ra.runnerName} has ${ra.iterations.length}, ${rb.runnerName} has ${rb.iterations.length}`);
    }
    if (ra === rb) throw new Error(`both sides are the same runner (${ra.runnerName})`);
    // Workers of the pool read each tensor themselves from the index's byte ranges.
    const backed = (ix: IndexedRunResults, run: number, it: typeof itA) =>
      fileBacked(providerFromIteration(it), (n) => { const loc = ix.locate(run, iteration, n); return loc && { dataPath: ix.dataPath, loc }; });
    const pA = backed(ia, ia.results.runs.indexOf(ra), itA);
    const pB = backed(ib, ib.results.runs.indexOf(rb), itB);
    return await withCompareExecutor(o.parallel, (executor) => compareRuns(pA, pB, {
      ...o,
      executor,
      runnerA: { runnerName: ra.runnerName, iteration },
      runnerB: { runnerName: rb.runnerName, iteration },
    }));
  } finally {
    for (const r of opened) r.dispose();
  }
}
