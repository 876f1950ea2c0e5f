// `onnx-inspector infer-shapes`: the written model carries value_info for every inferred tensor, keeps every
// other byte, never replaces a file without --force (nor the input ever), and passes onnx.checker with
// current onnx and with Debian's onnx 1.12 (/usr/bin/python3).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { annotateModel, inferShapes } from '../../src/core/shapes';
import { formatValueType, valueTypeOf } from '../../src/core/types';
import { DT, makeModel } from '../fixtures/builders';
import { buildCli, runCli } from './cliSupport';
import { modelsDir } from './editSupport';

const CORPUS = '/usr/share/libonnx-testdata/data';
let cli: { file: string; dispose(): void };
let dir: string;

before(async () => {
  cli = await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infer-shapes-'));
});
after(() => {
  cli.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function smallModel(): Uint8Array {
  // IR 8 / opset 17: what Debian's onnx 1.12 checker accepts.
  return makeModel({
    irVersion: 8,
    opsets: [{ version: 17 }],
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 3, 8, 8] }],
    outputs: [{ name: 'y' }],
    initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [4, 3, 3, 3], floatData: new Array(108).fill(0.5) },
      { name: 'target', dataType: DT.INT64, dims: [2], int64Data: [0, -1] }],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: [{ name: 'pads', ints: [1, 1, 1, 1] }] },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'Reshape', inputs: ['r', 'target'], outputs: ['y'] },
    ],
  });
}

/** Python checks: checker (and strict shape inference, which validates our value_info) under an interpreter. */
function pythonCheck(python: string, file: string): { ok: boolean; out: string } | undefined {
  const probe = spawnSync(python, ['-c', 'import onnx; print(onnx.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const r = spawnSync(python, ['-c', [
    'import sys, onnx',
    'm = onnx.load(sys.argv[1])',
    'onnx.checker.check_model(m)',
    'onnx.shape_inference.infer_shapes(m, strict_mode=True)',
    'print("ok", onnx.__version__, len(m.graph.value_info))',
  ].join('\n'), file], { encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout + r.stderr).trim() };
}

test('infer-shapes writes typed value_info, types the graph output, and keeps every node and initializer byte', () => {
  const input = path.join(dir, 'small.onnx');
  const bytes = smallModel();
  fs.writeFileSync(input, bytes);
  const out = path.join(dir, 'small.shapes.onnx');
  const r = runCli(cli.file, ['infer-shapes', input, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 value_info entries added, 0 updated, 1 graph outputs typed/);
  const written = readModel(new Uint8Array(fs.readFileSync(out)));
  const types = Object.fromEntries(written.graph.valueInfo.map((v) => [v.value.name, formatValueType(valueTypeOf(v.value.type))]));
  assert.deepEqual(types, { c: 'float[batch,4,8,8]', r: 'float[batch,4,8,8]' });
  assert.equal(formatValueType(valueTypeOf(written.graph.outputs[0].value.type)), 'float[batch,256]');
  const original = readModel(bytes);
  // Nodes and initializers are copied byte for byte.
  const slice = (m: typeof original, s: { start: number; end: number }) => Buffer.from(m.bytes.subarray(s.start, s.end)).toString('hex');
  assert.deepEqual(written.graph.nodes.map((n) => slice(written, n.span)), original.graph.nodes.map((n) => slice(original, n.span)));
  assert.deepEqual(written.graph.initializers.map((t) => slice(written, t.span)), original.graph.initializers.map((t) => slice(original, t.span)));
  for (const python of ['python3', '/usr/bin/python3']) {
    const check = pythonCheck(python, out);
    if (!check) { console.log(`${python}: no onnx module, checker not run`); continue; }
    assert.ok(check.ok, `${python}: ${check.out}`);
  }
});

test('infer-shapes never replaces a file without --force, and never the input model', () => {
  const input = path.join(dir, 'guard.onnx');
  fs.writeFileSync(input, smallModel());
  const out = path.join(dir, 'guard.out.onnx');
  fs.writeFileSync(out, 'precious');
  const r = runCli(cli.file, ['infer-shapes', input, '-o', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already exists; choose another output file or pass --force/);
  assert.equal(fs.readFileSync(out, 'utf8'), 'precious');
  assert.equal(runCli(cli.file, ['infer-shapes', input, '-o', out, '--force']).code, 0);
  const self = runCli(cli.file, ['infer-shapes', input, '-o', input, '--force']);
  assert.equal(self.code, 1);
  assert.match(self.stderr, /is the input model/);
  assert.equal(runCli(cli.file, ['infer-shapes', input]).code, 2, 'a missing -o is a usage error');
});

test('infer-shapes reports contradictions between declared and inferred types on stderr', () => {
  const input = path.join(dir, 'contradiction.onnx');
  fs.writeFileSync(input, makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2, 3] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [3, 2] }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'], name: 'relu' }],
  }));
  const r = runCli(cli.file, ['infer-shapes', input, '-o', path.join(dir, 'contradiction.out.onnx')]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /warning: node 'relu' \(Relu\): output 'y' is declared float\[3,2\] but the node computes float\[2,3\]/);
});

const corpusModels = ['node/test_loop11/model.onnx', 'node/test_if/model.onnx', 'node/test_scan9_sum/model.onnx', 'node/test_range_float_type_positive_delta_expanded/model.onnx']
  .map((m) => path.join(CORPUS, m));

