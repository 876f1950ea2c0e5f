// A saved Polygraphy RunResults file (`polygraphy run --save-results`, e.g. a TensorRT run made on another
// machine) as a Backend: "running" it indexes the file and serves the chosen runner's tensors lazily.
import { indexRunResults } from './results/readRunResults';
import { findRunner } from './results/types';
import { providerFromIteration } from './results/providers';
import { readSiblingLayerInfo } from './results/layerInfo';
import { readSiblingInputs } from './results/siblingInputs';
import { Backend, RunControl, RunNote, RunOutput, RunRequest, throwIfAborted } from './backend';

export interface ResultsBackendOptions {
  /** Runner: exact name, unique name prefix, or index (default 0). */
  runner?: string | number;
  iteration?: number;
  tempDir?: string;
}

/** `--runner-a 1` means index 1; any other text is a name or prefix. */
export function parseRunnerChoice(s: string | undefined): string | number | undefined {
  if (s === undefined) return undefined;
  return /^\d+$/.test(s) ? Number(s) : s;
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

export function createResultsBackend(path: string, o: ResultsBackendOptions = {}): Backend {
  return {
    id: 'results',
    label: `results file ${path}`,
    async run(req: RunRequest, ctl: RunControl = {}): Promise<RunOutput> {
      ctl.onProgress?.({ stage: 'index' });
      const t0 = Date.now();
      const indexed = await indexRunResults(path, { tempDir: o.tempDir });
      try {
        throwIfAborted(ctl.signal, 'after indexing results');
        const runner = findRunner(indexed.results, o.runner ?? 0);
        const iteration = o.iteration ?? 0;
        const it = runner.iterations[iteration];
        if (!it) throw new Error(`${path}: runner ${runner.runnerName} has no iteration ${iteration} (it has ${runner.iterations.length})`);
        const all = providerFromIteration(it);
        // An explicit capture list narrows the file to those tensors; 'all'/'outputs' take what was saved.
        const wanted = Array.isArray(req.capture) ? new Set(req.capture as readonly string[]) : null;
        const names = wanted ? all.names.filter((n) => wanted.has(n)) : [...all.names];
        const notes: RunNote[] = [{ kind: 'source', text: `saved results: ${path}, runner ${runner.runnerName}, iteration ${iteration}${it.runtime !== null ? `, runtime ${it.runtime.toFixed(4)} s` : ''}` }];
        // A TensorRT run's layer file beside it says which missing tensors were fused away, not lost.
        let layers: ReturnType<typeof readSiblingLayerInfo>;
        try {
          layers = readSiblingLayerInfo(path);
        } catch (e) {
          // A broken layer file costs the fused list, not the comparison.
          notes.push({ kind: 'capture', text: `layer information ignored: ${(e as Error).message}` });
        }
        if (layers) notes.push({ kind: 'capture', text: `layer information: ${layers.path} (${layers.info.fused.length} fused, ${layers.info.skipped.length} not captured)` });
        // The inputs file beside it says what the run was fed (a broken one costs the input check only).
        let inputs: Awaited<ReturnType<typeof readSiblingInputs>>;
        try {
          inputs = await readSiblingInputs(path, iteration);
        } catch (e) {
          notes.push({ kind: 'source', text: `inputs file ignored: ${(e as Error).message}` });
        }
        if (inputs) notes.push({ kind: 'source', text: `inputs: ${inputs.path}` });
        return {
          runnerName: runner.runnerName,
          captured: names,
          resultsPath: path,
          tensors: { names, load: (n) => all.load(n) },
          notes,
          timings: { index: (Date.now() - t0) / 1000 },
          fused: layers?.info.fused,
          skipped: layers?.info.skipped,
          inputs: inputs ? { source: basename(inputs.path), feed: inputs.feed } : undefined,
          freshLoads: true,
          dispose: () => indexed.dispose(),
        };
      } catch (e) {
        indexed.dispose();
        throw e;
      }
    },
  };
}
