// Rules for external tensor data that need no file system: which `location` strings are acceptable (relative,
// inside the model's folder), how many bytes each tensor needs, and which tensors share which file.
// The reading itself is in src/node/externalDataReader.ts.
import { OnnxModelError } from './errors';
import { OnnxModel } from './model';
import { GraphMsg, NodeMsg, SparseTensorMsg, TensorMsg } from './onnxSchema';
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

/** The words every refusal of an unsafe location uses, so users (and tests) can tell it from a missing file. */
export const ESCAPES_FOLDER = "escapes the model's folder";

/**
 * Checks a `location` and returns its path segments relative to the model's folder, or why it is refused:
 * absolute paths (POSIX, Windows drive or UNC), paths that climb out of the folder and Windows-style '\\'
 * separators (on POSIX they are file name characters, so the same model would mean different files) would let
 * a model read files that are not its own. Symbolic links are checked where files exist (src/node).
 */
export function locationSegments(location: string): { segments: string[] } | { problem: string } {
  if (location === '') return { problem: 'the location is empty' };
  if (location.includes('\0')) return { problem: 'the location contains a NUL character' };
  if (/^[/\\]/.test(location) || /^[A-Za-z]:/.test(location)) {
    return { problem: `the location '${location}' ${ESCAPES_FOLDER}: it is an absolute path, and ONNX requires a path relative to the model` };
  }
  const segments: string[] = [];
  for (const part of location.split(/[/\\]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return { problem: `the location '${location}' ${ESCAPES_FOLDER} (its '..' climbs out of it)` };
      segments.pop();
    } else {
      segments.push(part);
    }
  }
  if (location.includes('\\')) {
    return { problem: `the location '${location}' uses Windows-style '\\' separators, which are refused: ONNX locations use '/'` };
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

/** One reference to an external data file anywhere in the model (where says which tensor field it is). */
export interface ExternalReference { location: string; tensor: string; where: string }

function tensorMsgReference(t: TensorMsg | null | undefined, where: string, out: ExternalReference[]): void {
  if (!t || t.data_location !== 1) return;
  const location = t.external_data?.find((e) => e.key === 'location')?.value ?? '';
  out.push({ location, tensor: t.name ?? '', where });
}

function sparseReferences(s: SparseTensorMsg | null | undefined, where: string, out: ExternalReference[]): void {
  tensorMsgReference(s?.values, `${where}.values`, out);
  tensorMsgReference(s?.indices, `${where}.indices`, out);
}

function nodeReferences(nodes: readonly NodeMsg[] | undefined, where: string, out: ExternalReference[]): void {
  (nodes ?? []).forEach((n, i) => {
    for (const a of n.attribute ?? []) {
      const at = `${where}.node[${i}].${a.name ?? ''}`;
      tensorMsgReference(a.t, at, out);
      (a.tensors ?? []).forEach((t, j) => tensorMsgReference(t, `${at}[${j}]`, out));
      sparseReferences(a.sparse_tensor, at, out);
      (a.sparse_tensors ?? []).forEach((t, j) => sparseReferences(t, `${at}[${j}]`, out));
      if (a.g) graphMsgReferences(a.g, at, out);
      (a.graphs ?? []).forEach((g, j) => graphMsgReferences(g, `${at}[${j}]`, out));
    }
  });
}

function graphMsgReferences(g: GraphMsg, where: string, out: ExternalReference[]): void {
  (g.initializer ?? []).forEach((t, i) => tensorMsgReference(t, `${where}.initializer[${i}]`, out));
  (g.sparse_initializer ?? []).forEach((t, i) => sparseReferences(t, `${where}.sparse_initializer[${i}]`, out));
  nodeReferences(g.node, where, out);
}

/**
 * Every external data reference of the model: main-graph initializers, but also sparse initializers, Constant
 * attributes, subgraphs and functions, since onnxruntime reads those too and each must pass the same checks.
 */
export function externalReferences(model: OnnxModel): ExternalReference[] {
  const out: ExternalReference[] = [];
  model.graph.initializers.forEach((t, i) => {
    if (t.data.kind === 'external') out.push({ location: t.data.location, tensor: t.name, where: `graph.initializer[${i}]` });
  });
  model.graph.sparseInitializers.forEach((s, i) => sparseReferences(s.value as SparseTensorMsg, `graph.sparse_initializer[${i}]`, out));
  nodeReferences(model.graph.nodes.map((n) => n.value), 'graph', out);
  model.functions.forEach((f, i) => nodeReferences(f.value.node, `functions[${i}]`, out));
  return out;
}
