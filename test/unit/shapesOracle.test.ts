// The oracle for our shape inference: onnx.shape_inference.infer_shapes(model, data_prop=True) from PyPI
// onnx, over ONNX's conformance corpus and the shared real models. Wherever onnx infers a static shape for a
// node's output, ours (computed from the nodes alone, declarations ignored) must match in >= 99% of tensors;
// every difference is printed with its reason. Where onnx says less, the corpus's recorded outputs (what the
// reference backend produced) check what we say instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compare, findModels, onnxruntimePython, pythonOnnx, report, runOracle } from './shapesSupport';
import { readModel } from '../../src/core/model';
import { buildModelGraph } from '../../src/core/graph';
import { inferShapes } from '../../src/core/shapes';
import { readTensorInfo } from '../../src/core/tensorInfo';
import { formatValueType } from '../../src/core/types';
import { modelsDir } from './editSupport';

const CORPUS = '/usr/share/libonnx-testdata/data';
const SHARED = modelsDir;

const noPython = pythonOnnx();

test('shape inference agrees with onnx infer_shapes(data_prop=True) on the conformance corpus',
  { skip: noPython ?? (existsSync(CORPUS) ? false : `${CORPUS} not found (apt-get install libonnx-testdata)`) }, () => {
    const paths = findModels(CORPUS).sort();
    const a = compare(paths, runOracle(paths), CORPUS);
    const pct = report('conformance corpus', a);
    assert.ok(a.models >= 1000, `expected the whole corpus, found ${a.models}`);
    assert.ok(pct >= 99, `agreement ${pct.toFixed(2)}% is below 99%`);
  });

test('shape inference agrees with onnx infer_shapes(data_prop=True) on the shared models',
  { skip: noPython ?? (existsSync(SHARED) ? false : `${SHARED} not found: the shared models are not checked out next to the repository`) }, () => {
    const paths = readdirSync(SHARED).filter((n) => n.endsWith('.onnx')).map((n) => join(SHARED, n)).sort();
    const a = compare(paths, runOracle(paths), SHARED);
    const pct = report('shared models', a);
    assert.ok(a.staticTensors > 10000, `expected the shared models' tensors, found ${a.staticTensors}`);
    assert.ok(pct >= 99, `agreement ${pct.toFixed(2)}% is below 99%`);
  });

/** The recorded output of a test data set: its dims (from output_N.pb next to the model). */
function recordedOutputDims(modelPath: string): { name: string; dims: number[] }[] | undefined {
  const set = join(dirname(modelPath), 'test_data_set_0');
  if (!existsSync(set)) return undefined;
  const out: { name: string; dims: number[] }[] = [];
  for (let i = 0; existsSync(join(set, `output_${i}.pb`)); i++) {
    const bytes = readFileSync(join(set, `output_${i}.pb`));
    try {
      const info = readTensorInfo(bytes, { field: 0, wire: 2, start: 0, valueStart: 0, end: bytes.length }, `output_${i}`);
      out.push({ name: info.name, dims: info.dims });
    } catch {
      return undefined; // a sequence or optional output: not a TensorProto
    }
  }
  return out;
}

test('where onnx says less, our static shapes match the outputs the conformance tests recorded',
  { skip: noPython ?? (existsSync(CORPUS) ? false : `${CORPUS} not found`) }, () => {
    const paths = findModels(CORPUS).sort();
    const oracle = runOracle(paths);
    let checked = 0;
    const wrong: string[] = [];
    for (const path of paths) {
      const entry = oracle[path];
      const recorded = recordedOutputDims(path);
      if (!recorded) continue;
      const model = readModel(readFileSync(path));
      const graph = buildModelGraph(model);
      const ours = inferShapes(model, graph, { ignoreDeclared: true });
      graph.outputs.forEach((name, i) => {
        const rec = recorded[i];
        if (!rec) return;
        const onnxT = entry && 'tensors' in entry ? entry.tensors[name] : undefined;
        const onnxStatic = onnxT && onnxT[1] && onnxT[1].every((d) => typeof d === 'number');
        const t = ours.types.get(name);
        if (onnxStatic || !t || t.kind !== 'tensor' || !t.shape) return;
        // Check each dim we claim as a number against the recorded output.
        if (t.shape.length !== rec.dims.length) {
          wrong.push(`${path.slice(CORPUS.length + 1)}: ${name}: ours [${t.shape}] but the recorded output has rank ${rec.dims.length}`);
          return;
        }
        t.shape.forEach((d, k) => {
          if (typeof d === 'number') {
            checked++;
            if (d !== rec.dims[k]) wrong.push(`${path.slice(CORPUS.length + 1)}: ${name}: ours [${t.shape}] recorded [${rec.dims}]`);
          }
        });
      });
    }
    console.log(`recorded outputs where onnx has no static shape: ${checked} dims we state checked, ${wrong.length} wrong`);
    for (const w of wrong) console.log(`  wrong: ${w}`);
    assert.ok(checked > 0);
    assert.deepEqual(wrong, []);
  });

