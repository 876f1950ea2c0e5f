// modelFile.ts: reading model files (including past 2 GiB), file system errors and non-ONNX content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxFormatError } from '../../src/core/errors';
import { ModelFileError, readModelFile, readModelFileSync, sniffFileKind } from '../../src/node/modelFile';
import { concat, lenField, makeSmallModel, varint, varintField } from '../fixtures/builders';

const dir = mkdtempSync(join(tmpdir(), 'modelfile-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test('reads a model file (async and sync) into bytes and a parsed model', async () => {
  const p = file('small.onnx', makeSmallModel());
  const a = await readModelFile(p);
  const s = readModelFileSync(p);
  assert.deepEqual(a.bytes, makeSmallModel());
  assert.equal(a.model.graph.nodes.length, 2);
  assert.equal(s.model.graph.initializers[0].name, 'w');
});

test('missing file and folder give ModelFileError with the path and the reason', async () => {
  const missing = join(dir, 'nope.onnx');
  await assert.rejects(readModelFile(missing), (e: unknown) =>
    e instanceof ModelFileError && e.problem === 'not-found' && e.message.includes(missing) && /no such file/.test(e.message));
  assert.throws(() => readModelFileSync(missing), (e: unknown) => e instanceof ModelFileError && e.problem === 'not-found');
  await assert.rejects(readModelFile(dir), (e: unknown) =>
    e instanceof ModelFileError && e.problem === 'is-directory' && /is a folder/.test(e.message));
  assert.throws(() => readModelFileSync(dir), (e: unknown) => e instanceof ModelFileError && e.problem === 'is-directory');
});

test('an unreadable file gives a permission error', { skip: process.getuid?.() === 0 ? 'running as root: permissions are not enforced' : false }, async () => {
  const p = file('locked.onnx', makeSmallModel());
  chmodSync(p, 0o000);
  await assert.rejects(readModelFile(p), (e: unknown) => e instanceof ModelFileError && e.problem === 'permission');
});

test('non-ONNX content says "not an ONNX model", what it looks like, and where', async () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['text.onnx', 'hello, this is text\n', /looks like a text file/],
    ['json.onnx', '{"graph": {}}', /looks like a text file/],
    ['image.onnx', png, /looks like a PNG image/],
    ['empty.onnx', new Uint8Array(0), /looks like an empty file.*file is empty/],
    ['ckpt.onnx', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0]), /zip archive/],
  ];
  for (const [name, content, re] of cases) {
    const p = file(name, content);
    await assert.rejects(readModelFile(p), (e: unknown) => {
      assert.ok(e instanceof OnnxFormatError, `${name}: ${String(e)}`);
      assert.match(e.message, /not an ONNX model/);
      assert.match(e.message, re);
      assert.ok(e.message.startsWith(p), `${name}: message names the file: ${e.message}`);
      return true;
    });
  }
  // Random bytes: still an OnnxFormatError naming the file (whatever the first failing field is).
  let seed = 1;
  const random = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  const p = file('random.onnx', random);
  await assert.rejects(readModelFile(p), (e: unknown) => e instanceof OnnxFormatError && /not an ONNX model/.test(e.message) && e.message.includes(p));
});

test('sniffFileKind leaves binary protobuf alone', () => {
  assert.equal(sniffFileKind(makeSmallModel()), undefined);
});

/** Writes a valid model whose single uint8 initializer has `rawLength` zero bytes (sparse on disk). */
function writeBigModel(p: string, rawLength: number): void {
  const header = concat(varintField(1, rawLength), varintField(2, 2), lenField(8, new TextEncoder().encode('big')),
    Uint8Array.from([...varint((9 << 3) | 2), ...varint(rawLength)]));
  const tensorLength = header.length + rawLength;
  const rest = concat(
    lenField(1, concat(lenField(1, new TextEncoder().encode('big')), lenField(2, new TextEncoder().encode('y')), lenField(4, new TextEncoder().encode('Identity')))),
    lenField(12, lenField(1, new TextEncoder().encode('y'))),
  );
  const tensorField = Uint8Array.from([...varint((5 << 3) | 2), ...varint(tensorLength)]);
  const graphLength = tensorField.length + tensorLength + rest.length;
  const prefix = concat(varintField(1, 10), lenField(8, varintField(2, 21)),
    Uint8Array.from([...varint((7 << 3) | 2), ...varint(graphLength)]), tensorField, header);
  const fd = openSync(p, 'w');
  writeSync(fd, prefix);
  ftruncateSync(fd, prefix.length + rawLength);
  writeSync(fd, rest, 0, rest.length, prefix.length + rawLength);
  closeSync(fd);
}

const BIG = 2 ** 31 + 4096;
test('a model file over 2 GiB is read in chunks (readFileSync refuses it)', {
  // ~15 s of mostly kernel time on 2 cores: opt-in, like other multi-GB checks.
  skip: process.env.ONNX_INSPECTOR_BIG_TESTS !== '1' ? 'set ONNX_INSPECTOR_BIG_TESTS=1 to run (writes and reads a 2 GiB sparse file)'
    : freemem() < 6 * 2 ** 30 ? 'needs 6 GB of free memory' : false,
  timeout: 120_000,
}, async () => {
  const p = join(dir, 'big.onnx');
  writeBigModel(p, BIG);
  assert.throws(() => readFileSync(p), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ERR_FS_FILE_TOO_LARGE');
  const { bytes, model } = await readModelFile(p);
  assert.ok(bytes.length > BIG);
  const init = model.graph.initializers[0];
  assert.equal(init.name, 'big');
  assert.equal(init.data.kind, 'raw');
  if (init.data.kind === 'raw') assert.equal(init.data.end - init.data.start, BIG);
  assert.deepEqual(model.graph.nodes.map((n) => n.value.op_type), ['Identity']);
  rmSync(p);
});
