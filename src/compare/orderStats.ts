// Order statistics and sums that reproduce numpy's results bit for bit (Polygraphy computes its error
// statistics with numpy), without sorting: radix selection on the IEEE bit patterns.

const f32 = new Float32Array(1);
const u32of32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u32of64 = new Uint32Array(f64.buffer);

const SMALL = 4096; // below this, sorting a copy beats two 64K-bucket histogram passes

let hists: Uint32Array[] = [];
function hist(i: number): Uint32Array {
  while (hists.length <= i) hists.push(new Uint32Array(65536));
  const h = hists[i];
  h.fill(0);
  return h;
}

/** Releases the histogram buffers kept between calls. */
export function releaseScratch(): void {
  hists = [];
}

/**
 * Values of rank `ranks[i]` (0-based, ascending) among non-negative, NaN-free values.
 * Non-negative IEEE floats sort like their bit patterns, so 16-bit digits from the top select exactly.
 */
export function selectRanks(values: Float32Array | Float64Array, ranks: readonly number[]): number[] {
  const n = values.length;
  if (n < SMALL) {
    const sorted = values.slice().sort();
    return ranks.map((r) => sorted[r]);
  }
  if (values instanceof Float32Array) {
    const bits = selectU32(new Uint32Array(values.buffer, values.byteOffset, n), ranks, 0);
    return bits.map((b) => {
      u32of32[0] = b;
      return f32[0];
    });
  }
  const wide = true;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * (wide ? 2 : 1));
  const levels = wide ? 4 : 2;
  // digit(level) of element i; for float64 the high word is at 2i+1 (little endian).
  const digits: number[][] = ranks.map(() => []);
  const rem = ranks.slice();
  for (let level = 0; level < levels; level++) {
    // Distinct prefixes still being refined (median lo/hi usually share one).
    const groups = new Map<string, { prefix: number[]; h: Uint32Array }>();
    digits.forEach((d) => {
      const k = d.join(',');
      if (!groups.has(k)) groups.set(k, { prefix: d.slice(), h: hist(groups.size) });
    });
    const gs = [...groups.values()];
    countLevel(words, n, wide, level, gs);
    ranks.forEach((_, ri) => {
      const g = groups.get(digits[ri].join(',')) as { h: Uint32Array };
      let r = rem[ri];
      let d = 0;
      while (r >= g.h[d]) { r -= g.h[d]; d++; }
      rem[ri] = r;
      digits[ri].push(d);
    });
  }
  return digits.map((d) => {
    if (wide) {
      u32of64[1] = ((d[0] << 16) | d[1]) >>> 0;
      u32of64[0] = ((d[2] << 16) | d[3]) >>> 0;
      return f64[0];
    }
    u32of32[0] = ((d[0] << 16) | d[1]) >>> 0;
    return f32[0];
  });
}

// float32 digits: 12 + 12 + 8 bits from the top. 4096 buckets fit in L1, unlike 65536.
const SHIFTS = [20, 8, 0];
const WIDTHS = [12, 12, 8];
// Four interleaved sub-histograms per level: consecutive equal keys would otherwise serialize on
// store-to-load forwarding of one counter (measured 3x slower).
const levelHists = WIDTHS.map((w) => new Uint32Array(4 << w));

function histogram(w: Uint32Array, shift: number, mask: number, level: number): Uint32Array {
  const size = mask + 1;
  const h = levelHists[level];
  h.fill(0);
  const n = w.length;
  const m = n - (n % 4);
  const o1 = size, o2 = 2 * size, o3 = 3 * size;
  let i = 0;
  for (; i < m; i += 4) {
    h[(w[i] >>> shift) & mask]++;
    h[o1 + ((w[i + 1] >>> shift) & mask)]++;
    h[o2 + ((w[i + 2] >>> shift) & mask)]++;
    h[o3 + ((w[i + 3] >>> shift) & mask)]++;
  }
  for (; i < n; i++) h[(w[i] >>> shift) & mask]++;
  for (let d = 0; d < size; d++) h[d] += h[o1 + d] + h[o2 + d] + h[o3 + d];
  return h;
}

/** Copies the keys whose digit is `b` (big buckets branch-free: always store, advance by 0 or 1). */
function gather(w: Uint32Array, shift: number, mask: number, b: number, count: number): Uint32Array {
  const out = new Uint32Array(count + 1); // +1: the store past the last match lands here
  let k = 0;
  const n = w.length;
  if (count * 8 < n) { // a small bucket: see gather2
    for (let i = 0; i < n; i++) {
      const v = w[i];
      if (((v >>> shift) & mask) === b) out[k++] = v;
    }
    return out.subarray(0, count);
  }
  for (let i = 0; i < n; i++) {
    const v = w[i];
    out[k] = v;
    k += ((((v >>> shift) & mask) ^ b) - 1) >>> 31; // 1 iff the digit equals b
  }
  return out.subarray(0, count);
}

