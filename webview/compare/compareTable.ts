// The sortable table of compared tensors: click a header to sort (again to reverse), click or Enter on a row to
// reveal the node producing that tensor and show its histograms. Text only goes in through textContent.
import type { CompareTableRow } from '../../src/protocol/compare';
import { formatError } from './format';
import { COLUMNS, filterRows, firstDirection, sortRows, type RowFilter, type SortDir, type SortKey } from './tableSort';

const FILTERS: [RowFilter, string][] = [['all', 'All tensors'], ['fail', 'Failing'], ['pass', 'Passing'], ['fused', 'Fused away'], ['skipped', 'Not captured']];

/** The verdict column's words ('skipped' reads as 'not captured'). */
const STATUS_TEXT: Record<CompareTableRow['status'], string> = { pass: 'pass', fail: 'fail', fused: 'fused', skipped: 'not captured' };

/** Rows drawn at most; the rest are counted (sorting still sees them all). */
export const MAX_ROWS = 2000;

export class CompareTable {
  readonly element: HTMLElement;
  private rows: CompareTableRow[] = [];
  private key: SortKey = 'triage';
  private dir: SortDir = 'asc';
  private filter: RowFilter = 'all';
  private readonly filterSelect: HTMLSelectElement;
  private selected: string | undefined;
  private readonly head: HTMLTableRowElement;
  private readonly body: HTMLTableSectionElement;
  private readonly note: HTMLElement;
  private readonly runners: HTMLElement;
  private readonly triageButton: HTMLButtonElement;

  constructor(private readonly onActivate: (tensor: string) => void) {
    this.element = document.createElement('div');
    this.element.className = 'compare-table-wrap';
    this.filterSelect = document.createElement('select');
    this.filterSelect.className = 'compare-filter';
    this.filterSelect.dataset.testid = 'compare-filter';
    this.filterSelect.setAttribute('aria-label', 'Tensors shown');
    for (const [value, label] of FILTERS) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      this.filterSelect.appendChild(o);
    }
    this.filterSelect.addEventListener('change', () => this.setFilter(this.filterSelect.value as RowFilter));
    // Which run is which, above the columns: "A (compared): onnxruntime CPU, opt all  B (reference): results file …".
    this.runners = document.createElement('span');
    this.runners.className = 'compare-runners';
    this.runners.dataset.testid = 'compare-runners';
    const bar = document.createElement('div');
    bar.className = 'compare-table-bar';
    this.triageButton = document.createElement('button');
    this.triageButton.className = 'compare-sort compare-sort-triage';
    this.triageButton.dataset.testid = 'compare-sort-triage';
    this.triageButton.textContent = 'Failures first';
    this.triageButton.title = 'Sort as the table opened: failing tensors in graph order (the first divergence on top), then passing ones, weights last';
    this.triageButton.addEventListener('click', () => { this.key = 'triage'; this.dir = 'asc'; this.render(); });
    bar.append(this.filterSelect, this.triageButton, this.runners);
    const table = document.createElement('table');
    table.className = 'compare-table';
    table.dataset.testid = 'compare-table';
    const thead = table.createTHead();
    this.head = thead.insertRow();
    for (const c of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      const b = document.createElement('button');
      b.className = 'compare-sort';
      b.dataset.testid = `compare-sort-${c.key}`;
      b.textContent = c.label;
      b.addEventListener('click', () => this.sortBy(c.key));
      th.appendChild(b);
      th.dataset.key = c.key;
      if (c.numeric) th.classList.add('numeric');
      this.head.appendChild(th);
    }
    this.body = table.createTBody();
    this.note = document.createElement('div');
    this.note.className = 'compare-table-note';
    this.element.append(bar, table, this.note);
  }

  /** The two runs' labels, each with its role. */
  setRunners(runners: { a: string; b: string }): void {
    const side = (letter: 'A' | 'B', role: string, label: string, cls: string) => {
      const s = document.createElement('span');
      s.className = `compare-runner swatch ${cls}`;
      s.dataset.testid = `compare-runner-${letter.toLowerCase()}`;
      s.textContent = `${letter} (${role}): ${label}`;
      s.title = `Run ${letter}, ${role}: ${label}`;
      return s;
    };
    this.runners.replaceChildren(side('A', 'compared', runners.a, 'series-a'), side('B', 'reference', runners.b, 'series-b'));
  }

  setFilter(filter: RowFilter): void {
    this.filter = filter;
    this.filterSelect.value = filter;
    this.render();
  }

  setRows(rows: CompareTableRow[]): void {
    this.rows = rows;
    // Failures first, the first divergence on top: what a comparison is opened for.
    this.key = 'triage';
    this.dir = 'asc';
    this.filter = 'all';
    this.filterSelect.value = 'all';
    // Filters for statuses this comparison has none of would only show an empty table.
    for (const o of this.filterSelect.options) o.hidden = o.value !== 'all' && !rows.some((r) => r.status === o.value);
    this.render();
  }

  sortBy(key: SortKey): void {
    this.dir = this.key === key ? (this.dir === 'asc' ? 'desc' : 'asc') : firstDirection(key);
    this.key = key;
    this.render();
  }

  select(tensor: string | undefined): void {
    this.selected = tensor;
    for (const tr of this.body.rows) tr.setAttribute('aria-selected', String(tr.dataset.tensor === tensor));
  }

  private render(): void {
    for (const th of this.head.cells) {
      const k = (th as HTMLElement).dataset.key;
      th.setAttribute('aria-sort', k === this.key ? (this.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    this.triageButton.setAttribute('aria-pressed', String(this.key === 'triage'));
    this.element.dataset.sort = this.key;
    const sorted = sortRows(filterRows(this.rows, this.filter), this.key, this.dir);
    const shown = sorted.slice(0, MAX_ROWS);
    const frag = document.createDocumentFragment();
    for (const r of shown) {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'compare-row';
      tr.dataset.tensor = r.name;
      tr.dataset.status = r.status;
      tr.tabIndex = 0;
      tr.title = r.reason;
      tr.setAttribute('aria-selected', String(r.name === this.selected));
      const cells = [r.name, STATUS_TEXT[r.status], formatError(r.maxAbs), formatError(r.maxRel), r.cosine === null ? '\u2014' : r.cosine.toFixed(6), r.shape, r.dtype, r.reason];
      cells.forEach((text, i) => {
        const td = tr.insertCell();
        td.textContent = text;
        if (COLUMNS[i].numeric) td.className = 'numeric';
        if (i === 1) td.classList.add(`verdict-${r.status}`);
        if (COLUMNS[i].key === 'reason') td.dataset.testid = 'compare-reason';
      });
      tr.addEventListener('click', () => this.onActivate(r.name));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.onActivate(r.name); });
      frag.appendChild(tr);
    }
    this.body.replaceChildren(frag);
    this.note.textContent = sorted.length > shown.length ? `Showing ${shown.length} of ${sorted.length} tensors; sort to bring others up.`
      : sorted.length < this.rows.length ? `Showing ${sorted.length} of ${this.rows.length} tensors.` : '';
  }
}
