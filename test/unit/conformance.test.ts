// Conformance over Debian's libonnx-testdata corpus (ONNX's own backend test models): every model reads,
// builds a graph without problems, and writes back byte-identically when nothing is edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../../src/core/model';
import { buildModelGraph } from '../../src/core/graph';
import { writeModel } from '../../src/core/modelWriter';

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