/** gather() for two buckets in one pass (the median's and the quantile's, typically). */
function gather2(w: Uint32Array, shift: number, mask: number, b0: number, c0: number, b1: number, c1: number): [Uint32Array, Uint32Array] {
  const o0 = new Uint32Array(c0 + 1);
  const o1 = new Uint32Array(c1 + 1);
  let k0 = 0, k1 = 0;
  const n = w.length;
  // Small buckets (the usual case): a rarely taken branch is predicted well and skips two stores per key.
  if ((c0 + c1) * 8 < n) {
    for (let i = 0; i < n; i++) {
      const v = w[i];
      const d = (v >>> shift) & mask;
      if (d === b0) o0[k0++] = v;
      else if (d === b1) o1[k1++] = v;
    }
    return [o0.subarray(0, c0), o1.subarray(0, c1)];
  }
  for (let i = 0; i < n; i++) {
    const v = w[i];
    const d = (v >>> shift) & mask;
    o0[k0] = v;
    k0 += ((d ^ b0) - 1) >>> 31;
    o1[k1] = v;
    k1 += ((d ^ b1) - 1) >>> 31;
  }
  return [o0.subarray(0, c0), o1.subarray(0, c1)];
}

/**
 * Radix selection on uint32 keys: count the top digit (one pass), copy out only the buckets holding
 * the wanted ranks, and recurse into those (usually small) buckets with the next digit.
 */
function selectU32(w: Uint32Array, ranks: readonly number[], level: number, top?: Uint32Array): number[] {
  const n = w.length;
  // Every digit refined: the keys left are all equal (many tied errors end here, often thousands of them).
  if (level === SHIFTS.length) return ranks.map(() => w[0]);
  if (n <= 256) {
    const sorted = w.slice().sort();
    return ranks.map((r) => sorted[r]);
  }
  const shift = SHIFTS[level];
  const mask = (1 << WIDTHS[level]) - 1;
  const h = top ?? histogram(w, shift, mask, level);
  const bucketOf: number[] = [];
  const rest: number[] = [];
  for (const r of ranks) {
    let d = 0;
    let k = r;
    while (k >= h[d]) { k -= h[d]; d++; }
    bucketOf.push(d);
    rest.push(k);
  }
  const out = new Array<number>(ranks.length);
  const buckets = [...new Set(bucketOf)];
  const parts = buckets.length === 2 && h[buckets[0]] + h[buckets[1]] < n
    ? gather2(w, shift, mask, buckets[0], h[buckets[0]], buckets[1], h[buckets[1]])
    : null;
  for (const [bi, b] of buckets.entries()) {
    // All keys share this digit: refine in place, no copy.
    const part = parts ? parts[bi] : h[b] === n ? w : gather(w, shift, mask, b, h[b]);
    const idx = ranks.map((_, ri) => ri).filter((ri) => bucketOf[ri] === b);
    const vals = selectU32(part, idx.map((ri) => rest[ri]), level + 1);
    idx.forEach((ri, k) => (out[ri] = vals[k]));
  }
  return out;
}

/**
 * The leaf of numpy's float32 pairwise sum (same order: 8 lanes, then a fixed tree) that also counts the
 * top 12 bits of each key into the 4 interleaved level-0 tables, so the mean costs no pass of its own.
 */
