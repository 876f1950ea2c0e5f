// Opens a model file: reads it whole into one buffer (in chunks, since fs.readFile refuses files over 2 GiB)
// and parses it, turning file system failures and non-ONNX content into errors that say what to do. The one
// whole-file reader (async, and a sync twin for the CLI and onnxruntime's external weights).
import { constants as bufferConstants } from 'buffer';
import * as fs from 'fs';
import { OnnxFormatError } from '../core/errors';
import { OnnxModel, readModel } from '../core/model';

const CHUNK = 256 * 1024 * 1024;

/** The largest file one Uint8Array can hold (4 GiB in Node 20 on 64-bit). Larger models need external data. */
export const MAX_MODEL_FILE_BYTES = bufferConstants.MAX_LENGTH;

export type ModelFileProblem = 'not-found' | 'is-directory' | 'permission' | 'too-large' | 'io';

/** The file could not be read (as opposed to read but not parsed: OnnxFormatError). */
export class ModelFileError extends Error {
  constructor(message: string, readonly path: string, readonly problem: ModelFileProblem) {
    super(`${path}: ${message}`);
    this.name = 'ModelFileError';
  }
}

function fileError(path: string, e: unknown): ModelFileError {
  if (e instanceof ModelFileError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return new ModelFileError('no such file', path, 'not-found');
    case 'EISDIR': return new ModelFileError('is a folder, not a model file', path, 'is-directory');
    case 'EACCES': case 'EPERM': return new ModelFileError('permission denied (the file cannot be read)', path, 'permission');
    default: return new ModelFileError(`cannot be read: ${(e as Error).message}`, path, 'io');
  }
}

function checkSize(path: string, stat: fs.Stats, maxBytes: number): void {
  if (stat.isDirectory()) throw new ModelFileError('is a folder, not a model file', path, 'is-directory');
  if (stat.size > maxBytes) {
    throw new ModelFileError(
      `is ${stat.size} bytes, more than the ${maxBytes} bytes one buffer can hold; ` +
        'store the weights as external data (onnx.save(..., save_as_external_data=True))', path, 'too-large');
  }
}

/** Size and modification time (ms since the epoch), as VS Code's FileStat has them; ModelFileError if unreadable. */
export async function statModelFile(path: string): Promise<{ size: number; mtime: number }> {
  try {
    const st = await fs.promises.stat(path);
    checkSize(path, st, MAX_MODEL_FILE_BYTES);
    return { size: st.size, mtime: st.mtimeMs };
  } catch (e) {
    throw fileError(path, e);
  }
}

/** Reads a whole file into one Uint8Array, in chunks, with ModelFileError for missing, folder, permission. */
export async function readFileChunked(path: string, maxBytes = MAX_MODEL_FILE_BYTES): Promise<Uint8Array> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(path, 'r');
    const stat = await handle.stat();
    checkSize(path, stat, maxBytes);
    const out = new Uint8Array(stat.size);
    let offset = 0;
    while (offset < stat.size) {
      const { bytesRead } = await handle.read(out, offset, Math.min(CHUNK, stat.size - offset), offset);
      if (bytesRead === 0) throw new ModelFileError(`the file shrank while being read (${offset} of ${stat.size} bytes)`, path, 'io');
      offset += bytesRead;
    }
    return out;
  } catch (e) {
    throw fileError(path, e);
  } finally {
    await handle?.close();
  }
}

/** Synchronous variant of readFileChunked (for the CLI). */
export function readFileChunkedSync(path: string, maxBytes = MAX_MODEL_FILE_BYTES): Uint8Array {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    const stat = fs.fstatSync(fd);
    checkSize(path, stat, maxBytes);
    const out = new Uint8Array(stat.size);
    let offset = 0;
    while (offset < stat.size) {
      const n = fs.readSync(fd, out, offset, Math.min(CHUNK, stat.size - offset), offset);
      if (n === 0) throw new ModelFileError(`the file shrank while being read (${offset} of ${stat.size} bytes)`, path, 'io');
      offset += n;
    }
    return out;
  } catch (e) {
    throw fileError(path, e);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** What a file that is not an ONNX model looks like, from its first bytes, when recognizable. */
export function sniffFileKind(bytes: Uint8Array): string | undefined {
  const ascii = (start: number, s: string) => s.split('').every((c, i) => bytes[start + i] === c.charCodeAt(0));
  if (bytes.length === 0) return 'an empty file';
  if (ascii(0, '\x89PNG')) return 'a PNG image';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'a JPEG image';
  if (ascii(0, 'PK\x03\x04')) return 'a zip archive (a PyTorch .pt/.pth checkpoint or an .npz is one)';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'a gzip archive (decompress it first)';
  if (ascii(4, 'TFL3')) return 'a TensorFlow Lite model';
  if (ascii(0, '\x89HDF')) return 'an HDF5 file (a Keras model?)';
  if (ascii(0, '\x93NUMPY')) return 'a NumPy .npy array';
  if (ascii(0, '\x80\x02') || ascii(0, '\x80\x04') || ascii(0, '\x80\x05')) return 'a Python pickle';
  if (bytes.length >= 8 && bytes[7] === 0 && ascii(8, '{"')) return 'a safetensors file';
  // Text: the first bytes are printable ASCII/UTF-8 (an ONNX model starts with a binary tag).
  const head = bytes.subarray(0, 64);
  if (head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127))) return 'a text file';
  return undefined;
}

/** Parses bytes as a model; a parse failure says "not an ONNX model" with the file, field path and byte. */
export function parseModelFile(path: string, bytes: Uint8Array): OnnxModel {
  try {
    return readModel(bytes);
  } catch (e) {
    if (!(e instanceof OnnxFormatError)) throw e;
    const kind = sniffFileKind(bytes);
    const detail = e.message;
    const message = kind
      ? `not an ONNX model: it looks like ${kind} (${detail})`
      : `not an ONNX model, or a corrupt/truncated one: ${detail}`;
    throw new OnnxFormatError(message, path, e.offset);
  }
}

/** Reads and parses a model file. Errors: ModelFileError (cannot read), OnnxFormatError (not a model). */
export async function readModelFile(path: string): Promise<{ bytes: Uint8Array; model: OnnxModel }> {
  const bytes = await readFileChunked(path);
  return { bytes, model: parseModelFile(path, bytes) };
}

export function readModelFileSync(path: string): { bytes: Uint8Array; model: OnnxModel } {
  const bytes = readFileChunkedSync(path);
  return { bytes, model: parseModelFile(path, bytes) };
}
