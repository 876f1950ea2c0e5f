// No byte outside the model's folder is read: each unsafe external data location ('..' out, absolute, a
// symlinked file, a symlinked folder on the way, Windows separators) is refused with "escapes the model's
// folder" and the location, by every path that reads external data: the editor's values, onnxruntime runs
// (backend and CLI `run`), type inference, extract and mark-outputs (copying and referencing). The file
// outside holds real floats, so a path that read it would succeed instead of failing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareBackends } from '../../src/backends/compareBackends';
import { createOrtBackend } from '../../src/backends/onnxruntime/ortBackend';
import { NdArray } from '../../src/compare/ndarray';
import { ExternalDataError } from '../../src/core/externalData';
import { externalDataProblems, readTensorValues } from '../../src/node/externalDataReader';
import { resolveExternalLocation } from '../../src/node/externalDataResolver';
import { checkWrittenModelData, loadExternalWeights } from '../../src/node/externalWeights';
import { readModelFile, readModelFileSync } from '../../src/node/modelFile';
import { inferTensorTypes } from '../../src/node/ortTypes';
import { DT, makeModel, TensorSpec } from '../fixtures/builders';
import { buildCli, runCli } from './cliSupport';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'extsec-')));
const f32 = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
const SECRET = f32([42, 43]);

/** model.onnx in `dir` (created): y = x + w, x and w float[2], w stored as `external`. */
function writeModel(dir: string, external: TensorSpec['external'], extra: TensorSpec[] = []): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, 'model.onnx');
  fs.writeFileSync(p, makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    nodes: [{ op: 'Add', inputs: ['x', 'w'], outputs: ['h'] }, { op: 'Relu', inputs: ['h'], outputs: ['y'] }],
    initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [2], external }, ...extra],
  }));
  return p;
}

interface Case { label: string; model: string; location: string }
const cases: Case[] = [];

