// Generated inputs, the same as Polygraphy's DataLoader for the same seed: numpy RandomState(seed),
// inputs in model order from one generator; floats uniform in [min, max) (default [0, 1)), ints and bools
// uniform in [min, max] inclusive (default [0, 1], Polygraphy's val_range (0.0, 1.0) cast to int).
import { DType, NdArray, floatToBfloat16, floatToHalf, isFloatDType, makeNdArray } from '../../compare/ndarray';
import { InputSpec } from './inputSpecs';
import { Mt19937, boundedOffsets } from './mt19937';

export const DEFAULT_SEED = 1; // polygraphy.constants.DEFAULT_SEED

export interface GenerateOptions {
  seed?: number;
  /** [min, max] per input name, or one for all (Polygraphy's --val-range). */
  range?: [number, number] | Record<string, [number, number]>;
}

function rangeFor(o: GenerateOptions, name: string): [number, number] {
  if (Array.isArray(o.range)) return o.range;
  return o.range?.[name] ?? [0, 1];
}

const BITS: Partial<Record<DType, 1 | 8 | 16 | 32 | 64>> = {
  bool: 1, int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64,
};

const INT_LIMITS: Partial<Record<DType, [number, number]>> = {
  bool: [0, 1], int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1], int64: [-(2 ** 53), 2 ** 53], uint64: [0, 2 ** 53],
};

export function generateInputs(specs: readonly InputSpec[], shapes: ReadonlyMap<string, number[]>, o: GenerateOptions = {}): Map<string, NdArray> {
  const g = new Mt19937(o.seed ?? DEFAULT_SEED);
  const out = new Map<string, NdArray>();
  for (const s of specs) {
    const shape = shapes.get(s.name);
    if (!shape) throw new Error(`no shape for input '${s.name}'`);
    const a = makeNdArray(s.dtype, shape);
    const [lo, hi] = rangeFor(o, s.name);
    const n = a.data.length;
    if (isFloatDType(s.dtype)) {
      const d = a.data;
      for (let i = 0; i < n; i++) {
        const v = g.nextDouble() * (hi - lo) + lo;
        d[i] = s.dtype === 'float16' ? floatToHalf(v) : s.dtype === 'bfloat16' ? floatToBfloat16(v) : v;
      }
    } else {
      const low = s.dtype === 'bool' ? Number(Boolean(lo)) : Math.trunc(lo);
      const high = s.dtype === 'bool' ? Number(Boolean(hi)) : Math.trunc(hi);
      if (high < low) throw new RangeError(`input '${s.name}': empty value range [${lo}, ${hi}]`);
      const [min, max] = INT_LIMITS[s.dtype] as [number, number];
      if (low < min || high > max) throw new RangeError(`input '${s.name}': value range [${low}, ${high}] does not fit ${s.dtype}`);
      const offs = boundedOffsets(g, high - low, n, BITS[s.dtype] as 1 | 8 | 16 | 32 | 64);
      const d = a.data;
      if (d instanceof BigInt64Array || d instanceof BigUint64Array) for (let i = 0; i < n; i++) d[i] = BigInt(low + offs[i]);
      else for (let i = 0; i < n; i++) d[i] = low + offs[i];
    }
    out.set(s.name, a);
  }
  return out;
}
