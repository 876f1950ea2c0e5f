// "Compare Backends" and the report exports: commands, the per-panel comparison (kept until the editor closes
// or the next comparison replaces it) and the webview's compare requests. One call from extension.ts.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { buildViewModel, type ViewModel } from '../../layout/viewModel';
import { actionCommand, ActionError, panelModel, targetPanel } from '../actions/actionContext';
import type { GraphEditorProvider } from '../graphEditorProvider';
import { GraphPanel, registerPanelFeature } from '../graphPanel';
import { revealTarget } from '../inspect/reveal';
import { log } from '../log';
import { readTolerance } from './compareSettings';
import { createHostRunContext, type HostRunContext } from './runContext';
import { runKind } from '../../backends/runKinds';
import { TrtParseError } from '../../backends/tensorrt/trtErrors';
import type { GraphModel } from '../../core/graph';
import type { CompareState } from './compareState';
import { pickInputs, pickRun, type InputsChoice } from './pickRuns';
import { defaultReportPath, reportText, type ReportFormat } from './reportFiles';
import { compareResultView } from './resultView';
import { LAST_COMPARISON, REDUCE_FAILURE, registerReduceCommand, rememberComparison } from './reduceCommand';
import { runComparison } from './runComparison';

export const COMPARE_BACKENDS = 'onnxInspector.compareBackends';
export const EXPORT_COMPARE_JSON = 'onnxInspector.exportComparisonJson';
export const EXPORT_COMPARE_MARKDOWN = 'onnxInspector.exportComparisonMarkdown';

const states = new Map<GraphPanel, CompareState>();

/** Where the dock's height is remembered: for every editor and window, as a panel's size is in VS Code. */
const DOCK_HEIGHT_KEY = 'onnxInspector.compare.dockHeight';
let memory: vscode.Memento | undefined;

function rememberedDockHeight(): number | null {
  const h = memory?.get<unknown>(DOCK_HEIGHT_KEY);
  return typeof h === 'number' && Number.isFinite(h) && h > 0 ? h : null;
}

function setState(panel: GraphPanel, state: CompareState | undefined): void {
  states.get(panel)?.dispose();
  if (state) states.set(panel, state);
  else states.delete(panel);
}

function viewModelOf(panel: GraphPanel): ViewModel {
  const loaded = panel.document.loaded;
  if (!loaded) throw new ActionError(`${panel.document.fileName} could not be read.`);
  return panel.scenes?.viewModel?.() ?? buildViewModel(loaded.graph, loaded.key);
}

