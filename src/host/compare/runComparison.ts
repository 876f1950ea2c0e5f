// Runs the two chosen runs and compares them under a cancellable progress notification. Runs made here stream
// their tensors to results files in a fresh temporary folder (the comparison and the histograms read them back
// lazily, one pair at a time); a cancelled or failed comparison deletes that folder, so nothing half-written stays.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { Backend, RunCancelledError, RunProgress, RunRequest } from '../../backends/backend';
import { BackendSide, compareBackends } from '../../backends/compareBackends';
import { prepareInputs } from '../../backends/inputs/prepareInputs';
import type { RunKindContext } from '../../backends/registry';
import { runKind } from '../../backends/runKinds';
import type { GraphModel } from '../../core/graph';
import type { Tolerance } from '../../compare/verdict';
import { sideLabels } from './sideLabels';
import { CompareState, RunFile } from './compareState';
import type { InputsChoice, RunChoice } from './pickRuns';

export interface ComparisonPlan {
  modelPath: string;
  graph: GraphModel;
  runs: [RunChoice, RunChoice];
  inputs: InputsChoice | undefined;
  tolerance: Tolerance;
  /** Where run kinds find their settings and shared resources (the TensorRT helper). */
  context: RunKindContext;
}

export interface ComparisonDone {
  state: CompareState;
  notes: string[];
}

const STAGE: Record<RunProgress['stage'], string> = {
  prepare: 'preparing the model', session: 'creating the onnxruntime session', run: 'running',
  load: 'loading TensorRT', parse: 'parsing the model with TensorRT', build: 'building the TensorRT engine',
  write: 'writing results', index: 'reading the results file',
};

/** The backend with its progress reported under the run's letter. */
function reporting(backend: Backend, which: string, report: (message: string) => void): Backend {
  return {
    ...backend,
    run: (req, ctl = {}) => backend.run(req, {
      ...ctl,
      onProgress: (p) => report(`run ${which}: ${STAGE[p.stage]}${p.total ? ` ${p.done ?? 0}/${p.total}` : ''}${p.detail ? ` (${p.detail})` : ''}`),
    }),
  };
}

/** One side through the registry: its backend and request, and the results file its tensors are in afterwards. */
function sideOf(choice: RunChoice, index: 0 | 1, plan: ComparisonPlan, inputs: RunRequest['inputs'], tempDir: string, ctx: RunKindContext): { side: BackendSide; file: RunFile } {
  const kind = runKind(choice.kind);
  const options = kind.parseOptions(choice.options);
  const letter = 'ab'[index] as 'a' | 'b';
  const read = kind.readsFile?.(options);
  const saveResults = read ? undefined : nodePath.join(tempDir, `run-${letter}.json`);
  const other = plan.runs[1 - index];
  const request = kind.request(options, {
    modelPath: plan.modelPath, inputs, saveResults,
    // keep 'none': the tensors go to the file only; the comparison reads them back one at a time.
    keep: read ? undefined : 'none',
    twin: !read && other.kind === choice.kind ? letter : undefined,
  });
  return {
    side: { backend: kind.createBackend(options, ctx), request },
    file: read ?? { path: saveResults as string, runner: request.runnerName ?? 0 },
  };
}

export async function runComparison(plan: ComparisonPlan): Promise<ComparisonDone | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Compare Backends', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const tempDir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'onnx-inspector-compare-'));
      let keepTemp = false;
      try {
        const report = (message: string) => progress.report({ message });
        const notes: string[] = [];
        let inputs: RunRequest['inputs'] = new Map();
        if (plan.runs.some((r) => runKind(r.kind).needsInputs)) {
          report('preparing inputs');
          const i = plan.inputs;
          const prepared = await prepareInputs(plan.graph, i?.kind === 'file' ? { files: [i.path] } : { seed: i?.seed, dims: i?.dims });
          inputs = prepared.inputs;
          notes.push(`inputs ${prepared.source}`);
        }
        const [a, b] = plan.runs.map((r, i) => sideOf(r, i as 0 | 1, plan, inputs, tempDir, plan.context));
        a.side.backend = reporting(a.side.backend, 'A', report);
        b.side.backend = reporting(b.side.backend, 'B', report);
        const { report: result, runs } = await compareBackends(a.side, b.side, {
          graph: plan.graph,
          labels: sideLabels(plan.runs),
          tolerances: { default: plan.tolerance },
          onProgress: (done, total) => {
            // The comparison itself is cancellable between tensors.
            if (abort.signal.aborted) throw new RunCancelledError('while comparing');
            if (done % 16 === 0) report(`comparing tensors ${done}/${total}`);
          },
        }, { signal: abort.signal });
        for (const r of runs) for (const n of r.notes) notes.push(`${r.runnerName}: ${n.text}`);
        keepTemp = true;
        return { state: new CompareState(result, [a.file, b.file], tempDir, [runs[0].inputs?.feed, runs[1].inputs?.feed]), notes };
      } catch (e) {
        if (e instanceof RunCancelledError || abort.signal.aborted) return undefined;
        throw e;
      } finally {
        sub.dispose();
        if (!keepTemp) fs.rmSync(tempDir, { recursive: true, force: true });
      }
    },
  );
}
