// Protobuf wire-level scanning: finds each field's byte range without decoding it, so edits can copy the
// bytes of everything they do not change (protobufjs would drop fields our schema does not know).
import protobuf from 'protobufjs';
import { OnnxFormatError } from './errors';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** One field occurrence: its tag starts at `start`, its value at `valueStart`, and it ends before `end`. */
export interface FieldSpan {
  field: number;
  wire: number;
  start: number;
  valueStart: number;
  end: number;
}

/** Reads an unsigned varint at `pos` (below `end`) as a number, exact up to 2^53; larger values come back
 * as a value >= 2^53 (callers treat them as too large). Returns -1 when truncated, -2 when over 10 bytes. */
function varintValue(bytes: Uint8Array, pos: number, end: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return { value: -1, next: pos + i };
    const b = bytes[pos + i];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
    scale *= 128;
  }
  return { value: -2, next: pos + 10 };
}

/** Splits the message in bytes [start, end) into its field occurrences, checking every declared length. */
export function scanFields(bytes: Uint8Array, start: number, end: number, where: string): FieldSpan[] {
  const spans: FieldSpan[] = [];
  let pos = start;
  while (pos < end) {
    const tagStart = pos;
    let tag: number;
    // Fast path: one-byte tags (fields 1-15) are nearly all of them.
    const t0 = bytes[pos];
    if (t0 < 0x80) {
      tag = t0;
      pos++;
    } else {
      const v = varintValue(bytes, pos, end);
      if (v.value === -1) throw new OnnxFormatError('truncated field tag', where, tagStart);
      if (v.value < 0 || v.value > 0xffffffff) throw new OnnxFormatError('field tag is not a valid 32-bit varint', where, tagStart);
      tag = v.value;
      pos = v.next;
    }
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new OnnxFormatError('invalid field number 0 (not a protobuf message)', where, tagStart);
    const valueStart = pos;
    let fieldEnd: number;
    switch (wire) {
      case WIRE_VARINT:
        fieldEnd = skipVarint(bytes, valueStart, end, where);
        break;
      case WIRE_I64:
        fieldEnd = valueStart + 8;
        break;
      case WIRE_I32:
        fieldEnd = valueStart + 4;
        break;
      case WIRE_LEN: {
        const v = varintValue(bytes, pos, end);
        if (v.value === -1) throw new OnnxFormatError(`truncated length of field ${field}`, where, tagStart);
        if (v.value === -2) throw new OnnxFormatError(`length of field ${field} is a varint longer than 10 bytes`, where, tagStart);
        const length = v.value;
        const dataStart = v.next;
        if (length > end - dataStart) {
          throw new OnnxFormatError(
            `field ${field} declares ${length >= 2 ** 53 ? 'more than 2^53' : length} bytes but only ${Math.max(0, end - dataStart)} remain (truncated or corrupt file)`,
            where, tagStart);
        }
        spans.push({ field, wire, start: tagStart, valueStart: dataStart, end: dataStart + length });
        pos = dataStart + length;
        continue;
      }
      default:
        throw new OnnxFormatError(`field ${field} has unsupported wire type ${wire} (not an ONNX model?)`, where, tagStart);
    }
    if (fieldEnd > end) throw new OnnxFormatError(`field ${field} runs past the end of its message (truncated)`, where, tagStart);
    spans.push({ field, wire, start: tagStart, valueStart, end: fieldEnd });
    pos = fieldEnd;
  }
  return spans;
}

function skipVarint(bytes: Uint8Array, pos: number, end: number, where: string): number {
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) throw new OnnxFormatError('truncated varint', where, pos);
    if ((bytes[pos + i] & 0x80) === 0) return pos + i + 1;
  }
  throw new OnnxFormatError('varint longer than 10 bytes', where, pos);
}

/** Checks a field has the wire type the schema expects, so a wrong field type is reported, not misread. */
export function expectWire(span: FieldSpan, wire: number, name: string, where: string): void {
  if (span.wire !== wire) {
    throw new OnnxFormatError(`field ${name} (${span.field}) has wire type ${span.wire}, expected ${wire}`, where, span.start);
  }
}

export function readVarintAt(bytes: Uint8Array, pos: number): number {
  const reader = protobuf.Reader.create(bytes);
  reader.pos = pos;
  const v = reader.int64() as unknown as number | { toNumber(): number };
  return typeof v === 'number' ? v : v.toNumber();
}

export function readStringAt(bytes: Uint8Array, span: FieldSpan): string {
  return utf8Decode(bytes, span.valueStart, span.end);
}

export function utf8Decode(bytes: Uint8Array, start: number, end: number): string {
  return protobuf.util.utf8.read(bytes, start, end);
}

export function utf8Encode(text: string): Uint8Array {
  const out = new Uint8Array(protobuf.util.utf8.length(text));
  protobuf.util.utf8.write(text, out, 0);
  return out;
}

// ---- encoding helpers for the few messages an edit writes itself ----

export function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Header (tag + length) of a length-delimited field holding `length` bytes. */
export function lengthDelimitedHeader(field: number, length: number): Uint8Array {
  return Uint8Array.from([...encodeVarint((field << 3) | WIRE_LEN), ...encodeVarint(length)]);
}

/** Concatenates byte pieces into one buffer. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
