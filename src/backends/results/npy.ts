// .npy (numpy format 1.0-3.0) codec. Polygraphy stores every array as base64 of these bytes.
import { DType, NdArray, elementCount, itemSize, viewData } from '../../compare/ndarray';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR_TO_DTYPE: Record<string, DType> = {
  f4: 'float32', f8: 'float64', f2: 'float16', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16',
  i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64', b1: 'bool',
  // numpy has no bfloat16; ml_dtypes arrays save as 2-byte void, the only 2-byte void ML tools write.
  V2: 'bfloat16',
};

const DTYPE_TO_DESCR: Record<DType, string> = {
  float32: '<f4', float64: '<f8', float16: '<f2', bfloat16: '<V2', int8: '|i1', uint8: '|u1',
  int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8', bool: '|b1',
};

export class NpyError extends Error {
  override name = 'NpyError';
}

export interface NpyHeader {
  dtype: DType;
  shape: number[];
  /** Byte offset of the data from the start of the .npy bytes. */
  dataOffset: number;
  bigEndian: boolean;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Parses the header; needs only the first bytes (10 + header length) of the file. */
export function parseNpyHeader(bytes: Uint8Array, where = 'npy'): NpyHeader {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new NpyError(`${where}: not .npy data (bad magic)`);
  }
  const major = bytes[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    start = 12;
  } else {
    throw new NpyError(`${where}: unsupported .npy version ${major}`);
  }
  if (bytes.length < start + headerLen) throw new NpyError(`${where}: truncated .npy header`);
  const header = latin1(bytes, start, start + headerLen);
  const descrM = /'descr'\s*:\s*'([<>|=]?)([A-Za-z]\d*)'/.exec(header);
  const fortranM = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descrM) {
    if (/'descr'\s*:\s*\[/.test(header)) throw new NpyError(`${where}: structured arrays are not supported`);
    throw new NpyError(`${where}: bad .npy header (no descr): ${header.trim()}`);
  }
  if (!fortranM || !shapeM) throw new NpyError(`${where}: bad .npy header: ${header.trim()}`);
  if (descrM[2] === 'O') throw new NpyError(`${where}: object arrays are not supported (descr 'O')`);
  if (fortranM[1] === 'True') throw new NpyError(`${where}: Fortran-order arrays are not supported`);
  const dtype = DESCR_TO_DTYPE[descrM[2]];
  if (!dtype) throw new NpyError(`${where}: unsupported dtype '${descrM[1]}${descrM[2]}'`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const n = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(n) || n < 0) throw new NpyError(`${where}: bad shape in .npy header: (${shapeM[1]})`);
    return n;
  });
  return { dtype, shape, dataOffset: start + headerLen, bigEndian: descrM[1] === '>' && itemSize(dtype) > 1 };
}

/** Decodes .npy bytes. The result may view `bytes` (zero copy) when the data is aligned. */
export function decodeNpy(bytes: Uint8Array, where = 'npy'): NdArray {
  const h = parseNpyHeader(bytes, where);
  const count = elementCount(h.shape);
  const size = itemSize(h.dtype);
  const nbytes = count * size;
  if (bytes.length < h.dataOffset + nbytes) {
    throw new NpyError(`${where}: truncated .npy data: ${h.dtype}${JSON.stringify(h.shape)} needs ${nbytes} bytes, has ${bytes.length - h.dataOffset}`);
  }
  const abs = bytes.byteOffset + h.dataOffset;
  let buf: ArrayBufferLike = bytes.buffer;
  let off = abs;
  if (abs % size !== 0 || h.bigEndian) {
    const copy = new Uint8Array(nbytes);
    copy.set(bytes.subarray(h.dataOffset, h.dataOffset + nbytes));
    if (h.bigEndian) {
      for (let i = 0; i < nbytes; i += size) copy.subarray(i, i + size).reverse();
    }
    buf = copy.buffer;
    off = 0;
  }
  return { dtype: h.dtype, shape: h.shape, data: viewData(h.dtype, buf, off, count) };
}

/** The .npy header bytes (version 1.0, padded to 64 like numpy.save). */
export function encodeNpyHeader(dtype: DType, shape: readonly number[]): Uint8Array {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${DTYPE_TO_DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  dict += ' '.repeat(pad % 64) + '\n';
  if (dict.length > 0xffff) throw new NpyError(`npy header too long for shape ${shapeStr}`);
  const out = new Uint8Array(10 + dict.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = dict.length & 0xff;
  out[9] = dict.length >> 8;
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/** Raw little-endian bytes of the array's data (a view, no copy). */
export function arrayBytes(a: NdArray): Uint8Array {
  const n = elementCount(a.shape);
  if (a.data.length !== n) throw new NpyError(`array ${a.dtype}${JSON.stringify(a.shape)} has ${a.data.length} elements, expected ${n}`);
  return new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
}

export function encodeNpy(a: NdArray): Uint8Array {
  const header = encodeNpyHeader(a.dtype, a.shape);
  const data = arrayBytes(a);
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}
