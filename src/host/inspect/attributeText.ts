// An attribute's value as the side panel shows it: numbers, strings, lists, tensors (type, shape, first
// values), type protos; graphs become links that open the subgraph.
import { int64ToString, onnxTypes, type AttributeMsg, type TensorMsg } from '../../core/onnxSchema';
import { readTensorInfo } from '../../core/tensorInfo';
import { decodeTensorValues, firstValues } from '../../core/tensorValues';
import { elementTypeName, formatDims, formatValueType, valueTypeOf } from '../../core/types';
import { utf8Decode } from '../../core/wire';
import type { GraphPath, PropRow } from '../../protocol/inspect';

/** Values shown for a tensor attribute or in a list. */
export const FIRST_VALUES = 16;

function list<T>(items: T[], text: (x: T) => string): string {
  const shown = items.slice(0, FIRST_VALUES).map(text).join(', ');
  return `[${shown}${items.length > FIRST_VALUES ? `, \u2026 (${items.length} in all)` : ''}]`;
}

function quote(bytes: Uint8Array | undefined): string {
  const b = bytes ?? new Uint8Array(0);
  return JSON.stringify(utf8Decode(b, 0, b.length));
}

export function formatNumber(x: number | bigint | string | [number, number]): string {
  if (Array.isArray(x)) return `${formatNumber(x[0])}${x[1] < 0 ? '-' : '+'}${formatNumber(Math.abs(x[1]))}i`;
  if (typeof x === 'number' && !Number.isInteger(x) && Number.isFinite(x)) return String(Number(x.toPrecision(6)));
  return typeof x === 'string' ? JSON.stringify(x) : String(x);
}

/** `float[64,3,7,7]`, plus the first values when the tensor's data is inline (attributes always are). */
export function tensorMsgText(t: TensorMsg): { type: string; values?: string } {
  const dims = (t.dims ?? []).map((d) => Number(int64ToString(d)));
  const type = `${elementTypeName(t.data_type)}${formatDims(dims)}`;
  if (t.data_location === 1) return { type, values: 'stored in an external file' };
  try {
    // Re-encode the decoded message so the core's one tensor decoder reads it (no second decoder to keep in sync).
    const bytes = onnxTypes.TensorProto.encode(onnxTypes.TensorProto.fromObject(t)).finish();
    const info = readTensorInfo(bytes, { field: 0, wire: 2, start: 0, valueStart: 0, end: bytes.length }, `tensor '${t.name ?? ''}'`);
    const v = decodeTensorValues(info, bytes);
    const shown = firstValues(v, FIRST_VALUES).map(formatNumber).join(', ');
    return { type, values: `[${shown}${v.count > FIRST_VALUES ? `, \u2026 (${v.count} values)` : ''}]` };
  } catch (e) {
    return { type, values: `cannot decode: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** One attribute as a row; `graphPath` builds the path of its k-th graph (GRAPH/GRAPHS). */
export function attributeRows(a: AttributeMsg, graphPath: (attribute: string, index: number) => GraphPath): PropRow[] {
  const key = a.name ?? '';
  const ref = a.ref_attr_name ? ` (from function attribute '${a.ref_attr_name}')` : '';
  switch (a.type) {
    case 1: return [{ key, value: formatNumber(a.f ?? 0) + ref, detail: 'float' }];
    case 2: return [{ key, value: int64ToString(a.i) + ref, detail: 'int' }];
    case 3: return [{ key, value: quote(a.s) + ref, detail: 'string' }];
    case 4: {
      const t = tensorMsgText(a.t ?? {});
      return [{ key, value: t.values ?? '', detail: `tensor ${t.type}` }];
    }
    case 5: return [{ key, value: `graph '${a.g?.name ?? ''}' (${a.g?.node?.length ?? 0} nodes)`, detail: 'graph', link: { kind: 'graph', path: graphPath(key, 0) } }];
    case 6: return [{ key, value: list(a.floats ?? [], formatNumber), detail: 'floats' }];
    case 7: return [{ key, value: list(a.ints ?? [], int64ToString), detail: 'ints' }];
    case 8: return [{ key, value: list(a.strings ?? [], quote), detail: 'strings' }];
    case 9: return (a.tensors ?? []).map((m, k) => {
      const t = tensorMsgText(m);
      return { key: `${key}[${k}]`, value: t.values ?? '', detail: `tensor ${t.type}` };
    });
    case 10: return (a.graphs ?? []).map((g, k) => ({
      key: `${key}[${k}]`, value: `graph '${g.name ?? ''}' (${g.node?.length ?? 0} nodes)`, detail: 'graph', link: { kind: 'graph', path: graphPath(key, k) },
    }));
    case 11: return [{ key, value: `sparse tensor ${formatDims((a.sparse_tensor?.dims ?? []).map((d) => Number(int64ToString(d))))}`, detail: 'sparse_tensor' }];
    case 12: return [{ key, value: `${a.sparse_tensors?.length ?? 0} sparse tensors`, detail: 'sparse_tensors' }];
    case 13: return [{ key, value: formatValueType(valueTypeOf(a.tp)), detail: 'type' }];
    case 14: return [{ key, value: list(a.type_protos ?? [], (t) => formatValueType(valueTypeOf(t))), detail: 'types' }];
    default: return [{ key, value: ref ? ref.trim() : '(no value)', detail: 'undefined' }];
  }
}
