// The host's per-editor comparison state: histograms of one tensor pair read lazily from the two results files
// (a second runner in one file chosen by index, a .json.gz decompressed aside), errors named, and dispose()
// deleting the comparison's temporary folder but never the user's own results file.
// Run: node --import tsx --test test/unit/compareOverlayHistograms.test.ts
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { createResultsBackend } from '../../src/backends/resultsBackend';
import { compareRuns } from '../../src/compare/compareRuns';
import { pairHistograms } from '../../src/compare/histogram';
import { makeNdArray } from '../../src/compare/ndarray';
import { CompareState } from '../../src/host/compare/compareState';

function arrays(seed: number): Record<string, ReturnType<typeof makeNdArray>> {
  const data = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  return {
    conv: makeNdArray('float32', [2, 50], data(100, (i) => Math.sin(i * 0.37) * (1 + seed * 0.01 * (i % 7)))),
    relu: makeNdArray('float32', [100], data(100, (i) => Math.max(0, Math.cos(i * 0.11 + seed)))),
    shaped: makeNdArray('float32', [seed ? 3 : 4], data(seed ? 3 : 4, (i) => i)),
  };
}

test('histograms come from the two files, one pair at a time; dispose deletes only the temporary folder', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-state-test-'));
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-state-user-'));
  try {
    const fileA = path.join(tmp, 'run-a.json');
    const fileB = path.join(userDir, 'saved.json.gz'); // the user's: two runners, the second is the reference
    await writeRunResults(fileA, runResultsFromArrays([{ runnerName: 'ort', iterations: [{ outputs: arrays(0) }] }]));
    await writeRunResults(fileB, runResultsFromArrays([
      { runnerName: 'other', iterations: [{ outputs: arrays(9) }] },
      { runnerName: 'trt', iterations: [{ outputs: arrays(3) }] },
    ]));
    const a = await createResultsBackend(fileA).run({ modelPath: '', inputs: new Map(), capture: 'all' });
    const b = await createResultsBackend(fileB, { runner: 1 }).run({ modelPath: '', inputs: new Map(), capture: 'all' });
    const report = await compareRuns(a.tensors!, b.tensors!, { runnerA: { runnerName: a.runnerName, iteration: 0 }, runnerB: { runnerName: b.runnerName, iteration: 0 } });
    a.dispose();
    b.dispose();

    const state = new CompareState(report, [{ path: fileA, runner: 'ort' }, { path: fileB, runner: 1 }], tmp);
    const h = await state.histograms('conv');
    const expected = pairHistograms(arrays(0).conv, arrays(3).conv);
    assert.deepEqual(h.actual.counts, expected.actual.counts);
    assert.deepEqual(h.expected.counts, expected.expected.counts);
    assert.deepEqual(h.absError.counts, expected.absError.counts);
    assert.deepEqual(h.runners, { a: 'ort', b: 'trt' });
    assert.equal(h.actual.counts.reduce((s, c) => s + c, 0), 100);
    assert.ok(h.absError.edges.at(-1)! > 0, 'the runs differ, so the error range is not empty');
    // A tensor nobody compared, and a pair whose element counts differ, are named errors.
    await assert.rejects(state.histograms('missing'), /'missing' was not compared/);
    // A tensor run A's backend fused away says so (the report lists it).
    const withFused = new CompareState({ ...report, fused: [{ tensor: 'gone', side: 'a', layer: 'Conv_3 + Relu_4' }] }, state.files, undefined);
    await assert.rejects(withFused.histograms('gone'), /'gone' was fused into Conv_3 \+ Relu_4 by ort: it has no values to compare/);
    withFused.dispose();
    await assert.rejects(state.histograms('shaped'), /4 values in run A and 3 in run B/);
    // Both files are indexed once and reused.
    const again = await state.histograms('relu');
    assert.deepEqual(again.actual.counts, pairHistograms(arrays(0).relu, arrays(3).relu).actual.counts);

    state.dispose();
    assert.equal(fs.existsSync(tmp), false, 'the temporary folder is gone');
    assert.equal(fs.existsSync(fileB), true, "the user's results file stays");
    await assert.rejects(state.histograms('conv'), /closed/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(userDir, { recursive: true, force: true });
  }
});
