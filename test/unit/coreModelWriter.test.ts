// modelWriter.ts: identity writes are byte-identical, fields unknown to our schema survive, and
// assembleMessage replaces/drops/appends whole fields while copying the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../src/core/model';
import { buildModelGraph } from '../../src/core/graph';
import { assembleMessage, writeModel } from '../../src/core/modelWriter';
import { scanFields } from '../../src/core/wire';
import { onnxTypes } from '../../src/core/onnxSchema';
import { concat, lenField, makeSmallModel, varint, varintField } from '../fixtures/builders';

/** Field 99 in every wire type a protobuf writer may use: varint, 64-bit, length-delimited, 32-bit. */
const UNKNOWN = concat(
  varintField(99, 123456),
  Uint8Array.from([...varint((98 << 3) | 1), 1, 2, 3, 4, 5, 6, 7, 8]),
  lenField(99, new TextEncoder().encode('future field')),
  Uint8Array.from([...varint((97 << 3) | 5), 9, 9, 9, 9]),
);

/** Re-wraps a message body: replaces the field at `span` by `replacement` without our writer (independent). */
function spliceField(bytes: Uint8Array, start: number, end: number, replacement: Uint8Array): Uint8Array {
  return concat(bytes.subarray(0, start), replacement, bytes.subarray(end));
}

/** The small model with UNKNOWN fields inside its first node, its first initializer, its graph and the model. */
function modelWithUnknownFields(): Uint8Array {
  const base = makeSmallModel();
  const model = readModel(base);
  const g = model.graph;
  // Innermost first, working on graph body bytes, then wrap into graph and model fields.
  const graphBody = base.subarray(model.graphSpan.valueStart, model.graphSpan.end);
  const off = model.graphSpan.valueStart;
  const node = g.nodes[0].span;
  const init = g.initializers[0].span;
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (const f of g.fields) {
    parts.push(graphBody.subarray(pos, f.start - off));
    if (f === node || f.start === init.start) {
      const body = concat(base.subarray(f.valueStart, f.end), UNKNOWN);
      parts.push(lenField(f.field, body));
    } else {
      parts.push(base.subarray(f.start, f.end));
    }
    pos = f.end - off;
  }
  parts.push(UNKNOWN);
  const newGraph = lenField(7, concat(...parts));
  return concat(spliceField(base, model.graphSpan.start, model.graphSpan.end, newGraph), UNKNOWN);
}

test('writeModel with no edit is byte-identical', () => {
  const bytes = makeSmallModel();
  assert.deepEqual(writeModel(readModel(bytes)), bytes);
});

test('fields unknown to the schema (NodeProto, TensorProto, GraphProto, ModelProto) are accepted and kept', () => {
  const bytes = modelWithUnknownFields();
  const model = readModel(bytes);
  assert.ok(model.fields.some((f) => f.field === 99), 'model-level field 99 is among the spans');
  assert.ok(model.graph.fields.some((f) => f.field === 98), 'graph-level field 98 is among the spans');
  assert.equal(model.graph.nodes[0].value.op_type, 'Relu');
  assert.deepEqual(model.graph.nodes[0].value.input, ['x']);
  const w = model.graph.initializers[0];
  assert.equal(w.name, 'w');
  assert.equal(w.data.kind, 'raw');
  const graph = buildModelGraph(model);
  assert.deepEqual(graph.problems, []);
  assert.deepEqual(graph.outputs, ['y']);
  assert.deepEqual(writeModel(model), bytes);
  // And protobufjs (what an edit would use to re-encode) would have lost them: the reason for byte copying.
  const reencoded = onnxTypes.ModelProto.encode(onnxTypes.ModelProto.decode(bytes)).finish();
  assert.ok(reencoded.length < bytes.length);
});

test('assembleMessage replaces, drops and appends whole fields and copies the rest', () => {
  const body = concat(varintField(1, 7), lenField(2, [65, 66]), lenField(3, [1]), varintField(4, 9));
  const fields = scanFields(body, 0, body.length, 'msg');
  assert.equal(fields.length, 4);
  const out = assembleMessage(body, fields, new Map([[fields[1], lenField(2, [67])], [fields[2], null]]), [varintField(5, 1)]);
  assert.deepEqual(out, concat(varintField(1, 7), lenField(2, [67]), varintField(4, 9), varintField(5, 1)));
  assert.deepEqual(assembleMessage(body, fields), body);
  assert.deepEqual(assembleMessage(body, []), new Uint8Array(0));
});
