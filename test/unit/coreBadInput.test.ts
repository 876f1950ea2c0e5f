// Broken input gives a clear error or graph problem naming what and where, never a crash or a silently
// wrong model: truncation, wrong wire types, absurd lengths, and invalid graphs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { OnnxFormatError } from '../../src/core/errors';
import { assertValidGraph, buildModelGraph, ProblemKind } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { concat, DT, lenField, makeModel, makeSmallModel, varint, varintField } from '../fixtures/builders';

function assertFormatError(bytes: Uint8Array, re: RegExp, label: string): OnnxFormatError {
  try {
    readModel(bytes);
  } catch (e) {
    assert.ok(e instanceof OnnxFormatError, `${label}: expected OnnxFormatError, got ${String(e)}`);
    assert.match(e.message, re, label);
    assert.match(e.where, /^(model|graph)/, `${label}: where names a field path`);
    return e;
  }
  assert.fail(`${label}: readModel accepted the bytes`);
}

test('every strict prefix of a small model is an OnnxFormatError', () => {
  const bytes = makeSmallModel();
  const model = readModel(bytes);
  // Exporters (and protobufjs) write opset_import after the graph: a prefix ending right after the graph
  // parses as protobuf, and must still be refused.
  assert.ok(model.fields.findIndex((f) => f.field === 8) > model.fields.findIndex((f) => f.field === 7));
  for (let n = 0; n < bytes.length; n++) {
    assertFormatError(bytes.subarray(0, n), /truncated|empty|no graph|remain|runs past/, `prefix ${n}`);
  }
});

const SQUEEZENET = '/work/shared/models/squeezenet1_1.onnx';
test('squeezenet cut at random points and at every top-level field boundary is an OnnxFormatError', { skip: !existsSync(SQUEEZENET) && 'model missing' }, () => {
  const bytes = readFileSync(SQUEEZENET);
  const model = readModel(bytes);
  let seed = 12345;
  const cuts = Array.from({ length: 200 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) % bytes.length);
  cuts.push(...model.fields.map((f) => f.end).filter((e) => e < bytes.length));
  for (const cut of cuts) {
    const e = assertFormatError(bytes.subarray(0, cut), /truncated|remain|runs past|no graph|opset_import/, `cut at ${cut}`);
    assert.ok(e.offset === undefined || e.offset <= cut, `cut at ${cut}: offset ${e.offset} is inside the file`);
  }
});

/** The small model's bytes with the graph field's body replaced. */
function withGraphBody(body: Uint8Array): Uint8Array {
  const bytes = makeSmallModel();
  const m = readModel(bytes);
  return concat(bytes.subarray(0, m.graphSpan.start), lenField(7, body), bytes.subarray(m.graphSpan.end));
}

test('wrong wire types are reported with the field name, path and byte', () => {
  const bytes = makeSmallModel();
  const m = readModel(bytes);
  // graph sent as a varint
  const graphAsVarint = concat(bytes.subarray(0, m.graphSpan.start), varintField(7, 5), bytes.subarray(m.graphSpan.end));
  const e1 = assertFormatError(graphAsVarint, /field 'graph' \(7\) of ModelProto has wire type 0, expected 2/, 'graph as varint');
  assert.equal(e1.offset, m.graphSpan.start);
  // a node whose name is a varint
  const node = m.graph.nodes[0].span;
  const nodeBody = concat(bytes.subarray(node.valueStart, node.end), varintField(3, 42));
  const graphBody = concat(lenField(1, nodeBody), bytes.subarray(node.end, m.graphSpan.end));
  assertFormatError(withGraphBody(graphBody), /model\.graph\[0\]\.node\[0\].*field 'name' \(3\) of NodeProto has wire type 0, expected 2/, 'node name as varint');
  // producer_name as a 64-bit value
  const p = concat(Uint8Array.from([...varint((2 << 3) | 1), 1, 2, 3, 4, 5, 6, 7, 8]), bytes);
  assertFormatError(p, /'producer_name' \(2\) of ModelProto has wire type 1/, 'producer_name as fixed64');
});

