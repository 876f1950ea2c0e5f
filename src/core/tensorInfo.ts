// Initializer headers read without touching their data: name, type, dims and where the bytes are
// (inline in the model file or in an external file), so opening a 1 GB model never copies weights.
import { OnnxFormatError } from './errors';
import { onnxTypes, StringStringEntry } from './onnxSchema';
import { FieldSpan, readStringAt, readVarintAt, scanFields, WIRE_LEN } from './wire';
import protobuf from 'protobufjs';

/** Where a tensor's values are stored. Offsets are into the model file's bytes unless external. */
export type TensorData =
  | { kind: 'raw'; start: number; end: number }
  | { kind: 'typed'; field: 'float_data' | 'int32_data' | 'string_data' | 'int64_data' | 'double_data' | 'uint64_data'; spans: { start: number; end: number; packed: boolean }[] }
  | { kind: 'external'; location: string; offset: number; length?: number; checksum?: string }
  | { kind: 'none' };

export interface TensorInfo {
  name: string;
  dataType: number;
  dims: number[];
  data: TensorData;
  docString?: string;
  /** Byte range of the whole TensorProto field in the model file (tag at start, body from valueStart). */
  span: { start: number; valueStart: number; end: number };
}

const TYPED_FIELDS: Record<number, 'float_data' | 'int32_data' | 'string_data' | 'int64_data' | 'double_data' | 'uint64_data'> = {
  4: 'float_data', 5: 'int32_data', 6: 'string_data', 7: 'int64_data', 10: 'double_data', 11: 'uint64_data',
};

export function readTensorInfo(bytes: Uint8Array, span: FieldSpan, where: string): TensorInfo {
  const fields = scanFields(bytes, span.valueStart, span.end, where);
  let name = '';
  let dataType = 0;
  const dims: number[] = [];
  let docString: string | undefined;
  let raw: { start: number; end: number } | undefined;
  let typed: Extract<TensorData, { kind: 'typed' }> | undefined;
  let external: StringStringEntry[] | undefined;
  let location = 0;
  for (const f of fields) {
    switch (f.field) {
      case 1:
        if (f.wire === WIRE_LEN) readPackedVarints(bytes, f, dims);
        else dims.push(readVarintAt(bytes, f.valueStart));
        break;
      case 2:
        dataType = readVarintAt(bytes, f.valueStart);
        break;
      case 8:
        name = readStringAt(bytes, f);
        break;
      case 12:
        docString = readStringAt(bytes, f);
        break;
      case 9:
        raw = { start: f.valueStart, end: f.end };
        break;
      case 13:
        (external ??= []).push(onnxTypes.StringStringEntryProto.decode(bytes.subarray(f.valueStart, f.end)) as StringStringEntry);
        break;
      case 14:
        location = readVarintAt(bytes, f.valueStart);
        break;
      default: {
        const fieldName = TYPED_FIELDS[f.field];
        if (fieldName) {
          typed ??= { kind: 'typed', field: fieldName, spans: [] };
          // Only the first typed field carries the values; a second one (invalid) must not be mixed in.
          if (typed.field === fieldName) typed.spans.push({ start: f.valueStart, end: f.end, packed: f.wire === WIRE_LEN && fieldName !== 'string_data' });
        }
      }
    }
  }
  for (const d of dims) {
    if (d < 0 || !Number.isSafeInteger(d)) throw new OnnxFormatError(`tensor '${name}' has invalid dimension ${d}`, where, span.start);
  }
  let data: TensorData = { kind: 'none' };
  if (location === 1) data = externalData(external ?? [], name, where);
  else if (raw) data = { kind: 'raw', ...raw };
  else if (typed) data = typed;
  return { name, dataType, dims, data, docString, span: { start: span.start, valueStart: span.valueStart, end: span.end } };
}

function externalData(entries: StringStringEntry[], name: string, where: string): TensorData {
  const get = (k: string) => entries.find((e) => e.key === k)?.value;
  const location = get('location');
  if (!location) throw new OnnxFormatError(`tensor '${name}' has data_location EXTERNAL but no 'location' entry`, where);
  const num = (k: string): number | undefined => {
    const v = get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new OnnxFormatError(`tensor '${name}' has invalid external data ${k} '${v}'`, where);
    return n;
  };
  return { kind: 'external', location, offset: num('offset') ?? 0, length: num('length'), checksum: get('checksum') };
}

function readPackedVarints(bytes: Uint8Array, f: FieldSpan, out: number[]): void {
  const reader = protobuf.Reader.create(bytes);
  reader.pos = f.valueStart;
  reader.len = f.end;
  while (reader.pos < f.end) {
    const v = reader.int64() as unknown as number | { toNumber(): number };
    out.push(typeof v === 'number' ? v : v.toNumber());
  }
}

/** Number of elements for the given dims (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
