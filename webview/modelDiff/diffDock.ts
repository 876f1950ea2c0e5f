// Compare Models in the webview: the list of differences under the graph (summary, previous/next, the entries
// with what changed, old → new) and the marks on the canvas. Stepping or clicking an entry opens its groups,
// centers its box and selects it; selecting a marked box in the graph selects its entry.
import type { ModelDiffHostEvent, ModelDiffView } from '../../src/protocol/modelDiff';
import type { PropSection } from '../../src/protocol/inspect';
import type { App } from '../app';
import { post } from '../vscodeApi';
import { changeLine, diffMarks, type DiffColors } from './diffMarks';

const VARS: Record<keyof DiffColors, string[]> = {
  added: ['--vscode-gitDecoration-addedResourceForeground', '--vscode-charts-green'],
  removed: ['--vscode-gitDecoration-deletedResourceForeground', '--vscode-charts-red', '--vscode-errorForeground'],
  changed: ['--vscode-gitDecoration-modifiedResourceForeground', '--vscode-charts-yellow'],
  background: ['--vscode-editor-background'],
  current: ['--vscode-charts-purple', '--vscode-focusBorder'],
};

function resolveDiffColors(doc: Document = document): DiffColors {
  const probe = doc.createElement('span');
  probe.setAttribute('aria-hidden', 'true');
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  doc.body.appendChild(probe);
  const out = {} as DiffColors;
  for (const [k, vars] of Object.entries(VARS) as [keyof DiffColors, string[]][]) {
    probe.style.color = vars.reduceRight((acc, v) => `var(${v}, ${acc})`, 'currentcolor');
    out[k] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}

const STATUS_MARK = { added: '+', removed: '\u2212', changed: '~' } as const;

export class DiffDock {
  readonly element: HTMLElement;
  diff: ModelDiffView | undefined;
  /** Index of the entry looked at, -1 before the first step. */
  current = -1;
  /** The box framed as the current difference (a folded Constant's is its consumer's). */
  private currentBox: string | undefined;
  /** Resolved on the first difference shown: opening a model pays no style probe for it. */
  private colors: DiffColors | undefined;
  private readonly summary: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly status: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;

  constructor(private readonly app: App, parent: HTMLElement) {
    this.element = document.createElement('section');
    this.element.className = 'diff-dock';
    this.element.dataset.testid = 'diff-dock';
    this.element.setAttribute('aria-label', 'Model differences');
    this.element.hidden = true;
    const head = document.createElement('div');
    head.className = 'diff-head';
    this.summary = document.createElement('span');
    this.summary.className = 'diff-summary';
    this.summary.dataset.testid = 'diff-summary';
    const button = (label: string, title: string, testid: string, onClick: () => void) => {
      const b = document.createElement('button');
      b.className = 'diff-button';
      b.textContent = label;
      b.title = title;
      b.dataset.testid = testid;
      b.addEventListener('click', onClick);
      return b;
    };
    this.prev = button('\u2191 Previous', 'Show the previous difference (Shift+F7)', 'diff-prev', () => void this.step(-1));
    this.next = button('\u2193 Next', 'Show the next difference (F7)', 'diff-next', () => void this.step(1));
    this.counter = document.createElement('span');
    this.counter.className = 'diff-counter';
    this.counter.dataset.testid = 'diff-counter';
    const actions = document.createElement('span');
    actions.className = 'diff-actions';
    actions.append(
      button('Text Diff', 'Open the two models\u2019 text forms in the diff editor', 'diff-text', () => this.textDiff()),
      button('Hide', 'Hide the list and the colors', 'diff-hide', () => this.hide()),
    );
    head.append(this.summary, this.prev, this.next, this.counter, actions);
    this.status = document.createElement('div');
    this.status.className = 'diff-status';
    this.status.setAttribute('role', 'status');
    this.status.hidden = true;
    this.list = document.createElement('ol');
    this.list.className = 'diff-list';
    this.list.dataset.testid = 'diff-list';
    this.list.setAttribute('role', 'listbox');
    this.list.tabIndex = 0;
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.element.append(head, this.status, this.list);
    parent.appendChild(this.element);
    (window as unknown as { __onnxInspectorDiff: unknown }).__onnxInspectorDiff = { state: () => this.testState() };
    // F7 / Shift+F7 anywhere in the view, as in VS Code's diff editor.
    window.addEventListener('keydown', (e) => {
      if (e.key === 'F7' && this.diff && !this.element.hidden) {
        e.preventDefault();
        void this.step(e.shiftKey ? -1 : 1);
      }
    });
  }

  handle(m: ModelDiffHostEvent): void {
    this.show(m.diff);
  }

  show(diff: ModelDiffView): void {
    this.diff = diff;
    this.current = -1;
    this.currentBox = undefined;
    const s = diff.summary;
    this.summary.textContent = `${diff.a} \u2192 ${diff.b}: ${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged` +
      (diff.graphChanges.length ? `; ${diff.graphChanges.length} graph input/output change(s)` : '');
    this.summary.title = diff.graphChanges.join('\n');
    this.list.replaceChildren(...diff.entries.map((e, i) => this.row(i)));
    this.prev.disabled = this.next.disabled = diff.entries.length === 0;
    this.updateCounter();
    this.setStatus(diff.entries.length === 0 ? 'No node differs.' : undefined);
    this.element.hidden = false;
    this.recolor();
  }

  private row(i: number): HTMLLIElement {
    const e = this.diff!.entries[i];
    const li = document.createElement('li');
    li.className = 'diff-entry';
    li.dataset.status = e.status;
    li.dataset.id = e.id;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    const head = document.createElement('div');
    head.className = 'diff-entry-head';
    const badge = document.createElement('span');
    badge.className = 'diff-badge';
    badge.textContent = STATUS_MARK[e.status];
    badge.title = e.status;
    const title = document.createElement('span');
    title.className = 'diff-entry-title';
    title.textContent = `${e.opType} ${e.name}`;
    head.append(badge, title);
    if (e.changes.length > 0) {
      const brief = document.createElement('span');
      brief.className = 'diff-entry-brief';
      brief.textContent = [...new Set(e.changes.map((c) => (c.kind === 'attribute' ? c.key : c.kind)))].join(', ');
      head.append(brief);
    }
    li.append(head);
    const details = document.createElement('ul');
    details.className = 'diff-changes';
    for (const c of e.changes) {
      const item = document.createElement('li');
      item.textContent = changeLine(c);
      details.append(item);
    }
    if (e.status !== 'changed') {
      const item = document.createElement('li');
      item.textContent = e.status === 'added' ? `only in ${this.diff!.b}` : `only in ${this.diff!.a} (drawn with a dashed outline where it was)`;
      details.append(item);
    }
    li.append(details);
    li.addEventListener('click', () => void this.goTo(i));
    return li;
  }

  /** Steps to the next (+1) or previous (-1) difference, wrapping around. */
  async step(delta: 1 | -1): Promise<void> {
    const n = this.diff?.entries.length ?? 0;
    if (n === 0) return;
    const i = this.current < 0 ? (delta > 0 ? 0 : n - 1) : (this.current + delta + n) % n;
    await this.goTo(i);
  }

  async goTo(i: number): Promise<void> {
    const e = this.diff?.entries[i];
    if (!e) return;
    this.select(i);
    this.currentBox = e.id;
    try {
      const target = await this.app.rpc.request('modelDiff.reveal', { id: e.id });
      this.currentBox = target.box;
      await this.app.revealBox(target);
      this.setStatus(undefined);
    } catch (err) {
      this.setStatus(`Cannot show ${e.opType} ${e.name} in the graph: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.recolor();
  }

  private select(i: number): void {
    this.current = i;
    this.list.querySelectorAll('.diff-entry[aria-selected="true"]').forEach((el) => el.setAttribute('aria-selected', 'false'));
    const li = this.list.children[i] as HTMLElement | undefined;
    li?.setAttribute('aria-selected', 'true');
    li?.scrollIntoView({ block: 'nearest' });
    this.updateCounter();
  }

  /** A box was selected in the graph: its difference becomes the current one. */
  boxSelected(id: string | undefined): void {
    const i = id === undefined ? -1 : this.diff?.entries.findIndex((e) => e.id === id) ?? -1;
    if (i >= 0 && i !== this.current) {
      this.select(i);
      this.currentBox = id;
      this.recolor();
    }
  }

  /** The properties panel's section for a box that differs: what changed, old → new. */
  propsFor(box: string | undefined): PropSection[] {
    const e = box === undefined ? undefined : this.diff?.entries.find((x) => x.id === box);
    if (!e || this.app.graphPath.length !== 0) return [];
    const rows = e.changes.map((c) => ({ key: c.kind === c.key ? c.kind : `${c.kind} ${c.key}`, value: `${c.before || '(none)'} \u2192 ${c.after || '(none)'}` }));
    if (e.status !== 'changed') rows.unshift({ key: 'status', value: e.status === 'added' ? `added in ${this.diff!.b}` : `removed from ${this.diff!.a}` });
    return [{ title: 'Difference', rows }];
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      void this.step(e.key === 'ArrowDown' ? 1 : -1);
    }
  }

  private updateCounter(): void {
    const n = this.diff?.entries.length ?? 0;
    this.counter.textContent = n === 0 ? '' : `${this.current < 0 ? '\u2013' : this.current + 1} / ${n}`;
  }

  private textDiff(): void {
    this.app.rpc.request('modelDiff.textDiff', {}).catch((e: unknown) => this.setStatus(`Text diff failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  hide(): void {
    this.diff = undefined;
    this.element.hidden = true;
    this.app.view.marks.errorOverlay = undefined;
    this.app.view.requestPaint();
  }

  /** The scene changed (groups opened or closed): mark the new boxes. */
  sceneChanged(): void {
    if (this.diff) this.recolor();
  }

  themeChanged(): void {
    if (!this.diff) return;
    this.colors = resolveDiffColors();
    this.recolor();
  }

  private recolor(): void {
    const scene = this.app.view.scene;
    // A Compare Backends result owns the overlay while shown; the marks are the main graph's.
    if (!this.diff || this.app.compare.result || !scene) return;
    this.colors ??= resolveDiffColors();
    this.app.view.marks.errorOverlay = this.app.graphPath.length === 0 ? diffMarks(scene, this.diff, this.colors, this.currentBox) : undefined;
    this.app.view.requestPaint();
  }

  private testState(): unknown {
    const o = this.app.view.marks.errorOverlay;
    return {
      shown: !this.element.hidden && !!this.diff,
      current: this.current,
      currentBox: this.currentBox,
      counter: this.counter.textContent,
      boxColors: o ? Object.fromEntries(o.boxes) : {},
      removedOutlines: o?.absentBoxes ? Object.fromEntries(o.absentBoxes) : {},
      framed: o?.culprit,
      selected: this.app.view.marks.selected,
    };
  }

  private setStatus(text: string | undefined): void {
    this.status.textContent = text ?? '';
    this.status.hidden = !text;
    if (text) post({ type: 'log', level: 'info', message: `model diff: ${text}` });
  }
}
