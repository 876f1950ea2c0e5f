// Which groups a model opens with: the top of the model in full, and beyond what fits the first screens at a
// legible zoom, its structure as collapsed groups (a readable start instead of a thin column of tiny boxes).
import { ViewItem, ViewModel } from './viewModel';

/** Boxes a screen holds at a legible zoom: about 14 ranks of 30-unit boxes at 1.2x on an 850 px editor, some side by side. */
export const BOXES_PER_SCREEN = 20;
/** How many screens from the top open in full. */
export const FIRST_SCREENS = 3;
/** Visible box budget of the first view. */
export const VISIBLE_BOX_BUDGET = BOXES_PER_SCREEN * FIRST_SCREENS;

/**
 * Groups open in graph order, each before the groups that come after it (pre-order: a group, then its insides,
 * then its next sibling), while the boxes drawn still fit the budget. The first group that would overflow it stays
 * collapsed, and so does every group after it: the model's top reads in full, the rest shows as its structure.
 * A graph that fits the budget opens fully.
 */
export function defaultExpanded(view: ViewModel, budget = VISIBLE_BOX_BUDGET): string[] {
  // Quantization folds stay folded: each reads as its op's box.
  const groups = (g: ViewItem): ViewItem[] => (g.children ?? []).map((id) => view.items.get(id)!).filter((c) => c.kind === 'group' && !c.fold);
  const open: string[] = [];
  let visible = view.root.children?.length ?? 0;
  const stack = groups(view.root).reverse();
  while (stack.length > 0) {
    const g = stack.pop()!;
    // The group stays drawn (as a frame), so opening it adds all its children.
    const added = g.children?.length ?? 0;
    if (visible + added > budget) break;
    visible += added;
    open.push(g.id);
    stack.push(...groups(g).reverse());
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
      else if (c.fold) continue; // a few boxes: quick to lay out when opened
      else out.push(c);
    }
  }
  out.sort((a, b) => (b.children?.length ?? 0) - (a.children?.length ?? 0) || a.order - b.order);
  return out.slice(0, limit).map((g) => g.id);
}
