// Number formatting and tensor element decoding for the ONNX text form. Floats print like C++
// std::to_chars (what onnx's printer uses): the shortest digits that round-trip, in fixed or
// scientific notation, whichever is shorter (fixed on a tie).

/** Shortest round-trip decimal digits and exponent of a finite, non-zero |x|: x = 0.d1d2... * 10^(exp+1). */
function shortestDigits(x: number, single: boolean): { digits: string; exp: number } {
  let s = x.toExponential();
  if (single) {
    // Round-tripping is monotone in the digit count, so binary-search the shortest of 1..9 digits.
    let lo = 1, hi = 9;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Math.fround(Number(x.toExponential(mid - 1))) === x) hi = mid;
      else lo = mid;
      if (lo === mid && hi !== mid) lo = mid + 1;
    }
    s = x.toExponential(lo - 1);
    // JS rounds exact ties up; to_chars rounds them to an even last digit.
    const longer = x.toExponential(lo);
    if (lo > 1 && Number(longer) === x && longer.split('e')[0].endsWith('5')) {
      const [m, e] = longer.split('e');
      const down = `${m.slice(0, -1)}e${e}`;
      const lastDown = Number(m[m.length - 2]);
      if (lastDown % 2 === 0 && Math.fround(Number(down)) === x) s = down;
    }
  }
  const [mant, e] = s.split('e');
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
}

/** Formats a float like std::to_chars(float|double): `1`, `0.5`, `1e-05`, `1.5e+20`, `inf`, `-nan`. */
export function formatFloat(x: number, single = true): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(Math.abs(x), single);
  const n = digits.length;
  let fixed: string;
  // Integral values in fixed notation print their exact digits, as to_chars does (123456792, not 123456790).
  if (exp >= n - 1) fixed = BigInt(Math.abs(x)).toString();
  else if (exp >= 0) fixed = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else fixed = `0.${'0'.repeat(-exp - 1)}${digits}`;
  const e = Math.abs(exp);
  const sci = `${digits[0]}${n > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  return sign + (sci.length < fixed.length ? sci : fixed);
}

/** NaN sign is lost by JS arithmetic on some paths, so it is read from the bits. */
export function formatFloatBits(view: DataView, offset: number, single: boolean): string {
  const x = single ? view.getFloat32(offset, true) : view.getFloat64(offset, true);
  if (Number.isNaN(x)) {
    const hi = single ? view.getUint32(offset, true) : view.getUint32(offset + 4, true);
    return hi >>> 31 ? '-nan' : 'nan';
  }
  return formatFloat(x, single);
}

/** How onnx's printer reads raw_data of each element type: bytes per element and the reader. */
type RawReader = { size: number; read: (v: DataView, o: number) => string };
const RAW_READERS: Record<number, RawReader> = {
  1: { size: 4, read: (v, o) => formatFloatBits(v, o, true) },
  11: { size: 8, read: (v, o) => formatFloatBits(v, o, false) },
  3: { size: 1, read: (v, o) => String(v.getInt8(o)) },
  5: { size: 2, read: (v, o) => String(v.getInt16(o, true)) },
  6: { size: 4, read: (v, o) => String(v.getInt32(o, true)) },
  7: { size: 8, read: (v, o) => String(v.getBigInt64(o, true)) },
  12: { size: 4, read: (v, o) => String(v.getUint32(o, true)) },
  13: { size: 8, read: (v, o) => String(v.getBigUint64(o, true)) },
};
// Byte-pattern types print as unsigned integers, which onnx's parser reads back into int32_data.
for (const t of [2, 9, 17, 18, 19, 20, 24]) RAW_READERS[t] = { size: 1, read: (v, o) => String(v.getUint8(o)) };
for (const t of [4, 10, 16]) RAW_READERS[t] = { size: 2, read: (v, o) => String(v.getUint16(o, true)) };

/** raw_data elements as text, or undefined for types onnx's printer shows as `...` (sub-byte, complex, string). */
export function rawElements(dataType: number, raw: Uint8Array): string[] | undefined {
  const r = RAW_READERS[dataType];
  if (!r) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = Math.floor(raw.byteLength / r.size);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = r.read(view, i * r.size);
  return out;
}

/** Element count stored in raw_data, for the types rawElements can read. */
export function rawElementCount(dataType: number, raw: Uint8Array): number | undefined {
  const r = RAW_READERS[dataType];
  return r ? Math.floor(raw.byteLength / r.size) : undefined;
}
