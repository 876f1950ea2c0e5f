// Bit patterns of the small float formats (float16, bfloat16, float8/6/4 variants) -> JS numbers, through
// lookup tables built once per format so decoding a large tensor is one table read per element.

/** How a format spends its top codes: IEEE (inf + NaN at max exponent), FN (only all-ones is NaN), FNUZ
 * (the negative-zero code is the single NaN, no -0), or FINITE (every code is a number). */
type Special = 'ieee' | 'fn' | 'fnuz' | 'finite';

interface Format {
  bits: number;
  exp: number;
  mant: number;
  bias: number;
  special: Special;
}

function decodeBits(code: number, f: Format): number {
  const signBit = 1 << (f.bits - 1);
  const sign = code & signBit ? -1 : 1;
  const e = (code >> f.mant) & ((1 << f.exp) - 1);
  const m = code & ((1 << f.mant) - 1);
  const maxE = (1 << f.exp) - 1;
  if (f.special === 'fnuz' && code === signBit) return NaN;
  if (f.special === 'ieee' && e === maxE) return m === 0 ? sign * Infinity : NaN;
  if (f.special === 'fn' && e === maxE && m === (1 << f.mant) - 1) return NaN;
  if (e === 0) return sign * m * 2 ** (1 - f.bias - f.mant);
  return sign * (1 + m / (1 << f.mant)) * 2 ** (e - f.bias);
}

function table(f: Format): Float64Array {
  const t = new Float64Array(1 << f.bits);
  for (let c = 0; c < t.length; c++) t[c] = decodeBits(c, f);
  return t;
}

const FORMATS: Record<string, Format> = {
  float16: { bits: 16, exp: 5, mant: 10, bias: 15, special: 'ieee' },
  float8e4m3fn: { bits: 8, exp: 4, mant: 3, bias: 7, special: 'fn' },
  float8e4m3fnuz: { bits: 8, exp: 4, mant: 3, bias: 8, special: 'fnuz' },
  float8e5m2: { bits: 8, exp: 5, mant: 2, bias: 15, special: 'ieee' },
  float8e5m2fnuz: { bits: 8, exp: 5, mant: 2, bias: 16, special: 'fnuz' },
  float4e2m1: { bits: 4, exp: 2, mant: 1, bias: 1, special: 'finite' },
  float6e2m3: { bits: 6, exp: 2, mant: 3, bias: 1, special: 'finite' },
  float6e3m2: { bits: 6, exp: 3, mant: 2, bias: 3, special: 'finite' },
};

export type MinifloatName = keyof typeof FORMATS | 'bfloat16' | 'float8e8m0';

const tables = new Map<string, Float64Array>();

/** Lookup table code -> value for the format (65,536 entries for the 16-bit ones). */
export function minifloatTable(name: MinifloatName): Float64Array {
  let t = tables.get(name);
  if (t) return t;
  if (name === 'bfloat16') {
    // bfloat16 is the top half of a float32.
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    t = new Float64Array(65536);
    for (let c = 0; c < 65536; c++) {
      u32[0] = c << 16;
      t[c] = f32[0];
    }
  } else if (name === 'float8e8m0') {
    // Exponent only: 2^(code-127), 0xFF is NaN, no sign and no zero.
    t = new Float64Array(256);
    for (let c = 0; c < 256; c++) t[c] = c === 255 ? NaN : 2 ** (c - 127);
  } else {
    t = table(FORMATS[name]);
  }
  tables.set(name, t);
  return t;
}
