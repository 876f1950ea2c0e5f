// Submodel extraction against onnx.utils's Extractor (PyPI onnx): same nodes in the same order, same
// initializers, same graph inputs/outputs and, where we know them, the same element types. One python process.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extractSubmodel } from '../../src/core/edit';
import { readModel } from '../../src/core/model';
import { valueTypeOf } from '../../src/core/types';
import { inferTensorTypes } from '../../src/node/ortTypes';
import { chooseCut, Cut, loadModelFile, Loaded, missingPythonOnnx, missingShared, modelsDir, modelWithWeights, removeTempDirs, runPython, skipReason } from './editSupport';

interface OracleValue { name: string; elemType: number | null; shape: (number | string | null)[] | null }
interface OracleCut { error?: string; nodes: { name: string; op: string; domain: string; inputs: string[]; outputs: string[] }[]; initializers: string[]; inputs: OracleValue[]; outputs: OracleValue[] }
interface OracleAnswer { onnx: string; models: { cuts: OracleCut[] }[] }

// Cuts as (from, to, output count) fractions of the topological order (-1: from the graph inputs).
const SPANS: [number, number, number][] = [[-1, 0.15, 2], [0, 0.2, 1], [0.3, 0.55, 1], [0.45, 0.7, 3], [0.75, 1, 2], [0.1, 0.9, 2]];
// Graph-only models run (for type inference) from a temp copy with random weights.
const MODELS: { name: string; needsWeights: boolean }[] = [
  { name: 'squeezenet1_1', needsWeights: false },
  { name: 'mobilenet_v3_small', needsWeights: false },
  { name: 'resnet18_dynamo', needsWeights: true },
  { name: 'swin_tiny', needsWeights: true },
  { name: 'synth_10k', needsWeights: false },
];

const skip = skipReason(missingShared(...MODELS.map((m) => `models/${m.name}.onnx`), 'tools/fill-external-data.py'), missingPythonOnnx());

describe('extractSubmodel matches onnx.utils.extract_model on real models', { skip }, () => {
  const loaded = new Map<string, { file: Loaded; dir: string; cuts: Cut[] }>();
  let oracle: OracleAnswer;

  before(() => {
    for (const m of MODELS) {
      const file = loadModelFile(path.join(modelsDir, `${m.name}.onnx`));
      const dir = m.needsWeights ? modelWithWeights(m.name) : modelsDir;
      loaded.set(m.name, { file, dir, cuts: SPANS.map(([a, b, k]) => chooseCut(file.graph, a, b, k)) });
    }
    oracle = runPython<OracleAnswer>('extract_oracle.py', {
      models: MODELS.map((m) => ({ path: loaded.get(m.name)!.file.path, cuts: loaded.get(m.name)!.cuts })),
    });
  });
  after(removeTempDirs);

  it('chosen cuts include multi-input and multi-output ones', () => {
    const cuts = [...loaded.values()].flatMap((l) => l.cuts);
    assert.ok(cuts.some((c) => c.inputs.length > 1), 'some cut has several inputs');
    assert.ok(cuts.some((c) => c.outputs.length > 1), 'some cut has several outputs');
  });

  MODELS.forEach((m, mi) => {
    it(`${m.name}: ${SPANS.length} cuts give the same nodes, initializers, inputs and outputs`, async () => {
      const { file, dir, cuts } = loaded.get(m.name)!;
      const names = [...new Set(cuts.flatMap((c) => [...c.inputs, ...c.outputs]))];
      const types = await inferTensorTypes(file.bytes, names, path.join(dir, `${m.name}.onnx`));
      cuts.forEach((cut, ci) => {
        const expected = oracle.models[mi].cuts[ci];
        const where = `${m.name} cut ${ci} (${cut.inputs.length} inputs, ${cut.outputs.length} outputs)`;
        assert.equal(expected.error, undefined, `${where}: the oracle failed: ${expected.error}`);
        const result = extractSubmodel(file.model, file.graph, { ...cut, types });
        const ours = readModel(result.bytes).graph;
        const nodes = ours.nodes.map((n) => ({ name: n.value.name ?? '', op: n.value.op_type ?? '', domain: n.value.domain ?? '', inputs: n.value.input ?? [], outputs: n.value.output ?? [] }));
        assert.ok(nodes.length > 0, `${where}: nodes kept`);
        assert.deepEqual(nodes, expected.nodes, `${where}: nodes`);
        assert.deepEqual(ours.initializers.map((t) => t.name), expected.initializers, `${where}: initializers`);
        assert.deepEqual(result.initializers, expected.initializers, `${where}: reported initializers`);
        for (const [list, exp, kind] of [[ours.inputs, expected.inputs, 'input'], [ours.outputs, expected.outputs, 'output']] as const) {
          assert.deepEqual(list.map((v) => v.value.name), exp.map((v) => v.name), `${where}: graph ${kind} names`);
          list.forEach((v, i) => {
            const t = valueTypeOf(v.value.type);
            assert.ok(t?.kind === 'tensor', `${where}: ${kind} '${exp[i].name}' has a tensor type`);
            if (exp[i].elemType !== null) assert.equal(t.elemType, exp[i].elemType, `${where}: ${kind} '${exp[i].name}' element type`);
            // Shapes agree where both sides know every dim as a number (symbolic names differ by tool).
            const numeric = (s: unknown[] | null | undefined) => Array.isArray(s) && s.every((d) => typeof d === 'number');
            if (numeric(t.shape) && numeric(exp[i].shape)) assert.deepEqual(t.shape, exp[i].shape, `${where}: ${kind} '${exp[i].name}' shape`);
          });
        }
      });
    });
  });
});
