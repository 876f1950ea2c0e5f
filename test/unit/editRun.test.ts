// Extracted submodels run in onnxruntime-node and reproduce the full model's intermediate values bit for bit:
// the full model runs once with every cut tensor marked as an output, then each extracted model is fed the
// cut inputs from that run. Graph-only models get random weights in a temp folder, and the extracted models
// are written next to those weights, so their external data references must stay valid.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { extractSubmodel, markOutputs } from '../../src/core/edit';
import { readModel } from '../../src/core/model';
import { inferTensorTypes } from '../../src/node/ortTypes';
import { writeNewFile } from '../../src/node/writeNewFile';
import {
  chooseCut, floatTensor, loadModelFile, missingPythonOnnx, missingShared, modelsDir, modelWithWeights, OrtTensor,
  removeTempDirs, runOrt, sameBits, seededFloats, skipReason,
} from './editSupport';

const SPANS: [number, number, number][] = [[-1, 0.1, 1], [0.2, 0.5, 2], [0.45, 0.7, 3], [0.6, 1, 1]];
const MODELS = [
  { name: 'squeezenet1_1', needsWeights: false },
  { name: 'mobilenet_v3_small', needsWeights: false },
  { name: 'resnet18_dynamo', needsWeights: true },
  { name: 'swin_tiny', needsWeights: true },
];

// Only the graph-only models need python (to write their weights); the others run without it.
const skip = missingShared(...MODELS.map((m) => `models/${m.name}.onnx`));

describe('extracted submodels reproduce the full model exactly in onnxruntime-node', { skip }, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-run-'));
  after(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
    removeTempDirs();
  });

  for (const m of MODELS) {
    const pythonSkip = m.needsWeights ? skipReason(missingShared('tools/fill-external-data.py'), missingPythonOnnx()) : false;
    it(`${m.name}: ${SPANS.length} cuts`, { skip: pythonSkip }, async () => {
      const dir = m.needsWeights ? modelWithWeights(m.name) : path.join(scratch, m.name);
      fs.mkdirSync(dir, { recursive: true });
      const full = loadModelFile(path.join(modelsDir, `${m.name}.onnx`));
      const cuts = SPANS.map(([a, b, k]) => chooseCut(full.graph, a, b, k));
      const graphInput = full.graph.inputs[0];
      const cutTensors = [...new Set(cuts.flatMap((c) => [...c.inputs, ...c.outputs]))].filter((t) => t !== graphInput);

      // The reference: the full model with every cut tensor marked as an output, on a seeded input.
      const inputType = full.graph.values.get(graphInput)!.type;
      assert.ok(inputType?.kind === 'tensor' && inputType.shape, 'graph input has a shape');
      const dims = inputType.shape.map((d) => (typeof d === 'number' ? d : 1));
      const feed = await floatTensor(seededFloats(dims.reduce((a, b) => a * b, 1), 12345), dims);
      const marked = markOutputs(full.model, full.graph, cutTensors);
      const markedPath = path.join(dir, 'full_marked.onnx');
      writeNewFile(markedPath, marked.bytes, { overwrite: true });
      const reference: Record<string, OrtTensor> = { ...(await runOrt(markedPath, { [graphInput]: feed }, cutTensors)), [graphInput]: feed };

      const types = await inferTensorTypes(full.bytes, cutTensors.concat(graphInput), path.join(dir, 'full.onnx'));
      for (const [ci, cut] of cuts.entries()) {
        const result = extractSubmodel(full.model, full.graph, { ...cut, types });
        const extracted = readModel(result.bytes);
        if (m.needsWeights) {
          assert.ok(extracted.graph.initializers.some((t) => t.data.kind === 'external'), 'extracted model keeps external data references');
        }
        const file = path.join(dir, `cut${ci}.onnx`);
        writeNewFile(file, result.bytes, { overwrite: true });
        const feeds = Object.fromEntries(cut.inputs.map((t) => [t, reference[t]]));
        const got = await runOrt(file, feeds, cut.outputs);
        for (const t of cut.outputs) {
          assert.ok(sameBits(got[t], reference[t]), `${m.name} cut ${ci}: '${t}' differs from the full model's value (dims ${got[t].dims} vs ${reference[t].dims})`);
        }
      }
    });
  }
});
