// Streaming writers for Polygraphy RunResults and inputs files: tensor by tensor, base64 in slices,
// honouring stream backpressure, so memory holds one tensor however large the file.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { NdArray } from '../../compare/ndarray';
import { arrayBytes, encodeNpyHeader } from './npy';
import { RunResults } from './types';

// Multiple of 3 so each slice encodes to base64 without padding; 3 MiB -> 4 MiB per write keeps the
// per-write overhead small while the next slice encodes during the previous write.
const SLICE = 3 << 20;
// Small JSON pieces are batched up to this size: one write per tensor instead of ~6 tiny ones.
const BATCH = 64 << 10;

class JsonSink {
  private readonly file: fs.WriteStream;
  private readonly out: Writable;
  private pending = '';

  constructor(path: string, gzip: boolean, gzipLevel: number) {
    // A high-water mark above one slice lets a slice's write run while the next one encodes.
    this.file = fs.createWriteStream(path, { highWaterMark: 8 << 20 });
    if (gzip) {
      const gz = zlib.createGzip({ level: gzipLevel, chunkSize: 1 << 20 });
      gz.pipe(this.file);
      this.out = gz;
    } else {
      this.out = this.file;
    }
  }

  /** Small JSON text: batched. */
  async text(s: string): Promise<void> {
    this.pending += s;
    if (this.pending.length >= BATCH) await this.flush();
  }

  /** Base64 bytes (already ASCII): written as they are after the batched text. */
  async bytes(b: Buffer): Promise<void> {
    await this.flush();
    await this.raw(b);
  }

  private async flush(): Promise<void> {
    if (!this.pending) return;
    const s = this.pending;
    this.pending = '';
    await this.raw(s);
  }

  private async raw(s: string | Buffer): Promise<void> {
    if (!this.out.write(s)) await new Promise<void>((res, rej) => {
      const onErr = (e: Error) => rej(e);
      this.out.once('drain', () => { this.out.off('error', onErr); res(); });
      this.out.once('error', onErr);
    });
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((res, rej) => {
      this.file.once('error', rej);
      this.file.once('finish', () => res());
      this.out.end();
    });
  }

  destroy(): void {
    this.out.destroy();
    this.file.destroy();
  }
}

/** Writes one array as Polygraphy's {"array": "<base64 npy>", "polygraphy_class": "ndarray"}. */
async function writeNdarray(sink: JsonSink, a: NdArray, indent: string): Promise<void> {
  const header = encodeNpyHeader(a.dtype, a.shape);
  const data = arrayBytes(a);
  await sink.text(`{\n${indent}    "array": "`);
  // base64 of a concatenation split at multiples of 3 bytes is the concatenation of the parts' base64:
  // the header plus the first 0-2 data bytes form one small 3-aligned part, then data slices follow
  // straight from the array (no copies); only the last slice carries padding.
  const lead = Math.min(data.length, (3 - (header.length % 3)) % 3);
  const head = Buffer.concat([header, data.subarray(0, lead)]);
  const rest = Buffer.from(data.buffer, data.byteOffset + lead, data.length - lead);
  await sink.text(head.toString('base64'));
  for (let off = 0; off < rest.length; off += SLICE) {
    const b64 = rest.toString('base64', off, Math.min(off + SLICE, rest.length));
    // Small tensors join the batched text; big slices go as bytes (latin1 is a plain copy of the
    // one-byte string, utf8 would re-encode it char by char).
    if (b64.length < BATCH) await sink.text(b64);
    else await sink.bytes(Buffer.from(b64, 'latin1'));
  }
  await sink.text(`",\n${indent}    "polygraphy_class": "ndarray"\n${indent}}`);
}

function isGzPath(path: string): boolean {
  return path.endsWith('.gz');
}

/** Writes RunResults in Polygraphy's layout (json.dumps indent=4); `.gz` paths are gzipped. */
export interface WriteOptions {
  /** Default: when the path ends in .gz. */
  gzip?: boolean;
  /** zlib level; default 1: base64 of floats compresses as well as at level 6 (measured 0.735 both), 1.5x faster. */
  gzipLevel?: number;
}

export async function writeRunResults(path: string, results: RunResults, opts: WriteOptions = {}): Promise<void> {
  const sink = new JsonSink(path, opts.gzip ?? isGzPath(path), opts.gzipLevel ?? 1);
  try {
    await sink.text('{\n    "lst": [');
    for (const [ri, run] of results.runs.entries()) {
      await sink.text(`${ri ? ',' : ''}\n        [\n            ${JSON.stringify(run.runnerName)},\n            [`);
      for (const [ii, it] of run.iterations.entries()) {
        await sink.text(`${ii ? ',' : ''}\n                {\n                    "outputs": {`);
        let first = true;
        for (const [name, entry] of it.outputs) {
          const ind = ' '.repeat(28);
          await sink.text(`${first ? '' : ','}\n${' '.repeat(24)}${JSON.stringify(name)}: {\n${ind}"values": `);
          await writeNdarray(sink, await entry.load(), ind);
          await sink.text(`,\n${ind}"polygraphy_class": "LazyArray"\n${' '.repeat(24)}}`);
          first = false;
        }
        const runtime = it.runtime !== null && Number.isFinite(it.runtime) ? String(it.runtime) : 'null';
        await sink.text(`${first ? '' : '\n                    '}},\n                    "runtime": ${runtime},\n                    "runner_name": ${JSON.stringify(it.runnerName)},\n                    "polygraphy_class": "IterationResult"\n                }`);
      }
      await sink.text(`${run.iterations.length ? '\n            ' : ''}]\n        ]`);
    }
    await sink.text(`${results.runs.length ? '\n    ' : ''}],\n    "polygraphy_class": "RunResults"\n}`);
    await sink.close();
  } catch (e) {
    sink.destroy();
    throw e;
  }
}

/** Writes a `--save-inputs` style file: a list of feed dicts. */
export async function writeInputsFile(path: string, feeds: (Map<string, NdArray> | Record<string, NdArray>)[], opts: WriteOptions = {}): Promise<void> {
  const sink = new JsonSink(path, opts.gzip ?? isGzPath(path), opts.gzipLevel ?? 1);
  try {
    await sink.text('[');
    for (const [fi, feed] of feeds.entries()) {
      await sink.text(`${fi ? ',' : ''}\n    {`);
      const entries = feed instanceof Map ? [...feed] : Object.entries(feed);
      for (const [ni, [name, a]] of entries.entries()) {
        await sink.text(`${ni ? ',' : ''}\n        ${JSON.stringify(name)}: `);
        await writeNdarray(sink, a, '        ');
      }
      await sink.text(`${entries.length ? '\n    ' : ''}}`);
    }
    await sink.text(`${feeds.length ? '\n' : ''}]`);
    await sink.close();
  } catch (e) {
    sink.destroy();
    throw e;
  }
}
