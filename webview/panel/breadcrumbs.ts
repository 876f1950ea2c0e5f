// The path of the graph shown (main graph › node 'If_3' › then_branch); each crumb but the last opens its level.
import type { Breadcrumb, GraphPath } from '../../src/protocol/inspect';

export class Breadcrumbs {
  readonly root: HTMLElement;

  constructor(parent: HTMLElement, before: Element | null, private readonly open: (path: GraphPath) => void) {
    this.root = document.createElement('nav');
    this.root.className = 'breadcrumbs';
    this.root.dataset.testid = 'breadcrumbs';
    this.root.setAttribute('aria-label', 'Graph path');
    this.root.hidden = true;
    parent.insertBefore(this.root, before);
  }

  show(crumbs: Breadcrumb[]): void {
    // The main graph alone needs no trail.
    this.root.hidden = crumbs.length <= 1;
    const frag = document.createDocumentFragment();
    crumbs.forEach((c, i) => {
      if (i > 0) frag.appendChild(document.createTextNode(' \u203a '));
      const last = i === crumbs.length - 1;
      const item = document.createElement(last ? 'span' : 'a');
      item.className = last ? 'crumb crumb-current' : 'crumb';
      item.textContent = c.label;
      item.dataset.testid = 'crumb';
      if (item instanceof HTMLAnchorElement) {
        item.href = '#';
        item.addEventListener('click', (e) => { e.preventDefault(); this.open(c.path); });
      } else {
        item.setAttribute('aria-current', 'location');
      }
      frag.appendChild(item);
    });
    this.root.replaceChildren(frag);
  }
}
