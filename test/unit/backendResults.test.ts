// A results file as a Backend: runners picked by index, exact name or unique prefix (Polygraphy names
// carry a timestamp), one file holding two runners compared as `polygraphy run --onnxrt --trt` writes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NdArray } from '../../src/compare/ndarray';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { createResultsBackend, parseRunnerChoice } from '../../src/backends/resultsBackend';
import { compareBackends } from '../../src/backends/compareBackends';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { DT, makeModel } from '../fixtures/builders';

const f32 = (v: number[]): NdArray => ({ dtype: 'float32', shape: [v.length], data: new Float32Array(v) });

test('runners by index, name and prefix; capture lists narrow; two runners of one file compare in graph order', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-results-'));
  try {
    const file = path.join(dir, 'both.json');
    // a -> Relu -> r -> Neg -> y; the "trt" runner differs from r on, so r is the first divergence.
    await writeRunResults(file, runResultsFromArrays([
      { runnerName: 'onnxrt-runner-N0-11/22/26-02:00:51', iterations: [{ outputs: { y: f32([-1, -2]), r: f32([1, 2]) } }] },
      { runnerName: 'trt-runner-N0-11/22/26-02:00:51', iterations: [{ outputs: { y: f32([-1, -2.5]), r: f32([1, 2.5]) } }] },
    ]));
    const req = { modelPath: '', inputs: new Map(), capture: 'all' as const };
    const byPrefix = await createResultsBackend(file, { runner: 'trt' }).run(req);
    assert.equal(byPrefix.runnerName, 'trt-runner-N0-11/22/26-02:00:51');
    assert.deepEqual(Array.from((await byPrefix.tensors!.load('r')).data as Float32Array), [1, 2.5]);
    byPrefix.dispose();
    const narrowed = await createResultsBackend(file, { runner: parseRunnerChoice('0') }).run({ ...req, capture: ['r'] });
    assert.deepEqual(narrowed.captured, ['r']);
    assert.match(narrowed.notes[0].text, /runner onnxrt-runner-N0/);
    narrowed.dispose();
    await assert.rejects(createResultsBackend(file, { runner: 'tensorrt' }).run(req), /no runner 'tensorrt' in: onnxrt-runner-N0-11\/22\/26-02:00:51, trt-runner/);
    await assert.rejects(createResultsBackend(file, { runner: 0, iteration: 1 }).run(req), /has no iteration 1 \(it has 1\)/);

    const graph = buildModelGraph(readModel(makeModel({
      inputs: [{ name: 'a', elemType: DT.FLOAT, shape: [2] }], outputs: [{ name: 'y', elemType: DT.FLOAT }],
      nodes: [{ op: 'Relu', inputs: ['a'], outputs: ['r'], name: 'relu' }, { op: 'Neg', inputs: ['r'], outputs: ['y'], name: 'neg' }],
    })));
    const { report } = await compareBackends(
      { backend: createResultsBackend(file, { runner: 'trt' }), request: req },
      { backend: createResultsBackend(file, { runner: 'onnxrt' }), request: req },
      { graph },
    );
    assert.deepEqual(report.tensors.map((t) => [t.name, t.status]), [['r', 'fail'], ['y', 'fail']]);
    assert.equal(report.firstDivergence!.first!.tensor, 'r');
    assert.deepEqual(report.firstDivergence!.first!.explains, ['y']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('compareBackends stops between tensors when its signal aborts', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-results-abort-'));
  try {
    const file = path.join(dir, 'two.json');
    const outputs = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`t${i}`, f32([i, i + 1])]));
    await writeRunResults(file, runResultsFromArrays([{ runnerName: 'a', iterations: [{ outputs }] }, { runnerName: 'b', iterations: [{ outputs }] }]));
    const req = { modelPath: '', inputs: new Map(), capture: 'all' as const };
    const ac = new AbortController();
    const seen: number[] = [];
    await assert.rejects(compareBackends(
      { backend: createResultsBackend(file, { runner: 'a' }), request: req },
      { backend: createResultsBackend(file, { runner: 'b' }), request: req },
      { onProgress: (done) => { seen.push(done); if (done === 5) ac.abort(); } },
      { signal: ac.signal },
    ), { name: 'RunCancelledError', message: 'run cancelled (while comparing)' });
    assert.equal(Math.max(...seen), 5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
