// Readers for Polygraphy RunResults files (`polygraphy run --save-results`, .json or .json.gz).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { NdArray, elementCount, itemSize } from '../../compare/ndarray';
import { decodeNpy } from './npy';
import { JsonStreamParser } from './jsonStream';
import { parseJsonFile, isGzipFile } from './readJsonStream';
import { ArrayLocation, PathPart, PolygraphyTreeBuilder, ResultsFormatError, TreeOptions, unwrapTensor } from './polygraphyTree';
import { IterationResult, RunResults, TensorEntry, eagerEntry } from './types';

/** One tensor as it streams out of a file. */
export interface TensorRecord {
  runIndex: number;
  runnerName: string;
  iteration: number;
  name: string;
  array: NdArray;
}

// lst / <run> / 1 / <iteration> / outputs / <name>
function isRunResultsTensor(p: readonly PathPart[]): boolean {
  return p.length === 6 && p[0] === 'lst' && p[2] === 1 && p[4] === 'outputs';
}

function runResultsChecks(where: string): Pick<TreeOptions, 'checkRoot' | 'checkRootEntry'> {
  return {
    checkRoot(isArray) {
      if (isArray) throw new ResultsFormatError(`${where}: not a Polygraphy RunResults file: the top level is a list (an inputs file from --save-inputs?)`);
    },
    checkRootEntry(key, value) {
      if (key === 'polygraphy_class' && value !== 'RunResults') {
        throw new ResultsFormatError(`${where}: not a Polygraphy RunResults file: it is a Polygraphy '${String(value)}', not 'RunResults'`);
      }
    },
  };
}

/** Checks the skeleton and turns it into RunResults, with tensors from `tensorAt`. */
function buildRunResults(where: string, root: unknown, tensorAt: (run: number, it: number, name: string) => TensorEntry): RunResults {
  const r = root as Record<string, unknown>;
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new ResultsFormatError(`${where}: not a Polygraphy RunResults file: the top level is not an object`);
  if (r.polygraphy_class === undefined) throw new ResultsFormatError(`${where}: not a results file: it is JSON, but not the RunResults that \`onnx-inspector run\` or \`polygraphy run --save-results\` write`);
  if (r.polygraphy_class !== 'RunResults') throw new ResultsFormatError(`${where}: not a Polygraphy RunResults file: it is a Polygraphy '${String(r.polygraphy_class)}', not 'RunResults'`);
  if (!Array.isArray(r.lst)) throw new ResultsFormatError(`${where}: RunResults without a 'lst' list`);
  return {
    runs: r.lst.map((pair, ri) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || !Array.isArray(pair[1])) {
        throw new ResultsFormatError(`${where}: lst[${ri}] is not a [runner_name, [iterations]] pair`);
      }
      const runnerName = pair[0];
      const iterations = (pair[1] as unknown[]).map((itv, ii): IterationResult => {
        const it = itv as Record<string, unknown>;
        if (!it || typeof it !== 'object' || it.polygraphy_class !== 'IterationResult' || !it.outputs || typeof it.outputs !== 'object') {
          throw new ResultsFormatError(`${where}: lst[${ri}] iteration ${ii} is not an IterationResult`);
        }
        const outputs = new Map<string, TensorEntry>();
        for (const name of Object.keys(it.outputs as object)) outputs.set(name, tensorAt(ri, ii, name));
        const runtime = typeof it.runtime === 'number' ? it.runtime : null;
        return { runnerName: typeof it.runner_name === 'string' ? it.runner_name : runnerName, runtime, outputs };
      });
      return { runnerName, iterations };
    }),
  };
}

function runnerNameOf(b: PolygraphyTreeBuilder, run: number): string {
  const root = b.rootSoFar() as Record<string, unknown> | undefined;
  const pair = (root?.lst as unknown[][] | undefined)?.[run];
  return typeof pair?.[0] === 'string' ? pair[0] : `runner${run}`;
}

/**
 * Yields tensors one at a time in file order; memory holds about one tensor plus a 1 MiB chunk.
 * Validates the whole file: the last iteration throws on a malformed or truncated file.
 */
