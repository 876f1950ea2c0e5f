// tensorValues.ts against numpy/onnx.numpy_helper (the oracle): every element type, raw and typed forms,
// every bit pattern of the small float formats; plus hand-made edge cases and the stats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '../../src/core/model';
import { decodeRaw, decodeTensorValues, firstValues, tensorStats, TensorValues } from '../../src/core/tensorValues';
import { OnnxFormatError } from '../../src/core/errors';
import { DT, makeModel } from '../fixtures/builders';

interface Expected { dataType: number; values: (number | string | [number | string, number | string])[] }

function pythonOracle(): { dir: string; model: Uint8Array; expected: Record<string, Expected> } | string {
  const dir = mkdtempSync(join(tmpdir(), 'tv-'));
  try {
    execFileSync('python3', [join(__dirname, '../fixtures/python/gen_tensors.py'), dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return `python3 with onnx, numpy and ml_dtypes is not available: ${(e as Error).message.split('\n')[0]}`;
  }
  return { dir, model: readFileSync(join(dir, 'tensors.onnx')), expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) };
}

function num(x: number | string): number {
  return x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x);
}

function assertSame(actual: unknown, expected: number | string, where: string): void {
  if (typeof actual === 'bigint') return assert.equal(actual, BigInt(expected), where);
  if (typeof actual === 'string') return assert.equal(actual, expected, where);
  // Object.is: NaN equals NaN and -0 differs from 0, so signed zeros are checked too.
  assert.ok(Object.is(actual, num(expected)), `${where}: got ${String(actual)}, expected ${expected}`);
}

const oracle = pythonOracle();

test('every element type decodes like numpy_helper.to_array (raw and typed forms)', { skip: typeof oracle === 'string' ? oracle : false }, () => {
  if (typeof oracle === 'string') return;
  const model = readModel(oracle.model);
  const seen = new Set<number>();
  for (const init of model.graph.initializers) {
    const exp: Expected | undefined = oracle.expected[init.name];
    assert.ok(exp, `no oracle values for ${init.name}`);
    assert.equal(init.dataType, exp.dataType);
    assert.equal(init.data.kind, init.name.endsWith('_typed') ? 'typed' : 'raw', init.name);
    const v = decodeTensorValues(init, oracle.model);
    assert.equal(v.count, exp.values.length, init.name);
    const got = firstValues(v, v.count);
    exp.values.forEach((e, i) => {
      const where = `${init.name}[${i}]`;
      if (Array.isArray(e)) {
        const [re, im] = got[i] as [number, number];
        assertSame(re, e[0], `${where}.re`);
        assertSame(im, e[1], `${where}.im`);
      } else {
        assertSame(got[i], e, where);
      }
    });
    seen.add(init.dataType);
  }
  // Every type the spec defines up to float6 (1..28, except UNDEFINED) was checked.
  const missing = Array.from({ length: 28 }, (_, i) => i + 1).filter((t) => !seen.has(t));
  assert.deepEqual(missing, [], `element types without an oracle check: ${missing}`);
  rmSync(oracle.dir, { recursive: true, force: true });
});

function rawTensorModel(dataType: number, dims: number[], raw: number[]): Uint8Array {
  return makeModel({ initializers: [{ name: 't', dataType, dims, raw: Uint8Array.from(raw) }], outputs: [{ name: 't' }] });
}

test('int4 packs two per byte, low nibble first, and sign-extends', () => {
  const bytes = rawTensorModel(22, [3], [0xf1, 0x07]);
  const init = readModel(bytes).graph.initializers[0];
  assert.deepEqual(firstValues(decodeTensorValues(init, bytes), 3), [1, -1, 7]);
  const u = decodeRaw(21, 3, Uint8Array.from([0xf1, 0x07]));
  assert.deepEqual(firstValues(u, 3), [1, 15, 7]);
});

test('int2/uint2 pack four per byte, lowest bits first', () => {
  assert.deepEqual(firstValues(decodeRaw(25, 5, Uint8Array.from([0b11100100, 0b01])), 5), [0, 1, 2, 3, 1]);
  assert.deepEqual(firstValues(decodeRaw(26, 4, Uint8Array.from([0b11100100])), 4), [0, 1, -2, -1]);
});

test('a raw_data length that does not match the dims is an error naming the tensor', () => {
  const bytes = rawTensorModel(DT.FLOAT, [4], [0, 0, 0, 0, 0, 0]);
  const init = readModel(bytes).graph.initializers[0];
  assert.throws(() => decodeTensorValues(init, bytes), (e: unknown) =>
    e instanceof OnnxFormatError && /tensor 't'/.test(e.message) && /6 bytes/.test(e.message) && /need 16/.test(e.message));
});

