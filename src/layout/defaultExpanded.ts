// Which groups a model opens with: small graphs fully open; big ones open breadth-first while the number of
// visible boxes stays within a budget, so the first screen shows structure and lays out fast.
import { ViewItem, ViewModel } from './viewModel';

/** Graphs with at most this many op boxes open fully expanded. */
export const SMALL_GRAPH_OPS = 300;
/** Visible box budget for big graphs. */
export const VISIBLE_BOX_BUDGET = 150;

export function defaultExpanded(view: ViewModel, budget = VISIBLE_BOX_BUDGET): string[] {
  const groups = (g: ViewItem): ViewItem[] => (g.children ?? []).map((id) => view.items.get(id)!).filter((c) => c.kind === 'group');
  if (view.opCount <= SMALL_GRAPH_OPS) {
    return [...view.items.values()].filter((i) => i.kind === 'group' && i.parent !== undefined).map((i) => i.id);
  }
  const open: string[] = [];
  let visible = view.root.children?.length ?? 0;
  let frontier = groups(view.root);
  // One depth at a time, in graph order; a group that would exceed the budget stays closed, and then nothing
  // deeper opens (a half-open depth below a closed sibling would read oddly).
  while (frontier.length > 0) {
    const next: ViewItem[] = [];
    let skipped = false;
    for (const g of frontier) {
      // The group stays drawn (as a frame), so opening it adds all its children.
      const added = g.children?.length ?? 0;
      if (visible + added > budget) { skipped = true; continue; }
      visible += added;
      open.push(g.id);
      next.push(...groups(g));
    }
    if (skipped) break;
    frontier = next;
  }
  return open;
}

/** Boxes in the scene for a set of open groups (open groups count: they are drawn as frames). */
export function visibleBoxCount(view: ViewModel, open: ReadonlySet<string>): number {
  let n = 0;
  const stack = [view.root];
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const id of g.children ?? []) {
      n++;
      const c = view.items.get(id)!;
      if (c.kind === 'group' && open.has(id)) stack.push(c);
    }
  }
  return n;
}

/**
 * Collapsed groups on screen that are worth laying out ahead (LayoutService.prefetch): the biggest interiors
 * first, since those are the ones that would make the user wait.
 */
export function likelyNextGroups(view: ViewModel, open: ReadonlySet<string>, limit = 40): string[] {
  const out: ViewItem[] = [];
  const stack = [view.root];
  while (stack.length > 0) {
    const g = stack.pop()!;
    for (const id of g.children ?? []) {
      const c = view.items.get(id)!;
      if (c.kind !== 'group') continue;
      if (open.has(id)) stack.push(c);
      else out.push(c);
    }
  }
  out.sort((a, b) => (b.children?.length ?? 0) - (a.children?.length ?? 0) || a.order - b.order);
  return out.slice(0, limit).map((g) => g.id);
}