function leafSumHist(a: Float32Array, u: Uint32Array, s: number, n: number, h: Uint32Array): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) {
      res = Math.fround(res + a[s + i]);
      h[u[s + i] >>> 20]++;
    }
    return res;
  }
  let r0 = a[s], r1 = a[s + 1], r2 = a[s + 2], r3 = a[s + 3], r4 = a[s + 4], r5 = a[s + 5], r6 = a[s + 6], r7 = a[s + 7];
  h[u[s] >>> 20]++; h[4096 + (u[s + 1] >>> 20)]++; h[8192 + (u[s + 2] >>> 20)]++; h[12288 + (u[s + 3] >>> 20)]++;
  h[u[s + 4] >>> 20]++; h[4096 + (u[s + 5] >>> 20)]++; h[8192 + (u[s + 6] >>> 20)]++; h[12288 + (u[s + 7] >>> 20)]++;
  const m = n - (n % 8);
  let i = 8;
  for (; i < m; i += 8) {
    const p = s + i;
    r0 = Math.fround(r0 + a[p]); r1 = Math.fround(r1 + a[p + 1]);
    r2 = Math.fround(r2 + a[p + 2]); r3 = Math.fround(r3 + a[p + 3]);
    r4 = Math.fround(r4 + a[p + 4]); r5 = Math.fround(r5 + a[p + 5]);
    r6 = Math.fround(r6 + a[p + 6]); r7 = Math.fround(r7 + a[p + 7]);
    h[u[p] >>> 20]++; h[4096 + (u[p + 1] >>> 20)]++; h[8192 + (u[p + 2] >>> 20)]++; h[12288 + (u[p + 3] >>> 20)]++;
    h[u[p + 4] >>> 20]++; h[4096 + (u[p + 5] >>> 20)]++; h[8192 + (u[p + 6] >>> 20)]++; h[12288 + (u[p + 7] >>> 20)]++;
  }
  let res = Math.fround(
    Math.fround(Math.fround(r0 + r1) + Math.fround(r2 + r3)) + Math.fround(Math.fround(r4 + r5) + Math.fround(r6 + r7)),
  );
  for (; i < n; i++) {
    res = Math.fround(res + a[s + i]);
    h[u[s + i] >>> 20]++;
  }
  return res;
}

function pairwiseSumHist(a: Float32Array, u: Uint32Array, s: number, n: number, h: Uint32Array): number {
  if (n <= 128) return leafSumHist(a, u, s, n, h);
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return Math.fround(pairwiseSumHist(a, u, s, n2, h) + pairwiseSumHist(a, u, s + n2, n - n2, h));
}

/**
 * meanF32 and medianAndQuantile of NaN-free, non-negative float32 data with one pass fewer: the mean's
 * pairwise sum builds the selection's first histogram (measured ~1 ms saved per 1M elements).
 */
export function meanMedianQuantileF32(values: Float32Array, q: number): [number, number, number] {
  const n = values.length;
  if (n < SMALL || SHIFTS[0] !== 20 || WIDTHS[0] !== 12) return [meanF32(values), ...medianAndQuantile(values, q)];
  const u = new Uint32Array(values.buffer, values.byteOffset, n);
  const h = levelHists[0];
  h.fill(0);
  const sum = pairwiseSumHist(values, u, 0, n, h);
  for (let d = 0; d < 4096; d++) h[d] += h[4096 + d] + h[8192 + d] + h[12288 + d];
  const mean = Math.fround(sum / Math.fround(n));
  const mid = n % 2 === 1 ? [n >> 1, n >> 1] : [n / 2 - 1, n / 2];
  const [prev, next, t] = quantileIndexes(n, q);
  const bits = selectU32(u, [mid[0], mid[1], prev, next], 0, h);
  const [m0, m1, q0, q1] = bits.map((b) => {
    u32of32[0] = b;
    return f32[0];
  });
  const med = n % 2 === 1 ? m0 : Math.fround(Math.fround(m0 + m1) / 2);
  return [mean, med, lerp(q0, q1, t, false)];
}

function countLevel(words: Uint32Array, n: number, wide: boolean, level: number, gs: { prefix: number[]; h: Uint32Array }[]): void {
  if (!wide) {
    if (level === 0) {
      const h = gs[0].h;
      for (let i = 0; i < n; i++) h[words[i] >>> 16]++;
      return;
    }
    // One pass for all groups: median and quantile buckets are refined together.
    const p0 = gs[0].prefix[0], h0 = gs[0].h;
    const p1 = gs.length > 1 ? gs[1].prefix[0] : -1, h1 = gs.length > 1 ? gs[1].h : h0;
    for (let i = 0; i < n; i++) {
      const w = words[i];
      const top = w >>> 16;
      if (top === p0) h0[w & 0xffff]++;
      else if (top === p1) h1[w & 0xffff]++;
      else if (gs.length > 2) {
        for (let k = 2; k < gs.length; k++) if (top === gs[k].prefix[0]) { gs[k].h[w & 0xffff]++; break; }
      }
    }
    return;
  }
  for (const g of gs) {
    const h = g.h;
    const p = g.prefix;
    const hiP = p.length >= 2 ? ((p[0] << 16) | p[1]) >>> 0 : 0;
    for (let i = 0; i < n; i++) {
      const hi = words[2 * i + 1];
      const lo = words[2 * i];
      if (level === 0) h[hi >>> 16]++;
      else if (level === 1) { if (hi >>> 16 === p[0]) h[hi & 0xffff]++; }
      else if (hi === hiP) {
        if (level === 2) h[lo >>> 16]++;
        else if (lo >>> 16 === p[2]) h[lo & 0xffff]++;
      }
    }
  }
}

