// Splitting a long level by the graph's structure rather than by position (torchvision's detection exporters put
// hundreds of ops directly in one scope, `/rpn/Cast_15`, `/rpn/Concat_3`, with no deeper names to group by).
// Segments stay contiguous in graph order. Repeated blocks (the same op sequence again and again, e.g. one head
// applied per feature level) become one segment each; the rest is cut where the fewest values are live (the
// narrow points between branches), until every segment is small. Labels say what is inside: `Conv×12 Relu×12 Add`.
import type { RunEntry } from './runs';

export interface LevelStructure {
  /** Per child: what it is (op type, or a group's op composition); equal kinds can repeat. */
  kinds: readonly string[];
  /** Per child: the op types inside it with their counts (an op: itself once). */
  opCounts: readonly ReadonlyMap<string, number>[];
  /** Per boundary after child i: how many values are live across it (made at or before i, or outside; read after i or outside). */
  crossing: Int32Array;
}

/** Most entries in one structural segment. */
export const SEGMENT_MAX = 40;
/** Stretches shorter than this stay loose (a segment of one or two boxes hides more than it tells). */
const MIN_SEGMENT = 3;
/** Smallest repeated block (`Conv Relu` pairs are too common to mean a block). */
const MIN_PERIOD = 3;
/** Short blocks must repeat this often to count (two `Mod Mod Sub` in a row are a coincidence, not a loop). */
const MIN_SHORT_REPEATS = 3;
/** Blocks of at least this many entries count from two repeats. */
const LONG_PERIOD = 5;

const minRepeats = (period: number): number => (period >= LONG_PERIOD ? 2 : MIN_SHORT_REPEATS);
/** Most labelled op types; further ones read as `…`. */
const LABEL_TYPES = 3;

/** Span of an entry in the child list, inclusive. */
function span<T>(e: RunEntry<T>): [number, number] {
  return e.kind === 'child' ? [e.index, e.index] : [e.first, e.last];
}

/** Splits entries into structural segments until at most `max` remain (or no pass makes fewer). */
export function splitByStructure<T>(entries: RunEntry<T>[], s: LevelStructure, max: number): RunEntry<T>[] {
  let level = entries;
  while (level.length > max) {
    const next = segmentPass(level, s);
    if (next.length >= level.length) break;
    level = next;
  }
  return level;
}

/** One pass: repeated blocks first, then the stretches between them cut at their narrowest points. */
function segmentPass<T>(entries: RunEntry<T>[], s: LevelStructure): RunEntry<T>[] {
  const n = entries.length;
  const counts = entries.map((e) => opCountsOf(e, s));
  const codeOf = new Map<string, number>();
  const codes = entries.map((e, i) => {
    const kind = e.kind === 'child' ? s.kinds[e.index] : signature(counts[i]);
    let c = codeOf.get(kind);
    if (c === undefined) codeOf.set(kind, (c = codeOf.size));
    return c;
  });
  // Live values across the boundary after entry j.
  const cut = (j: number): number => s.crossing[span(entries[j])[1]] ?? 0;

  const out: RunEntry<T>[] = [];
  let loose: number[] = [];
  const flushLoose = () => {
    if (loose.length > 0) out.push(...cutStretch(entries, counts, loose[0], loose[loose.length - 1], cut));
    loose = [];
  };
  let i = 0;
  while (i < n) {
    const rep = findRepeat(codes, i, cut);
    if (!rep) { loose.push(i++); continue; }
    for (let j = i; j < rep.start; j++) loose.push(j);
    flushLoose();
    for (let b = 0; b < rep.blocks; b++) {
      const a = rep.start + b * rep.period;
      out.push(segment(entries, counts, a, a + rep.period - 1, ` [${b + 1}/${rep.blocks}]`));
    }
    i = rep.start + rep.blocks * rep.period;
  }
  flushLoose();
  return out;
}

interface Repeat { start: number; period: number; blocks: number }

/**
 * A block starting at or shortly after `i` that repeats (see minRepeats): the period covering the most entries
 * (the smallest on ties), aligned where its boundaries cut the fewest live values.
 */
