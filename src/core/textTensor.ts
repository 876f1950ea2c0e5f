// Fingerprint of a tensor's values for elided text: SHA-256 of the values as raw_data would hold them
// (little-endian, element width), so a tensor hashes the same whether stored in raw_data or typed fields.
import { Int64, int64ToString, TensorMsg } from './onnxSchema';
import { Sha256 } from './textDigest';
import { ELEMENT_BITS } from './types';

function littleEndian(values: ArrayLike<number | Int64>, bytesPer: number, write: (v: DataView, o: number, x: number | Int64) => void): Uint8Array {
  const out = new Uint8Array(values.length * bytesPer);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) write(view, i * bytesPer, values[i]);
  return out;
}

const big = (x: number | Int64): bigint => BigInt(int64ToString(x));

export function tensorDigest(t: TensorMsg): string {
  const h = new Sha256();
  if (t.raw_data && Object.prototype.hasOwnProperty.call(t, 'raw_data')) return h.update(t.raw_data).hex();
  const dt = t.data_type ?? 0;
  if (t.float_data?.length) {
    h.update(littleEndian(t.float_data, 4, (v, o, x) => v.setFloat32(o, x as number, true)));
  } else if (t.double_data?.length) {
    h.update(littleEndian(t.double_data, 8, (v, o, x) => v.setFloat64(o, x as number, true)));
  } else if (t.int64_data?.length) {
    h.update(littleEndian(t.int64_data, 8, (v, o, x) => v.setBigInt64(o, big(x), true)));
  } else if (t.uint64_data?.length) {
    const width = dt === 12 ? 4 : 8;
    h.update(littleEndian(t.uint64_data, width, (v, o, x) => (width === 4 ? v.setUint32(o, Number(big(x)), true) : v.setBigUint64(o, BigInt.asUintN(64, big(x)), true))));
  } else if (t.int32_data?.length) {
    // 8- and 16-bit types are widened into int32_data; hash them at their own width.
    const bits = ELEMENT_BITS[dt] ?? 32;
    const width = bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
    h.update(littleEndian(t.int32_data, width, (v, o, x) => {
      const n = x as number;
      if (width === 1) v.setUint8(o, n & 0xff);
      else if (width === 2) v.setUint16(o, n & 0xffff, true);
      else v.setInt32(o, n, true);
    }));
  } else if (t.string_data?.length) {
    for (const s of t.string_data) {
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, s.length, true);
      h.update(len).update(s);
    }
  }
  return h.hex();
}
