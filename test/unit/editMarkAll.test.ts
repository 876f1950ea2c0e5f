// Mark-all on mobilenet_v3_small runs in onnxruntime-node and every intermediate equals what Polygraphy saved
// from its own onnxruntime run (`--onnx-outputs mark all`, same inputs); so does a chosen set. The edited
// model goes to a new file; the original is never written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readInputsFile } from '../../src/backends/results/readInputs';
import { streamRunResults } from '../../src/backends/results/readRunResults';
import { NdArray } from '../../src/compare/ndarray';
import { intermediateTensors, markOutputs } from '../../src/core/edit';
import { FileExistsError, writeNewFile } from '../../src/node/writeNewFile';
import { loadModelFile, Loaded, missingShared, modelsDir, OrtTensor, polygraphyDir } from './editSupport';

const TOL = 1e-5;
const MODEL = path.join(modelsDir, 'mobilenet_v3_small.onnx');
const skip = missingShared('models/mobilenet_v3_small.onnx', 'polygraphy/mobilenet_v3_small.inputs.json', 'polygraphy/mobilenet_v3_small.ort_all.json.gz');

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Polygraphy's `simple` check: an element fails when both |a-b| > atol and |a-b|/|b| > rtol, or on NaN. */
function mismatch(ours: OrtTensor, theirs: NdArray): string | undefined {
  if (ours.dims.join() !== theirs.shape.join()) return `shape ${ours.dims} vs ${theirs.shape}`;
  const a = ours.data as Float32Array;
  const b = theirs.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d) || (d > TOL && d > TOL * Math.abs(b[i]))) worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst > 0 ? `max abs difference ${worst}` : undefined;
}

describe('mark outputs on mobilenet_v3_small against Polygraphy', { skip }, () => {
  let full: Loaded;
  let feeds: Record<string, OrtTensor>;
  let expected: Map<string, NdArray>;
  let ort: typeof import('onnxruntime-node');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-markall-'));
  const originalHash = fs.existsSync(MODEL) ? sha256(MODEL) : '';

  before(async () => {
    ort = await import('onnxruntime-node');
    full = loadModelFile(MODEL);
    const [feed] = await readInputsFile(path.join(polygraphyDir, 'mobilenet_v3_small.inputs.json'));
    feeds = Object.fromEntries([...feed].map(([name, a]) => [name, new ort.Tensor(a.dtype as 'float32', a.data as Float32Array, a.shape)]));
    expected = new Map();
    for await (const r of streamRunResults(path.join(polygraphyDir, 'mobilenet_v3_small.ort_all.json.gz'))) expected.set(r.name, r.array);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(bytes: Uint8Array, file: string, outputs: string[]): Promise<Record<string, OrtTensor>> {
    writeNewFile(file, bytes);
    const session = await ort.InferenceSession.create(file);
    try {
      return await session.run(feeds, outputs);
    } finally {
      await session.release();
    }
  }

  it('all intermediates equal Polygraphy\'s within 1e-5', async (t) => {
    const result = markOutputs(full.model, full.graph, 'all');
    assert.deepEqual(result.added, intermediateTensors(full.graph));
    const outputs = [...full.graph.outputs, ...result.added];
    // Polygraphy saved exactly the graph outputs plus every intermediate.
    assert.deepEqual([...expected.keys()].sort(), [...outputs].sort());
    const got = await run(result.bytes, path.join(dir, 'all.onnx'), outputs);
    const bad = outputs.map((n) => [n, mismatch(got[n], expected.get(n)!)]).filter(([, m]) => m);
    assert.deepEqual(bad, [], `${bad.length} of ${outputs.length} tensors differ`);
    t.diagnostic(`${outputs.length} tensors compared`);
  });

  it('a chosen set equals Polygraphy\'s values', async () => {
    const all = intermediateTensors(full.graph);
    const chosen = [0, 0.25, 0.5, 0.75, 0.99].map((f) => all[Math.floor(f * (all.length - 1))]);
    const result = markOutputs(full.model, full.graph, chosen);
    assert.deepEqual(result.added, chosen);
    const got = await run(result.bytes, path.join(dir, 'some.onnx'), chosen);
    for (const n of chosen) assert.equal(mismatch(got[n], expected.get(n)!), undefined, n);
  });

  it('the original model file is untouched and cannot be overwritten by accident', () => {
    assert.throws(() => writeNewFile(MODEL, new Uint8Array([1])), (e) => e instanceof FileExistsError || (e as NodeJS.ErrnoException).code === 'EACCES');
    const copy = path.join(dir, 'copy.onnx');
    fs.copyFileSync(MODEL, copy);
    assert.throws(() => writeNewFile(copy, new Uint8Array([1])), FileExistsError);
    assert.equal(sha256(copy), originalHash);
    assert.equal(sha256(MODEL), originalHash);
  });
});
