// Reduce on real models: a copy with one node changed (an Add into a Sub, a changed constant, a changed
// attribute, an op changed at a branch point) reduces to exactly that node (plus the constant producers
// it reads), and the minimal model written passes onnx.checker and carries its inputs file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readInputsFile } from '../../src/backends/results/readInputs';
import { Tolerance } from '../../src/compare/verdict';
import { reductionPaths, writeReduction } from '../../src/reduce/writeReduction';
import { missingPythonOnnx, missingShared, modelsDir, runPython, skipReason } from './editSupport';
import { computingNodes, Mutation, mutate, reduceMutated, swinBlockModel, writeModel } from './reduceSupport';

interface Case { model: string; what: string; mutation: Mutation; tolerances?: Partial<Tolerance> }

const CASES: Case[] = [
  { model: 'squeezenet1_1', what: 'a changed Conv bias (constant) mid-network', mutation: { kind: 'constant', node: '/features/features.6/expand3x3/Conv', initializer: 'features.6.expand3x3.weight' } },
  { model: 'squeezenet1_1', what: 'Relu into Elu at a branch point (read by both expand convs)', mutation: { kind: 'op', node: '/features/features.4/squeeze_activation/Relu', to: 'Elu' } },
  { model: 'mobilenet_v3_small', what: 'a residual Add into a Sub (a merge of two branches)', mutation: { kind: 'op', node: '/features/features.6/Add', to: 'Sub' } },
  { model: 'mobilenet_v3_small', what: 'a changed HardSigmoid beta (attribute)', mutation: { kind: 'attribute', node: '/features/features.9/block/block.2/scale_activation/HardSigmoid', attribute: 'beta', f: 0.6 } },
  // Late activations of mobilenet are ~1e-7 on generated inputs: the change shows only with a tight atol.
  { model: 'mobilenet_v3_small', what: 'the last residual Add into a Sub (atol 1e-9)', mutation: { kind: 'op', node: '/features/features.11/Add', to: 'Sub' }, tolerances: { atol: 1e-9 } },
  { model: 'swin_block', what: 'Softmax axis changed inside the attention (attribute)', mutation: { kind: 'attribute', node: 'softmax', attribute: 'axis', i: 2 } },
  { model: 'swin_block', what: 'the attention residual Add into a Sub (branch point)', mutation: { kind: 'op', node: 'residual1', to: 'Sub' } },
  { model: 'swin_block', what: 'a changed attention scale (constant)', mutation: { kind: 'constant', node: 'scale', initializer: 'attn_scale' } },
  { model: 'swin_block', what: 'the GELU Erf into Tanh inside the MLP', mutation: { kind: 'op', node: 'gelu_erf', to: 'Tanh' } },
];

const skip = skipReason(missingShared('models/squeezenet1_1.onnx', 'models/mobilenet_v3_small.onnx'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-reduce-models-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function original(model: string): string {
  if (model !== 'swin_block') return path.join(modelsDir, `${model}.onnx`);
  const p = path.join(dir, 'swin_block.onnx');
  if (!fs.existsSync(p)) fs.writeFileSync(p, swinBlockModel());
  return p;
}

describe('reduce finds the one changed node', { skip }, () => {
  const written: string[] = [];
  CASES.forEach((c, i) => {
    it(`${c.model}: ${c.what}`, async () => {
      const orig = original(c.model);
      const mutated = writeModel(dir, `${c.model}.case${i}.onnx`, mutate(new Uint8Array(fs.readFileSync(orig)), c.mutation));
      const steps: string[] = [];
      const r = await reduceMutated(mutated, orig, { tolerances: { default: c.tolerances }, onStep: (s) => steps.push(`${s.phase}:${s.nodes}:${s.failed}`) });
      assert.equal(r.status, 'reduced', steps.join(' '));
      assert.deepEqual(computingNodes(mutated, r), [c.mutation.node]);
      // The first divergence points at the changed node, so it is the first candidate and fails alone.
      assert.equal(r.candidateRuns, 1, steps.join(' '));
      assert.equal(r.steps[1].phase, 'single');
      const p = reductionPaths(path.join(dir, `min${i}.onnx`));
      const files = await writeReduction(r, p);
      assert.ok(files.includes(p.referenceModel), 'the reference subgraph is written when B is another file');
      const feeds = await readInputsFile(p.inputs);
      assert.deepEqual([...feeds[0].keys()].sort(), [...r.minimal!.inputs].sort());
      assert.match(fs.readFileSync(p.report, 'utf8'), /\| 1 \| single \| \d+ \| fail \|/);
      written.push(p.model, p.referenceModel);
    });
  });

  it('the minimal models pass onnx.checker', { skip: missingPythonOnnx() }, () => {
    assert.ok(written.length > 0);
    const answer = runPython<{ results: { path: string; error: string | null }[] }>('check_models.py', { paths: written });
    for (const r of answer.results) assert.equal(r.error, null, `${r.path}: ${r.error}`);
  });
});
