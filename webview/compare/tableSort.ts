// Sorting the tensor table: failures first by default, or by any column, either direction, missing numbers always
// last, ties kept in graph order (the order the host sends). Pure.
import type { CompareTableRow } from '../../src/protocol/compare';

export type SortKey = 'triage' | 'order' | 'name' | 'status' | 'maxAbs' | 'maxRel' | 'cosine' | 'shape' | 'dtype' | 'reason';
export type SortDir = 'asc' | 'desc';

export const COLUMNS: { key: Exclude<SortKey, 'order' | 'triage'>; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Tensor', numeric: false },
  { key: 'status', label: 'Verdict', numeric: false },
  { key: 'maxAbs', label: 'Max abs', numeric: true },
  { key: 'maxRel', label: 'Max rel', numeric: true },
  { key: 'cosine', label: 'Cosine', numeric: true },
  { key: 'shape', label: 'Shape', numeric: false },
  { key: 'dtype', label: 'Dtype', numeric: false },
  { key: 'reason', label: 'Reason', numeric: false },
];

/** Verdicts by weight: failures, then passes, then tensors a backend fused away or could not capture. */
const STATUS_RANK: Record<CompareTableRow['status'], number> = { fail: 3, pass: 2, fused: 1, skipped: 0 };

/**
 * The order the table opens in: failing tensors (the first divergence on top), passing ones, those a backend fused
 * away or could not capture, passing weights last; graph order within each (as the reports and the CLI list them).
 */
function triageRank(r: CompareTableRow): number {
  if (r.status === 'fail') return 0;
  if (r.status === 'pass') return r.weight ? 4 : 1;
  return r.status === 'fused' ? 2 : 3;
}

/** The table's filter: every row, or one status. */
export type RowFilter = 'all' | CompareTableRow['status'];

export function filterRows(rows: readonly CompareTableRow[], filter: RowFilter): CompareTableRow[] {
  return filter === 'all' ? [...rows] : rows.filter((r) => r.status === filter);
}

/** The direction a first click on a column sorts: errors and failures worst first, text A to Z. */
export function firstDirection(key: SortKey): SortDir {
  return key === 'maxAbs' || key === 'maxRel' || key === 'status' ? 'desc' : 'asc';
}

function value(r: CompareTableRow, key: SortKey): number | string | null {
  switch (key) {
    case 'status': return STATUS_RANK[r.status];
    case 'order': return null;
    case 'triage': return triageRank(r);
    default: return r[key];
  }
}

export function sortRows(rows: readonly CompareTableRow[], key: SortKey, dir: SortDir): CompareTableRow[] {
  const indexed = rows.map((r, i) => ({ r, i }));
  if (key === 'order') return dir === 'asc' ? [...rows] : indexed.reverse().map((x) => x.r);
  const sign = dir === 'asc' ? 1 : -1;
  if (key === 'triage') return indexed.sort((x, y) => sign * (triageRank(x.r) - triageRank(y.r)) || x.i - y.i).map((x) => x.r);
  indexed.sort((x, y) => {
    const a = value(x.r, key), b = value(y.r, key);
    if (a === null || b === null) return a === b ? x.i - y.i : a === null ? 1 : -1;
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
    return c !== 0 ? sign * c : x.i - y.i;
  });
  return indexed.map((x) => x.r);
}
