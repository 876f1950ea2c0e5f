// The accessible outline: a visually hidden tree with one item per box in the scene. Screen readers read it,
// Enter/Space on an item acts like a click, and end-to-end tests assert on it. Text is set with textContent only
// (model names are untrusted).
import type { Scene, SceneNode } from '../src/protocol/scene';

export class Outline {
  readonly root: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly edgeCount: HTMLElement;
  private items = new Map<string, HTMLLIElement>();

  /** `unfold`: ArrowRight on a folded quantized op's item opens its fold. */
  constructor(parent: HTMLElement, private readonly activate: (id: string) => void, private readonly focus: (id: string) => void,
    private readonly unfold?: (id: string) => void) {
    this.root = document.createElement('div');
    this.root.className = 'visually-hidden';
    this.root.dataset.testid = 'graph-root';
    this.edgeCount = document.createElement('span');
    this.edgeCount.dataset.testid = 'edge-count';
    this.list = document.createElement('ul');
    this.list.setAttribute('role', 'tree');
    this.list.setAttribute('aria-label', 'Model graph');
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.list.addEventListener('focusin', (e) => {
      const id = (e.target as HTMLElement).dataset.id;
      if (id) this.focus(id);
    });
    this.root.append(this.edgeCount, this.list);
    parent.appendChild(this.root);
  }

  update(scene: Scene, edgesDrawn: number): void {
    const frag = document.createDocumentFragment();
    this.items.clear();
    for (const n of scene.nodes) {
      const li = document.createElement('li');
      li.dataset.testid = 'scene-node';
      li.dataset.id = n.id;
      li.dataset.kind = n.kind;
      if (n.kind === 'op') li.dataset.op = n.label;
      li.dataset.expanded = String(n.kind === 'group' && !!n.expanded);
      li.setAttribute('role', 'treeitem');
      li.setAttribute('aria-level', String(n.depth + 1));
      if (n.kind === 'group' || n.fold) li.setAttribute('aria-expanded', String(n.kind === 'group' && !!n.expanded));
      li.tabIndex = this.items.size === 0 ? 0 : -1;
      li.textContent = describe(n);
      this.items.set(n.id, li);
      frag.appendChild(li);
    }
    this.list.replaceChildren(frag);
    this.edgeCount.textContent = String(edgesDrawn);
    this.edgeCount.setAttribute('aria-label', `${edgesDrawn} edges`);
  }

  select(id: string | undefined): void {
    for (const li of this.list.querySelectorAll('[aria-selected="true"]')) li.setAttribute('aria-selected', 'false');
    const li = id ? this.items.get(id) : undefined;
    li?.setAttribute('aria-selected', 'true');
  }

  private onKey(e: KeyboardEvent): void {
    const li = e.target as HTMLLIElement;
    const id = li.dataset.id;
    if (!id) return;
    let next: Element | null = null;
    if (e.key === 'ArrowDown') next = li.nextElementSibling;
    else if (e.key === 'ArrowUp') next = li.previousElementSibling;
    else if (e.key === 'Enter' || e.key === ' ') { this.activate(id); e.preventDefault(); return; }
    else if (e.key === 'ArrowRight' && li.getAttribute('aria-expanded') === 'false' && li.dataset.kind === 'op') { this.unfold?.(id); e.preventDefault(); return; }
    if (next instanceof HTMLLIElement) {
      li.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
      e.preventDefault();
    }
  }
}

function describe(n: SceneNode): string {
  if (n.kind === 'group') return `${n.label} ${n.name} (group, ${n.opCount ?? 0} ops, ${n.expanded ? 'expanded' : 'collapsed'})`;
  if (n.kind === 'input') return `${n.label} ${n.name} (${n.outer ? 'value of the outer graph' : 'graph input'})`;
  if (n.kind === 'output') return `${n.label} ${n.name} (graph output)`;
  const weights = n.initializers?.length ? ` (${n.initializers.length} initializer${n.initializers.length > 1 ? 's' : ''})` : '';
  const quant = n.fold ? ` (quantized ${n.fold.badge}, Q/DQ folded)` : '';
  return `${n.label} ${n.name}${weights}${quant}`;
}
