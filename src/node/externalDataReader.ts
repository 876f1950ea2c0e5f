// Reads tensor bytes on demand: inline data as views into the model's buffer, external data from its file at
// its offset (file handles, so files over 2 GiB work). Opening a model never reads external files; a missing
// or unsafe one only fails the tensors that use it.
import { constants as bufferConstants } from 'buffer';
import * as fs from 'fs';
import {
  ExternalDataError, ExternalTensor, externalByteLength, externalTensorsByLocation, overlappingRanges, rangeProblems,
} from '../core/externalData';
import { OnnxModel } from '../core/model';
import { elementCount, TensorInfo } from '../core/tensorInfo';
import { decodeTensorValues, TensorValues, typedToRaw } from '../core/tensorValues';
import { OPEN_NO_FOLLOW, resolveExternalLocation } from './externalDataResolver';

const CHUNK = 256 * 1024 * 1024;

/** The checked real path of an external tensor's file (see resolveExternalLocation). */
export async function resolveExternalFile(modelPath: string, tensor: ExternalTensor): Promise<string> {
  return resolveExternalLocation(modelPath, tensor.data.location, tensor.name);
}

async function readRange(file: string, offset: number, length: number, tensor: ExternalTensor): Promise<Uint8Array> {
  if (length > bufferConstants.MAX_LENGTH) {
    throw new ExternalDataError(`${length} bytes are more than one buffer can hold (${bufferConstants.MAX_LENGTH})`, tensor.name, file);
  }
  const handle = await fs.promises.open(file, OPEN_NO_FOLLOW);
  try {
    const { size } = await handle.stat();
    const problems = rangeProblems(tensor, size);
    if (problems.length > 0) throw new ExternalDataError(problems.join('; '), tensor.name, file);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, Math.min(CHUNK, length - done), offset + done);
      if (bytesRead === 0) throw new ExternalDataError(`the file ended after ${offset + done} bytes while reading`, tensor.name, file);
      done += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/**
 * A tensor's data in raw little-endian form: a view into the model buffer (raw_data), the typed field's values
 * re-laid as raw bytes, or the external file's slice. String tensors have no raw form (use readTensorValues).
 */
export async function readTensorBytes(modelPath: string, model: OnnxModel, tensor: TensorInfo): Promise<Uint8Array> {
  const d = tensor.data;
  switch (d.kind) {
    case 'raw': return model.bytes.subarray(d.start, d.end);
    case 'typed': return typedToRaw(tensor.dataType, elementCount(tensor.dims), d.field, d.spans, model.bytes, `tensor '${tensor.name}'`);
    case 'none':
      if (elementCount(tensor.dims) === 0) return new Uint8Array(0);
      throw new ExternalDataError('the tensor has no data', tensor.name, modelPath);
    case 'external': {
      const t = tensor as ExternalTensor;
      const file = await resolveExternalFile(modelPath, t);
      const length = externalByteLength(t);
      if (length === undefined) throw new ExternalDataError(rangeProblems(t, Infinity).join('; '), t.name, file);
      return readRange(file, d.offset, length, t);
    }
  }
}

/** A tensor's decoded values, reading its external file if it has one. */
export async function readTensorValues(modelPath: string, model: OnnxModel, tensor: TensorInfo): Promise<TensorValues> {
  if (tensor.data.kind !== 'external') return decodeTensorValues(tensor, model.bytes);
  return decodeTensorValues(tensor, await readTensorBytes(modelPath, model, tensor));
}

/** One external data file as the CLI's info and the UI show it. */
export interface ExternalFileReport {
  location: string;
  /** Resolved path (real path when it exists), or the unresolved location when refused. */
  path: string;
  exists: boolean;
  size?: number;
  tensors: string[];
  /** Bytes the tensors need in total (their declared or type-derived lengths). */
  bytesNeeded: number;
  problems: string[];
}

/** Summarizes every external data file the main graph uses, without reading tensor data. */
export async function checkExternalData(modelPath: string, model: OnnxModel): Promise<ExternalFileReport[]> {
  const reports: ExternalFileReport[] = [];
  for (const [location, tensors] of externalTensorsByLocation(model)) {
    const report: ExternalFileReport = {
      location, path: location, exists: false, tensors: tensors.map((t) => t.name),
      bytesNeeded: tensors.reduce((s, t) => s + (externalByteLength(t) ?? 0), 0), problems: [],
    };
    reports.push(report);
    try {
      report.path = await resolveExternalFile(modelPath, tensors[0]);
    } catch (e) {
      if (!(e instanceof ExternalDataError)) throw e;
      report.path = e.path;
      report.problems.push(e.message.replace(/^tensor '[^']*': /, ''));
      continue;
    }
    report.exists = true;
    report.size = (await fs.promises.stat(report.path)).size;
    for (const t of tensors) for (const p of rangeProblems(t, report.size)) report.problems.push(`tensor '${t.name}' ${p}`);
    for (const [a, b] of overlappingRanges(tensors)) report.problems.push(`tensors '${a}' and '${b}' overlap in the file`);
  }
  return reports;
}

/**
 * One line per external data file that is missing, refused or too short, for the banner shown when a model
 * opens (the graph still shows; only values and runs need the data). Empty when all is well.
 */
export async function externalDataProblems(modelPath: string, model: OnnxModel): Promise<string[]> {
  const reports = await checkExternalData(modelPath, model);
  return reports.filter((r) => r.problems.length > 0).map((r) =>
    `external data '${r.location}' (${r.tensors.length} tensor${r.tensors.length === 1 ? '' : 's'}): ${r.problems.join('; ')}`);
}