function findRepeat(codes: number[], i: number, cut: (j: number) => number): Repeat | undefined {
  const n = codes.length;
  let best: { period: number; end: number; cover: number } | undefined;
  for (let p = MIN_PERIOD; p <= SEGMENT_MAX && i + 2 * p <= n; p++) {
    // Cheap rejections first: the block must come again at once and not be a smaller block repeated.
    if (codes[i + p] !== codes[i] || !isPrimitive(codes, i, p)) continue;
    let e = i + p;
    while (e < n && codes[e] === codes[e - p]) e++;
    if (e - i < minRepeats(p) * p) continue;
    const cover = Math.floor((e - i) / p) * p;
    if (!best || cover > best.cover) best = { period: p, end: e, cover };
  }
  if (!best) return undefined;
  // The periodic stretch is [i, end); any phase leaving enough whole blocks works: take the cleanest cuts.
  const { period, end } = best;
  let choice: Repeat | undefined;
  let choiceCost = Infinity;
  for (let r = 0; r < period; r++) {
    const blocks = Math.floor((end - i - r) / period);
    if (blocks < minRepeats(period)) break;
    const start = i + r;
    let cost = start > 0 ? cut(start - 1) : 0;
    for (let b = 1; b <= blocks; b++) cost += cut(start + b * period - 1);
    cost /= blocks + 1;
    if (cost < choiceCost) { choiceCost = cost; choice = { start, period, blocks }; }
  }
  return choice;
}

/** Whether codes[i, i+p) is not itself a smaller block repeated. */
function isPrimitive(codes: number[], i: number, p: number): boolean {
  for (let d = 1; d < p; d++) {
    if (p % d !== 0) continue;
    let periodic = true;
    for (let x = i + d; x < i + p && periodic; x++) periodic = codes[x] === codes[x - d];
    if (periodic) return false;
  }
  return true;
}

/** Entries a..b (inclusive) as segments of at most SEGMENT_MAX, cut at the narrowest points near the middle. */
function cutStretch<T>(entries: RunEntry<T>[], counts: Map<string, number>[], a: number, b: number, cut: (j: number) => number): RunEntry<T>[] {
  const len = b - a + 1;
  if (len < MIN_SEGMENT) return entries.slice(a, b + 1);
  if (len <= SEGMENT_MAX) return [segment(entries, counts, a, b, '')];
  // Cut after entry j, j in the middle half: the fewest live values, then the nearest to the middle.
  const lo = a + Math.floor(len / 4);
  const hi = b - Math.floor(len / 4);
  const mid = (a + b) / 2;
  let bestJ = lo;
  for (let j = lo; j < hi; j++) {
    const better = cut(j) < cut(bestJ) || (cut(j) === cut(bestJ) && Math.abs(j - mid) < Math.abs(bestJ - mid));
    if (better) bestJ = j;
  }
  return [...cutStretch(entries, counts, a, bestJ, cut), ...cutStretch(entries, counts, bestJ + 1, b, cut)];
}

function segment<T>(entries: RunEntry<T>[], counts: Map<string, number>[], a: number, b: number, suffix: string): RunEntry<T> {
  const members = entries.slice(a, b + 1);
  if (members.length === 1) return members[0];
  const total = new Map<string, number>();
  for (let j = a; j <= b; j++) addCounts(total, counts[j]);
  return {
    kind: 'run', label: compositionLabel(total) + suffix, first: span(members[0])[0], last: span(members[members.length - 1])[1], members,
  };
}

function opCountsOf<T>(e: RunEntry<T>, s: LevelStructure): Map<string, number> {
  const [first, last] = span(e);
  const total = new Map<string, number>();
  for (let k = first; k <= last; k++) addCounts(total, s.opCounts[k]);
  return total;
}

export function addCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [op, c] of from) into.set(op, (into.get(op) ?? 0) + c);
}

/** Order-free identity of a composition: equal for blocks with the same ops. */
function signature(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([op, c]) => `${op}:${c}`).sort().join(',');
}

/** `Conv×12 Relu×12 Add`: the most frequent op types first (ties in order of appearance), `…` for the rest. */
export function compositionLabel(counts: ReadonlyMap<string, number>): string {
  const sorted = [...counts].sort((x, y) => y[1] - x[1]);
  const parts = sorted.slice(0, LABEL_TYPES).map(([op, c]) => (c > 1 ? `${op}\u00D7${c}` : op));
  return parts.join(' ') + (sorted.length > LABEL_TYPES ? ' \u2026' : '');
}
