// "Reduce to Smallest Failing Subgraph": from the last Compare Backends result with failures (its two runs and
// inputs), or for this model against another file of it (tensors paired by name), runs the reduction
// (src/reduce) with progress and Cancel, writes its files beside the model (never over one) and opens the
// minimal model in the ONNX editor with the report beside it.
import * as vscode from 'vscode';
import { prepareInputs } from '../../backends/inputs/prepareInputs';
import { ortRunKind } from '../../backends/onnxruntime/ortKind';
import { runKind } from '../../backends/runKinds';
import { RunCancelledError } from '../../backends/backend';
import { ReduceSide, reduceFailure } from '../../reduce/reduce';
import { freeReductionPathsBeside, writeReduction } from '../../reduce/writeReduction';
import { actionCommand, ActionError, panelModel, targetPanel } from '../actions/actionContext';
import type { GraphEditorProvider } from '../graphEditorProvider';
import type { GraphPanel } from '../graphPanel';
import { log } from '../log';
import { readTolerance } from './compareSettings';
import type { InputsChoice, RunChoice } from './pickRuns';
import type { HostRunContext } from './runContext';

export const REDUCE_FAILURE = 'onnxInspector.reduceFailure';
/** The command's argument from the compare dock's button: reduce the panel's last comparison, no question asked. */
export const LAST_COMPARISON = 'lastComparison';

interface LastComparison { a: RunChoice; b: RunChoice; inputs: InputsChoice | undefined; failed: number }
const lastComparisons = new WeakMap<GraphPanel, LastComparison>();

/** Called by Compare Backends after each comparison: its runs are what the reduction repeats. */
export function rememberComparison(panel: GraphPanel, c: LastComparison): void {
  lastComparisons.set(panel, c);
}

const sideOf = (choice: RunChoice, modelPath: string): ReduceSide => ({ modelPath, kind: runKind(choice.kind), options: choice.options });

async function pickSides(panel: GraphPanel, modelPath: string, lastOnly: boolean): Promise<{ a: ReduceSide; b: ReduceSide; inputs: InputsChoice | undefined } | undefined> {
  const last = lastComparisons.get(panel);
  if (lastOnly) {
    if (!last || last.failed === 0) throw new ActionError('No failing comparison in this editor: run "ONNX: Compare Backends" first, or reduce against another file of the model.');
    return { a: sideOf(last.a, modelPath), b: sideOf(last.b, modelPath), inputs: last.inputs };
  }
  const items: (vscode.QuickPickItem & { value: 'last' | 'file' })[] = [];
  if (last && last.failed > 0) items.push({ label: 'The last comparison', description: `A: ${last.a.label}; B: ${last.b.label}`, detail: `${last.failed} tensor(s) differ`, value: 'last' });
  items.push({ label: 'Against another file of this model…', description: 'onnxruntime on both; tensors paired by name', detail: 'e.g. the model before an edit, a simplification or a quantization', value: 'file' });
  const chosen = await vscode.window.showQuickPick(items, { title: 'Reduce to Smallest Failing Subgraph', placeHolder: 'Reduce which failing comparison?' });
  if (!chosen) return undefined;
  if (chosen.value === 'last' && last) return { a: sideOf(last.a, modelPath), b: sideOf(last.b, modelPath), inputs: last.inputs };
  const uris = await vscode.window.showOpenDialog({
    title: 'The reference model (B): another file of this model', canSelectMany: false, openLabel: 'Reduce against this model',
    filters: { 'ONNX model': ['onnx'] }, defaultUri: vscode.Uri.file(modelPath),
  });
  const other = uris?.[0]?.fsPath;
  if (!other) return undefined;
  if (other === modelPath) throw new ActionError('Choose another file: the model cannot be its own reference.');
  return { a: { modelPath, kind: ortRunKind, options: {} }, b: { modelPath: other, kind: ortRunKind, options: {} }, inputs: undefined };
}

async function reduceCommand(provider: GraphEditorProvider, runContext: HostRunContext, arg: unknown): Promise<void> {
  const panel = targetPanel(provider);
  const { graph, path } = panelModel(panel);
  const sides = await pickSides(panel, path, arg === LAST_COMPARISON);
  if (!sides) return;
  const tolerance = readTolerance();
  const context = runContext.current();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Reduce to Smallest Failing Subgraph', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: 'preparing inputs' });
        const i = sides.inputs;
        const { inputs } = await prepareInputs(graph, i?.kind === 'file' ? { files: [i.path] } : { seed: i?.seed, dims: i?.dims });
        progress.report({ message: 'running the full models' });
        const result = await reduceFailure({
          a: sides.a, b: sides.b, inputs, tolerances: { default: tolerance }, context, signal: abort.signal,
          onStep: (s) => progress.report({ message: s.phase === 'full' ? `full models ${s.failed ? 'fail' : 'pass'}; trying candidates` : `step ${s.index}: ${s.nodes} node(s) ${s.failed ? 'fail' : 'pass'}` }),
        });
        if (result.status !== 'reduced') return { result, files: [] as string[] };
        const paths = freeReductionPathsBeside(path);
        const files = await writeReduction(result, paths);
        return { result, files, paths };
      } catch (e) {
        if (e instanceof RunCancelledError || abort.signal.aborted) return undefined;
        throw e;
      } finally {
        sub.dispose();
      }
    });
  if (!outcome) {
    log.event('reduceCancelled', { file: panel.document.fileName });
    void vscode.window.showInformationMessage('Reduce cancelled; nothing was written.');
    return;
  }
  const { result, files, paths } = outcome;
  log.event('reduce', {
    file: panel.document.fileName, status: result.status, candidateRuns: result.candidateRuns, seconds: result.seconds,
    divergence: result.divergence ?? null, nodes: result.minimal?.nodeLabels ?? [], files,
  });
  if (result.status === 'no-failure') {
    void vscode.window.showInformationMessage(`The full models do not fail (${result.sides.a} vs ${result.sides.b}): nothing to reduce.`);
    return;
  }
  if (result.status === 'not-reducible' || !paths) {
    void vscode.window.showWarningMessage(`No candidate around ${result.divergence?.node ?? 'the first divergence'} fails on its own with reference inputs (${result.candidateRuns} tried): the failure needs the whole model as it was run.`);
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(paths.model), 'onnxInspector.graph', { viewColumn: vscode.ViewColumn.Beside, preview: false });
  await vscode.window.showTextDocument(vscode.Uri.file(paths.report), { viewColumn: vscode.ViewColumn.Beside, preview: false });
  void vscode.window.showInformationMessage(`Reduced to ${result.minimal!.nodes.length} node(s) in ${result.candidateRuns} candidate run(s): ${result.minimal!.nodeLabels.join(', ')}.`);
}

export function registerReduceCommand(provider: GraphEditorProvider, runContext: HostRunContext): vscode.Disposable {
  return actionCommand(REDUCE_FAILURE, (arg) => reduceCommand(provider, runContext, arg));
}
