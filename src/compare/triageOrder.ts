// The order a comparison is read in: failing tensors first (in graph order, so the first divergence is on top),
// then passing tensors, then passing weights (initializers, Constant outputs). The table, the reports and the CLI
// all list tensors this way. Pure.

/** 0: failing, 1: passing, 2: passing weight. A failing weight is a failure like any other. */
export function triageRank(status: 'pass' | 'fail', weight: boolean): number {
  return status === 'fail' ? 0 : weight ? 2 : 1;
}

/**
 * Sorts `items` (stable) by triage rank, then by graph position (`position`: undefined for tensors outside the
 * graph order, which keep their given order after those inside it).
 */
export function triageSort<T>(items: readonly T[], rank: (t: T) => number, position: (t: T) => number | undefined): T[] {
  const keyed = items.map((t, i) => ({ t, i, r: rank(t), p: position(t) ?? Infinity }));
  keyed.sort((x, y) => x.r - y.r || (x.p === y.p ? x.i - y.i : x.p < y.p ? -1 : 1));
  return keyed.map((k) => k.t);
}