test('models with subgraphs (Loop, If, Scan) get value_info in their bodies and pass both checkers',
  { skip: fs.existsSync(corpusModels[0]) ? false : `${CORPUS} not found (apt-get install libonnx-testdata)` }, () => {
    for (const m of corpusModels) {
      const out = path.join(dir, `${path.basename(path.dirname(m))}.onnx`);
      const r = runCli(cli.file, ['infer-shapes', m, '-o', out, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const summary = JSON.parse(r.stdout) as { valueInfoAdded: number; diagnostics: unknown[] };
      assert.deepEqual(summary.diagnostics, [], m);
      for (const python of ['python3', '/usr/bin/python3']) {
        const check = pythonCheck(python, out);
        if (check) assert.ok(check.ok, `${m} with ${python}: ${check.out}`);
      }
    }
  });

test('swin_tiny with weights: every tensor typed, output beside the weights passes both checkers',
  { skip: fs.existsSync(path.join(modelsDir, 'swin_tiny.onnx')) ? false : `${modelsDir}/swin_tiny.onnx not found (shared models)` }, () => {
    const work = fs.mkdtempSync(path.join(dir, 'swin-'));
    const fill = spawnSync('python3', [path.join(modelsDir, '../tools/fill-external-data.py'), path.join(modelsDir, 'swin_tiny.onnx'), work], { encoding: 'utf8' });
    if (fill.status !== 0) {
      console.log(`fill-external-data.py failed (${fill.stderr.trim().split('\n').pop()}): checked without weights only`);
      return;
    }
    fs.copyFileSync(path.join(modelsDir, 'swin_tiny.onnx'), path.join(work, 'swin_tiny.onnx'));
    const out = path.join(work, 'swin_tiny.shapes.onnx');
    const r = runCli(cli.file, ['infer-shapes', path.join(work, 'swin_tiny.onnx'), '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3402 value_info entries added/);
    assert.doesNotMatch(r.stdout, /stay unknown/);
    for (const python of ['python3', '/usr/bin/python3']) {
      const check = pythonCheck(python, out);
      if (check) assert.ok(check.ok, `${python}: ${check.out}`);
    }
  });

test('every conformance model annotated with our value_info passes onnx.checker and onnx\'s strict inference (current and 1.12)',
  { skip: fs.existsSync(CORPUS) ? false : `${CORPUS} not found (apt-get install libonnx-testdata)` }, () => {
    const work = fs.mkdtempSync(path.join(dir, 'corpus-'));
    const lines: string[] = [];
    const walk = (d: string) => {
      for (const name of fs.readdirSync(d)) {
        const p = path.join(d, name);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.onnx')) {
          const model = readModel(new Uint8Array(fs.readFileSync(p)));
          const graph = buildModelGraph(model);
          const out = path.join(work, `${lines.length}.onnx`);
          fs.writeFileSync(out, annotateModel(model, graph, inferShapes(model, graph)).bytes);
          lines.push(`${out}\t${p}`);
        }
      }
    };
    walk(CORPUS);
    const list = path.join(work, 'list.txt');
    fs.writeFileSync(list, lines.join('\n'));
    let ran = 0;
    for (const python of ['python3', '/usr/bin/python3']) {
      const r = spawnSync(python, [path.join(__dirname, '../fixtures/python/check_annotated.py'), list], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) {
        console.log(`${python}: no usable onnx (${r.stderr.trim().split('\n').pop()}): not checked`);
        continue;
      }
      const res = JSON.parse(r.stdout) as { version: string; checked: number; skipped: number; failures: string[] };
      console.log(`${python} (onnx ${res.version}): ${res.checked} annotated models accepted, ${res.skipped} skipped (original rejected too), ${res.failures.length} rejected`);
      assert.deepEqual(res.failures, []);
      assert.ok(res.checked >= 1000);
      ran++;
    }
    if (ran === 0) console.log('no python3 with onnx: the checker was not run');
  });

test('info --tensors --json: inferred types and folded shape values, onnxruntime for a contrib op our inference has no rule for', () => {
  const input = path.join(dir, 'info.onnx');
  fs.writeFileSync(input, makeModel({
    opsets: [{ version: 17 }, { domain: 'com.microsoft', version: 1 }],
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: ['batch', 6] }],
    outputs: [{ name: 'y' }, { name: 'g' }],
    initializers: [{ name: 'tail', dataType: DT.INT64, dims: [2], int64Data: [2, 3] }, { name: 'zero', dataType: DT.INT64, dims: [1], int64Data: [0] }],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['b'] },
      { op: 'Concat', inputs: ['b', 'tail'], outputs: ['target'], attrs: [{ name: 'axis', i: 0 }] },
      { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
      { op: 'Gelu', domain: 'com.microsoft', inputs: ['x'], outputs: ['g'] },
    ],
  }));
  const r = runCli(cli.file, ['info', input, '--tensors', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = (JSON.parse(r.stdout) as { tensors: { name: string; type: string; inferredBy?: string; value?: unknown[] }[] }).tensors;
  const row = (n: string) => rows.find((t) => t.name === n)!;
  assert.deepEqual(row('target'), { ...row('target'), type: 'int64[3]', inferredBy: 'shapes', value: ['batch', 2, 3] });
  assert.equal(row('y').type, 'float[batch,2,3]');
  assert.deepEqual([row('g').type, row('g').inferredBy], ['float[batch,6]', 'onnxruntime']);
  const text = runCli(cli.file, ['info', input, '--tensors']).stdout;
  assert.match(text, /\n {4}target: int64\[3\]\* = \[batch, 2, 3\] \[intermediate\]/);
});
