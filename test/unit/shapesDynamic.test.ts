// Symbolic dims on models written the way exporters write dynamic shapes (a BERT-like encoder with batch and
// seq, a detection tail with NonZero/TopK/NMS/If/Loop, a Q/DQ int8 CNN with a symbolic batch, CNNs made
// batch-symbolic): our expressions (`seq+1`, `batch*4`...) evaluated at the sizes of an onnxruntime run must
// be the run's shapes, and each data-dependent symbol must stand for one size throughout the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { inferShapes } from '../../src/core/shapes';
import { Dim, formatValueType } from '../../src/core/types';
import { modelsDir } from './editSupport';
import { compare, onnxruntimePython, pythonOnnx, report, runOracle, runOrt } from './shapesSupport';

/** Evaluates one of our dims (sums, products, floor/ceil of quotients) with the symbols' sizes; undefined when a symbol has no size. */
function evaluate(d: Dim, sizes: Record<string, number>): number | undefined {
  if (typeof d === 'number') return d;
  if (d === null) return undefined;
  let unknown = false;
  const text = d.replace(/[A-Za-z_][A-Za-z0-9_.:]*(?!\()/g, (sym) => {
    if (!(sym in sizes)) unknown = true;
    return String(sizes[sym] ?? 0);
  });
  if (unknown || !/^(floor|ceil|[0-9+\-*/() ])+$/.test(text)) return undefined;
  // Only digits, + - * /, parentheses and floor/ceil reach here (checked above).
  return Function('floor', 'ceil', `return ${text};`)(Math.floor, Math.ceil) as number;
}

interface Case { file: string; sizes: Record<string, number>[] }

function checkAgainstRuns(path: string, sizesList: Record<string, number>[], work: string): { checked: number; symbolic: number; wrong: string[] } {
  const model = readModel(readFileSync(path));
  const graph = buildModelGraph(model);
  const ours = inferShapes(model, graph, { ignoreDeclared: true });
  const res = { checked: 0, symbolic: 0, wrong: [] as string[] };
  for (const sizes of sizesList) {
    const run = runOrt(path, mkdtempSync(join(work, 'run-')), sizes);
    const bound: Record<string, number> = { ...sizes };
    for (const [name, [, dims]] of Object.entries(run)) {
      const t = ours.types.get(name);
      if (!t || t.kind !== 'tensor' || !t.shape) continue;
      if (t.shape.length !== dims.length) { res.wrong.push(`${name}: ours ${formatValueType(t)}, run [${dims}]`); continue; }
      t.shape.forEach((d, i) => {
        // A data-dependent symbol seen first here stands for this size from now on.
        if (typeof d === 'string' && /^[a-z]+_[0-9]+$/.test(d) && !(d in bound)) bound[d] = dims[i];
        const v = evaluate(d, bound);
        if (v === undefined) return;
        res.checked++;
        if (typeof d === 'string') res.symbolic++;
        if (v !== dims[i]) res.wrong.push(`${name}: ours ${formatValueType(t)} at ${JSON.stringify(sizes)} is ${v} in dim ${i}, run [${dims}]`);
      });
    }
  }
  return res;
}

const skip = pythonOnnx() ?? onnxruntimePython() ?? false;

test('symbolic dims evaluate to onnxruntime\'s actual shapes on dynamic-shape models', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'dyn-shapes-'));
  try {
    execFileSync('python3', [join(__dirname, '../fixtures/python/make_dynamic_models.py'), work], { stdio: 'ignore' });
    const cases: Case[] = [
      { file: join(work, 'bert_like.onnx'), sizes: [{ batch: 2, seq: 7 }, { batch: 3, seq: 12 }] },
      { file: join(work, 'detect_like.onnx'), sizes: [{ n: 30 }, { n: 150 }] },
    ];
    const squeezenet = join(modelsDir, 'squeezenet1_1.onnx');
    if (existsSync(squeezenet)) {
      execFileSync('python3', [join(__dirname, '../fixtures/python/make_qdq.py'), squeezenet, join(work, 'squeezenet_qdq.onnx')], { stdio: 'ignore' });
      cases.push({ file: join(work, 'squeezenet_qdq.onnx'), sizes: [{ batch: 3 }] });
    } else console.log(`${squeezenet} not found: the Q/DQ case is skipped`);
    const mobilenet = join(modelsDir, 'mobilenet_v3_small.onnx');
    if (existsSync(mobilenet)) {
      execFileSync('python3', [join(__dirname, '../fixtures/python/make_batch_symbolic.py'), mobilenet, join(work, 'mobilenet_batch.onnx')], { stdio: 'ignore' });
      cases.push({ file: join(work, 'mobilenet_batch.onnx'), sizes: [{ batch: 4 }] });
      // Dynamic image size: strided convolutions give floor((H-1)/2)+1 and the like.
      execFileSync('python3', [join(__dirname, '../fixtures/python/make_batch_symbolic.py'), mobilenet, join(work, 'mobilenet_hw.onnx'), '2=H', '3=W'], { stdio: 'ignore' });
      cases.push({ file: join(work, 'mobilenet_hw.onnx'), sizes: [{ batch: 1, H: 173, W: 224 }, { batch: 2, H: 97, W: 130 }] });
    }
    const a = compare(cases.map((c) => c.file), runOracle(cases.map((c) => c.file)), work);
    const pct = report('dynamic-shape models vs onnx', a);
    assert.ok(pct >= 99);
    let symbolic = 0;
    for (const c of cases) {
      const r = checkAgainstRuns(c.file, c.sizes, work);
      console.log(`${c.file.slice(work.length + 1)}: ${r.checked} dims checked against ${c.sizes.length} run(s) (${r.symbolic} of them symbolic), ${r.wrong.length} wrong`);
      for (const w of r.wrong.slice(0, 20)) console.log(`  wrong: ${w}`);
      assert.deepEqual(r.wrong, []);
      assert.ok(r.checked > 20);
      symbolic += r.symbolic;
    }
    assert.ok(symbolic > 300, `expected many symbolic dims checked, got ${symbolic}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the BERT-like encoder: every tensor after the embedding has its batch and seq dims (seq+1 with the class token)', { skip: pythonOnnx() ?? false }, () => {
  const work = mkdtempSync(join(tmpdir(), 'dyn-bert-'));
  try {
    execFileSync('python3', [join(__dirname, '../fixtures/python/make_dynamic_models.py'), work], { stdio: 'ignore' });
    const model = readModel(readFileSync(join(work, 'bert_like.onnx')));
    const graph = buildModelGraph(model);
    const r = inferShapes(model, graph);
    const t = (n: string) => formatValueType(r.types.get(n));
    assert.equal(t('pooled'), 'float[batch,32]');
    assert.equal(t('tokens'), 'float[batch,seq,32]');
    const scores = graph.nodes.find((n) => n.opType === 'Softmax')!.outputs[0];
    assert.equal(t(scores), 'float[batch,4,seq+1,seq+1]');
    assert.deepEqual(r.diagnostics, []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
