// Compare Backends in the webview: the dock under the graph (summary, first divergence, legend with the
// threshold slider, export buttons, the tensor table and the selected tensor's histograms) and the error
// overlay on the canvas. The host sends the result once; the threshold and metric recolor here, live.
import type { CompareHostEvent, CompareResultView, FirstDivergenceView } from '../../src/protocol/compare';
import type { App } from '../app';
import { post } from '../vscodeApi';
import { CompareTable } from './compareTable';
import { resolveCompareColors, type CompareColors } from './errorColors';
import { errorOf, scaleFor, type ErrorMetric, type LogScale } from './errorScale';
import { renderHistograms } from './histogramView';
import { Legend } from './legend';
import { countByClass, overlayMarks } from './overlayMarks';
import { DockResize } from './dockResize';

export class CompareDock {
  readonly element: HTMLElement;
  result: CompareResultView | undefined;
  metric: ErrorMetric = 'abs';
  threshold = 1e-5;
  private scale: LogScale = { lo: -6, hi: 0 };
  private colors: CompareColors;
  private readonly summary: HTMLElement;
  private readonly first: HTMLButtonElement;
  private readonly reduce: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly inputsWarning: HTMLElement;
  private readonly resize: DockResize;
  private readonly legend: Legend;
  private readonly table: CompareTable;
  private readonly histograms: HTMLElement;
  /** The tensor whose histograms are shown or loading (a later selection wins). */
  private histTensor: string | undefined;

  constructor(private readonly app: App, parent: HTMLElement) {
    this.colors = resolveCompareColors();
    this.element = document.createElement('section');
    this.element.className = 'compare-dock';
    this.element.dataset.testid = 'compare-dock';
    this.element.setAttribute('aria-label', 'Backend comparison');
    this.element.hidden = true;
    const head = document.createElement('div');
    head.className = 'compare-head';
    this.summary = document.createElement('span');
    this.summary.className = 'compare-summary';
    this.summary.dataset.testid = 'compare-summary';
    this.first = document.createElement('button');
    this.first.className = 'compare-first';
    this.first.dataset.testid = 'compare-first-divergence';
    this.first.addEventListener('click', () => void this.revealFirst());
    this.legend = new Legend((t) => this.setThreshold(t), (m) => this.setMetric(m));
    const button = (label: string, title: string, testid: string, onClick: () => void) => {
      const b = document.createElement('button');
      b.className = 'compare-button';
      b.textContent = label;
      b.title = title;
      b.dataset.testid = testid;
      b.addEventListener('click', onClick);
      return b;
    };
    const actions = document.createElement('span');
    actions.className = 'compare-actions';
    this.reduce = button('Reduce', 'Reduce to the smallest failing subgraph: cut candidates around the first divergence, feed them run B\'s tensors, run both sides, keep the smallest that still fails', 'compare-reduce', () => this.command('reduce'));
    actions.append(
      this.reduce,
      button('Export JSON', 'Export the comparison report as JSON', 'compare-export-json', () => this.command('exportJson')),
      button('Export Markdown', 'Export the comparison report as Markdown', 'compare-export-markdown', () => this.command('exportMarkdown')),
      button('Hide', 'Hide the comparison and its colors (run Compare Backends again to see a new one)', 'compare-hide', () => this.hide()),
    );
    head.append(this.summary, this.first, this.legend.element, actions);
    // Different inputs explain every difference after them: said above the table, before any layer is blamed.
    this.inputsWarning = document.createElement('div');
    this.inputsWarning.className = 'compare-inputs';
    this.inputsWarning.dataset.testid = 'compare-inputs-warning';
    this.inputsWarning.setAttribute('role', 'alert');
    this.inputsWarning.hidden = true;
    this.resize = new DockResize(this.element, (height) => post({ type: 'compare.dockHeight', height }));
    this.status = document.createElement('div');
    this.status.className = 'compare-status';
    this.status.dataset.testid = 'compare-status';
    this.status.setAttribute('role', 'status');
    const body = document.createElement('div');
    body.className = 'compare-body';
    this.table = new CompareTable((tensor) => void this.activateTensor(tensor));
    this.histograms = document.createElement('div');
    this.histograms.className = 'compare-histograms';
    this.histograms.dataset.testid = 'compare-histograms';
    body.append(this.table.element, this.histograms);
    this.element.append(this.resize.handle, head, this.inputsWarning, this.status, body);
    parent.appendChild(this.element);
    (window as unknown as { __onnxInspectorCompare: unknown }).__onnxInspectorCompare = {
      state: () => this.testState(),
      setThreshold: (t: number) => this.setThreshold(t),
    };
  }