before(() => {
  fs.writeFileSync(path.join(root, 'secret.bin'), SECRET);
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc', 'passwd'), SECRET);
  fs.mkdirSync(path.join(root, 'outdir'));
  fs.writeFileSync(path.join(root, 'outdir', 'w.bin'), SECRET);
  fs.writeFileSync(path.join(root, 'x'), SECRET);
  cases.push({ label: "'..' out of the folder", model: writeModel(path.join(root, 'a', 'b', 'c'), { location: '../../../etc/passwd' }), location: '../../../etc/passwd' });
  const abs = path.join(root, 'secret.bin');
  cases.push({ label: 'an absolute path', model: writeModel(path.join(root, 'abs'), { location: abs }), location: abs });
  const linkFile = writeModel(path.join(root, 'linkfile'), { location: 'w.bin' });
  fs.symlinkSync(abs, path.join(root, 'linkfile', 'w.bin'));
  cases.push({ label: 'a symlinked file', model: linkFile, location: 'w.bin' });
  const linkDir = writeModel(path.join(root, 'linkdir'), { location: 'data/w.bin' });
  fs.symlinkSync(path.join(root, 'outdir'), path.join(root, 'linkdir', 'data'));
  cases.push({ label: 'a symlinked folder on the way', model: linkDir, location: 'data/w.bin' });
  const win = writeModel(path.join(root, 'w1', 'w2'), { location: '..\\..\\x' });
  fs.writeFileSync(path.join(root, 'w1', 'w2', '..\\..\\x'), SECRET); // the literal POSIX file name too
  cases.push({ label: 'Windows-style separators', model: win, location: '..\\..\\x' });
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

function assertEscapes(e: unknown, c: Case): true {
  const message = e instanceof Error ? e.message : String(e);
  assert.match(message, /escapes the model's folder/, `${c.label}: ${message}`);
  assert.ok(message.includes(c.location), `${c.label}: names '${c.location}': ${message}`);
  assert.doesNotMatch(message, /missing/, `${c.label}: not called missing: ${message}`);
  return true;
}

const feeds = () => new Map([['x', { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) } as unknown as NdArray]]);

describe('unsafe external data locations are refused', () => {
  test('by the resolver and the editor\'s values', async () => {
    for (const c of cases) {
      assert.throws(() => resolveExternalLocation(c.model, c.location, 'w'), (e) => e instanceof ExternalDataError && assertEscapes(e, c));
      const { model } = await readModelFile(c.model);
      await assert.rejects(readTensorValues(c.model, model, model.graph.initializers[0]), (e) => assertEscapes(e, c));
    }
  });

  test('by onnxruntime runs (the backend Compare Backends runs), with no results written', async () => {
    for (const c of cases) {
      const out = path.join(path.dirname(c.model), 'results.json');
      await assert.rejects(createOrtBackend().run({ modelPath: c.model, inputs: feeds(), capture: 'all', saveResults: out }), (e) => assertEscapes(e, c));
      assert.ok(!fs.existsSync(out), `${c.label}: no results file`);
    }
  });

  test('by Compare Backends (two onnxruntime runs compared in the worker pool)', async () => {
    for (const c of cases) {
      const request = { modelPath: c.model, inputs: feeds(), capture: 'all' as const };
      await assert.rejects(compareBackends({ backend: createOrtBackend(), request }, { backend: createOrtBackend(), request: { ...request, options: { optLevel: 'disabled' } } }, { parallel: 2 }),
        (e) => assertEscapes(e, c));
    }
  });

  test('by type inference for extract', async () => {
    for (const c of cases) {
      const { bytes } = await readModelFile(c.model);
      await assert.rejects(inferTensorTypes(bytes, ['h'], c.model), (e) => assertEscapes(e, c));
    }
  });

  test('by a derived model that would reference the data (written beside the model)', async () => {
    for (const c of cases) {
      const { bytes } = await readModelFile(c.model);
      assert.throws(() => checkWrittenModelData(path.join(path.dirname(c.model), 'model.outputs-1.onnx'), bytes), (e) => assertEscapes(e, c));
    }
  });

  test('before a byte is read: a link to a FIFO outside (reading it would block) is refused at once', () => {
    const fifo = path.join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const p = writeModel(path.join(root, 'fifolink'), { location: 'w.bin' });
    fs.symlinkSync(fifo, path.join(root, 'fifolink', 'w.bin'));
    const { model } = readModelFileSync(p);
    assert.throws(() => loadExternalWeights(p, model), /escapes the model's folder/);
  });

  test('in the CLI: run, extract and mark-outputs (same folder and elsewhere) fail and write nothing', async () => {
    const cli = await buildCli();
    try {
      const elsewhere = fs.mkdtempSync(path.join(root, 'elsewhere-'));
      for (const c of cases) {
        const dir = path.dirname(c.model);
        const runs: [string, string[]][] = [
          [path.join(dir, 'r.json'), ['run', c.model, '--save-results', path.join(dir, 'r.json')]],
          [path.join(dir, 'e.onnx'), ['extract', c.model, '--inputs', 'x', '--outputs', 'y', '-o', path.join(dir, 'e.onnx')]],
          [path.join(elsewhere, 'e.onnx'), ['extract', c.model, '--inputs', 'x', '--outputs', 'y', '-o', path.join(elsewhere, 'e.onnx')]],
          [path.join(dir, 'm.onnx'), ['mark-outputs', c.model, '--tensors', 'h', '-o', path.join(dir, 'm.onnx')]],
          [path.join(elsewhere, 'm.onnx'), ['mark-outputs', c.model, '--tensors', 'h', '-o', path.join(elsewhere, 'm.onnx')]],
        ];
        for (const [out, args] of runs) {
          const r = runCli(cli.file, args);
          assert.equal(r.code, 1, `${c.label} ${args[0]}: ${r.stdout}${r.stderr}`);
          assertEscapes(r.stderr, c);
          assert.ok(!fs.existsSync(out), `${c.label} ${args[0]}: nothing written`);
        }
      }
    } finally {
      cli.dispose();
    }
  });
});

test('a Constant attribute or subgraph tensor pointing outside is refused too (onnxruntime reads those)', async () => {
  const dir = path.join(root, 'constant');
  fs.mkdirSync(dir);
  const p = path.join(dir, 'model.onnx');
  fs.writeFileSync(p, makeModel({
    inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }],
    outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
    nodes: [
      { op: 'Constant', outputs: ['c'], attrs: [{ name: 'value', t: { name: 'c', dataType: DT.FLOAT, dims: [2], external: { location: '../secret.bin' } } }] },
      { op: 'Add', inputs: ['x', 'c'], outputs: ['y'] },
    ],
  }));
  await assert.rejects(createOrtBackend().run({ modelPath: p, inputs: feeds(), capture: 'outputs' }), /tensor 'c': the location '\.\.\/secret\.bin' escapes the model's folder/);
});

test('on open, the banner lines name refused and missing files (what the editor shows while the graph opens)', async () => {
  const p = writeModel(path.join(root, 'banner'), { location: '../secret.bin' }, [{ name: 'v', dataType: DT.FLOAT, dims: [1], external: { location: 'gone.bin' } }]);
  const { model } = await readModelFile(p);
  const lines = await externalDataProblems(p, model);
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], /^external data '\.\.\/secret\.bin' \(1 tensor\): the location '\.\.\/secret\.bin' escapes the model's folder/);
  assert.match(lines[1], /^external data 'gone\.bin' \(1 tensor\): external data file is missing from the model's folder/);
  assert.deepEqual(await externalDataProblems(writeModel(path.join(root, 'nobanner'), undefined), (await readModelFile(path.join(root, 'nobanner', 'model.onnx'))).model), []);
});

describe('external data inside the folder', () => {
  test('a missing file says missing, not escapes', async () => {
    const p = writeModel(path.join(root, 'missing'), { location: 'gone.bin' });
    const { model } = await readModelFile(p);
    await assert.rejects(readTensorValues(p, model, model.graph.initializers[0]), /tensor 'w': external data file is missing from the model's folder .*gone\.bin/);
    await assert.rejects(createOrtBackend().run({ modelPath: p, inputs: feeds(), capture: 'outputs' }), /external data file is missing from the model's folder .*gone\.bin/);
  });

  test('an offset/length past the end of the file is a clear error, not a short read', async () => {
    const p = writeModel(path.join(root, 'short'), { location: 'w.bin', offset: 4 }, []);
    fs.writeFileSync(path.join(root, 'short', 'w.bin'), new Uint8Array(8));
    const { model } = await readModelFile(p);
    const re = /tensor 'w': needs bytes 4\.\.12 but the file has only 8 bytes/;
    await assert.rejects(readTensorValues(p, model, model.graph.initializers[0]), re);
    await assert.rejects(createOrtBackend().run({ modelPath: p, inputs: feeds(), capture: 'outputs' }), re);
    assert.throws(() => loadExternalWeights(p, model), re);
  });

  test('a symlink inside the folder to a file inside it, and a safe model, run with the right values', async () => {
    const p = writeModel(path.join(root, 'good'), { location: 'data/alias.bin' });
    fs.mkdirSync(path.join(root, 'good', 'data'));
    fs.writeFileSync(path.join(root, 'good', 'real.bin'), f32([10, -20]));
    fs.symlinkSync('../real.bin', path.join(root, 'good', 'data', 'alias.bin'));
    const run = await createOrtBackend().run({ modelPath: p, inputs: feeds(), capture: 'outputs' });
    try {
      assert.deepEqual([...(await run.tensors!.load('y')).data as Float32Array], [11, 0]);
    } finally {
      run.dispose();
    }
  });
});
