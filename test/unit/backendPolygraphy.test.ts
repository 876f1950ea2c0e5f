// Results files we write are Polygraphy's own format: Polygraphy loads them (arrays equal to ours, byte
// for byte) and `polygraphy run --load-inputs/--load-outputs` re-runs the model and passes against them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NdArray } from '../../src/compare/ndarray';
import { buildCli, runCli } from './cliSupport';
import { missingShared, modelsDir, polygraphyDir } from './editSupport';
import { createOrtBackend } from '../../src/backends/onnxruntime/ortBackend';
import { readInputsFile } from '../../src/backends/results/readInputs';

const mobilenet = path.join(modelsDir, 'mobilenet_v3_small.onnx');
const noPolygraphy = spawnSync('polygraphy', ['-v'], { encoding: 'utf8' }).status === 0 ? false : 'the polygraphy CLI is not available';
const skip = missingShared('models/mobilenet_v3_small.onnx', 'polygraphy/mobilenet_v3_small.inputs.json') || noPolygraphy;

function digest(a: NdArray): string {
  return crypto.createHash('sha256').update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength)).digest('hex');
}

test('Polygraphy loads our results file and its arrays equal ours; polygraphy run --load-outputs passes against it', { skip, timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-polygraphy-'));
  const cli = await buildCli();
  try {
    const out = path.join(dir, 'ours.json');
    const r = runCli(cli.file, ['run', mobilenet, '--seed', '7', '--save-results', out]);
    assert.equal(r.code, 0, r.stderr);
    // Ours, in memory, on the same inputs (the ones saved beside the results).
    const inputs = (await readInputsFile(path.join(dir, 'ours.inputs.json')))[0];
    const mem = await createOrtBackend().run({ modelPath: mobilenet, inputs, capture: 'all' });
    const expected: Record<string, [string, number[], string]> = {};
    for (const n of mem.captured) {
      const a = await mem.tensors!.load(n);
      expected[n] = [a.dtype, a.shape, digest(a)];
    }
    const py = spawnSync('python3', ['-c', `import sys, json, hashlib, numpy as np
from polygraphy.comparator import RunResults
res = RunResults.load(sys.argv[1])
assert len(res) == 1, len(res)
name, iters = res[0]
out = {k: [str(v.dtype), list(v.shape), hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()] for k, v in ((k, v.numpy() if hasattr(v, 'numpy') else v) for k, v in iters[0].items())}
print(json.dumps({'runner': name, 'tensors': out}))`, out], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(py.status, 0, py.stderr);
    const loaded = JSON.parse(py.stdout.trim().split('\n').pop() as string) as { runner: string; tensors: typeof expected };
    assert.equal(loaded.runner, 'onnxruntime-node-cpu');
    assert.deepEqual(loaded.tensors, expected);

    const poly = spawnSync('polygraphy', ['run', mobilenet, '--onnxrt', '--onnx-outputs', 'mark', 'all', '--load-inputs', path.join(dir, 'ours.inputs.json'), '--load-outputs', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const log = poly.stdout + poly.stderr;
    assert.equal(poly.status, 0, log.slice(-3000));
    assert.match(log, /PASSED/);
    const compared = log.match(/Comparing Output: '([^']+)'/g) ?? [];
    assert.equal(compared.length, mem.captured.length, 'polygraphy compared every tensor of our file');
  } finally {
    cli.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("our compare of our run against Polygraphy's saved onnxruntime run passes (exit 0)", { skip: missingShared('models/mobilenet_v3_small.onnx', 'polygraphy/mobilenet_v3_small.inputs.json', 'polygraphy/mobilenet_v3_small.ort_all.json.gz'), timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-polygraphy-cmp-'));
  const cli = await buildCli();
  try {
    const out = path.join(dir, 'ours.json');
    const r = runCli(cli.file, ['run', mobilenet, '--inputs', path.join(polygraphyDir, 'mobilenet_v3_small.inputs.json'), '--save-results', out]);
    assert.equal(r.code, 0, r.stderr);
    const c = runCli(cli.file, ['compare', out, path.join(polygraphyDir, 'mobilenet_v3_small.ort_all.json.gz'), '--model', mobilenet, '--json', path.join(dir, 'rep.json')]);
    assert.equal(c.code, 0, c.stdout + c.stderr);
    assert.match(c.stdout, /159 compared, 159 passed, 0 failed/);
    const rep = JSON.parse(fs.readFileSync(path.join(dir, 'rep.json'), 'utf8'));
    assert.equal(rep.firstDivergence.first, null);
  } finally {
    cli.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