test('typed data with the wrong count or in the wrong field is an error', () => {
  const short = makeModel({ initializers: [{ name: 's', dataType: DT.FLOAT, dims: [3], floatData: [1, 2] }] });
  const s = readModel(short).graph.initializers[0];
  assert.throws(() => decodeTensorValues(s, short), /float_data holds 2 value\(s\) but the dims need 3/);
  const wrong = makeModel({ initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [2], int64Data: [1, 2] }] });
  const w = readModel(wrong).graph.initializers[0];
  assert.throws(() => decodeTensorValues(w, wrong), /cannot be stored in int64_data \(expected float_data\)/);
});

test('a tensor without data decodes only when it has no elements', () => {
  const bytes = makeModel({ initializers: [{ name: 'e', dataType: DT.FLOAT, dims: [0] }, { name: 'm', dataType: DT.FLOAT, dims: [2] }] });
  const [e, m] = readModel(bytes).graph.initializers;
  assert.equal(decodeTensorValues(e, bytes).count, 0);
  assert.throws(() => decodeTensorValues(m, bytes), /has 2 element\(s\) but no data/);
});

test('tensorStats counts NaN/Inf/zeros apart and computes min/max/mean/std over finite values', () => {
  const v: TensorValues = { kind: 'number', dataType: 1, count: 7, values: Float32Array.from([1, 2, 3, 0, NaN, Infinity, -Infinity]) };
  const s = tensorStats(v);
  assert.equal(s.nan, 1);
  assert.equal(s.posInf, 1);
  assert.equal(s.negInf, 1);
  assert.equal(s.zero, 1);
  assert.equal(s.min, 0);
  assert.equal(s.max, 3);
  assert.equal(s.mean, 1.5);
  assert.ok(Math.abs(s.std! - Math.sqrt(1.25)) < 1e-12);
  const big = tensorStats({ kind: 'bigint', dataType: 7, count: 2, values: BigInt64Array.from([-5n, 5n]) });
  assert.deepEqual([big.min, big.max, big.mean], [-5, 5, 0]);
  const none = tensorStats({ kind: 'number', dataType: 1, count: 1, values: Float32Array.from([NaN]) });
  assert.equal(none.min, undefined);
  assert.equal(none.nan, 1);
});

test('firstValues stops at n and at the element count', () => {
  const v: TensorValues = { kind: 'string', dataType: 8, count: 3, values: ['a', 'b', 'c'] };
  assert.deepEqual(firstValues(v, 2), ['a', 'b']);
  assert.deepEqual(firstValues(v, 10), ['a', 'b', 'c']);
});

test('a tensor with two typed fields (invalid) decodes from the first only, never a mix', () => {
  const bytes = makeModel({ initializers: [{ name: 'two', dataType: DT.FLOAT, dims: [2], floatData: [1, 2], int32Data: [7, 8, 9] }] });
  const init = readModel(bytes).graph.initializers[0];
  assert.equal(init.data.kind === 'typed' && init.data.field, 'float_data');
  assert.deepEqual(firstValues(decodeTensorValues(init, bytes), 5), [1, 2]);
});

test('property: int32_data and raw_data forms of the same codes decode to the same values', async () => {
  const fc = (await import('fast-check')).default;
  // dataType -> bits per raw element (the code range int32_data carries for it)
  const TYPES: [number, number][] = [[2, 8], [3, 8], [4, 16], [5, 16], [6, 32], [9, 1], [10, 16], [16, 16], [17, 8], [18, 8], [19, 8], [20, 8], [24, 8]];
  fc.assert(fc.property(fc.constantFrom(...TYPES), fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 40 }), ([dt, bits], raw32) => {
    const codes = raw32.map((c) => (bits === 32 ? c | 0 : c % 2 ** bits));
    const size = Math.max(1, bits / 8);
    const raw = new Uint8Array(codes.length * size);
    const view = new DataView(raw.buffer);
    codes.forEach((c, i) => (size === 4 ? view.setInt32(i * 4, c, true) : size === 2 ? view.setUint16(i * 2, c, true) : view.setUint8(i, c)));
    const bytes = makeModel({ initializers: [
      { name: 'typed', dataType: dt, dims: [codes.length], int32Data: codes },
      { name: 'raw', dataType: dt, dims: [codes.length], raw },
    ] });
    const [typed, rawT] = readModel(bytes).graph.initializers;
    const a = firstValues(decodeTensorValues(typed, bytes), codes.length);
    const b = firstValues(decodeTensorValues(rawT, bytes), codes.length);
    assert.equal(a.length, codes.length);
    a.forEach((x, i) => assert.ok(Object.is(x, b[i]), `dtype ${dt} [${i}]: ${String(x)} vs ${String(b[i])}`));
  }), { numRuns: 300, seed: 42 });
});
