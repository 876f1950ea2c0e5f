// Typing a cut for the editor's extract (src/node/cutTypes.ts, shared with the CLI): declared types need no
// inference, undeclared ones come from the built-in shape inference (no weights needed), onnxruntime types what
// it cannot (a contrib op) and then missing external weights give a clear error, and a submodel written beside
// the model keeps its external data references valid (it runs in onnxruntime from its own path).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { extractSubmodel, planCut } from '../../src/core/edit';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { writeBesideModel } from '../../src/node/besideModel';
import { typesForCut, untypedCutTensors } from '../../src/node/cutTypes';
import { DT, makeModel } from '../fixtures/builders';

/**
 * x -> Relu -> r (no value_info) -> Add(r, w) -> y, with w in weights.bin beside the model. `contrib`: r comes
 * from onnxruntime's com.microsoft Gelu instead, which our shape inference has no rule for.
 */
function writeModel(dir: string, withWeights: boolean, contrib = false): string {
  const bytes = makeModel({
    opsets: contrib ? [{ version: 21 }, { domain: 'com.microsoft', version: 1 }] : undefined,
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [2], external: { location: 'weights.bin', offset: 0, length: 8 } }],
    nodes: [contrib ? { op: 'Gelu', domain: 'com.microsoft', inputs: ['x'], outputs: ['r'] } : { op: 'Relu', inputs: ['x'], outputs: ['r'] }, { op: 'Add', inputs: ['r', 'w'], outputs: ['y'] }],
  });
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(file, bytes);
  if (withWeights) fs.writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(new Float32Array([10, 20]).buffer));
  return file;
}

describe('types for a cut', () => {
  test('declared inputs need no inference', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cut-types-'));
    const file = writeModel(dir, false);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const graph = buildModelGraph(readModel(bytes));
    const plan = planCut(graph, ['x'], ['y']);
    assert.equal(untypedCutTensors(graph, plan).needsInference, false);
    // No weights on disk: inference would fail, so this also shows onnxruntime was not asked.
    assert.deepEqual(await typesForCut(bytes, graph, plan, file), { types: undefined, inferred: [], shapes: [] });
    fs.rmSync(dir, { recursive: true });
  });

  test('shape inference types an undeclared cut input without the weights (onnxruntime is not asked)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cut-types-'));
    const file = writeModel(dir, false);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const graph = buildModelGraph(readModel(bytes));
    const { types, inferred, shapes } = await typesForCut(bytes, graph, planCut(graph, ['r'], ['y']), file);
    assert.deepEqual([shapes, inferred], [['r'], []]);
    assert.deepEqual(types?.get('r'), { kind: 'tensor', elemType: DT.FLOAT, shape: [2] });
    fs.rmSync(dir, { recursive: true });
  });

  test('missing external weights, where onnxruntime must infer: the error names the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cut-types-'));
    const file = writeModel(dir, false, true);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const graph = buildModelGraph(readModel(bytes));
    await assert.rejects(typesForCut(bytes, graph, planCut(graph, ['r'], ['y']), file), /'r'.*external data file is missing from the model's folder.*weights\.bin/);
    fs.rmSync(dir, { recursive: true });
  });

  test('inferred types make the cut extractable; written beside the model it runs with the external weights', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cut-types-'));
    const file = writeModel(dir, true);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const model = readModel(bytes);
    const graph = buildModelGraph(model);
    const plan = planCut(graph, ['r'], ['y']);
    const { types, inferred, shapes } = await typesForCut(bytes, graph, plan, file);
    assert.deepEqual([shapes, inferred], [['r'], []]);
    assert.deepEqual(types?.get('r'), { kind: 'tensor', elemType: DT.FLOAT, shape: [2] });
    const result = extractSubmodel(model, graph, { inputs: plan.inputs, outputs: plan.outputs, types });
    const written = writeBesideModel(file, 'extract', result.bytes);
    assert.equal(written, path.join(dir, 'model.extract-1.onnx'));
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(written);
    try {
      const out = await session.run({ r: new ort.Tensor('float32', new Float32Array([1, 2]), [2]) });
      assert.deepEqual([...(out.y.data as Float32Array)], [11, 22]);
    } finally {
      await session.release();
    }
    fs.rmSync(dir, { recursive: true });
  });

  test('a contrib op our inference has no rule for: onnxruntime types the cut input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cut-types-'));
    const file = writeModel(dir, true, true);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const graph = buildModelGraph(readModel(bytes));
    const { types, inferred, shapes } = await typesForCut(bytes, graph, planCut(graph, ['r'], ['y']), file);
    assert.deepEqual([shapes, inferred], [[], ['r']]);
    assert.deepEqual(types?.get('r'), { kind: 'tensor', elemType: DT.FLOAT, shape: [2] });
    fs.rmSync(dir, { recursive: true });
  });
});
