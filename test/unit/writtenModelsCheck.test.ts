// Every model the product writes passes the ONNX checker, with Debian's onnx 1.12 (/usr/bin/python3) and the
// current PyPI onnx (python3): mark-outputs of all tensors and of a few (the CLI's and the editor's "Mark as
// Output" share typesForMarks + markOutputs) and extract of several cuts (typesForCut + extractSubmodel), on
// every shared model. A model whose original the checker already rejects is skipped for that onnx, with why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extractSubmodel, intermediateTensors, markOutputs, planCut } from '../../src/core/edit';
import { typesForCut, typesForMarks } from '../../src/node/cutTypes';
import { chooseCut, loadModelFile, missingShared, modelsDir, modelWithWeights, oracleDir, removeTempDirs } from './editSupport';

const MODELS = [
  { name: 'squeezenet1_1', needsWeights: false },
  { name: 'mobilenet_v3_small', needsWeights: false },
  { name: 'resnet18_dynamo', needsWeights: true },
  { name: 'swin_tiny', needsWeights: true },
  { name: 'synth_10k', needsWeights: false },
];
const SPANS: [number, number, number][] = [[-1, 0.15, 2], [0.3, 0.55, 1], [0.45, 0.7, 3], [0.1, 0.9, 2]];
const PYTHONS = [{ label: 'Debian onnx (1.12)', exe: '/usr/bin/python3' }, { label: 'PyPI onnx (current)', exe: 'python3' }];

interface Check { onnx: string; results: { path: string; error: string | null }[] }

function check(exe: string, paths: string[]): Check | string {
  const r = spawnSync(exe, [path.join(oracleDir, 'check_models.py')], { input: JSON.stringify({ paths }), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return `${exe} cannot run the checker: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  return JSON.parse(r.stdout) as Check;
}

const skip = missingShared(...MODELS.map((m) => `models/${m.name}.onnx`), 'tools/fill-external-data.py');

describe('every written model passes onnx.checker.check_model (onnx 1.12 and current)', { skip, timeout: 900_000 }, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-checked-'));
  /** model name -> [original path, written paths]. */
  const written = new Map<string, { original: string; files: string[] }>();
  after(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
    removeTempDirs();
  });

  before(async () => {
    for (const m of MODELS) {
      const dir = m.needsWeights ? modelWithWeights(m.name) : fs.mkdtempSync(path.join(scratch, `${m.name}-`));
      const original = m.needsWeights ? path.join(dir, `${m.name}.onnx`) : path.join(modelsDir, `${m.name}.onnx`);
      const full = loadModelFile(original);
      const files: string[] = [];
      const write = (tag: string, bytes: Uint8Array) => {
        const p = path.join(dir, `${m.name}.${tag}.onnx`);
        fs.writeFileSync(p, bytes);
        files.push(p);
      };
      const some = intermediateTensors(full.graph).filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 5)) === 0);
      for (const [tag, marks] of [['mark-all', 'all'], ['mark-some', some]] as const) {
        const { types } = await typesForMarks(full.bytes, full.graph, marks, original);
        write(tag, markOutputs(full.model, full.graph, marks, { types }).bytes);
      }
      for (const [i, [a, b, k]] of SPANS.entries()) {
        const cut = chooseCut(full.graph, a, b, k);
        const plan = planCut(full.graph, cut.inputs, cut.outputs);
        const { types } = await typesForCut(full.bytes, full.graph, plan, original);
        write(`extract-${i}`, extractSubmodel(full.model, full.graph, { inputs: cut.inputs, outputs: cut.outputs, types }).bytes);
      }
      written.set(m.name, { original, files });
    }
  });

  for (const py of PYTHONS) {
    it(`with ${py.label}`, (t) => {
      const all = [...written.values()].flatMap((w) => [w.original, ...w.files]);
      const answer = check(py.exe, all);
      if (typeof answer === 'string') {
        t.skip(answer);
        return;
      }
      const errors = new Map(answer.results.map((r) => [r.path, r.error]));
      let checked = 0;
      const failures: string[] = [];
      for (const [name, w] of written) {
        const originalError = errors.get(w.original);
        if (originalError) {
          t.diagnostic(`${name}: skipped with onnx ${answer.onnx}: the original model fails the checker too (${originalError})`);
          continue;
        }
        for (const f of w.files) {
          checked++;
          const e = errors.get(f);
          if (e) failures.push(`${path.basename(f)}: ${e}`);
        }
      }
      assert.deepEqual(failures, [], `onnx ${answer.onnx} rejects written models`);
      assert.ok(checked >= 4 * (2 + SPANS.length), `onnx ${answer.onnx} checked ${checked} written models`);
      t.diagnostic(`onnx ${answer.onnx}: ${checked} written models pass`);
    });
  }
});
