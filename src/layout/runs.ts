// Splitting a level with too many children into consecutive runs, so no level holds more than a bounded
// number of boxes (ELK time grows with it; the findings put ~400 children per group as the practical limit).
// Long stretches of siblings named alike (`layers.0` ... `layers.1019`) become runs aligned with their numbering
// (`layers.0-99`, `layers.100-199`, ...); whatever is still too long is split by the graph's structure when the
// caller describes it (structure.ts), else chunked plainly, as runs of runs if needed.
import { splitByStructure, type LevelStructure } from './structure';

export interface RunChild<T> {
  value: T;
  /** Label used for run names: `layers.7`, `Add_12`. */
  label: string;
}

export type RunEntry<T> =
  | { kind: 'child'; value: T; index: number; label: string }
  | {
    kind: 'run'; label: string; /** Span in the input list, inclusive. */ first: number; last: number; members: RunEntry<T>[];
    /** Structural segments: the span's first and last names (their label says what is inside). */
    name?: string;
  };

/** Stretches at least this long (and of one name stem) are split along their numbering first. */
const MIN_STRETCH_FRACTION = 0.1;

/**
 * `structure` (asked for only when numbering is not enough) lets what is still too long be split by the graph's
 * structure instead of plainly by position.
 */
export function splitIntoRuns<T>(children: readonly RunChild<T>[], max: number, structure?: () => LevelStructure): RunEntry<T>[] {
  const entries: RunEntry<T>[] = children.map((c, index) => ({ kind: 'child', value: c.value, index, label: c.label }));
  if (entries.length <= max) return entries;
  let out: RunEntry<T>[] = [];
  for (const stretch of stretchesByStem(entries)) {
    if (stretch.length >= Math.max(2, max * MIN_STRETCH_FRACTION)) out.push(...chunk(stretch, max));
    else out.push(...stretch);
  }
  if (out.length > max && structure) {
    out = splitByStructure(out, structure(), max);
    nameSegments(out);
  }
  while (out.length > max) out = chunk(out, max);
  return out;
}

function nameSegments<T>(entries: RunEntry<T>[]): void {
  for (const e of entries) {
    if (e.kind !== 'run' || e.name !== undefined) continue;
    e.name = runLabel(firstLabel(e), lastLabel(e));
    nameSegments(e.members);
  }
}

/** `layers.12` -> `layers.`; consecutive entries with one stem form a stretch. */
function stemOf(label: string): string {
  return label.replace(/\d+$/, '');
}

function stretchesByStem<T>(entries: RunEntry<T>[]): RunEntry<T>[][] {
  const out: RunEntry<T>[][] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && stemOf(last[0].label) === stemOf(e.label) && /\d$/.test(e.label)) last.push(e);
    else out.push([e]);
  }
  return out;
}

function chunk<T>(list: RunEntry<T>[], max: number): RunEntry<T>[] {
  const out: RunEntry<T>[] = [];
  for (let i = 0; i < list.length; i += max) {
    const members = list.slice(i, i + max);
    if (members.length === 1) { out.push(members[0]); continue; }
    out.push(makeRun(members));
  }
  return out;
}

function firstLabel<T>(e: RunEntry<T>): string { return e.kind === 'child' ? e.label : firstLabel(e.members[0]); }
function lastLabel<T>(e: RunEntry<T>): string { return e.kind === 'child' ? e.label : lastLabel(e.members[e.members.length - 1]); }
function spanStart<T>(e: RunEntry<T>): number { return e.kind === 'child' ? e.index : e.first; }
function spanEnd<T>(e: RunEntry<T>): number { return e.kind === 'child' ? e.index : e.last; }

function makeRun<T>(members: RunEntry<T>[]): RunEntry<T> {
  const a = firstLabel(members[0]);
  const b = lastLabel(members[members.length - 1]);
  return { kind: 'run', label: runLabel(a, b), first: spanStart(members[0]), last: spanEnd(members[members.length - 1]), members };
}

/** `layers.0` + `layers.99` -> `layers.0-99`; otherwise `first … last`. */
export function runLabel(first: string, last: string): string {
  const ma = /^(.*?)(\d+)$/.exec(first);
  const mb = /^(.*?)(\d+)$/.exec(last);
  if (ma && mb && ma[1] === mb[1]) return `${ma[1]}${ma[2]}-${mb[2]}`;
  return `${first} … ${last}`;
}
