// End to end on the real mobilenet_v3_small intermediates: a fake "TensorRT" run that diverges at one
// node is written next to the onnxruntime run, both files are compared, and the first divergence in
// the model's own graph order must be that node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NdArray } from '../../src/compare/ndarray';
import { GraphOrder } from '../../src/compare/divergence';
import { renderMarkdown } from '../../src/compare/reportMarkdown';
import { loadRunResults } from '../../src/backends/results/readRunResults';
import { writeRunResults } from '../../src/backends/results/writeResults';
import { runResultsFromArrays } from '../../src/backends/results/types';
import { compareResultsFiles } from '../../src/backends/results/compareFiles';

const shared = path.resolve(__dirname, '../../../shared');
const allFile = path.join(shared, 'polygraphy', 'mobilenet_v3_small.ort_all.json.gz');
const modelFile = path.join(shared, 'models', 'mobilenet_v3_small.onnx');
const noShared = fs.existsSync(allFile) && fs.existsSync(modelFile) ? false : `shared material not found under ${shared}`;
const noOnnx = spawnSync('python3', ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0 ? false : 'python3 with onnx is not available (needed for the graph order)';

function modelGraph(): GraphOrder {
  const r = spawnSync('python3', ['-c', `import sys, json, onnx
m = onnx.load(sys.argv[1])
print(json.dumps([[list(n.input), list(n.output)] for n in m.graph.node]))`, modelFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const nodes = JSON.parse(r.stdout.trim().split('\n').pop() as string) as [string[], string[]][];
  const producer = new Map<string, string[]>();
  const order: string[] = [];
  for (const [ins, outs] of nodes) for (const o of outs) { producer.set(o, ins.filter(Boolean)); order.push(o); }
  return { order, producerInputs: (n) => producer.get(n) ?? [] };
}

test('a run diverging at one node: compareResultsFiles finds that node and what it explains', { skip: noShared || noOnnx, timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'results-compare-'));
  try {
    const ort = await loadRunResults(allFile);
    const graph = modelGraph();
    const outputs = ort.runs[0].iterations[0].outputs;
    const saved = graph.order.filter((t) => outputs.has(t));
    const culprit = saved[Math.floor(saved.length / 2)];
    // Everything downstream of the culprit gets perturbed, as a real divergence would propagate.
    const downstream = new Set([culprit]);
    for (const t of graph.order) if (graph.producerInputs(t).some((i) => downstream.has(i))) downstream.add(t);
    const fake = new Map<string, NdArray>();
    for (const [name, e] of outputs) {
      const a = await e.load();
      if (!downstream.has(name) || a.dtype !== 'float32') { fake.set(name, a); continue; }
      const d = Float32Array.from(a.data as Float32Array, (v, i) => v + (i % 3 === 0 ? 0.05 : 0));
      fake.set(name, { ...a, data: d });
    }
    fake.set('trt_only_tensor', { dtype: 'float32', shape: [1], data: new Float32Array(1) });
    const trtFile = path.join(dir, 'trt.json');
    await writeRunResults(trtFile, runResultsFromArrays([{ runnerName: 'trt-runner-N0', iterations: [{ outputs: fake, runtime: 0.001 }] }]));

    const report = await compareResultsFiles(trtFile, allFile, { graph, tolerances: { default: { atol: 1e-3, rtol: 1e-3 } } });
    assert.equal(report.runners.a.runnerName, 'trt-runner-N0');
    assert.match(report.runners.b.runnerName, /^onnxrt-runner/);
    const failing = report.tensors.filter((t) => t.status === 'fail').map((t) => t.name);
    const perturbedFloat = [...downstream].filter((t) => outputs.has(t) && fake.get(t)?.dtype === 'float32' && (fake.get(t)?.data.length ?? 0) > 0);
    assert.deepEqual(new Set(failing), new Set(perturbedFloat));
    assert.equal(report.firstDivergence?.first?.tensor, culprit);
    assert.deepEqual(new Set(report.firstDivergence?.first?.explains), new Set(failing.filter((t) => t !== culprit)));
    assert.equal(report.firstDivergence?.culprits.length, 1);
    assert.deepEqual(report.unpaired.onlyA, ['trt_only_tensor']);
    assert.equal(report.summary.compared, outputs.size);
    assert.match(renderMarkdown(report), new RegExp(`Likely culprit: \`${culprit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
