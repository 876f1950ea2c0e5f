// Conformance over Debian's libonnx-testdata corpus (ONNX's own backend test models): every model reads,
// builds a graph without problems, and writes back byte-identically when nothing is edited; every initializer
// and every tensor of the test data sets decodes, the latter matching numpy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../../src/core/model';
import { buildModelGraph } from '../../src/core/graph';
import { writeModel } from '../../src/core/modelWriter';
import { readTensorInfo } from '../../src/core/tensorInfo';
import { decodeTensorValues, tensorStats } from '../../src/core/tensorValues';
import { WIRE_LEN } from '../../src/core/wire';

const CORPUS = '/usr/share/libonnx-testdata/data';

function findModels(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findModels(p, out);
    else if (name.endsWith('.onnx')) out.push(p);
  }
  return out;
}

const models = existsSync(CORPUS) ? findModels(CORPUS).sort() : [];

test('libonnx-testdata: every model reads, builds a clean graph and round-trips byte-for-byte',
  { skip: models.length === 0 ? `${CORPUS} not found (apt-get install libonnx-testdata)` : false }, () => {
    const failures: string[] = [];
    const problems: string[] = [];
    let nodes = 0;
    for (const path of models) {
      const rel = path.slice(CORPUS.length + 1);
      const bytes = readFileSync(path);
      try {
        const model = readModel(bytes);
        const graph = buildModelGraph(model);
        nodes += graph.nodes.length;
        for (const p of graph.problems) problems.push(`${rel}: ${p.kind}: ${p.message}`);
        for (const init of model.graph.initializers) {
          if (init.data.kind !== 'external') tensorStats(decodeTensorValues(init, bytes));
        }
        const written = writeModel(model);
        if (Buffer.compare(Buffer.from(written), bytes) !== 0) failures.push(`${rel}: rewrite differs`);
      } catch (e) {
        failures.push(`${rel}: ${(e as Error).message}`);
      }
    }
    console.log(`libonnx-testdata: ${models.length} models, ${nodes} nodes, ${failures.length} failures, ${problems.length} graph problems`);
    assert.ok(models.length >= 1000, `expected the whole corpus, found ${models.length} models`);
    assert.deepEqual(failures, []);
    // The corpus is ONNX's own conformance suite: every graph is valid, so any problem is a false alarm.
    assert.deepEqual(problems, []);
  });

function pythonStats(): Record<string, { count: number; sum?: number; absSum?: number; nan?: number; posInf?: number; negInf?: number }> | string {
  try {
    const out = execFileSync('python3', [join(__dirname, '../fixtures/python/corpus_tensor_stats.py'), CORPUS], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.toString());
  } catch (e) {
    return `python3 with onnx and numpy is not available: ${(e as Error).message.split('\n')[0]}`;
  }
}

test('libonnx-testdata: every test data tensor (input_N.pb/output_N.pb) decodes like numpy_helper',
  { skip: models.length === 0 ? `${CORPUS} not found` : false }, (t) => {
    const oracle = pythonStats();
    if (typeof oracle === 'string') return t.skip(oracle);
    const failures: string[] = [];
    const entries = Object.entries(oracle);
    for (const [rel, exp] of entries) {
      const bytes = readFileSync(join(CORPUS, rel));
      try {
        // A .pb file is a bare TensorProto: read it as the body of a field spanning the whole file.
        const info = readTensorInfo(bytes, { field: 0, wire: WIRE_LEN, start: 0, valueStart: 0, end: bytes.length }, rel);
        const s = tensorStats(decodeTensorValues(info, bytes));
        const bad: string[] = [];
        if (s.count !== exp.count) bad.push(`count ${s.count} != ${exp.count}`);
        if (exp.sum !== undefined) {
          const finite = s.count - s.nan - s.posInf - s.negInf;
          const sum = (s.mean ?? 0) * finite;
          if (Math.abs(sum - exp.sum) > 1e-6 * (exp.absSum ?? 0) + 1e-9) bad.push(`sum ${sum} != ${exp.sum}`);
          if (s.nan !== exp.nan || s.posInf !== exp.posInf || s.negInf !== exp.negInf) {
            bad.push(`nan/inf ${s.nan}/${s.posInf}/${s.negInf} != ${exp.nan}/${exp.posInf}/${exp.negInf}`);
          }
        }
        if (bad.length > 0) failures.push(`${rel}: ${bad.join(', ')}`);
      } catch (e) {
        failures.push(`${rel}: ${(e as Error).message}`);
      }
    }
    console.log(`libonnx-testdata: ${entries.length} test data tensors compared with numpy, ${failures.length} mismatches`);
    assert.ok(entries.length > 2000, `expected the corpus's tensors, got ${entries.length}`);
    assert.deepEqual(failures, []);
  });
