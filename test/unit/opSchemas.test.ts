// The operator schemas generated at build time (scripts/gen-op-schemas.py): the version a model's opset selects,
// schema names of inputs (variadic, optional), documentation links, the node properties built from them, and the
// whole generated file against onnx.defs.get_schema for every op and opset version (the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { isOpDocUrl, opDocUrl, OpSchemaTable, paramNames, schemaInputNamer } from '../../src/core/opSchemas';
import { nodeProps } from '../../src/host/inspect/nodeProps';
import { buildViewModel } from '../../src/layout/viewModel';
import { opSchemaTable } from '../../src/node/opSchemaFile';
import type { PropsView } from '../../src/protocol/inspect';
import { DT, makeModel } from '../fixtures/builders';
import { missingPythonOnnx, repoRoot } from './editSupport';

const noPython = missingPythonOnnx();

/** Generated afresh by the build's own script, so the test does not depend on a build having run. */
let generated: { file: string; table: OpSchemaTable } | undefined;
function table(): OpSchemaTable {
  if (!generated) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'op-schemas-'));
    const file = path.join(dir, 'opSchemas.json');
    execFileSync('python3', [path.join(repoRoot, 'scripts/gen-op-schemas.py'), file], { stdio: ['ignore', 'ignore', 'inherit'] });
    generated = { file, table: opSchemaTable(file) };
  }
  return generated.table;
}

test('the schema an opset selects: Conv in opset 11 and 17, Clip, Split and Resize across their changes', { skip: noPython }, () => {
  const t = table();
  const conv11 = t.lookup('', 'Conv', 11)!, conv17 = t.lookup('ai.onnx', 'Conv', 17)!;
  assert.equal(conv11.sinceVersion, 11);
  assert.equal(conv17.sinceVersion, 11, 'Conv did not change between opset 11 and 17');
  assert.equal(t.lookup('', 'Conv', 22)!.sinceVersion, 22);
  assert.deepEqual(conv17.inputs.map((p) => [p.name, p.optional]), [['X', false], ['W', false], ['B', true]]);
  assert.equal(conv17.attributes.find((a) => a.name === 'auto_pad')?.defaultText, 'NOTSET');
  assert.equal(conv17.attributes.find((a) => a.name === 'group')?.defaultText, '1');
  assert.equal(conv17.attributes.find((a) => a.name === 'kernel_shape')?.defaultText, undefined);
  assert.deepEqual(conv17.typeConstraints.map((c) => c.param), ['T']);
  assert.ok(conv17.typeConstraints[0].types.includes('tensor(float)'));

  // Clip: min/max were attributes up to opset 6, inputs from 11.
  const clip6 = t.lookup('', 'Clip', 6)!, clip13 = t.lookup('', 'Clip', 13)!;
  assert.deepEqual(clip6.inputs.map((p) => p.name), ['input']);
  assert.deepEqual(clip6.attributes.map((a) => [a.name, a.defaultText]).sort(), [['max', '3.4028235e+38'], ['min', '-3.4028235e+38']]);
  assert.deepEqual(clip13.inputs.map((p) => [p.name, p.optional]), [['input', false], ['min', true], ['max', true]]);
  // Split: `split` moved from an attribute to an input in 13; num_outputs arrived in 18.
  assert.ok(t.lookup('', 'Split', 11)!.attributes.some((a) => a.name === 'split'));
  assert.deepEqual(t.lookup('', 'Split', 13)!.inputs.map((p) => p.name), ['input', 'split']);
  assert.ok(t.lookup('', 'Split', 18)!.attributes.some((a) => a.name === 'num_outputs'));
  assert.ok(t.lookup('', 'Split', 18)!.outputs[0].variadic);
  // Resize: scales only in 10; roi, scales, sizes from 11.
  assert.deepEqual(t.lookup('', 'Resize', 10)!.inputs.map((p) => p.name), ['X', 'scales']);
  assert.deepEqual(t.lookup('', 'Resize', 11)!.inputs.map((p) => p.name), ['X', 'roi', 'scales', 'sizes']);

  assert.equal(t.lookup('', 'Resize', 9), undefined, 'Resize did not exist before opset 10');
  assert.equal(t.lookup('', 'NoSuchOp', 17), undefined);
  assert.equal(t.lookup('com.microsoft', 'FusedConv', 1), undefined, 'onnxruntime contrib ops are not in onnx');
  assert.equal(t.lookup('', 'Conv', undefined)!.sinceVersion, 22, 'without an opset import: the newest');
  assert.deepEqual(t.forNode([{ domain: '', version: 9 }], 'ai.onnx', 'Upsample')!.inputs.map((p) => p.name), ['X', 'scales']);
  assert.ok(t.lookup('ai.onnx.ml', 'TreeEnsembleClassifier', 3), 'ai.onnx.ml ops are there');
});

