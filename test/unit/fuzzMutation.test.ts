// Mutation fuzzer over real and built model bytes: every mutated file must either read (and build a graph,
// decode its small tensors, write back) or fail with OnnxFormatError/OnnxModelError, within 1 s. Any other
// exception (TypeError, RangeError, protobufjs's own errors) is a crash in the core.
// FUZZ_CASES=n scales the run; FUZZ_SEED=s replays one; a failure prints the seed and case to replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { OnnxFormatError, OnnxModelError } from '../../src/core/errors';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { writeModel } from '../../src/core/modelWriter';
import { decodeTensorValues, tensorStats } from '../../src/core/tensorValues';
import { FieldSpan, scanFields, WIRE_LEN } from '../../src/core/wire';
import { DT, makeChainModel, makeModel, makeSmallModel } from '../fixtures/builders';

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const CASE_LIMIT_MS = 1000;

/** xorshift32: deterministic, so a failing case replays from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** Builder models that cover the core's paths: subgraphs, typed/raw/external tensors, metadata, attributes. */
function builderModels(): Uint8Array[] {
  const f32 = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
  const branch = (v: number) => ({
    nodes: [{ op: 'Add', inputs: ['x', 'c'], outputs: [`o${v}`], attrs: [{ name: 'k', i: v }] }],
    outputs: [{ name: `o${v}`, elemType: DT.FLOAT, shape: [2] }],
    initializers: [{ name: 'c', dataType: DT.FLOAT, dims: [2], floatData: [v, v] }],
  });
  return [
    makeSmallModel(),
    makeChainModel(20),
    makeModel({
      inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [2] }, { name: 'cond', elemType: DT.BOOL, shape: [] }],
      outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [2] }],
      nodes: [
        { op: 'If', inputs: ['cond'], outputs: ['y0'], attrs: [{ name: 'then_branch', g: branch(1) }, { name: 'else_branch', g: branch(2) }] },
        { op: 'Mul', inputs: ['y0', 'w'], outputs: ['y'], metadata: { 'pkg.torch.onnx.stack_trace': 'File "m.py", line 3, in forward' } },
      ],
      initializers: [
        { name: 'w', dataType: DT.FLOAT, dims: [2], raw: f32([1, 2]) },
        { name: 'i64', dataType: DT.INT64, dims: [3], int64Data: [1, -2, 3] },
        { name: 'h', dataType: DT.FLOAT16, dims: [2], int32Data: [0x3c00, 0xc000] },
        { name: 's', dataType: DT.STRING, dims: [2], stringData: ['a', 'bc'] },
        { name: 'ext', dataType: DT.FLOAT, dims: [4], external: { location: 'w.bin', offset: 16, length: 16 } },
      ],
      valueInfo: [{ name: 'y0', elemType: DT.FLOAT, shape: ['N', null] }],
      metadata: { author: 'fuzz' },
      opsets: [{ version: 21 }, { domain: 'com.microsoft', version: 1 }],
    }),
  ];
}

/** Byte ranges that are not tensor payloads, so mutations mostly hit structure rather than weights. */
function structureRanges(bytes: Uint8Array): [number, number][] {
  const model = readModel(bytes);
  const payloads = model.graph.initializers
    .map((t) => (t.data.kind === 'raw' ? [t.data.start, t.data.end] : undefined))
    .filter((r): r is number[] => r !== undefined && r[1] - r[0] > 64)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let pos = 0;
  for (const [s, e] of payloads) {
    if (s > pos) out.push([pos, s]);
    pos = Math.max(pos, e);
  }
  if (pos < bytes.length) out.push([pos, bytes.length]);
  return out;
}

/** Length-delimited fields down to the graph's children (their length varints are corruption targets). */
function lengthFields(bytes: Uint8Array): FieldSpan[] {
  const model = readModel(bytes);
  const out = model.fields.filter((f) => f.wire === WIRE_LEN);
  for (const f of model.graph.fields) {
    if (f.wire !== WIRE_LEN) continue;
    out.push(f);
    if (f.field === 1 && f.end - f.valueStart < 4096) out.push(...scanFields(bytes, f.valueStart, f.end, 'node').filter((s) => s.wire === WIRE_LEN));
  }
  return out;
}