  handle(m: CompareHostEvent): void {
    this.show(m.result);
  }

  command(command: 'run' | 'exportJson' | 'exportMarkdown' | 'reduce'): void {
    this.app.rpc.request('compare.command', { command }).catch((e: unknown) => this.setStatus(`${command} failed: ${message(e)}`, true));
  }

  show(result: CompareResultView): void {
    this.result = result;
    // Absolute error by default: a tensor's max relative error is dominated by its near-zero elements (which the
    // verdict lets pass on atol), so it would paint most of a healthy graph as failing.
    this.metric = 'abs';
    this.threshold = result.tolerances.atol > 0 ? result.tolerances.atol : 1e-5;
    this.rescale();
    const s = result.summary;
    this.summary.textContent = `A: ${result.runners.a} vs B: ${result.runners.b} \u2014 ${s.failed} of ${s.compared} tensors fail (${result.tolerances.checkErrorStat}, atol ${result.tolerances.atol}, rtol ${result.tolerances.rtol})` +
      (s.onlyA || s.onlyB ? `; ${s.onlyA} only in A, ${s.onlyB} only in B` : '') +
      (s.fused ? `; ${s.fused} fused away by a backend (not compared)` : '') + (s.skipped ? `; ${s.skipped} not captured` : '');
    this.summary.title = result.notes.join('\n');
    this.showInputs(result.inputs);
    this.showFirst(result.firstDivergence);
    this.table.setRunners(result.runners);
    // Only a comparison with failures has something to reduce.
    this.reduce.hidden = s.failed === 0;
    this.table.setRows(result.rows);
    this.histograms.replaceChildren();
    this.histTensor = undefined;
    this.setStatus(undefined);
    this.element.hidden = false;
    this.resize.set(result.dockHeight);
    this.recolor();
    if (result.firstDivergence) void this.revealFirst();
  }

  hide(): void {
    this.result = undefined;
    this.element.hidden = true;
    this.app.view.marks.errorOverlay = undefined;
    this.app.view.requestPaint();
  }

  /** The scene changed (groups opened or closed): color the new boxes and edges. */
  sceneChanged(): void {
    if (this.result) this.recolor();
  }

  /** A tensor was selected in the graph (an edge clicked): show its histograms when it was compared. */
  tensorSelected(tensor: string): void {
    if (this.result?.rows.some((r) => r.name === tensor)) {
      this.table.select(tensor);
      void this.loadHistograms(tensor);
    }
  }

  private showInputs(inputs: CompareResultView['inputs']): void {
    const text = inputs.warning ?? inputs.note;
    this.inputsWarning.hidden = !text;
    this.inputsWarning.textContent = text ?? '';
    this.inputsWarning.dataset.kind = inputs.warning ? 'warning' : 'note';
    // A note is information, not an alarm: only the warning interrupts a screen reader.
    this.inputsWarning.setAttribute('role', inputs.warning ? 'alert' : 'note');
  }

  private showFirst(f: FirstDivergenceView | null): void {
    this.first.disabled = !f;
    this.first.dataset.tensor = f?.tensor ?? '';
    this.first.dataset.node = f?.node ?? '';
    this.first.dataset.box = f?.target?.box ?? '';
    this.first.textContent = f
      ? `First divergence: ${f.op ? `${f.op} ${f.node ? `'${f.node}' ` : ''}` : 'graph input '}\u2192 ${f.tensor}${f.explains ? ` (explains ${f.explains} more)` : ''}`
      : 'No divergence';
    this.first.title = f ? 'Show the node where the runs start to differ' : 'Every compared tensor passes';
  }

  private async revealFirst(): Promise<void> {
    const f = this.result?.firstDivergence;
    if (!f) return;
    if (f.target) await this.app.revealBox(f.target);
    this.table.select(f.tensor);
    await this.loadHistograms(f.tensor);
  }

  private async activateTensor(tensor: string): Promise<void> {
    this.table.select(tensor);
    try {
      const target = await this.app.rpc.request('compare.reveal', { tensor });
      await this.app.revealBox(target);
    } catch (e) {
      this.setStatus(`Cannot show '${tensor}' in the graph: ${message(e)}`, true);
    }
    await this.loadHistograms(tensor);
  }

