// Matrix products: MatMul (numpy semantics: 1-D operands promoted, batch dims broadcast), Gemm, Einsum, and
// the integer and quantized variants.
import { Dim } from '../../types';
import { broadcastShapes } from '../broadcast';
import { OpContext } from '../context';
import { dimsConflict } from '../dimExpr';
import { INT32 } from '../facts';
import type { OpRules } from './registry';

function matmulShape(c: OpContext, a: Dim[] | undefined, b: Dim[] | undefined): Dim[] | undefined {
  if (!a || !b) return undefined;
  if (a.length === 0 || b.length === 0) c.fail('an operand is a scalar');
  const A = a.length === 1 ? [1, a[0]] : a;
  const B = b.length === 1 ? [b[0], 1] : b;
  const k1 = A[A.length - 1];
  const k2 = B[B.length - 2];
  if (dimsConflict(k1, k2)) c.fail(`inner dimensions differ: ${k1} and ${k2}`);
  const batch = broadcastShapes(c, [A.slice(0, -2), B.slice(0, -2)])!;
  const out = [...batch];
  if (a.length !== 1) out.push(A[A.length - 2]);
  if (b.length !== 1) out.push(B[B.length - 1]);
  return out;
}

function matmul(c: OpContext): void {
  c.out(0, c.elemType(0), matmulShape(c, c.shape(0), c.shape(1)));
}

function matmulInteger(c: OpContext): void {
  c.out(0, INT32, matmulShape(c, c.shape(0), c.shape(1)));
}

function qlinearMatmul(c: OpContext): void {
  c.out(0, c.elemType(7), matmulShape(c, c.shape(0), c.shape(3)));
}

function gemm(c: OpContext): void {
  const a = c.shape(0);
  const b = c.shape(1);
  if (!a || !b) return c.out(0, c.elemType(0), undefined);
  if (a.length !== 2 || b.length !== 2) c.fail(`operands have ranks ${a.length} and ${b.length}, not 2`);
  const [m, k1] = c.int('transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
  const [k2, n] = c.int('transB', 0) ? [b[1], b[0]] : [b[0], b[1]];
  if (dimsConflict(k1, k2)) c.fail(`inner dimensions differ: ${k1} and ${k2}`);
  if (c.hasInput(2)) broadcastShapes(c, [c.shape(2), [m, n]]);
  c.out(0, c.elemType(0), [m, n]);
}

/** Einsum: each letter's size from the operands; `...` broadcast; implicit output in letter order. */
function einsum(c: OpContext): void {
  const eq = c.string('equation', '').replace(/\s/g, '');
  const [lhs, rhsGiven] = eq.split('->');
  const terms = lhs.split(',');
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ellipsis: Dim[] | undefined = [];
  for (let i = 0; i < terms.length; i++) {
    const s = c.shape(i);
    const term = terms[i];
    const letters = term.replace('...', '');
    for (const ch of letters) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    if (!s) {
      ellipsis = term.includes('...') ? undefined : ellipsis;
      continue;
    }
    const ellRank = s.length - letters.length;
    if (ellRank < 0 || (ellRank > 0 && !term.includes('...'))) c.fail(`term '${term}' does not match rank ${s.length}`);
    const dot = term.indexOf('...');
    let pos = 0;
    for (let j = 0; j < term.length; j++) {
      if (j === dot) {
        if (ellipsis) ellipsis = broadcastShapes(c, [ellipsis, s.slice(pos, pos + ellRank)]);
        pos += ellRank;
        j += 2;
        continue;
      }
      const ch = term[j];
      const d = s[pos++];
      const prev = sizes.get(ch);
      if (prev === undefined || prev === null || prev === 1) sizes.set(ch, d);
      else if (dimsConflict(prev, d) && d !== 1) c.fail(`'${ch}' has sizes ${prev} and ${d}`);
    }
  }
  const rhs = rhsGiven ?? `...${[...counts.keys()].filter((ch) => counts.get(ch) === 1).sort().join('')}`;
  const out: Dim[] = [];
  for (let j = 0; j < rhs.length; j++) {
    if (rhs.startsWith('...', j)) {
      if (!ellipsis) return c.out(0, c.elemType(0), undefined);
      out.push(...ellipsis);
      j += 2;
      continue;
    }
    if (!sizes.has(rhs[j])) return c.out(0, c.elemType(0), undefined);
    out.push(sizes.get(rhs[j])!);
  }
  if (rhsGiven === undefined && !lhs.includes('...')) ellipsis = [];
  c.out(0, c.elemType(0), out);
}

export const MATMUL_OPS: OpRules = { MatMul: matmul, MatMulInteger: matmulInteger, QLinearMatMul: qlinearMatmul, Gemm: gemm, Einsum: einsum };
