// The side panel's view of one tensor (type, producer, consumers), and its values on request: statistics and
// the first values, read from the model or its external file only when asked; weights never go in bulk.
import { isIdentityCopy, type GraphModel, type GraphValue } from '../../core/graph';
import type { OnnxModel } from '../../core/model';
import { onnxTypes } from '../../core/onnxSchema';
import { readTensorInfo, type TensorInfo } from '../../core/tensorInfo';
import { decodeTensorValues, firstValues, tensorStats, type TensorValues } from '../../core/tensorValues';
import { Dim, elementTypeName, formatValueType } from '../../core/types';
import { readTensorValues } from '../../node/externalDataReader';
import type { PropRow, PropSection, PropsView, TensorValuesView } from '../../protocol/inspect';
import { formatNumber } from './attributeText';

/** The most values the webview may ask for at once. */
export const MAX_FIRST_VALUES = 1000;

function valueOf(graph: GraphModel, name: string): GraphValue {
  const v = graph.values.get(name);
  if (!v) throw new Error(`no tensor '${name}' in graph '${graph.name || '(unnamed)'}'`);
  return v;
}

function nodeRow(graph: GraphModel, index: number): PropRow {
  const n = graph.nodes[index];
  return { key: n.opType, value: n.name || `#${index}`, link: { kind: 'node', id: `n:${index}` } };
}

export function tensorProps(graph: GraphModel, name: string): PropsView {
  const v = valueOf(graph, name);
  const role = v.initializer ? 'initializer' : v.isInput ? 'graph input' : v.isOutput ? 'graph output' : v.producer >= 0 ? 'intermediate' : 'from an enclosing graph';
  const rows: PropRow[] = [
    { key: 'name', value: name },
    { key: 'type', value: formatValueType(v.type), ...(v.typeInferred ? { detail: 'inferred' } : {}) },
    { key: 'role', value: role },
  ];
  if (v.foldedValue) rows.push({ key: 'value (inferred)', value: formatFolded(v.foldedValue) });
  if (v.shapeProblem) rows.push({ key: 'shape problem', value: v.shapeProblem });
  const source = storedSource(graph, v);
  if (source !== v) rows.push({ key: 'copy of', value: source.name, link: { kind: 'tensor', name: source.name } });
  const init = source.initializer;
  if (init) {
    rows.push({ key: 'dtype', value: elementTypeName(init.dataType) }, { key: 'shape', value: `[${init.dims.join(', ')}]` });
    const d = init.info?.data;
    rows.push({ key: 'stored', value: d?.kind === 'external' ? `external file '${d.location}' at byte ${d.offset}` : 'in the model file' });
  }
  if (v.docString) rows.push({ key: 'doc string', value: v.docString });
  const sections: PropSection[] = [{ title: 'Tensor', rows }];
  sections.push({ title: 'Producer', rows: v.producer >= 0 ? [nodeRow(graph, v.producer)] : [{ key: '', value: `none (${role})` }] });
  sections.push({ title: `Consumers (${v.consumers.length})`, rows: v.consumers.map((c) => nodeRow(graph, c)) });
  return { kind: 'tensor', title: name, subtitle: formatValueType(v.type), sections, hasValues: init !== undefined || constantTensor(graph, source) !== undefined };
}

/** A folded shape value, e.g. `[batch, seq*768]` (at most 32 elements shown). */
function formatFolded(value: Dim[]): string {
  const shown = value.slice(0, 32).map((d) => (d === null ? '?' : String(d)));
  return `[${shown.join(', ')}${value.length > 32 ? `, ... (${value.length})` : ''}]`;
}

/**
 * Where a tensor's stored values live: itself, or, through Identity nodes (PyTorch's exporter writes one per
 * shared parameter, and the view folds them like weights), the initializer or Constant they copy.
 */
function storedSource(graph: GraphModel, v: GraphValue): GraphValue {
  let cur = v;
  for (let hops = 0; hops < graph.nodes.length && cur.producer >= 0 && !cur.initializer; hops++) {
    const p = graph.nodes[cur.producer];
    if (!isIdentityCopy(p)) break;
    const next = graph.values.get(p.inputs[0]);
    if (!next) break;
    cur = next;
  }
  return cur;
}

/** A Constant node's `value` tensor, for tensors it produces. */
function constantTensor(graph: GraphModel, v: GraphValue) {
  const p = v.producer >= 0 ? graph.nodes[v.producer] : undefined;
  if (!p || p.opType !== 'Constant') return undefined;
  return p.attributes.find((a) => a.name === 'value' && a.t)?.t;
}

/** TensorInfo over a re-encoded TensorProto (subgraph initializers and Constant values are already decoded). */
function infoOfMsg(msg: object, name: string): { info: TensorInfo; bytes: Uint8Array } {
  const bytes = onnxTypes.TensorProto.encode(onnxTypes.TensorProto.fromObject(msg)).finish();
  return { info: readTensorInfo(bytes, { field: 0, wire: 2, start: 0, valueStart: 0, end: bytes.length }, `tensor '${name}'`), bytes };
}

export function summarizeValues(v: TensorValues, count: number): TensorValuesView {
  const s = tensorStats(v);
  const num = (x: number | undefined) => (x === undefined ? '-' : formatNumber(x));
  const stats = v.kind === 'string' ? [{ key: 'count', value: String(s.count) }] : [
    { key: 'count', value: String(s.count) }, { key: 'min', value: num(s.min) }, { key: 'max', value: num(s.max) },
    { key: 'mean', value: num(s.mean) }, { key: 'std', value: num(s.std) }, { key: 'NaN', value: String(s.nan) },
    { key: 'Inf', value: `${s.posInf} / -${s.negInf}` }, { key: 'zeros', value: String(s.zero) },
  ];
  return { stats, first: firstValues(v, Math.min(Math.max(0, count), MAX_FIRST_VALUES)).map(formatNumber), count: v.count };
}

/** Reads an initializer's (or Constant's) values now. Never throws: unreadable data comes back as `error`. */
export async function tensorValues(modelPath: string, model: OnnxModel, graph: GraphModel, name: string, count: number): Promise<TensorValuesView> {
  try {
    const v = storedSource(graph, valueOf(graph, name));
    const init = v.initializer;
    let values: TensorValues;
    if (init?.info) values = await readTensorValues(modelPath, model, init.info);
    else if (init?.msg) {
      const { info, bytes } = infoOfMsg(init.msg, name);
      values = info.data.kind === 'external' ? await readTensorValues(modelPath, model, info) : decodeTensorValues(info, bytes);
    } else {
      const t = constantTensor(graph, v);
      if (!t) return { error: `'${name}' is computed when the model runs: it has no stored values` };
      const { info, bytes } = infoOfMsg(t, name);
      values = decodeTensorValues(info, bytes);
    }
    return summarizeValues(values, count);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