  /**
   * What a backend did to the tensors of this box (or this tensor), for the tooltip and the properties:
   * "fused into Conv_3 + Relu_4 by TensorRT"; undefined when it was compared or there is no comparison.
   */
  noteFor(target: { box?: string; tensor?: string }): string | undefined {
    const o = this.result?.overlay;
    if (!o || this.app.graphPath.length !== 0) return undefined;
    const own = <T>(r: Record<string, T>, k: string | undefined) => (k !== undefined && Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);
    const item = own(o.items, target.box);
    if (item) return item.state ? item.note : undefined;
    return own(o.tensors, target.tensor)?.note;
  }

  private async loadHistograms(tensor: string): Promise<void> {
    this.histTensor = tensor;
    const row = this.result?.rows.find((r) => r.name === tensor);
    if (row && (row.status === 'fused' || row.status === 'skipped')) {
      // Nothing to load: one run has no values for it.
      this.histograms.dataset.state = row.status;
      this.histograms.dataset.tensor = tensor;
      this.histograms.textContent = `${tensor}: ${this.noteFor({ tensor }) ?? row.reason}; no values to compare.`;
      return;
    }
    this.histograms.dataset.state = 'loading';
    this.histograms.textContent = `Loading ${tensor}\u2026`;
    try {
      const h = await this.app.rpc.request('compare.histograms', { tensor });
      if (this.histTensor !== tensor) return;
      renderHistograms(this.histograms, h);
      this.histograms.dataset.state = 'ready';
      this.histograms.dataset.tensor = tensor;
    } catch (e) {
      if (this.histTensor !== tensor) return;
      this.histograms.dataset.state = 'error';
      this.histograms.textContent = `No histograms for ${tensor}: ${message(e)}`;
    }
  }

  private setThreshold(t: number): void {
    this.threshold = t;
    this.recolor();
  }

  private setMetric(m: ErrorMetric): void {
    this.metric = m;
    const tol = this.result?.tolerances;
    if (tol) this.threshold = (m === 'rel' ? tol.rtol : tol.atol) || 1e-5;
    this.rescale();
    this.recolor();
  }

  private rescale(): void {
    const r = this.result;
    this.scale = r ? scaleFor(Object.values(r.overlay.tensors).map((e) => errorOf(e, this.metric)), this.threshold) : this.scale;
  }

  /** Themes change colors: resolve them again and repaint. */
  themeChanged(): void {
    this.colors = resolveCompareColors();
    if (this.result) this.recolor();
  }

  private recolor(): void {
    const r = this.result;
    const scene = this.app.view.scene;
    if (!r) return;
    const settings = {
      metric: this.metric, threshold: this.threshold, scale: this.scale, colors: this.colors, culprit: r.firstDivergence?.target?.box, culpritColor: this.colors.culprit,
      absentColors: { fused: this.colors.fused, skipped: this.colors.skipped },
    };
    // Box ids are per graph level: the overlay belongs to the main graph, not to a subgraph shown in its place.
    const mainGraph = this.app.graphPath.length === 0;
    this.app.view.marks.errorOverlay = scene && mainGraph ? overlayMarks(scene, r.overlay, settings) : undefined;
    this.legend.update({ ...settings, counts: countByClass(r.overlay, this.metric, this.threshold), absent: { fused: r.summary.fused, skipped: r.summary.skipped } });
    this.app.view.requestPaint();
  }

  private setStatus(text: string | undefined, error = false): void {
    this.status.textContent = text ?? '';
    this.status.hidden = !text;
    this.status.dataset.kind = error ? 'error' : 'info';
    if (text && error) post({ type: 'log', level: 'warn', message: `compare: ${text}` });
  }

  private testState(): unknown {
    const o = this.app.view.marks.errorOverlay;
    return {
      shown: !this.element.hidden && !!this.result,
      dockHeight: Math.round(this.element.getBoundingClientRect().height),
      metric: this.metric,
      threshold: this.threshold,
      boxColors: o ? Object.fromEntries(o.boxes) : {},
      edgeColors: o ? Object.fromEntries(o.edges) : {},
      culprit: o?.culprit,
      absentBoxes: o?.absentBoxes ? Object.fromEntries(o.absentBoxes) : {},
      absentEdges: o?.absentEdges ? Object.fromEntries(o.absentEdges) : {},
      selected: this.app.view.marks.selected,
      colors: this.colors,
    };
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