/** numpy.median and numpy.quantile(q) of the same NaN-free data, from one selection. */
export function medianAndQuantile(values: Float32Array | Float64Array, q: number): [number, number] {
  const n = values.length;
  if (n === 0) return [NaN, Infinity];
  const mid = n % 2 === 1 ? [n >> 1, n >> 1] : [n / 2 - 1, n / 2];
  const [prev, next, t] = quantileIndexes(n, q);
  const [m0, m1, q0, q1] = selectRanks(values, [mid[0], mid[1], prev, next]);
  const wide = !(values instanceof Float32Array);
  const med = n % 2 === 1 ? m0 : wide ? (m0 + m1) / 2 : Math.fround(Math.fround(m0 + m1) / 2);
  return [med, lerp(q0, q1, t, wide)];
}

function quantileIndexes(n: number, q: number): [number, number, number] {
  const vi = (n - 1) * q; // numpy's 'linear' get_virtual_index
  let prev = Math.floor(vi);
  let next = prev + 1;
  if (vi >= n - 1) { prev = n - 1; next = n - 1; }
  if (vi < 0) { prev = 0; next = 0; }
  return [prev, next, vi - Math.floor(vi)];
}

/** numpy's _lerp; float32 arrays compute in float32 (q is a weak Python scalar). */
function lerp(a: number, b: number, t: number, wide: boolean): number {
  if (!wide) {
    const diff = Math.fround(b - a);
    return t >= 0.5 ? Math.fround(b - Math.fround(diff * Math.fround(1 - t))) : Math.fround(a + Math.fround(diff * Math.fround(t)));
  }
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.median of NaN-free data: middle value, or the mean of the two middle values. */
export function median(values: Float32Array | Float64Array): number {
  return medianAndQuantile(values, 0.5)[0];
}

/** numpy.quantile(values, q) with the default 'linear' method, q passed as a Python float. */
export function quantile(values: Float32Array | Float64Array, q: number): number {
  return medianAndQuantile(values, q)[1];
}

/** numpy's float32 pairwise summation (the inner loop of np.add.reduce). */
export function pairwiseSumF32(a: Float32Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = Math.fround(res + a[start + i]);
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const m = n - (n % 8);
    let i = 8;
    for (; i < m; i += 8) {
      const p = start + i;
      r0 = Math.fround(r0 + a[p]); r1 = Math.fround(r1 + a[p + 1]);
      r2 = Math.fround(r2 + a[p + 2]); r3 = Math.fround(r3 + a[p + 3]);
      r4 = Math.fround(r4 + a[p + 4]); r5 = Math.fround(r5 + a[p + 5]);
      r6 = Math.fround(r6 + a[p + 6]); r7 = Math.fround(r7 + a[p + 7]);
    }
    let res = Math.fround(
      Math.fround(Math.fround(r0 + r1) + Math.fround(r2 + r3)) + Math.fround(Math.fround(r4 + r5) + Math.fround(r6 + r7)),
    );
    for (; i < n; i++) res = Math.fround(res + a[start + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return Math.fround(pairwiseSumF32(a, start, n2) + pairwiseSumF32(a, start + n2, n - n2));
}

const CAST_BUFFER = 8192; // numpy's default ufunc buffer size, in elements

/**
 * np.mean(x, dtype=float32) as Polygraphy calls it. Float32 data is summed in one pairwise pass;
 * other data is cast through numpy's 8192-element buffers, each summed pairwise then accumulated.
 */
export function meanF32(values: Float32Array | Float64Array, scratch?: Float32Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum: number;
  if (values instanceof Float32Array) {
    sum = pairwiseSumF32(values, 0, n);
  } else {
    const buf = scratch && scratch.length >= CAST_BUFFER ? scratch : new Float32Array(CAST_BUFFER);
    sum = 0;
    for (let s = 0; s < n; s += CAST_BUFFER) {
      const m = Math.min(CAST_BUFFER, n - s);
      for (let i = 0; i < m; i++) buf[i] = values[s + i];
      sum = Math.fround(sum + pairwiseSumF32(buf, 0, m));
    }
  }
  return Math.fround(sum / Math.fround(n));
}
