// Unit checks of the text printer's pieces: float formatting (std::to_chars rules), identifier quoting,
// elision of large tensors with digests, external data, and layout of elision comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { readModel } from '../../src/core/model';
import { ModelMsg, TensorMsg } from '../../src/core/onnxSchema';
import { printId, printModel, printNode } from '../../src/core/textPrinter';
import { formatFloat } from '../../src/core/textNumbers';
import { tensorDigest } from '../../src/core/textTensor';
import { sha256Hex } from '../../src/core/textDigest';

const FIXTURE = path.join(__dirname, '../fixtures/text_features.onnx');

test('formatFloat follows std::to_chars: shortest digits, fixed or scientific, ties to even', () => {
  const cases: [number, string][] = [
    [1, '1'], [0.5, '0.5'], [-2.5, '-2.5'], [1e-5, '1e-05'], [1e20, '1e+20'], [0.0001, '1e-04'], [0.001, '0.001'],
    [123456789, '123456792'], [3.4028234663852886e38, '3.4028235e+38'], [1.401298464324817e-45, '1e-45'],
    [0.1, '0.1'], [0.0478515625, '0.047851562'], [-0, '-0'], [Infinity, 'inf'], [-Infinity, '-inf'], [NaN, 'nan'],
  ];
  for (const [x, want] of cases) assert.equal(formatFloat(Math.fround(x)), want, `float ${x}`);
  assert.equal(formatFloat(0.1, false), '0.1');
  assert.equal(formatFloat(1e300, false), '1e+300');
});

test('formatFloat output reads back to the same float32 and double for random bit patterns', () => {
  const buf = new DataView(new ArrayBuffer(8));
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 20000; i++) {
    buf.setUint32(0, next());
    const f = buf.getFloat32(0);
    buf.setUint32(4, next());
    const d = buf.getFloat64(0);
    for (const [x, single] of [[f, true], [d, false]] as const) {
      if (!Number.isFinite(x)) continue;
      const s = formatFloat(x, single);
      const back = Number(s);
      assert.ok(Object.is(single ? Math.fround(back) : back, x), `${x} printed as ${s}`);
      assert.ok(s.replace('-', '').length <= String(Math.abs(x)).length + 4, `${s} is not short`);
    }
  }
});

test('names are bare identifiers or quoted with \\ and " escaped', () => {
  assert.equal(printId('conv_1'), 'conv_1');
  assert.equal(printId('_x9'), '_x9');
  assert.equal(printId('/features/Conv_output_0'), '"/features/Conv_output_0"');
  assert.equal(printId('9a'), '"9a"');
  assert.equal(printId(''), '""');
  assert.equal(printId('a"b\\c'), '"a\\"b\\\\c"');
});

test('large initializers are elided with their count and the SHA-256 of their raw bytes', () => {
  const bytes = fs.readFileSync(FIXTURE);
  const model = readModel(bytes);
  const big = model.graph.initializers.find((t) => t.name === 'big');
  assert.ok(big && big.data.kind === 'raw');
  const raw = bytes.subarray(big.data.start, big.data.end);
  const text = printModel(model);
  const line = text.split('\n').find((l) => l.includes(' big = '));
  assert.equal(line?.trim(), `float[5,8] big = ...,  # 40 values elided, sha256:${createHash('sha256').update(raw).digest('hex')}`);
  // Small ones keep their values; no digests when asked.
  assert.match(text, /float\[8\] "\/w\/f32 raw" = {2}\{1\.5,-0,inf,-inf,nan,1e-05,3\.4e\+38,0\.1\},/);
  assert.doesNotMatch(printModel(model, { digests: false }), /sha256/);
  assert.match(printModel(model, { digests: false }), /# 40 values elided$/m);
  // maxElements 0 elides every tensor that has values.
  assert.doesNotMatch(printModel(model, { maxElements: 0 }), /\{1\.5/);
  assert.doesNotMatch(printModel(model, { maxElements: Infinity }), /elided|\.\.\./);
});

test('a tensor has the same digest in raw_data and in typed fields', () => {
  const values = [1.5, -2, 0.25, 1e-7];
  const raw = new Uint8Array(new Float32Array(values).buffer);
  const typed: TensorMsg = { data_type: 1, dims: [4], float_data: values.map(Math.fround) };
  assert.equal(tensorDigest({ data_type: 1, dims: [4], raw_data: raw }), sha256Hex(raw));
  assert.equal(tensorDigest(typed), sha256Hex(raw));
  const f16 = new Uint8Array(new Uint16Array([15360, 49152]).buffer);
  assert.equal(tensorDigest({ data_type: 10, dims: [2], int32_data: [15360, 49152] }), sha256Hex(f16));
  const i64 = new Uint8Array(new BigInt64Array([-1n, 5n]).buffer);
  assert.equal(tensorDigest({ data_type: 7, dims: [2], int64_data: [-1, 5] }), sha256Hex(i64));
});

test('an elided tensor inside a node ends its line with the comment and the node goes on below', () => {
  const node = {
    input: ['x'], output: ['y'], op_type: 'Foo',
    attribute: [
      { name: 'ts', type: 9, tensors: [{ data_type: 1, dims: [1], float_data: [1] }, { data_type: 1, dims: [20], name: 'z', float_data: new Array(20).fill(0) }] },
      { name: 'k', type: 2, i: 3 },
    ],
  };
  const lines = printNode(node, { digests: false }).split('\n');
  assert.deepEqual(lines, [
    'y = Foo <',
    '   ts: tensors = [float[1] {1}, float[20] z ...],  # 20 values elided',
    '   k: int = 3',
    '> (x)',
  ]);
  assert.equal(printNode(node, { maxElements: 100 }), 'y = Foo <ts: tensors = [float[1] {1}, float[20] z {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}], k: int = 3> (x)');
});

test('external initializers print their shape and external_data entries, never their values', () => {
  const model: ModelMsg = {
    ir_version: 8, opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'g', input: [], output: [],
      initializer: [{
        name: 'conv1.weight', data_type: 1, dims: [64, 3, 7, 7], data_location: 1,
        external_data: [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '37632' }],
      }],
    },
  };
  for (const maxElements of [0, 16, Infinity]) {
    assert.match(printModel(model, { maxElements }),
      /\n {3}<float\[64,3,7,7\] "conv1\.weight" = \["location": "w\.bin", "offset": "0", "length": "37632"\]>\n\{\n\}$/);
  }
});

test('attribute kinds print in onnx syntax: refs, types, graphs after the inputs', () => {
  const text = printModel(readModel(fs.readFileSync(FIXTURE)), { maxElements: Infinity });
  assert.match(text, /^ {3}fy0 = LeakyRelu <alpha: float = @alpha> \(fx\)$/m);
  assert.match(text, /tp: type_proto = float\[N,\?,3\]/);
  assert.match(text, /^ {3}y = If \(cond\) <else_branch: graph = else_g \(\) => \(float\[N,3\] e_out\) \{\n {6}\["neg node"\] e_out = Neg \(x\)\n {3}\}, then_branch: graph = then_g/m);
  assert.match(text, /^ {3}\["\/a\/Custom"\] "\/a\/out:0", b = my\.domain\.Custom <f: float = 0\.1,/m);
  assert.match(text, /metadata_props: \["author": "onnx-inspector", "quote": "\\"q\\""\]/);
  assert.match(text, /\n<\n {2}domain: "local\.fn",\n {2}opset_import: \["" : 17\]\n>\nFn <alpha>\(fx\) => \(fy\)\n\{\n/);
});
