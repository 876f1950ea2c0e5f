// Symbolic dimension arithmetic. A dim is a number, a symbol (`batch`) or an expression over symbols with
// integer coefficients (`batch*196`, `seq+1`), kept as a canonical string so equal sizes compare equal.
// Anything beyond sums of products (a division that does not come out exact, a floor) is unknown: null.
import { Dim } from '../types';

/** monomial key (symbols sorted, joined by '*'; '' for the constant term) -> integer coefficient. */
type Poly = Map<string, number>;

const IDENT = /^[A-Za-z_][A-Za-z0-9_.:]*$/;
const cache = new Map<string, Poly | null>();

/** Parses our own printed form: terms joined by + and -, factors by *; other names are opaque atoms. */
function parse(text: string): Poly | null {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  let poly: Poly | null = new Map();
  // A name that is not an expression of identifiers is one opaque symbol (dim_params can be any text).
  if (!/^[A-Za-z0-9_.:+\-* ]+$/.test(text)) {
    poly.set(atomKey(text), 1);
  } else {
    const terms = text.replace(/ /g, '').match(/[+-]?[^+-]+/g) ?? [];
    for (const term of terms) {
      let coef = term.startsWith('-') ? -1 : 1;
      const syms: string[] = [];
      for (const f of term.replace(/^[+-]/, '').split('*')) {
        if (/^[0-9]+$/.test(f)) coef *= Number(f);
        else if (IDENT.test(f)) syms.push(f);
        else { poly = null; break; }
      }
      if (!poly) break;
      addTerm(poly, syms.sort().join('*'), coef);
    }
    if (!poly || terms.length === 0) poly = new Map([[atomKey(text), 1]]);
  }
  if (cache.size > 10000) cache.clear();
  cache.set(text, poly);
  return poly;
}

function atomKey(text: string): string {
  return IDENT.test(text) ? text : `(${text})`;
}

function addTerm(p: Poly, key: string, coef: number): void {
  const c = (p.get(key) ?? 0) + coef;
  if (c === 0) p.delete(key);
  else p.set(key, c);
}

function toPoly(d: number | string): Poly {
  return typeof d === 'number' ? new Map(d === 0 ? [] : [['', d]]) : parse(d)!;
}

/** Prints `batch*196`, `seq+1`, `2*a*b-3`: symbol terms sorted, the constant last. */
function print(p: Poly): Dim {
  if (p.size === 0) return 0;
  if (p.size === 1 && p.has('')) return p.get('')!;
  const keys = [...p.keys()].filter((k) => k !== '').sort();
  let out = '';
  for (const k of keys) {
    const c = p.get(k)!;
    const mag = Math.abs(c);
    const body = mag === 1 ? k : `${k}*${mag}`;
    out += out === '' ? (c < 0 ? `-${body}` : body) : c < 0 ? `-${body}` : `+${body}`;
  }
  const k0 = p.get('');
  if (k0) out += k0 < 0 ? `${k0}` : `+${k0}`;
  for (const c of p.values()) if (!Number.isSafeInteger(c)) return null;
  return out;
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
      const key = [...(ka ? ka.split('*') : []), ...(kb ? kb.split('*') : [])].sort().join('*');
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
  const symsB = kb ? kb.split('*') : [];
  const p: Poly = new Map();
  for (const [ka, ca] of pa) {
    if (ca % cb !== 0) return null;
    const syms = ka ? ka.split('*') : [];
    for (const s of symsB) {
      const i = syms.indexOf(s);
      if (i < 0) return null;
      syms.splice(i, 1);
    }
    addTerm(p, syms.join('*'), ca / cb);
  }
  return print(p);
}

/** floor(a / b) for numbers; symbolic only when exact. */
export function dimFloorDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return b === 0 ? null : Math.floor(a / b);
  return dimDivExact(a, b);
}

/** ceil(a / b) for numbers; symbolic only when exact. */
export function dimCeilDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return b === 0 ? null : Math.ceil(a / b);
  return dimDivExact(a, b);
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
