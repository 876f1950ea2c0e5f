// Symbolic dimension arithmetic. A dim is a number, a symbol (`batch`) or an expression over symbols with
// integer coefficients (`batch*196`, `seq+1`), kept as a canonical string so equal sizes compare equal.
// Anything beyond sums of products (a division that does not come out exact, a floor) is unknown: null.
import { Dim } from '../types';

/**
 * monomial key (its factors sorted, joined by SEP; '' for the constant term) -> integer coefficient. A factor
 * is a symbol or an opaque atom such as `floor((H-1)/2)`, which may itself contain '*'.
 */
type Poly = Map<string, number>;

const SEP = '\u0001';
const IDENT = /^[A-Za-z_][A-Za-z0-9_.:]*$/;
/** Longest expression we keep: past this a dim is not "simple arithmetic" any more, and reads as unknown. */
const MAX_TEXT = 48;
const cache = new Map<string, Poly>();

/** Splits `text` at top-level (outside parentheses) occurrences of the characters in `seps`. */
function splitTop(text: string, seps: string): { sep: string; part: string }[] | null {
  const out: { sep: string; part: string }[] = [];
  let depth = 0;
  let start = 0;
  let sep = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (--depth < 0) return null;
    } else if (depth === 0 && seps.includes(ch) && i > 0) {
      out.push({ sep, part: text.slice(start, i) });
      sep = ch;
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  out.push({ sep, part: text.slice(start) });
  return out;
}

/** Parses our printed form: terms joined by + and -, factors by *, factors are numbers, names or atoms. */
function parse(text: string): Poly {
  const hit = cache.get(text);
  if (hit) return hit;
  let poly: Poly | null = new Map();
  const terms = /\s/.test(text) ? null : splitTop(text, '+-');
  if (!terms) poly = null;
  else {
    for (const { sep, part } of terms) {
      let term = part;
      let coef = sep === '-' ? -1 : 1;
      if (term.startsWith('-')) { coef = -coef; term = term.slice(1); }
      const factors = splitTop(term, '*');
      if (!factors || term === '') { poly = null; break; }
      const syms: string[] = [];
      for (const { part: f } of factors) {
        if (/^[0-9]+$/.test(f)) coef *= Number(f);
        else if (IDENT.test(f) || /^[A-Za-z_]*\(.*\)$/.test(f)) syms.push(f);
        else { poly = null; break; }
      }
      if (!poly) break;
      addTerm(poly, syms.sort().join(SEP), coef);
    }
  }
  // A name that is not an expression we print (dim_params can be any text) is one opaque symbol.
  if (!poly) poly = new Map([[IDENT.test(text) ? text : `(${text})`, 1]]);
  if (cache.size > 10000) cache.clear();
  cache.set(text, poly);
  return poly;
}

function addTerm(p: Poly, key: string, coef: number): void {
  const c = (p.get(key) ?? 0) + coef;
  if (c === 0) p.delete(key);
  else p.set(key, c);
}

function toPoly(d: number | string): Poly {
  return typeof d === 'number' ? new Map(d === 0 ? [] : [['', d]]) : parse(d);
}

/** Prints `batch*196`, `seq+1`, `2*a*b-3`: symbol terms sorted, the constant last. */
function print(p: Poly): Dim {
  if (p.size === 0) return 0;
  if (p.size === 1 && p.has('')) return p.get('')!;
  for (const c of p.values()) if (!Number.isSafeInteger(c)) return null;
  const keys = [...p.keys()].filter((k) => k !== '').sort();
  let out = '';
  for (const k of keys) {
    const c = p.get(k)!;
    const mag = Math.abs(c);
    const factors = k.split(SEP).join('*');
    const body = mag === 1 ? factors : `${factors}*${mag}`;
    out += out === '' ? (c < 0 ? `-${body}` : body) : c < 0 ? `-${body}` : `+${body}`;
  }
  const k0 = p.get('');
  if (k0) out += k0 < 0 ? `${k0}` : `+${k0}`;
  return out.length > MAX_TEXT ? null : out;
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const p = new Map(toPoly(a));
  for (const [k, c] of toPoly(b)) addTerm(p, k, c);
  return print(p);
}

