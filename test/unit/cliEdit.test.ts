// The CLI's edits on real models: types inferred with onnxruntime, external data kept as references when OUT
// is next to the model and written inline elsewhere (both copies compute the same bits), and clear errors
// when a graph-only model's weights are missing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { intermediateTensors } from '../../src/core/edit';
import { readModel } from '../../src/core/model';
import { valueTypeOf } from '../../src/core/types';
import { DT, makeModel } from '../fixtures/builders';
import { buildCli, runCli } from './cliSupport';
import {
  chooseCut, floatTensor, loadModelFile, missingPythonOnnx, missingShared, modelsDir, modelWithWeights, OrtTensor, removeTempDirs,
  runOrt, sameBits, seededFloats, skipReason,
} from './editSupport';

const externalCount = (file: string) => readModel(new Uint8Array(fs.readFileSync(file))).graph.initializers.filter((t) => t.data.kind === 'external').length;

describe('onnx-inspector mark-outputs / extract on models', () => {
  let cli: string;
  let dispose = () => {};
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-cli-out-'));
  before(async () => { ({ file: cli, dispose } = await buildCli()); });
  after(() => {
    dispose();
    fs.rmSync(elsewhere, { recursive: true, force: true });
    removeTempDirs();
  });

  for (const contrib of [false, true]) {
    it(`extract types an input the model does not declare (${contrib ? 'a contrib op: onnxruntime' : 'shape inference'})`, () => {
      const model = path.join(elsewhere, `untyped${contrib ? '-contrib' : ''}.onnx`);
      fs.writeFileSync(model, makeModel({
        opsets: contrib ? [{ version: 21 }, { domain: 'com.microsoft', version: 1 }] : undefined,
        inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2, 3] }],
        outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2, 3] }],
        nodes: [contrib ? { op: 'Gelu', domain: 'com.microsoft', inputs: ['x'], outputs: ['r'] } : { op: 'Relu', inputs: ['x'], outputs: ['r'] }, { op: 'Neg', inputs: ['r'], outputs: ['y'] }],
      }));
      const out = path.join(elsewhere, `untyped${contrib ? '-contrib' : ''}.cut.onnx`);
      const r = runCli(cli, ['extract', model, '--inputs', 'r', '--outputs', 'y', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, contrib ? /types of 1 tensors inferred with onnxruntime/ : /types of 1 tensors from shape inference/);
      const g = readModel(new Uint8Array(fs.readFileSync(out))).graph;
      assert.deepEqual(g.inputs.map((v) => [v.value.name, valueTypeOf(v.value.type)]), [['r', { kind: 'tensor', elemType: DT.FLOAT, shape: [2, 3] }]]);
    });
  }

  it('mark-outputs --all on squeezenet adds every intermediate', { skip: missingShared('models/squeezenet1_1.onnx') }, () => {
    const file = path.join(modelsDir, 'squeezenet1_1.onnx');
    const out = path.join(elsewhere, 'squeezenet.all.onnx');
    const r = runCli(cli, ['mark-outputs', file, '--all', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const expected = intermediateTensors(loadModelFile(file).graph);
    assert.deepEqual(readModel(new Uint8Array(fs.readFileSync(out))).graph.outputs.map((v) => v.value.name).slice(1), expected);
  });

  const graphOnly = missingShared('models/resnet18_dynamo.onnx', 'models/swin_tiny.onnx');
  it('a graph-only model whose weights are missing: one-line errors that say so', { skip: graphOnly }, () => {
    const swin = path.join(modelsDir, 'swin_tiny.onnx');
    const cut = chooseCut(loadModelFile(swin).graph, 0.2, 0.3, 1);
    const out = path.join(elsewhere, 'swin.cut.onnx');
    let r = runCli(cli, ['extract', swin, '--inputs', cut.inputs.join(','), '--outputs', cut.outputs.join(','), '-o', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    // Shape inference types the cut without the weights; writing OUT elsewhere needs them inline.
    assert.match(r.stderr, /external data file is missing from the model's folder.*swin_tiny\.weights/);
    r = runCli(cli, ['mark-outputs', swin, '--tensors', cut.outputs[0], '-o', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /swin_tiny\.weights/);
    assert.ok(!fs.existsSync(out));
  });

  const withWeights = skipReason(graphOnly, missingShared('tools/fill-external-data.py'), missingPythonOnnx());
  it('resnet18 with weights: OUT beside the model keeps references, OUT elsewhere inlines; same bits either way', { skip: withWeights }, async () => {
    const dir = modelWithWeights('resnet18_dynamo');
    const model = path.join(dir, 'resnet18_dynamo.onnx');
    const { graph } = loadModelFile(model);
    const cut = chooseCut(graph, 0.3, 0.7, 2);
    const cutArgs = ['--inputs', cut.inputs.join(','), '--outputs', cut.outputs.join(',')];
    const beside = path.join(dir, 'cut.onnx');
    const away = path.join(elsewhere, 'cut.onnx');
    for (const out of [beside, away]) {
      const r = runCli(cli, ['extract', model, ...cutArgs, '-o', out]);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(externalCount(beside) > 0, 'beside the model: external references kept');
    assert.equal(externalCount(away), 0, 'elsewhere: every used external tensor inline');
    assert.ok(fs.statSync(away).size > fs.statSync(beside).size + 1_000_000);

    // The reference values: the full model with the cut tensors marked, also written elsewhere (inlined).
    const marked = path.join(elsewhere, 'marked.onnx');
    const tensors = [...cut.inputs, ...cut.outputs];
    const r = runCli(cli, ['mark-outputs', model, '--tensors', tensors.join(','), '-o', marked]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(externalCount(marked), 0);
    const input = graph.inputs[0];
    const dims = (graph.values.get(input)!.type as { shape: number[] }).shape;
    const feed = await floatTensor(seededFloats(dims.reduce((a, b) => a * b, 1), 99), dims);
    const reference = await runOrt(marked, { [input]: feed }, tensors);
    const feeds: Record<string, OrtTensor> = Object.fromEntries(cut.inputs.map((t) => [t, reference[t]]));
    for (const file of [beside, away]) {
      const got = await runOrt(file, feeds, cut.outputs);
      for (const t of cut.outputs) assert.ok(sameBits(got[t], reference[t]), `${path.basename(path.dirname(file))}: '${t}' equals the full model's`);
    }
  });
});
