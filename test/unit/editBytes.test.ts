// Edits change only what they mean to: after markOutputs, python onnx decodes the model as the original
// plus the added outputs; extracted nodes serialize exactly like the originals; fields our schema does not
// know (here, unknown NodeProto fields built by hand) survive both edits.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { extractSubmodel, markOutputs } from '../../src/core/edit';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { assembleMessage } from '../../src/core/modelWriter';
import { concat, DT, lenField, makeModel, varintField } from '../fixtures/builders';
import { chooseCut, loadModelFile, missingPythonOnnx, missingShared, modelsDir, runPython, skipReason } from './editSupport';

// Field numbers NodeProto does not use: a varint and a length-delimited one, as a newer ONNX might add.
const UNKNOWN = concat(varintField(90, 42), lenField(91, new TextEncoder().encode('from the future')));

/** A two-node model whose second node carries unknown fields (spliced in as bytes). */
function modelWithUnknownNodeFields(): { bytes: Uint8Array; nodeField: Uint8Array } {
  const base = makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['r'], name: 'first' }, { op: 'Neg', inputs: ['r'], outputs: ['y'], name: 'second' }],
  });
  const m = readModel(base);
  const span = m.graph.nodes[1].span;
  const nodeField = lenField(1, concat(base.subarray(span.valueStart, span.end), UNKNOWN));
  const graphBody = assembleMessage(base, m.graph.fields, new Map([[span, nodeField]]));
  const bytes = assembleMessage(base, m.fields, new Map([[m.graphSpan, lenField(7, graphBody)]]));
  return { bytes, nodeField };
}

function nodeBytes(bytes: Uint8Array, name: string): Uint8Array {
  const m = readModel(bytes);
  const n = m.graph.nodes.find((x) => x.value.name === name);
  assert.ok(n, `node '${name}' is in the model`);
  return bytes.subarray(n.span.start, n.span.end);
}

describe('unknown NodeProto fields survive edits', () => {
  it('markOutputs and extractSubmodel copy the node with its unknown fields', () => {
    const { bytes, nodeField } = modelWithUnknownNodeFields();
    const model = readModel(bytes);
    const graph = buildModelGraph(model);
    assert.deepEqual(nodeBytes(bytes, 'second'), nodeField, 'the fixture has the unknown fields');
    const marked = markOutputs(model, graph, ['r']);
    assert.deepEqual(marked.added, ['r']);
    assert.deepEqual(nodeBytes(marked.bytes, 'second'), nodeField);
    const extracted = extractSubmodel(model, graph, { inputs: ['r'], outputs: ['y'], types: new Map([['r', { kind: 'tensor', elemType: DT.FLOAT, shape: [2] }]]) });
    assert.deepEqual(extracted.nodes, [1]);
    assert.deepEqual(nodeBytes(extracted.bytes, 'second'), nodeField);
  });
});

describe('python onnx sees only the intended changes', { skip: skipReason(missingPythonOnnx()) }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-bytes-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('the hand-built model with unknown node fields: mark and extract', () => {
    const { bytes } = modelWithUnknownNodeFields();
    const model = readModel(bytes);
    const graph = buildModelGraph(model);
    const original = write('unknown.onnx', bytes);
    const marked = markOutputs(model, graph, ['r']);
    const extracted = extractSubmodel(model, graph, { inputs: ['x'], outputs: ['y'] });
    const { results } = runPython<{ results: { problems: string[]; checked: number }[] }>('compare_models.py', {
      pairs: [
        { original, edited: write('unknown.marked.onnx', marked.bytes), mode: 'mark', added: marked.added },
        { original, edited: write('unknown.extracted.onnx', extracted.bytes), mode: 'extract' },
      ],
    });
    for (const r of results) {
      assert.ok(r.checked > 0);
      assert.deepEqual(r.problems, []);
    }
  });

  const models = ['squeezenet1_1', 'mobilenet_v3_small', 'swin_tiny', 'synth_10k'];
  it(`real models (${models.join(', ')}): mark a set, mark all, extract`, { skip: missingShared(...models.map((m) => `models/${m}.onnx`)) }, () => {
    const pairs: unknown[] = [];
    for (const name of models) {
      const { model, graph, path: original } = loadModelFile(path.join(modelsDir, `${name}.onnx`));
      const cut = chooseCut(graph, 0.3, 0.6, 2);
      const some = markOutputs(model, graph, [...cut.inputs, ...cut.outputs]);
      const all = markOutputs(model, graph, 'all');
      assert.ok(all.added.length > some.added.length);
      const types = new Map(cut.inputs.map((t) => [t, { kind: 'tensor' as const, elemType: DT.FLOAT }]));
      const extracted = extractSubmodel(model, graph, { ...cut, types });
      pairs.push(
        { original, edited: write(`${name}.some.onnx`, some.bytes), mode: 'mark', added: some.added },
        { original, edited: write(`${name}.all.onnx`, all.bytes), mode: 'mark', added: all.added },
        { original, edited: write(`${name}.extracted.onnx`, extracted.bytes), mode: 'extract' },
      );
    }
    const { results } = runPython<{ results: { problems: string[]; checked: number }[] }>('compare_models.py', { pairs });
    results.forEach((r, i) => {
      assert.ok(r.checked > 0);
      assert.deepEqual(r.problems, [], `pair ${i}`);
    });
  });
});
