// The find widget (Ctrl+F / Cmd+F, or the ONNX: Find command): the host searches the whole model and answers
// with a ranked list; arrows move, Enter jumps, Escape closes. Results are text only (model names are untrusted).
import type { SearchResult } from '../../src/protocol/inspect';

const DEBOUNCE_MS = 120;

export class SearchBox {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private results: SearchResult[] = [];
  private active = -1;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    parent: HTMLElement,
    private readonly search: (query: string) => Promise<SearchResult[]>,
    private readonly choose: (result: SearchResult) => void,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'search-box';
    this.root.dataset.testid = 'search-box';
    this.root.hidden = true;
    this.input = document.createElement('input');
    this.input.type = 'text';
    this.input.className = 'search-input';
    this.input.placeholder = 'Find node, op, tensor or shape (e.g. 1,64,56,56)';
    this.input.setAttribute('aria-label', 'Find in model');
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-controls', 'search-results');
    this.input.setAttribute('aria-expanded', 'false');
    this.input.dataset.testid = 'search-input';
    this.input.addEventListener('input', () => this.schedule());
    this.input.addEventListener('keydown', (e) => {
      this.onKey(e).catch((err: unknown) => { this.status.textContent = `Search failed: ${err instanceof Error ? err.message : String(err)}`; });
    });
    this.status = document.createElement('div');
    this.status.className = 'search-status';
    this.status.dataset.testid = 'search-status';
    this.list = document.createElement('ul');
    this.list.id = 'search-results';
    this.list.className = 'search-results';
    this.list.setAttribute('role', 'listbox');
    this.list.dataset.testid = 'search-results';
    this.root.append(this.input, this.status, this.list);
    parent.appendChild(this.root);
  }

  open(): void {
    this.root.hidden = false;
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.root.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
  }

  /** Runs the query now (Enter before the debounce fires must not jump to stale results). */
  private async run(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const seq = ++this.seq;
    const query = this.input.value;
    if (query.trim() === '') { this.show([], ''); return; }
    try {
      const results = await this.search(query);
      if (seq === this.seq) this.show(results, results.length === 0 ? 'No results' : `${results.length} result${results.length > 1 ? 's' : ''}`);
    } catch (e) {
      if (seq === this.seq) this.show([], `Search failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private show(results: SearchResult[], status: string): void {
    this.results = results;
    this.status.textContent = status;
    const frag = document.createDocumentFragment();
    results.forEach((r, i) => {
      const li = document.createElement('li');
      li.className = 'search-result';
      li.id = `search-result-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.testid = 'search-result';
      li.dataset.id = r.id;
      li.dataset.kind = r.kind;
      const label = document.createElement('span');
      label.className = 'search-label';
      label.textContent = r.label;
      const detail = document.createElement('span');
      detail.className = 'search-detail';
      detail.textContent = `${r.kind} \u00b7 ${r.detail}`;
      li.append(label, detail);
      li.addEventListener('mousedown', (e) => { e.preventDefault(); this.pick(i); });
      frag.appendChild(li);
    });
    this.list.replaceChildren(frag);
    this.input.setAttribute('aria-expanded', String(results.length > 0));
    this.setActive(results.length > 0 ? 0 : -1);
  }

  private setActive(i: number): void {
    this.list.querySelector('[aria-selected="true"]')?.setAttribute('aria-selected', 'false');
    this.active = i;
    const li = i >= 0 ? this.list.children[i] as HTMLElement | undefined : undefined;
    li?.setAttribute('aria-selected', 'true');
    li?.scrollIntoView({ block: 'nearest' });
    if (li) this.input.setAttribute('aria-activedescendant', li.id);
    else this.input.removeAttribute('aria-activedescendant');
  }

  private pick(i: number): void {
    const r = this.results[i];
    if (!r) return;
    this.setActive(i);
    this.choose(r);
  }

  private async onKey(e: KeyboardEvent): Promise<void> {
    const n = this.results.length;
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'ArrowDown' && n > 0) {
      e.preventDefault();
      this.setActive((this.active + 1) % n);
    } else if (e.key === 'ArrowUp' && n > 0) {
      e.preventDefault();
      this.setActive((this.active - 1 + n) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (this.timer !== undefined) await this.run();
      this.pick(Math.max(0, this.active));
    }
  }
}
