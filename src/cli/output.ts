// Writing an edited model: never over an existing file unless --force, never over the input model, and with
// external data that stays readable from where the new file is.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { ExternalTensor, externalByteLength } from '../core/externalData';
import { readTensorBytes } from '../node/externalDataReader';
import { writeNewFile } from '../node/writeNewFile';
import { CliError, UsageError } from './command';
import { LoadedModel } from './modelInput';

/** ONNX files are protobufs: one message over 2 GiB cannot be read by onnxruntime or python onnx. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

function realOrResolved(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return nodePath.resolve(path);
  }
}

export function isSameFolder(modelPath: string, outPath: string): boolean {
  return realOrResolved(nodePath.dirname(nodePath.resolve(modelPath))) === realOrResolved(nodePath.dirname(nodePath.resolve(outPath)));
}

/**
 * External tensors (of `names`) to write inline when OUT is not in the model's folder: external data
 * locations are relative to the model file, so a copy elsewhere could not find them. Undefined when none.
 */
export async function inlineDataFor(loaded: LoadedModel, outPath: string, names: ReadonlySet<string> | 'all'): Promise<Map<string, Uint8Array> | undefined> {
  const external = loaded.model.graph.initializers.filter((t): t is ExternalTensor => t.data.kind === 'external' && (names === 'all' || names.has(t.name)));
  if (external.length === 0 || isSameFolder(loaded.path, outPath)) return undefined;
  const total = external.reduce((s, t) => s + (externalByteLength(t) ?? 0), 0);
  if (loaded.bytes.length + total > PROTOBUF_LIMIT) {
    throw new CliError(
      `${outPath}: the model keeps ${external.length} tensors (${total} bytes) in external data files next to it; inlining them would pass the 2 GiB protobuf limit, so write the output into the model's folder (${nodePath.dirname(nodePath.resolve(loaded.path))})`);
  }
  const inline = new Map<string, Uint8Array>();
  for (const t of external) inline.set(t.name, await readTensorBytes(loaded.path, loaded.model, t));
  return inline;
}

function missingFolderError(outPath: string): CliError {
  return new CliError(`${outPath}: cannot write: the folder ${nodePath.dirname(nodePath.resolve(outPath))} does not exist`);
}

/** Refuses, before any work, an output file whose folder does not exist (the same words for every command). */
export function checkOutputFolder(outPath: string): void {
  if (!fs.existsSync(nodePath.dirname(nodePath.resolve(outPath)))) throw missingFolderError(outPath);
}

/** Writes OUT as a new file (replacing one only with `force`), and never the input model itself. */
export function writeOutput(outPath: string, bytes: Uint8Array, opts: { force: boolean; inputPath: string }): void {
  if (realOrResolved(outPath) === realOrResolved(opts.inputPath)) {
    throw new CliError(`${outPath} is the input model; choose another output file (the input is never overwritten, even with --force)`);
  }
  try {
    writeNewFile(outPath, bytes, { overwrite: opts.force });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.name === 'FileExistsError') throw new CliError(`${outPath} already exists; choose another output file or pass --force to replace it`);
    if (err.code === 'ENOENT') throw missingFolderError(outPath);
    if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS') throw new CliError(`${outPath}: cannot write: permission denied`);
    if (err.code === 'EISDIR') throw new CliError(`${outPath} is a folder; give a file name`);
    throw e;
  }
}

export const OUTPUT_OPTIONS = [
  { name: 'output', short: 'o', kind: 'string', help: 'the new model file to write (required)' },
  { name: 'force', kind: 'flag', help: 'replace OUT if it exists (never the input model)' },
] as const;

/** Runs a parse of command-line values; its error (a bad --dim) becomes a usage error (exit 2). */
export function asUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof Error && e.name === 'InputError') throw new UsageError(e.message);
    throw e;
  }
}
