// numpy's legacy RandomState (MT19937) draws, bit for bit: generated inputs then equal Polygraphy's
// DataLoader output for the same seed (it uses np.random.RandomState(seed + iteration)).

const N = 624;
const M = 397;

export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32): ${seed}`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev mod 2^32 without losing bits to float multiplication.
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0xffff) * 1812433253 + i;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.pos = 0;
  }

  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy random_sample(): 53-bit double in [0, 1). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

function mask32(rng: number): number {
  let m = rng;
  m |= m >>> 1; m |= m >>> 2; m |= m >>> 4; m |= m >>> 8; m |= m >>> 16;
  return m >>> 0;
}

/**
 * numpy RandomState.randint(low, high + 1, dtype) draws as offsets in [0, rng]: masked rejection, with
 * 8/16-bit types and bool taking several values out of one 32-bit draw (numpy's buffered samplers).
 * `bits` is the dtype's width (1 for bool). Ranges wider than 2^32 are not needed for inputs.
 */
export function boundedOffsets(g: Mt19937, rng: number, count: number, bits: 1 | 8 | 16 | 32 | 64): Float64Array {
  if (!(rng >= 0 && rng <= 0xffffffff)) throw new RangeError(`integer input range too wide: ${rng + 1} values`);
  const out = new Float64Array(count);
  if (rng === 0) return out;
  if (bits === 1) {
    let buf = 0;
    let left = 0;
    for (let i = 0; i < count; i++) {
      if (left === 0) { buf = g.nextUint32(); left = 31; } else { buf >>>= 1; left--; }
      out[i] = buf & 1;
    }
    return out;
  }
  const mask = mask32(rng);
  if (bits === 8 || bits === 16) {
    const per = 32 / bits - 1;
    const m = bits === 8 ? 0xff : 0xffff;
    let buf = 0;
    let left = 0;
    const draw = () => {
      if (left === 0) { buf = g.nextUint32(); left = per; } else { buf >>>= bits; left--; }
      return buf & m;
    };
    for (let i = 0; i < count; i++) {
      let v;
      while ((v = draw() & mask) > rng);
      out[i] = v;
    }
    return out;
  }
  if (rng === 0xffffffff) {
    for (let i = 0; i < count; i++) out[i] = g.nextUint32();
    return out;
  }
  for (let i = 0; i < count; i++) {
    let v;
    while ((v = (g.nextUint32() & mask) >>> 0) > rng);
    out[i] = v;
  }
  return out;
}