interface Corpus { name: string; bytes: Uint8Array; structure: [number, number][]; lengths: FieldSpan[]; structureSize: number }

function corpus(name: string, bytes: Uint8Array): Corpus {
  const structure = structureRanges(bytes);
  return { name, bytes, structure, lengths: lengthFields(bytes), structureSize: structure.reduce((s, [a, b]) => s + b - a, 0) };
}

function encodeVarintBytes(v: number): number[] {
  const out: number[] = [];
  let x = v;
  while (x > 0x7f) { out.push((x % 128) | 0x80); x = Math.floor(x / 128); }
  out.push(x);
  return out;
}

type Mutator = (c: Corpus, r: () => number, donor: Uint8Array) => { bytes: Uint8Array; what: string };

function pickPos(c: Corpus, r: () => number): number {
  if (r() < 0.2 || c.structureSize === 0) return Math.floor(r() * c.bytes.length);
  let k = Math.floor(r() * c.structureSize);
  for (const [a, b] of c.structure) {
    if (k < b - a) return a + k;
    k -= b - a;
  }
  return c.bytes.length - 1;
}

const splice = (b: Uint8Array, at: number, count: number, ins: ArrayLike<number>): Uint8Array => {
  const del = Math.min(count, b.length - at);
  const out = new Uint8Array(b.length - del + ins.length);
  out.set(b.subarray(0, at));
  out.set(ins, at);
  out.set(b.subarray(at + del), at + ins.length);
  return out;
};

const MUTATORS: Record<string, Mutator> = {
  bitflip: (c, r) => {
    const b = c.bytes.slice();
    const n = 1 + Math.floor(r() * 4);
    const at: number[] = [];
    for (let i = 0; i < n; i++) { const p = pickPos(c, r); b[p] ^= 1 << Math.floor(r() * 8); at.push(p); }
    return { bytes: b, what: `bitflip at ${at}` };
  },
  byteset: (c, r) => {
    const b = c.bytes.slice();
    const p = pickPos(c, r);
    b[p] = [0, 0xff, 0x80, 0x7f, Math.floor(r() * 256)][Math.floor(r() * 5)];
    return { bytes: b, what: `byte ${p} = ${b[p]}` };
  },
  insert: (c, r) => {
    const p = pickPos(c, r);
    const ins = Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256));
    return { bytes: splice(c.bytes, p, 0, ins), what: `insert ${ins} at ${p}` };
  },
  delete: (c, r) => {
    const p = pickPos(c, r);
    const n = 1 + Math.floor(r() * 8);
    return { bytes: splice(c.bytes, p, Math.min(n, c.bytes.length - p), []), what: `delete ${n} at ${p}` };
  },
  length: (c, r) => {
    // Rewrite a length varint: huge (2^31, 2^32-1, 2^63-ish), off by one, or zero.
    const f = c.lengths[Math.floor(r() * c.lengths.length)];
    let p = f.start;
    while (c.bytes[p] & 0x80) p++; // skip the tag
    p++;
    const old = f.end - f.valueStart;
    const choices = [2 ** 31, 2 ** 32 - 1, 2 ** 53, old + 1, old - 1, 0, old * 2, Math.floor(r() * 2 ** 28)];
    const v = Math.max(0, choices[Math.floor(r() * choices.length)]);
    const ins = r() < 0.1 ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] : encodeVarintBytes(v);
    return { bytes: splice(c.bytes, p, f.valueStart - p, ins), what: `length of field ${f.field}@${f.start} ${old} -> ${v}` };
  },
  wiretype: (c, r) => {
    const f = c.lengths[Math.floor(r() * c.lengths.length)];
    const b = c.bytes.slice();
    const wire = [0, 1, 3, 4, 5, 6, 7][Math.floor(r() * 7)];
    b[f.start] = (b[f.start] & ~7) | wire;
    return { bytes: b, what: `wire type of field ${f.field}@${f.start} -> ${wire}` };
  },
  truncate: (c, r) => {
    const p = r() < 0.5 ? pickPos(c, r) : Math.floor(r() * c.bytes.length);
    return { bytes: c.bytes.subarray(0, p), what: `truncate at ${p}` };
  },
  splice: (c, r, donor) => {
    const p = pickPos(c, r);
    const s = Math.floor(r() * donor.length);
    const n = 1 + Math.floor(r() * 64);
    const piece = donor.subarray(s, Math.min(donor.length, s + n));
    return { bytes: splice(c.bytes, p, Math.floor(r() * 2) * piece.length, piece), what: `splice donor[${s}..+${piece.length}] at ${p}` };
  },
};

