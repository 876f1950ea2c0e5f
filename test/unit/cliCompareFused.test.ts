// The CLI's compare summary with tensors a backend fused away: counted on the first line, listed with their layers
// (the first N), never as failures; the first divergence still names the compared tensor after them. End to end
// through `compare` on results files, the fused lists come from the TensorRT run's sibling OUT.layers.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fromNumbers } from '../../src/compare/ndarray';
import { compareRuns, type TensorProvider } from '../../src/compare/compareRuns';
import { summaryText } from '../../src/cli/compare';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { makeChainModel } from '../fixtures/builders';
import { graphOrderOf } from '../../src/backends/compareBackends';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { main } from '../../src/cli/main';

const f32 = (v: number[]) => fromNumbers('float32', [v.length], v);

test('summary: fused count on the first line, a table of fused tensors with layers, capped at maxRows', async () => {
  const graph = buildModelGraph(readModel(makeChainModel(8)));
  const order = graphOrderOf(graph);
  const names = order.order;
  // A (TensorRT) fused tensors 1..5 away; tensor 6 differs from B.
  const fusedNames = names.slice(1, 6);
  const perturbed = names[6];
  const provider = (list: readonly string[], bad: string | undefined): TensorProvider => ({ names: list, load: (n) => f32([1, n === bad ? 5 : 2]) });
  const report = await compareRuns(provider(names.filter((n) => !fusedNames.includes(n) && n !== names.at(-1)), perturbed), provider(names, undefined), {
    runnerA: { runnerName: 'trt-runner-N10.0', iteration: 0 }, runnerB: { runnerName: 'onnxrt-runner', iteration: 0 },
    graph: order,
    fused: { a: new Map(fusedNames.map((n, i) => [n, i === 4 ? null : `Relu_${i} + Relu_${i + 1}`])) },
    skipped: { a: new Map([[names.at(-1)!, 'inside a Loop body']]) },
  });
  assert.equal(report.summary.failed, 1, 'only the perturbed tensor fails; fused ones are not failures');
  const text = summaryText(report, graph, 3);
  const lines = text.split('\n');
  assert.match(lines[0], /^A: trt-runner-N10\.0 vs B: onnxrt-runner \(reference\): \d+ compared, \d+ passed, 1 failed, 5 fused away \(not compared\), 1 not captured \(/);
  assert.doesNotMatch(lines[0], /unpaired/);
  assert.match(text, new RegExp(`first divergence: ${perturbed}, output of .*; its inputs: ${fusedNames[4]} fused \\(layer unknown\\)`));
  assert.match(text, /fused away by the backend, not compared \(not failures\) \(5\):/);
  const fusedRows = lines.filter((l) => /^\s+\S+\s+A: trt-runner\S*\s+fused/.test(l));
  assert.equal(fusedRows.length, 3, 'the first maxRows fused tensors');
  assert.match(fusedRows[0], new RegExp(`^\\s+${fusedNames[0]}\\s+A: trt-runner-N10\\.0\\s+fused into Relu_0 \\+ Relu_1$`));
  assert.match(text, /\.\.\. 2 more \(see --report\/--json\)/);
  assert.match(text, /not captured by the backend \(1\):\n.*\n\s+\S+\s+A: trt-runner-N10\.0\s+inside a Loop body/);
  // Failing tensors are listed apart and the fused ones are not among them.
  const failTable = text.slice(0, text.indexOf('fused away by the backend'));
  for (const n of fusedNames) assert.ok(!new RegExp(`\\b${n}\\b`).test(failTable.split('\n').slice(2).join('\n')), `${n} not in the failing table`);
  // Without fused tensors the summary is as before.
  const plain = summaryText({ ...report, fused: [], skipped: [], summary: { ...report.summary, fused: 0, skipped: 0 } }, graph);
  assert.doesNotMatch(plain, /fused away|not captured/);
});

test('`compare` on results files: the TensorRT run\'s sibling OUT.layers.json arrives as fused tensors; exit codes ignore them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fused-'));
  try {
    const model = path.join(dir, 'chain.onnx');
    fs.writeFileSync(model, makeChainModel(6));
    const names = graphOrderOf(buildModelGraph(readModel(makeChainModel(6)))).order; // x, t1..t5, y
    const values = (bad?: string) => new Map(names.map((n) => [n, f32([1, n === bad ? 3 : 2])]));
    const trt = (file: string, bad?: string) => writeRunResults(file, runResultsFromArrays([{ runnerName: 'trt-runner-N8.6.0',
      iterations: [{ outputs: new Map([...values(bad)].filter(([n]) => n !== 't2' && n !== 't3')) }] }]));
    await trt(path.join(dir, 'trt.json'));
    await trt(path.join(dir, 'trt-bad.json'), 't4');
    for (const f of ['trt.layers.json', 'trt-bad.layers.json']) {
      fs.writeFileSync(path.join(dir, f), JSON.stringify({ tensorrt: '8.6.0', runnerName: 'trt-runner-N8.6.0', captureMode: 'mark', fused: [{ tensor: 't2', layer: 'Relu_1 + Relu_2' }, { tensor: 't3', layer: 'Relu_1 + Relu_2' }], skipped: [], engine: {} }));
    }
    await writeRunResults(path.join(dir, 'ort.json'), runResultsFromArrays([{ runnerName: 'onnxrt-runner-N0-12/06/26', iterations: [{ outputs: values() }] }]));
    const run = async (args: string[]) => {
      let out = '', err = '';
      const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
      return { code, out, err };
    };
    const ok = await run(['compare', path.join(dir, 'trt.json'), path.join(dir, 'ort.json'), '--model', model, '--json', path.join(dir, 'r.json'), '--report', path.join(dir, 'r.md')]);
    assert.equal(ok.code, 0, `fused tensors are not failures: ${ok.out}${ok.err}`);
    assert.match(ok.out, /: 5 compared, 5 passed, 0 failed, 2 fused away \(not compared\) \(/);
    assert.match(ok.out, /^A: results file trt\.json, runner trt-runner-N8\.6\.0 vs B: results file ort\.json, runner onnxrt-runner-N0-12\/06\/26 \(reference\)/);
    assert.match(ok.out, /\n\s+t2\s+A: results file trt\.json, runner trt-runner-N8\.6\.0\s+fused into Relu_1 \+ Relu_2\n\s+t3\s+A: results file trt\.json, runner trt-runner-N8\.6\.0\s+fused into Relu_1 \+ Relu_2/);
    // Neither file has its inputs beside it: said, not guessed.
    assert.match(ok.out, /note: The inputs of both runs are unknown/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    assert.deepEqual(json.fused, [{ tensor: 't2', side: 'a', layer: 'Relu_1 + Relu_2' }, { tensor: 't3', side: 'a', layer: 'Relu_1 + Relu_2' }]);
    assert.deepEqual(json.unpaired.onlyB, []);
    assert.match(fs.readFileSync(path.join(dir, 'r.md'), 'utf8'), /\| `t2` \| results file trt\.json, runner trt-runner-N8\.6\.0 \(A\) \| fused into `Relu_1 \+ Relu_2` \|/);
    // A real difference after the fused ones: exit 1, and it is the first divergence, its fused input named.
    const bad = await run(['compare', path.join(dir, 'trt-bad.json'), path.join(dir, 'ort.json'), '--model', model]);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /first divergence: t4, output of .*; its inputs: t3 fused into Relu_1 \+ Relu_2/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