test('input names by position: optional, variadic, and positions past the schema', { skip: noPython }, () => {
  const t = table();
  assert.deepEqual(paramNames(t.lookup('', 'Conv', 17)!.inputs, 3), ['X', 'W', 'B']);
  assert.deepEqual(paramNames(t.lookup('', 'Concat', 13)!.inputs, 3), ['inputs[0]', 'inputs[1]', 'inputs[2]']);
  assert.deepEqual(paramNames(t.lookup('', 'QuantizeLinear', 13)!.inputs, 3), ['x', 'y_scale', 'y_zero_point']);
  assert.deepEqual(paramNames(t.lookup('', 'Relu', 14)!.inputs, 2), ['X', '1']);
  const name = schemaInputNamer(t, [{ domain: '', version: 13 }]);
  assert.deepEqual(name({ domain: '', opType: 'DequantizeLinear', inputs: ['a', 'b', 'c'] }), ['x', 'x_scale', 'x_zero_point']);
  assert.equal(name({ domain: 'com.example', opType: 'Mine', inputs: ['a'] }), undefined);
});

test('documentation links: onnx.ai for onnx domains, ContribOperators.md for com.microsoft, none for others', () => {
  assert.equal(opDocUrl('', 'Conv'), 'https://onnx.ai/onnx/operators/onnx__Conv.html');
  assert.equal(opDocUrl('ai.onnx', 'Conv'), 'https://onnx.ai/onnx/operators/onnx__Conv.html');
  assert.equal(opDocUrl('ai.onnx.ml', 'LinearClassifier'), 'https://onnx.ai/onnx/operators/onnx_aionnxml_LinearClassifier.html');
  assert.equal(opDocUrl('com.microsoft', 'FusedConv'), 'https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.FusedConv');
  assert.equal(opDocUrl('com.example', 'Mine'), undefined);
  assert.equal(opDocUrl('', 'bad"name'), undefined);
  for (const url of [opDocUrl('', 'Conv')!, opDocUrl('ai.onnx.ml', 'LinearClassifier')!, opDocUrl('com.microsoft', 'FusedConv')!]) assert.ok(isOpDocUrl(url), url);
  for (const url of ['https://evil.example/onnx__Conv.html', 'file:///etc/passwd', 'https://onnx.ai/onnx/operators/onnx__Conv.html?x=1', 'javascript:alert(1)']) {
    assert.ok(!isOpDocUrl(url), url);
  }
});

test('a broken schema file is a clear error', () => {
  assert.throws(() => OpSchemaTable.parse('{'), /operator schema file is not JSON/);
  assert.throws(() => OpSchemaTable.parse('{"domains": {}}'), /no "onnx" version/);
  assert.throws(() => opSchemaTable(path.join(os.tmpdir(), 'no-such-dir', 'opSchemas.json')), /operator schemas not found at .*build the extension/);
});

function convModel(opset: number) {
  const f32 = (n: number) => new Uint8Array(new Float32Array(n).buffer);
  const bytes = makeModel({
    opsets: [{ version: opset }],
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [1, 3, 224, 224] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [1, 64, 112, 112] }],
    initializers: [
      { name: 'conv1.weight', dataType: DT.FLOAT, dims: [64, 3, 7, 7], raw: f32(64 * 3 * 7 * 7) },
      { name: 'conv1.bias', dataType: DT.FLOAT, dims: [64], raw: f32(64) },
    ],
    nodes: [{ op: 'Conv', name: '/conv1/Conv', inputs: ['x', 'conv1.weight', 'conv1.bias'], outputs: ['y'], attrs: [{ name: 'kernel_shape', ints: [7, 7] }, { name: 'strides', ints: [2, 2] }] }],
  });
  const m = readModel(bytes);
  return { m, g: buildModelGraph(m) };
}

const rows = (v: PropsView, title: string) => v.sections.find((s) => s.title === title)?.rows ?? [];