/** Runs the whole pipeline; returns undefined when the outcome is acceptable, else what went wrong. */
function runCase(bytes: Uint8Array): string | undefined {
  try {
    const model = readModel(bytes);
    buildModelGraph(model);
    for (const t of model.graph.initializers) {
      if (t.data.kind === 'external') continue;
      const size = t.data.kind === 'raw' ? t.data.end - t.data.start : t.span.end - t.span.start;
      if (size > 1 << 16) continue;
      try {
        tensorStats(decodeTensorValues(t, bytes));
      } catch (e) {
        if (!(e instanceof OnnxFormatError || e instanceof OnnxModelError)) throw e;
      }
    }
    const out = writeModel(model);
    if (out.length !== bytes.length) return `writeModel changed the length ${bytes.length} -> ${out.length}`;
    return undefined;
  } catch (e) {
    if (e instanceof OnnxFormatError || e instanceof OnnxModelError) return undefined;
    return `${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack?.split('\n').slice(1, 5).join('\n')}`;
  }
}

const SHARED = '/work/shared/models';
const real = ['squeezenet1_1', 'mobilenet_v3_small']
  .map((n) => `${SHARED}/${n}.onnx`)
  .filter((p) => existsSync(p));

test(`mutation fuzzer: ${CASES} cases never crash, hang or take > ${CASE_LIMIT_MS} ms`, { timeout: 300_000 }, () => {
  const corpora = [
    ...builderModels().map((b, i) => corpus(`builder${i}`, b)),
    ...real.map((p) => corpus(p.split('/').pop()!, readFileSync(p))),
  ];
  // Real models are slower to copy: give them a third of the cases.
  const weights = corpora.map((c) => (c.bytes.length > 1 << 20 ? 1 : 2));
  const total = weights.reduce((a, b) => a + b, 0);
  const names = Object.keys(MUTATORS);
  const failures: string[] = [];
  const outcomes = { read: 0, rejected: 0 };
  let slowest = 0;
  for (let i = 0; i < CASES && failures.length < 10; i++) {
    const r = rng(SEED + i * 7919);
    let k = r() * total;
    let ci = 0;
    while (k >= weights[ci]) k -= weights[ci++];
    const c = corpora[ci];
    const donor = corpora[Math.floor(r() * corpora.length)].bytes;
    const m = names[Math.floor(r() * names.length)];
    const { bytes, what } = MUTATORS[m](c, r, donor);
    const t0 = performance.now();
    const problem = runCase(bytes);
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    if (problem) failures.push(`case ${i} (FUZZ_SEED=${SEED} ${c.name} ${what}): ${problem}`);
    else if (ms > CASE_LIMIT_MS) failures.push(`case ${i} (${c.name} ${what}) took ${ms.toFixed(0)} ms`);
    try { readModel(bytes); outcomes.read++; } catch { outcomes.rejected++; }
  }
  console.log(`fuzz: ${CASES} cases over ${corpora.map((c) => c.name).join(', ')}; read ${outcomes.read}, rejected ${outcomes.rejected}; slowest ${slowest.toFixed(1)} ms`);
  assert.deepEqual(failures, []);
});
