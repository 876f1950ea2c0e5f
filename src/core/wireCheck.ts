// Checks every field of a message tree against the schema's wire types before protobufjs decodes it:
// protobufjs reads a string field sent as a varint as garbage instead of failing.
import protobuf from 'protobufjs';
import { OnnxFormatError } from './errors';
import { FieldSpan, scanFields, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './wire';

interface FieldRule {
  name: string;
  wires: number[];
  message?: protobuf.Type;
}

const rulesCache = new Map<protobuf.Type, Map<number, FieldRule>>();

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);

function rulesFor(type: protobuf.Type): Map<number, FieldRule> {
  let rules = rulesCache.get(type);
  if (rules) return rules;
  rules = new Map();
  for (const f of type.fieldsArray) {
    f.resolve();
    let wires: number[];
    let message: protobuf.Type | undefined;
    if (f.resolvedType instanceof protobuf.Type) {
      wires = [WIRE_LEN];
      message = f.resolvedType;
    } else if (f.resolvedType instanceof protobuf.Enum || VARINT_TYPES.has(f.type)) {
      wires = [WIRE_VARINT];
    } else if (f.type === 'float' || f.type === 'fixed32' || f.type === 'sfixed32') {
      wires = [WIRE_I32];
    } else if (f.type === 'double' || f.type === 'fixed64' || f.type === 'sfixed64') {
      wires = [WIRE_I64];
    } else {
      wires = [WIRE_LEN]; // string, bytes
    }
    // Repeated scalars may be packed (one length-delimited run) or not.
    if (f.repeated && !message && !wires.includes(WIRE_LEN)) wires = [...wires, WIRE_LEN];
    rules.set(f.id, { name: f.name, wires, message });
  }
  rulesCache.set(type, rules);
  return rules;
}

const MAX_DEPTH = 64;

/** Throws OnnxFormatError naming the field path when a known field has the wrong wire type. */
export function checkWireTypes(bytes: Uint8Array, start: number, end: number, type: protobuf.Type, where: string, depth = 0): FieldSpan[] {
  if (depth > MAX_DEPTH) throw new OnnxFormatError(`messages nested deeper than ${MAX_DEPTH} levels`, where, start);
  const spans = scanFields(bytes, start, end, where);
  const rules = rulesFor(type);
  const counts = new Map<number, number>();
  for (const span of spans) {
    const rule = rules.get(span.field);
    if (!rule) continue; // unknown fields are kept as bytes, never judged
    if (!rule.wires.includes(span.wire)) {
      throw new OnnxFormatError(`field '${rule.name}' (${span.field}) of ${type.name} has wire type ${span.wire}, expected ${rule.wires.join(' or ')}`, where, span.start);
    }
    if (rule.message) {
      const i = counts.get(span.field) ?? 0;
      counts.set(span.field, i + 1);
      checkWireTypes(bytes, span.valueStart, span.end, rule.message, `${where}.${rule.name}[${i}]`, depth + 1);
    }
  }
  return spans;
}