export function dimNeg(a: Dim): Dim {
  if (a === null) return null;
  if (typeof a === 'number') return -a;
  const p: Poly = new Map();
  for (const [k, c] of toPoly(a)) p.set(k, -c);
  return print(p);
}

export function dimSub(a: Dim, b: Dim): Dim {
  return dimAdd(a, dimNeg(b));
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 0 || b === 0) return 0;
  if (a === 1) return b;
  if (b === 1) return a;
  const pa = toPoly(a);
  const pb = toPoly(b);
  if (pa.size * pb.size > 16) return null; // products of long sums are not "simple arithmetic"
  const p: Poly = new Map();
  for (const [ka, ca] of pa) {
    for (const [kb, cb] of pb) {
      const key = [...(ka ? ka.split(SEP) : []), ...(kb ? kb.split(SEP) : [])].sort().join(SEP);
      addTerm(p, key, ca * cb);
    }
  }
  return print(p);
}

/** Exact division (a / b with no remainder), else null: a floor of a symbol is not a known size. */
export function dimDivExact(a: Dim, b: Dim): Dim {
  if (a === null || b === null || b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') return a % b === 0 ? a / b : null;
  if (b === 1) return a;
  if (a === b) return 1;
  const pa = toPoly(a);
  const pb = toPoly(b);
  if (pb.size !== 1) return null;
  const [[kb, cb]] = [...pb];
  const symsB = kb ? kb.split(SEP) : [];
  const p: Poly = new Map();
  for (const [ka, ca] of pa) {
    if (ca % cb !== 0) return null;
    const syms = ka ? ka.split(SEP) : [];
    for (const s of symsB) {
      const i = syms.indexOf(s);
      if (i < 0) return null;
      syms.splice(i, 1);
    }
    addTerm(p, syms.join(SEP), ca / cb);
  }
  return print(p);
}

/** An atom for a rounded quotient of a symbolic size by a positive number: `floor((H-1)/2)`. */
function roundedAtom(fn: 'floor' | 'ceil', a: string, b: number): Dim {
  // floor(floor(x/m)/n) = floor(x/(m*n)) for positive integers (ceil likewise): strided layers stay short.
  const nested = new RegExp(`^${fn}\\((.*)/([0-9]+)\\)$`).exec(a);
  if (nested && splitTop(a, '+-*')?.length === 1 && splitTop(nested[1], '/')?.length === 1) {
    const text = `${fn}(${nested[1]}/${Number(nested[2]) * b})`;
    return text.length > MAX_TEXT ? null : text;
  }
  // A single product needs no parentheses; a sum does.
  const inner = splitTop(a, '+-')?.length === 1 && !a.startsWith('-') ? a : `(${a})`;
  const text = `${fn}(${inner}/${b})`;
  return text.length > MAX_TEXT ? null : text;
}

/** floor(a / b): exact when it divides, else an atom like `floor((H-1)/2)` (never rounded as a guess). */
export function dimFloorDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return b === 0 ? null : Math.floor(a / b);
  const exact = dimDivExact(a, b);
  if (exact !== null || typeof a !== 'string' || typeof b !== 'number' || b <= 0) return exact;
  return roundedAtom('floor', a, b);
}

/** ceil(a / b): exact when it divides, else an atom like `ceil(H/2)`. */
export function dimCeilDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return b === 0 ? null : Math.ceil(a / b);
  const exact = dimDivExact(a, b);
  if (exact !== null || typeof a !== 'string' || typeof b !== 'number' || b <= 0) return exact;
  return roundedAtom('ceil', a, b);
}

/** The product of dims (1 for none), symbolic when any is. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) {
    p = dimMul(p, d);
    if (p === null) return null;
  }
  return p;
}

/** True when both are known and provably different (two different numbers). Symbols may be anything. */
export function dimsConflict(a: Dim, b: Dim): boolean {
  return typeof a === 'number' && typeof b === 'number' && a !== b;
}
