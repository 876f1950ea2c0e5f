// .npz reader: a zip of .npy members (numpy.savez stores them, savez_compressed deflates them).
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { NdArray } from '../../compare/ndarray';
import { decodeNpy, encodeNpy } from './npy';

export class NpzError extends Error {
  override name = 'NpzError';
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEocd(buf: Buffer, where: string): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new NpzError(`${where}: not a zip/.npz file (no end of central directory)`);
}

function centralDirectory(buf: Buffer, where: string): ZipEntry[] {
  const eocd = findEocd(buf, where);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  // numpy writes zip64 archives (force_zip64): the real values are in the zip64 end record.
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === 0x07064b50) {
    const z64 = Number(buf.readBigUInt64LE(eocd - 20 + 8));
    if (buf.readUInt32LE(z64) !== 0x06064b50) throw new NpzError(`${where}: bad zip64 end record`);
    count = Number(buf.readBigUInt64LE(z64 + 32));
    cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new NpzError(`${where}: corrupt zip central directory`);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // Zip64 extended information: present fields follow in a fixed order, only for 0xFFFFFFFF values.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) { size = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (localOffset === 0xffffffff) { localOffset = Number(buf.readBigUInt64LE(q)); }
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p = eEnd + commentLen;
  }
  return entries;
}

function memberBytes(buf: Buffer, e: ZipEntry, where: string): Buffer {
  const p = e.localOffset;
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new NpzError(`${where}: bad local header for '${e.name}'`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  if (raw.length < e.compressedSize) throw new NpzError(`${where}: '${e.name}' is truncated`);
  if (e.method === 0) return raw;
  if (e.method === 8) {
    try {
      return zlib.inflateRawSync(raw);
    } catch (err) {
      throw new NpzError(`${where}: '${e.name}': bad deflate data (${(err as Error).message})`);
    }
  }
  throw new NpzError(`${where}: '${e.name}' uses zip method ${e.method}; only stored and deflate are supported`);
}

/** Reads every array of an .npz; keys drop the '.npy' suffix like numpy.load does. */
export function readNpz(path: string): Map<string, NdArray> {
  const buf = fs.readFileSync(path);
  const out = new Map<string, NdArray>();
  for (const e of centralDirectory(buf, path)) {
    if (e.name.endsWith('/')) continue;
    const bytes = memberBytes(buf, e, path);
    // Copy so the array owns aligned memory instead of pinning the whole archive.
    const own = new Uint8Array(bytes.length);
    own.set(bytes);
    out.set(e.name.replace(/\.npy$/, ''), decodeNpy(own, `${path}: ${e.name}`));
  }
  return out;
}

export function readNpy(path: string): NdArray {
  const b = fs.readFileSync(path);
  const own = new Uint8Array(b.length);
  own.set(b);
  return decodeNpy(own, path);
}

export function writeNpy(path: string, a: NdArray): void {
  fs.writeFileSync(path, encodeNpy(a));
}
