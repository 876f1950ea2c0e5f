// Feeds a .json or .json.gz file (gzip detected by its magic bytes) through the JSON tokenizer in
// 1 MiB chunks; optionally copies the decompressed bytes to a file so offsets can be read back later.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { JsonStreamParser, JsonHandler } from './jsonStream';

const CHUNK = 1 << 20;

export function isGzipFile(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const n = fs.readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Parses the file chunk by chunk. After each chunk `afterChunk` runs (the caller drains what the
 * handler collected). `teeTo`: file descriptor receiving the decompressed bytes.
 */
export async function* parseJsonFile(
  path: string,
  handler: JsonHandler,
  opts: { teeTo?: number } = {},
): AsyncGenerator<void> {
  const gz = isGzipFile(path);
  const parser = new JsonStreamParser(handler, path);
  const file = fs.createReadStream(path, { highWaterMark: CHUNK });
  const source: AsyncIterable<Buffer> = gz ? file.pipe(zlib.createGunzip({ chunkSize: CHUNK })) : file;
  if (gz) file.on('error', (e) => (source as zlib.Gunzip).destroy(e));
  try {
    for await (const chunk of source) {
      if (opts.teeTo !== undefined) fs.writeSync(opts.teeTo, chunk);
      parser.write(chunk);
      yield;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR') {
      throw new Error(`${path}: corrupt or truncated gzip data (${err.message})`);
    }
    throw e;
  } finally {
    file.destroy();
  }
  parser.end();
}