test('node properties: schema input names, attribute defaults, type constraints, schema version and documentation link', { skip: noPython }, () => {
  const { m, g } = convModel(17);
  const v = nodeProps(m, g, [], 'n:0', table());
  assert.deepEqual(rows(v, 'Inputs').map((r) => [r.key, r.value, r.detail]), [['X', 'x', 'float[1,3,224,224]'], ['W', 'conv1.weight', 'float[64,3,7,7]'], ['B', 'conv1.bias', 'float[64]']]);
  assert.deepEqual(rows(v, 'Outputs').map((r) => r.key), ['Y']);
  const attrs = new Map(rows(v, 'Attributes').map((r) => [r.key, r]));
  assert.equal(attrs.get('kernel_shape')?.value, '[7, 7]');
  assert.equal(attrs.get('auto_pad')?.value, 'NOTSET');
  assert.equal(attrs.get('auto_pad')?.detail, 'default (string)');
  assert.equal(attrs.get('group')?.value, '1');
  assert.equal(attrs.get('pads')?.value, '(not set)');
  assert.deepEqual(rows(v, 'Type constraints').map((r) => [r.key, r.detail]), [['T', 'X, W, B, Y']]);
  assert.match(rows(v, 'Type constraints')[0].value, /tensor\(float\)/);
  const node = new Map(rows(v, 'Node').map((r) => [r.key, r]));
  assert.equal(node.get('schema')?.value, 'Conv-11');
  assert.deepEqual(node.get('documentation')?.link, { kind: 'url', url: 'https://onnx.ai/onnx/operators/onnx__Conv.html' });

  // Without the schema file: positions, and the panel says why.
  const bare = nodeProps(m, g, [], 'n:0', new Error('operator schemas not found at /x'));
  assert.deepEqual(rows(bare, 'Inputs').map((r) => r.key), ['0', '1', '2']);
  assert.equal(rows(bare, 'Node').find((r) => r.key === 'schema')?.detail, 'operator schemas not found at /x');
  assert.equal(rows(bare, 'Type constraints').length, 0);
});

test('the view model names an op box\'s weights by schema (W, B) and by position without schemas', { skip: noPython }, () => {
  const { m, g } = convModel(17);
  const named = buildViewModel(g, 'conv', schemaInputNamer(table(), m.opsets)).items.get('n:0')!;
  assert.deepEqual(named.initializerNames, ['W', 'B']);
  assert.deepEqual(named.initializers?.map((p) => p.type), ['float[64,3,7,7]', 'float[64]']);
  assert.deepEqual(buildViewModel(g, 'conv').items.get('n:0')!.initializerNames, ['1', '2']);
});

interface OracleParam { 0: string; 1: number; 2: number }
type OraclePick = [string, string, number, number | null, OracleParam[]?, OracleParam[]?, [string, string, boolean, boolean][]?, [string, string[]][]?];

test('the generated schemas agree with onnx.defs.get_schema for every op, domain and opset version', { skip: noPython }, () => {
  const t = table();
  const oracle = JSON.parse(execFileSync('python3', [path.join(repoRoot, 'test/fixtures/python/op_schemas_oracle.py')], { maxBuffer: 1 << 26 }).toString()) as { onnx: string; picks: OraclePick[] };
  assert.equal(t.onnxVersion, oracle.onnx);
  assert.ok(oracle.picks.length > 5000, `expected every op at every version, got ${oracle.picks.length}`);
  const problems: string[] = [];
  for (const [domain, op, opset, since, inputs, outputs, attrs, constraints] of oracle.picks) {
    const s = t.lookup(domain, op, opset);
    const where = `${domain || 'ai.onnx'}.${op} at opset ${opset}`;
    if (since === null) { if (s) problems.push(`${where}: onnx has none, we give version ${s.sinceVersion}`); continue; }
    if (!s) { problems.push(`${where}: onnx gives version ${since}, we give none`); continue; }
    const param = (p: { name: string; optional: boolean; variadic: boolean }) => [p.name, p.variadic ? 2 : p.optional ? 1 : 0];
    const oParam = (p: OracleParam) => [p[0], p[1]];
    const same = (a: unknown, b: unknown, what: string) => { if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${where}: ${what} ${JSON.stringify(a)} vs onnx ${JSON.stringify(b)}`); };
    same(s.sinceVersion, since, 'since_version');
    same(s.inputs.map(param), inputs!.map(oParam), 'inputs');
    same(s.outputs.map(param), outputs!.map(oParam), 'outputs');
    same(s.attributes.map((a) => [a.name, a.type, a.required, a.defaultText !== undefined]), attrs, 'attributes');
    same(s.typeConstraints.map((c) => [c.param, c.types]), constraints, 'type constraints');
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} differences`);
});
