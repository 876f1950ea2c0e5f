// Numbers as the compare views show them: short, exponent form for small errors, non-finite named.
export function formatError(v: number | null): string {
  if (v === null) return '\u2014';
  if (v >= Number.MAX_VALUE) return 'NaN/inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
}