/** Shows the node TensorRT's parser stopped at (best effort: the error message says it anyway). */
function revealNodeNamed(panel: GraphPanel, graph: GraphModel, node: string): void {
  try {
    const index = graph.nodes.findIndex((n) => n.name === node);
    if (index < 0) return;
    const target = revealTarget(graph, viewModelOf(panel), `n:${index}`);
    panel.post({ type: 'reveal', id: target.box, expand: target.expand });
    log.event('compareRevealNode', { node, box: target.box });
  } catch (e) {
    log.warn(`could not reveal node '${node}': ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function compareBackendsCommand(provider: GraphEditorProvider, runContext: HostRunContext): Promise<void> {
  const panel = targetPanel(provider);
  const { graph, path } = panelModel(panel);
  const tolerance = readTolerance();
  const context = runContext.current();
  const a = await pickRun('A', panel.document.fileName, context);
  if (!a) return;
  const b = await pickRun('B', panel.document.fileName, context);
  if (!b) return;
  let inputs: InputsChoice | undefined;
  if ([a, b].some((r) => runKind(r.kind).needsInputs)) {
    inputs = await pickInputs(graph);
    if (!inputs) return;
  }
  log.info(`compare: A = ${a.label}; B = ${b.label}`);
  let done: Awaited<ReturnType<typeof runComparison>>;
  try {
    done = await runComparison({ modelPath: path, graph, runs: [a, b], inputs, tolerance, context });
  } catch (e) {
    // TensorRT's parser names the node it failed at: show it on the graph, then the message (actionCommand).
    if (e instanceof TrtParseError && e.node && !panel.isDisposed) revealNodeNamed(panel, graph, e.node);
    throw e;
  }
  if (!done) {
    log.event('compareCancelled', { file: panel.document.fileName });
    void vscode.window.showInformationMessage('Comparison cancelled; nothing was kept.');
    return;
  }
  if (panel.isDisposed) {
    done.state.dispose();
    return;
  }
  setState(panel, done.state);
  const report = done.state.report;
  rememberComparison(panel, { a, b, inputs, failed: report.summary.failed });
  // The report's runner labels say what the user chose, distinct for both sides (runComparison.sideLabels).
  const result = compareResultView(report, graph, viewModelOf(panel), tolerance, done.notes, rememberedDockHeight());
  if (result.inputs.warning) log.warn(`compare: ${result.inputs.warning}`);
  panel.post({ type: 'compare.show', result });
  const first = result.firstDivergence;
  log.event('compare', {
    file: panel.document.fileName, runners: result.runners, ...result.summary,
    firstDivergence: first ? { tensor: first.tensor, node: first.node, op: first.op, box: first.target?.box ?? null } : null,
    inputsDiffer: report.inputs?.differing ?? [],
    failing: result.rows.filter((r) => r.status === 'fail').map((r) => r.name),
    fusedTensors: result.rows.filter((r) => r.status === 'fused').map((r) => ({ tensor: r.name, reason: r.reason })),
    skippedTensors: result.rows.filter((r) => r.status === 'skipped').map((r) => ({ tensor: r.name, reason: r.reason })),
    resultsFiles: done.state.files.map((f) => f.path),
  });
  const s = report.summary;
  if (s.compared === 0) {
    void vscode.window.showWarningMessage(`No tensor names in common: run A has ${s.onlyA} tensors and run B ${s.onlyB}, none paired. Are both runs of ${panel.document.fileName}?`);
    return;
  }
  const fusedNote = result.summary.fused ? ` ${result.summary.fused} tensor(s) were fused away by a backend and not compared.` : '';
  if (result.inputs.warning) {
    // Before anyone blames a layer: the runs did not start from the same data.
    void vscode.window.showWarningMessage(`${s.failed} of ${s.compared} tensors differ. ${result.inputs.warning}`);
    return;
  }
  const message = (s.failed === 0
    ? `All ${s.compared} tensors match (${result.runners.a} vs ${result.runners.b}).`
    : `${s.failed} of ${s.compared} tensors differ${first ? `; first divergence at ${first.op || 'input'} '${first.node || first.tensor}' (${first.tensor})` : ''}.`) + fusedNote;
  void vscode.window.showInformationMessage(message);
}

async function exportReport(provider: GraphEditorProvider, format: ReportFormat): Promise<void> {
  const panel = targetPanel(provider);
  const state = states.get(panel);
  if (!state) throw new ActionError('No comparison to export: run "ONNX: Compare Backends" on this model first.');
  const model = panel.document.uri;
  const suggested = model.scheme === 'file' ? vscode.Uri.file(defaultReportPath(model.fsPath, format, fs.existsSync)) : undefined;
  const target = await vscode.window.showSaveDialog({
    defaultUri: suggested,
    filters: format === 'json' ? { 'JSON report': ['json'] } : { 'Markdown report': ['md'] },
    title: `Export the comparison report as ${format === 'json' ? 'JSON' : 'Markdown'}`,
  });
  if (!target) return;
  const text = reportText(state.report, format);
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (e) {
    throw new ActionError(`Cannot save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
  log.event('compareExported', { format, path: target.fsPath, bytes: text.length });
  void vscode.window.showInformationMessage(`Saved the comparison report to ${target.fsPath}`);
}

function answerCompareRequests(panel: GraphPanel): void {
  panel.handle('compare.histograms', async ({ tensor }) => {
    const state = states.get(panel);
    if (!state) throw new Error('no comparison in this editor');
    return state.histograms(tensor);
  });
  panel.handle('compare.reveal', async ({ tensor }) => {
    const loaded = panel.document.loaded;
    if (!loaded) throw new Error('the model could not be read');
    return revealTarget(loaded.graph, viewModelOf(panel), `t:${tensor}`);
  });
  panel.handle('compare.command', async ({ command }) => {
    // Not awaited: a comparison can outlast the webview's request timeout; the command reports its own errors.
    if (command === 'reduce') {
      // The dock's comparison is this panel's last one: reduce it without asking which.
      void vscode.commands.executeCommand(REDUCE_FAILURE, LAST_COMPARISON);
      return { done: true };
    }
    const id = command === 'run' ? COMPARE_BACKENDS : command === 'exportJson' ? EXPORT_COMPARE_JSON : EXPORT_COMPARE_MARKDOWN;
    void vscode.commands.executeCommand(id);
    return { done: true };
  });
  // The dock's height as the user dragged it: remembered for the next comparison, in any editor.
  const sub = panel.onWebviewEvent((m) => {
    if (m.type !== 'compare.dockHeight') return;
    if (typeof m.height !== 'number' || !Number.isFinite(m.height) || m.height <= 0) return;
    const height = Math.round(m.height);
    void memory?.update(DOCK_HEIGHT_KEY, height).then(() => log.event('compareDockHeight', { height, remembered: rememberedDockHeight() }));
  });
  panel.panel.onDidDispose(() => sub.dispose());
  // The editor closing ends its comparison and deletes its temporary results.
  panel.panel.onDidDispose(() => setState(panel, undefined));
}

/** `globalState`: where the dock's height is remembered. */
export function registerCompareBackends(provider: GraphEditorProvider, extensionRoot: string, globalState?: vscode.Memento): vscode.Disposable {
  memory = globalState;
  // One helper process per extension host, stopped (gracefully, then killed) when the extension goes.
  const runContext = createHostRunContext(extensionRoot);
  return vscode.Disposable.from(
    runContext,
    registerPanelFeature(answerCompareRequests),
    actionCommand(COMPARE_BACKENDS, () => compareBackendsCommand(provider, runContext)),
    actionCommand(EXPORT_COMPARE_JSON, () => exportReport(provider, 'json')),
    actionCommand(EXPORT_COMPARE_MARKDOWN, () => exportReport(provider, 'markdown')),
    registerReduceCommand(provider, runContext),
    { dispose: () => { for (const s of states.values()) s.dispose(); states.clear(); } },
  );
}