export async function* streamRunResults(path: string): AsyncGenerator<TensorRecord> {
  const pending: TensorRecord[] = [];
  const builder: PolygraphyTreeBuilder = new PolygraphyTreeBuilder({
    where: path,
    mode: 'data',
    isTensorSlot: isRunResultsTensor,
    onTensor: (p, v) => {
      const run = p[1] as number;
      pending.push({ runIndex: run, runnerName: runnerNameOf(builder, run), iteration: p[3] as number, name: p[5] as string, array: v as NdArray });
    },
    ...runResultsChecks(path),
  });
  for await (const _ of parseJsonFile(path, builder)) {
    while (pending.length) yield pending.shift() as TensorRecord;
  }
  buildRunResults(path, builder.root, (_r, _i, name) => ({ name, dtype: 'float32', shape: [], load: async () => { throw new Error('unreachable'); } }));
  while (pending.length) yield pending.shift() as TensorRecord;
}

/** Reads the whole file into memory (fine for final outputs; use indexRunResults for intermediates). */
export async function loadRunResults(path: string): Promise<RunResults> {
  const arrays = new Map<string, NdArray>();
  const key = (r: number, i: number, n: string) => `${r}\u0000${i}\u0000${n}`;
  const builder = new PolygraphyTreeBuilder({
    where: path,
    mode: 'data',
    isTensorSlot: isRunResultsTensor,
    onTensor: (p, v) => arrays.set(key(p[1] as number, p[3] as number, p[5] as string), v as NdArray),
    ...runResultsChecks(path),
  });
  for await (const _ of parseJsonFile(path, builder)) { /* drain */ }
  return buildRunResults(path, builder.root, (r, i, n) => eagerEntry(n, arrays.get(key(r, i, n)) as NdArray));
}

export interface IndexedRunResults {
  results: RunResults;
  /** The file the lazy tensors read from (a decompressed copy for .json.gz). */
  dataPath: string;
  /** Deletes the decompressed copy, if one was made. */
  dispose(): void;
  /** Where a tensor's base64 lies in dataPath (for loadArrayAt). */
  locate(run: number, iteration: number, name: string): ArrayLocation | undefined;
}

/** Reads one array's base64 text from `dataPath` and decodes it. */
export async function loadArrayAt(dataPath: string, loc: ArrayLocation, what: string, opts: { fast?: boolean } = {}): Promise<NdArray> {
  const fh = await fs.promises.open(dataPath, 'r');
  try {
    return await readArray(fh, dataPath, loc, what, opts.fast !== false);
  } finally {
    await fh.close();
  }
}

async function readArray(fh: fs.promises.FileHandle, dataPath: string, loc: ArrayLocation, what: string, fast: boolean): Promise<NdArray> {
  if (fast) {
    const a = await decodePlainBase64At(fh, loc, `${dataPath}: ${what}`);
    if (a) return a;
  }
  return parseArrayAt(fh, dataPath, loc, what);
}

const FAST_CHUNK = 8 << 20; // multiple of 4: every chunk but the last decodes without padding

/**
 * Fast path: a range with no JSON escapes is the base64 itself, decoded chunk by chunk straight into
 * the .npy buffer (Node's base64 decoder runs at ~1 GB/s; tokenizing it as JSON ran ~20x slower).
 * Returns null whenever the range is not plain, well-formed base64 of the indexed length, so the JSON
 * path reports exactly what it always did (escapes, bad characters, truncation).
 */
async function decodePlainBase64At(fh: fs.promises.FileHandle, loc: ArrayLocation, where: string): Promise<NdArray | null> {
  const h = loc.header;
  const npyLen = h.dataOffset + elementCount(h.shape) * itemSize(h.dtype);
  const chars = loc.end - loc.start;
  if (chars !== Math.ceil(npyLen / 3) * 4) return null;
  const out = Buffer.allocUnsafeSlow(npyLen);
  // Reused across loads: fresh 8 MiB buffers cost a page fault per 4 KiB every time.
  const buf = spareChunks.pop() ?? Buffer.allocUnsafeSlow(FAST_CHUNK);
  try {
    return await decodeInto(fh, loc, where, out, npyLen, chars, buf);
  } finally {
    if (spareChunks.length < 4) spareChunks.push(buf);
  }
}

const spareChunks: Buffer[] = [];

