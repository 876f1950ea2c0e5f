// Sorting the tensor table: by any column, either direction, missing numbers always last, ties kept in graph
// order (the report's order). Pure.
import type { CompareTableRow } from '../../src/protocol/compare';

export type SortKey = 'order' | 'name' | 'status' | 'maxAbs' | 'maxRel' | 'cosine' | 'shape' | 'dtype' | 'reason';
export type SortDir = 'asc' | 'desc';

export const COLUMNS: { key: Exclude<SortKey, 'order'>; label: string; numeric: boolean }[] = [
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
    default: return r[key];
  }
}

export function sortRows(rows: readonly CompareTableRow[], key: SortKey, dir: SortDir): CompareTableRow[] {
  const indexed = rows.map((r, i) => ({ r, i }));
  if (key === 'order') return dir === 'asc' ? [...rows] : indexed.reverse().map((x) => x.r);
  const sign = dir === 'asc' ? 1 : -1;
  indexed.sort((x, y) => {
    const a = value(x.r, key), b = value(y.r, key);
    if (a === null || b === null) return a === b ? x.i - y.i : a === null ? 1 : -1;
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
    return c !== 0 ? sign * c : x.i - y.i;
  });
  return indexed.map((x) => x.r);
}
