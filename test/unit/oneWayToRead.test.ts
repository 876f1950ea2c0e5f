// One way to do each thing, so a fix in one place (a size check, the external data resolver) covers every
// caller: onnxruntime sessions are created only in ortSession.ts, whole files are read only by
// node/modelFile.ts, external weights are loaded only by node/externalWeights.ts, and the editor reads
// models only through host/readModelUri.ts (the CLI's reader).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './editSupport';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const files = sources(path.join(repoRoot, 'src')).map((p) => ({ rel: path.relative(repoRoot, p), text: fs.readFileSync(p, 'utf8') }));

function using(re: RegExp): string[] {
  return files.filter((f) => re.test(f.text)).map((f) => f.rel).sort();
}

test('onnxruntime sessions are created in one place', () => {
  assert.deepEqual(using(/InferenceSession\.create\(/), ['src/backends/onnxruntime/ortSession.ts']);
});

test('external weights are loaded in one place, and nothing else reads a model\'s files by location', () => {
  assert.deepEqual(using(/readFileChunkedSync\(/), ['src/node/externalWeights.ts', 'src/node/modelFile.ts']);
  assert.deepEqual(using(/resolveExternalLocation\(/), ['src/node/externalDataReader.ts', 'src/node/externalDataResolver.ts', 'src/node/externalWeights.ts'].sort());
  assert.deepEqual(using(/location\)\s*;?\s*\n?.*readFileSync|path\.resolve\([^)]*location/), []);
});

test('whole model files are read by node/modelFile.ts only; the editor reads through readModelUri', () => {
  assert.ok(!fs.existsSync(path.join(repoRoot, 'src/node/readFileBytes.ts')), 'readFileBytes.ts is gone');
  assert.deepEqual(using(/\breadModel\(/).filter((f) => f.startsWith('src/host/')), [], 'the host parses models only through readModelUri');
  assert.deepEqual(using(/readModelUri\(/), ['src/host/modelDiff/modelDiffs.ts', 'src/host/onnxDocument.ts', 'src/host/readModelUri.ts', 'src/host/textView.ts'].sort());
  assert.deepEqual(using(/workspace\.fs\.readFile\(/), ['src/host/readModelUri.ts']);
});
