// Rules for external tensor data that need no file system: which `location` strings are acceptable (relative,
// inside the model's folder), how many bytes each tensor needs, and which tensors share which file.
// The reading itself is in src/node/externalDataReader.ts.
import { OnnxModelError } from './errors';
import { OnnxModel } from './model';
import { elementCount, TensorInfo } from './tensorInfo';
import { rawByteLength } from './tensorValues';

/** A tensor's external data cannot be used: names the tensor and the file. */
export class ExternalDataError extends OnnxModelError {
  constructor(message: string, readonly tensor: string, readonly path: string) {
    super(`tensor '${tensor}': ${message} (${path})`);
    this.name = 'ExternalDataError';
  }
}

export type ExternalTensor = TensorInfo & { data: Extract<TensorInfo['data'], { kind: 'external' }> };

/**
 * Checks a `location` and returns its path segments relative to the model's folder, or why it is refused:
 * absolute paths (POSIX, Windows drive or UNC) and paths that climb out of the folder would let a model
 * read any file on the machine.
 */
export function locationSegments(location: string): { segments: string[] } | { problem: string } {
  if (location === '') return { problem: 'the location is empty' };
  if (location.includes('\0')) return { problem: 'the location contains a NUL character' };
  if (/^[/\\]/.test(location) || /^[A-Za-z]:/.test(location)) return { problem: 'the location is an absolute path; ONNX requires a path relative to the model' };
  const segments: string[] = [];
  for (const part of location.split(/[/\\]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return { problem: "the location escapes the model's folder ('..')" };
      segments.pop();
    } else {
      segments.push(part);
    }
  }
  if (segments.length === 0) return { problem: 'the location names the model folder itself, not a file' };
  return { segments };
}

/** Bytes the tensor's data takes: its declared `length`, else what its type and dims need (as ORT reads). */
export function externalByteLength(t: ExternalTensor): number | undefined {
  return t.data.length ?? rawByteLength(t.dataType, elementCount(t.dims));
}

/** Problems of a tensor's byte range in a file of `fileSize` bytes (empty when it fits and matches its type). */
export function rangeProblems(t: ExternalTensor, fileSize: number): string[] {
  const problems: string[] = [];
  const { offset, length } = t.data;
  const need = rawByteLength(t.dataType, elementCount(t.dims));
  if (length !== undefined && need !== undefined && length !== need) {
    problems.push(`declares length ${length} but its type and dims need ${need} bytes`);
  }
  const len = externalByteLength(t);
  if (len === undefined) problems.push(`its element type ${t.dataType} has no fixed size, so its byte range is unknown`);
  else if (offset + len > fileSize) {
    problems.push(`needs bytes ${offset}..${offset + len} but the file has only ${fileSize} bytes`);
  }
  return problems;
}

/** External tensors of the main graph, grouped by location string, in first-use order. */
export function externalTensorsByLocation(model: OnnxModel): Map<string, ExternalTensor[]> {
  const byLocation = new Map<string, ExternalTensor[]>();
  for (const t of model.graph.initializers) {
    if (t.data.kind !== 'external') continue;
    const list = byLocation.get(t.data.location) ?? [];
    list.push(t as ExternalTensor);
    byLocation.set(t.data.location, list);
  }
  return byLocation;
}

/** Tensors of one file whose byte ranges overlap (a corrupt or hand-edited model). */
export function overlappingRanges(tensors: readonly ExternalTensor[]): [string, string][] {
  const ranges = tensors
    .map((t) => ({ name: t.name, start: t.data.offset, end: t.data.offset + (externalByteLength(t) ?? 0) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const out: [string, string][] = [];
  let last: { name: string; end: number } | undefined;
  for (const r of ranges) {
    if (last && r.start < last.end) out.push([last.name, r.name]);
    if (!last || r.end > last.end) last = r;
  }
  return out;
}