async function decodeInto(fh: fs.promises.FileHandle, loc: ArrayLocation, where: string, out: Buffer, npyLen: number, chars: number, buf: Buffer): Promise<NdArray | null> {
  let done = 0;
  let outLen = 0;
  while (done < chars) {
    const want = Math.min(buf.length, chars - done);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, loc.start + done + got);
      if (bytesRead === 0) return null; // file shorter than indexed: the JSON path words the error
      got += bytesRead;
    }
    const text = buf.subarray(0, want);
    // A backslash means an escape (Python's json writes "\/" if asked); '=' is only legal at the end.
    if (text.indexOf(0x5c) !== -1) return null;
    const eq = text.indexOf(0x3d);
    if (eq !== -1 && (done + want !== chars || eq < want - 2 || text[want - 1] !== 0x3d)) return null;
    const n = out.write(text.toString('latin1'), outLen, 'base64');
    // Node skips characters outside the alphabet, so fewer bytes than 3 per 4 characters means bad input.
    const expect = done + want === chars ? npyLen - outLen : (want / 4) * 3;
    if (n !== expect) return null;
    outLen += n;
    done += want;
  }
  return decodeNpy(out, where);
}

/** The JSON path: re-tokenizes the range as the value of {"array": "..."}, so escapes and errors behave as in a full read. */
async function parseArrayAt(fh: fs.promises.FileHandle, dataPath: string, loc: ArrayLocation, what: string): Promise<NdArray> {
  const builder = new PolygraphyTreeBuilder({
    where: `${dataPath}: ${what}`,
    mode: 'data',
    isTensorSlot: () => false,
    onTensor: () => undefined,
  });
  const parser = new JsonStreamParser(builder, dataPath);
  parser.write(Buffer.from('{"array":"'));
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(4 << 20, loc.end - loc.start)));
  let pos = loc.start;
  while (pos < loc.end) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, loc.end - pos), pos);
    if (bytesRead === 0) throw new ResultsFormatError(`${dataPath}: ${what}: file ended early (changed since it was indexed?)`);
    parser.write(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  parser.write(Buffer.from('","polygraphy_class":"ndarray"}'));
  parser.end();
  return unwrapTensor(builder.root, `${dataPath}: ${what}`) as NdArray;
}

/**
 * One pass that records where each tensor's base64 lies plus its dtype and shape; tensors load on
 * demand. A .json.gz is decompressed to a temporary file during the same pass (gzip can't seek).
 */
export async function indexRunResults(path: string, opts: { tempDir?: string } = {}): Promise<IndexedRunResults> {
  const locs = new Map<string, ArrayLocation>();
  const key = (r: number, i: number, n: string) => `${r}\u0000${i}\u0000${n}`;
  const builder = new PolygraphyTreeBuilder({
    where: path,
    mode: 'index',
    isTensorSlot: isRunResultsTensor,
    onTensor: (p, v) => locs.set(key(p[1] as number, p[3] as number, p[5] as string), v as ArrayLocation),
    ...runResultsChecks(path),
  });
  let dataPath = path;
  let tempDir: string | null = null;
  let fd: number | undefined;
  if (isGzipFile(path)) {
    tempDir = fs.mkdtempSync(nodePath.join(opts.tempDir ?? os.tmpdir(), 'onnx-inspector-results-'));
    dataPath = nodePath.join(tempDir, nodePath.basename(path).replace(/\.gz$/, ''));
    fd = fs.openSync(dataPath, 'w');
  }
  // One handle for all lazy loads (positional reads are safe to overlap); FileHandle.close waits for reads in flight.
  let handle: Promise<fs.promises.FileHandle> | null = null;
  let disposed = false;
  const dispose = () => {
    disposed = true;
    const h = handle;
    handle = null;
    // Removing the copy while the handle is open is fine on POSIX; Windows may refuse, so rm is best effort.
    if (h) void h.then((fh) => fh.close()).catch(() => undefined);
    if (tempDir) {
      try { fs.rmSync(tempDir, { recursive: true, force: true }); } catch { if (h) void h.finally(() => setTimeout(() => fs.rmSync(tempDir as string, { recursive: true, force: true }), 50)); }
    }
  };
  try {
    for await (const _ of parseJsonFile(path, builder, { teeTo: fd })) { /* drain */ }
  } catch (e) {
    dispose();
    throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const results = buildRunResults(path, builder.root, (r, i, name) => {
    const loc = locs.get(key(r, i, name)) as ArrayLocation;
    return {
      name, dtype: loc.header.dtype, shape: loc.header.shape,
      load: async () => {
        if (disposed) throw new Error(`${path}: tensor '${name}': the results were disposed`);
        handle ??= fs.promises.open(dataPath, 'r');
        return readArray(await handle, dataPath, loc, `tensor '${name}'`, true);
      },
    };
  });
  return { results, dataPath, dispose, locate: (r, i, n) => locs.get(key(r, i, n)) };
}