test('on the shared models, every static shape we infer is the shape onnxruntime produces (where onnx says less too)',
  { skip: noPython ?? onnxruntimePython() ?? (existsSync(SHARED) ? false : `${SHARED} not found`) }, () => {
    // synth_50k is left out for time: synth_10k is the same generator's graph at a fifth of the size.
    const paths = readdirSync(SHARED).filter((n) => n.endsWith('.onnx') && n !== 'synth_50k.onnx').map((n) => join(SHARED, n)).sort();
    const oracle = runOracle(paths);
    let checked = 0;
    let beyondOnnx = 0;
    const wrong: string[] = [];
    for (const path of paths) {
      const work = mkdtempSync(join(tmpdir(), 'ort-shapes-'));
      let run: Record<string, [number, number[]]>;
      try {
        run = JSON.parse(execFileSync('python3', [join(__dirname, '../fixtures/python/ort_tensor_shapes.py'), path, work], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }).toString());
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      const model = readModel(readFileSync(path));
      const graph = buildModelGraph(model);
      const ours = inferShapes(model, graph, { ignoreDeclared: true });
      const entry = oracle[path];
      for (const [name, [elem, dims]] of Object.entries(run)) {
        const t = ours.types.get(name);
        if (!t || t.kind !== 'tensor' || !t.shape || !t.shape.every((d) => typeof d === 'number')) continue;
        checked++;
        const o = entry && 'tensors' in entry ? entry.tensors[name] : undefined;
        if (!(o && o[1] && o[1].every((d) => typeof d === 'number'))) beyondOnnx++;
        const same = (elem === 0 || elem === t.elemType) && t.shape.length === dims.length && t.shape.every((d, i) => d === dims[i]);
        if (!same) wrong.push(`${path.slice(SHARED.length + 1)}: ${name}: ours ${formatValueType(t)}, onnxruntime ${elem}[${dims}]`);
      }
    }
    console.log(`shared models run with onnxruntime: ${checked} tensors with a static shape from us checked (${beyondOnnx} of them where onnx has no static shape), ${wrong.length} wrong`);
    for (const w of wrong.slice(0, 50)) console.log(`  wrong: ${w}`);
    assert.ok(checked > 1000 && beyondOnnx > 100, `expected many checked tensors, got ${checked} (${beyondOnnx} beyond onnx)`);
    assert.deepEqual(wrong, []);
  });

test('single-op models of newer opsets and operators (generated with onnx.helper): agreement with onnx, and with onnxruntime where onnx says less',
  { skip: noPython ?? onnxruntimePython() ?? false }, () => {
    const work = mkdtempSync(join(tmpdir(), 'op-models-'));
    try {
      execFileSync('python3', [join(__dirname, '../fixtures/python/make_op_models.py'), work], { stdio: ['ignore', 'pipe', 'pipe'] });
      const paths = readdirSync(work).filter((n) => n.endsWith('.onnx')).map((n) => join(work, n)).sort();
      const oracle = runOracle(paths);
      const a = compare(paths, oracle, work);
      const pct = report('generated single-op models', a);
      assert.ok(a.models >= 50);
      // Runs: each difference must be onnx's mistake (the run agrees with us); where onnx says less, the run decides.
      const runs = new Map<string, Record<string, [number, number[]]>>();
      for (const path of paths) {
        const runWork = mkdtempSync(join(work, 'run-'));
        try {
          runs.set(path, JSON.parse(execFileSync('python3', [join(__dirname, '../fixtures/python/ort_tensor_shapes.py'), path, runWork], { stdio: ['ignore', 'pipe', 'pipe'] }).toString()));
        } catch {
          // onnxruntime does not implement this op or opset: nothing to compare
        }
      }
      const unexplained: string[] = [];
      a.differing.forEach((d, k) => {
        const actual = runs.get(d.path)?.[d.name];
        const confirmed = actual && d.ours && d.ours[1] && d.ours[1].length === actual[1].length && d.ours[1].every((x, i) => x === actual[1][i]);
        if (confirmed) console.log(`  explained: ${a.differences[k]}: onnxruntime's output is [${actual[1]}], as we say (onnx's rule disagrees with the runtime)`);
        else unexplained.push(a.differences[k]);
      });
      assert.deepEqual(unexplained, []);
      assert.ok(pct >= 95);
      let checked = 0;
      const wrong: string[] = [];
      for (const path of paths) {
        const entry = oracle[path];
        const run = runs.get(path);
        if (!run) continue;
        const model = readModel(readFileSync(path));
        const graph = buildModelGraph(model);
        const ours = inferShapes(model, graph, { ignoreDeclared: true });
        for (const [name, [elem, dims]] of Object.entries(run)) {
          const o = entry && 'tensors' in entry ? entry.tensors[name] : undefined;
          if (o && o[1] && o[1].every((d) => typeof d === 'number')) continue;
          const t = ours.types.get(name);
          if (!t || t.kind !== 'tensor' || !t.shape) continue;
          if (t.shape.length !== dims.length) { wrong.push(`${path}: ${name}: ours ${formatValueType(t)}, onnxruntime [${dims}]`); continue; }
          t.shape.forEach((d, i) => {
            if (typeof d !== 'number') return;
            checked++;
            if (d !== dims[i] || (elem !== 0 && elem !== t.elemType)) wrong.push(`${path}: ${name}: ours ${formatValueType(t)}, onnxruntime ${elem}[${dims}]`);
          });
        }
      }
      console.log(`generated models run with onnxruntime where onnx has no static shape: ${checked} dims we state checked, ${wrong.length} wrong`);
      for (const w of wrong) console.log(`  wrong: ${w}`);
      assert.deepEqual(wrong, []);
      assert.ok(checked > 0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