test('absurd declared lengths (2^31, 2^32-1, 2^63) are reported, not allocated', () => {
  for (const len of [2 ** 31, 2 ** 32 - 1, 2 ** 53]) {
    const bytes = concat(varintField(1, 10), Uint8Array.from([...varint((7 << 3) | 2), ...varint(len)]), new Uint8Array(16));
    assertFormatError(bytes, new RegExp(`declares (${len}|more than 2\\^53) bytes but only 16 remain`), `length ${len}`);
  }
  const tenBytes = concat(Uint8Array.from([(7 << 3) | 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), new Uint8Array(4));
  assertFormatError(tenBytes, /declares more than 2\^53 bytes/, '10-byte length varint');
  // 2^32 + 5 must not wrap around to 5 (protobufjs's uint32 reader would).
  const wrap = concat(Uint8Array.from([(7 << 3) | 2, ...varint(2 ** 32 + 5)]), new Uint8Array(5));
  assertFormatError(wrap, /declares 4294967301 bytes but only 5 remain/, 'length 2^32+5');
  assertFormatError(Uint8Array.from([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), /varint longer than 10 bytes/, '11-byte varint');
  assertFormatError(Uint8Array.from([0x00, 0x01]), /invalid field number 0/, 'field 0');
  assertFormatError(Uint8Array.from([0x0f, 0x01]), /unsupported wire type 7/, 'wire type 7');
});

test('a tensor with a negative dimension is a format error naming the tensor', () => {
  const bytes = makeModel({ initializers: [{ name: 'neg', dataType: DT.FLOAT, dims: [2, -3], floatData: [] }] });
  assertFormatError(bytes, /tensor 'neg' has invalid dimension -3/, 'negative dim');
});

function problemsOf(bytes: Uint8Array): { kind: ProblemKind; message: string; tensors?: string[]; nodes?: number[] }[] {
  return buildModelGraph(readModel(bytes)).problems;
}

test('graph problems name the tensors and nodes: cycle, duplicate output, dangling input, empty graph', () => {
  const x = { name: 'x', elemType: DT.FLOAT, shape: [1] };
  const cycle = problemsOf(makeModel({
    inputs: [x], outputs: [{ name: 'c' }],
    nodes: [{ op: 'Add', name: 'A', inputs: ['x', 'c'], outputs: ['b'] }, { op: 'Relu', name: 'B', inputs: ['b'], outputs: ['c'] }],
  }));
  assert.equal(cycle.length, 1);
  assert.equal(cycle[0].kind, 'cycle');
  assert.deepEqual(cycle[0].nodes, [0, 1]);
  assert.match(cycle[0].message, /'A' \(Add\)/);

  const dup = problemsOf(makeModel({
    inputs: [x], outputs: [{ name: 'y' }],
    nodes: [{ op: 'Relu', name: 'R1', inputs: ['x'], outputs: ['y'] }, { op: 'Relu', name: 'R2', inputs: ['x'], outputs: ['y'] }],
  }));
  assert.deepEqual(dup.map((p) => p.kind), ['duplicate-output']);
  assert.match(dup[0].message, /tensor 'y' is produced by node 'R2' \(Relu\) and already by node 'R1' \(Relu\)/);

  const dangling = problemsOf(makeModel({
    inputs: [x], outputs: [{ name: 'y' }],
    nodes: [{ op: 'Add', name: 'A', inputs: ['x', 'ghost'], outputs: ['y'] }],
  }));
  assert.deepEqual(dangling.map((p) => [p.kind, p.tensors]), [['dangling-input', ['ghost']]]);
  assert.match(dangling[0].message, /'A' \(Add\) reads 'ghost'/);

  const empty = problemsOf(makeModel({}));
  assert.deepEqual(empty.map((p) => p.kind), ['empty-graph']);

  const unknownOut = problemsOf(makeModel({ inputs: [x], outputs: [{ name: 'nowhere' }], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['r'] }] }));
  assert.deepEqual(unknownOut.map((p) => [p.kind, p.tensors]), [['unknown-graph-output', ['nowhere']]]);

  // assertValidGraph turns problems into an error an edit can show.
  assert.throws(() => assertValidGraph(buildModelGraph(readModel(makeModel({})))), /the model's graph is invalid: the graph has no nodes and no outputs/);
});
