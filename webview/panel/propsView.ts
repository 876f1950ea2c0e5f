// Renders a PropsView (model, node or tensor properties from the host) as DOM. Model text goes in with
// textContent only: names and metadata are untrusted.
import type { PropLink, PropRow, PropsView, TensorValuesView } from '../../src/protocol/inspect';

export type LinkHandler = (link: PropLink) => void;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function rowElement(row: PropRow, onLink: LinkHandler): HTMLElement {
  const tr = el('tr', 'prop-row');
  tr.dataset.testid = 'prop-row';
  tr.dataset.key = row.key;
  const key = el('th', 'prop-key', row.key);
  key.scope = 'row';
  const cell = el('td', 'prop-value');
  if (row.link) {
    const a = el('a', 'prop-link', row.value);
    a.href = '#';
    a.dataset.testid = 'prop-link';
    a.dataset.linkKind = row.link.kind;
    const link = row.link;
    a.addEventListener('click', (e) => { e.preventDefault(); onLink(link); });
    cell.appendChild(a);
  } else {
    cell.appendChild(el('span', 'prop-text', row.value));
  }
  if (row.detail) cell.appendChild(el('span', 'prop-detail', row.detail));
  tr.append(key, cell);
  return tr;
}

export function renderProps(view: PropsView, onLink: LinkHandler): HTMLElement {
  const root = el('div', 'props');
  root.dataset.testid = 'props';
  root.dataset.kind = view.kind;
  const title = el('h2', 'props-title', view.title);
  title.dataset.testid = 'props-title';
  root.appendChild(title);
  if (view.subtitle) root.appendChild(el('div', 'props-subtitle', view.subtitle));
  for (const s of view.sections) {
    const details = el('details', 'props-section');
    details.open = true;
    details.dataset.testid = 'props-section';
    details.dataset.title = s.title;
    details.appendChild(el('summary', undefined, s.title));
    const table = el('table', 'props-table');
    for (const r of s.rows) table.appendChild(rowElement(r, onLink));
    if (s.rows.length === 0) details.appendChild(el('div', 'props-empty', 'none'));
    else details.appendChild(table);
    root.appendChild(details);
  }
  return root;
}

/** The values block of an initializer: a button, then statistics and first values (or why they can't be read). */
export function renderValuesButton(load: () => Promise<TensorValuesView>): HTMLElement {
  const box = el('div', 'props-values');
  box.dataset.testid = 'tensor-values';
  const button = el('button', 'props-button', 'Show values');
  button.dataset.testid = 'load-values';
  const show = async () => {
    button.disabled = true;
    button.textContent = 'Reading\u2026';
    const v = await load().catch((e: Error) => ({ error: e.message }) as TensorValuesView);
    button.remove();
    if (v.error !== undefined) {
      const err = el('div', 'props-error', v.error);
      err.dataset.testid = 'values-error';
      box.appendChild(err);
      return;
    }
    const table = el('table', 'props-table');
    table.dataset.testid = 'values-stats';
    for (const s of v.stats ?? []) table.appendChild(rowElement({ key: s.key, value: s.value }, () => undefined));
    box.appendChild(table);
    const first = el('div', 'props-first', `first ${v.first?.length ?? 0} of ${v.count ?? 0}: ${(v.first ?? []).join(', ')}`);
    first.dataset.testid = 'values-first';
    box.appendChild(first);
  };
  button.addEventListener('click', () => {
    show().catch((e: unknown) => box.replaceChildren(el('div', 'props-error', e instanceof Error ? e.message : String(e))));
  });
  box.appendChild(button);
  return box;
}
