// Builds the small skeleton of a Polygraphy JSON file while handing each tensor out as soon as it is
// complete, so memory holds at most one tensor (or, in index mode, none).
import { NdArray } from '../../compare/ndarray';
import { JsonHandler, StringSink } from './jsonStream';
import { Base64NpyDecoder } from './base64Npy';
import { NpyHeader } from './npy';

export type PathPart = string | number;

/** Where an "array" string lies in the file, for lazy loading. */
export interface ArrayLocation {
  start: number; // first byte after the opening quote
  end: number; // the closing quote
  header: NpyHeader;
}

export interface TensorMarker {
  readonly __tensor: NdArray | ArrayLocation;
}

export class ResultsFormatError extends Error {
  override name = 'ResultsFormatError';
}

type Container = unknown[] | Record<string, unknown>;

interface Frame {
  c: Container;
  key: string | null;
}

export interface TreeOptions {
  where: string;
  /** 'data' decodes every array; 'index' records offsets and headers only. */
  mode: 'data' | 'index';
  isTensorSlot(path: readonly PathPart[]): boolean;
  onTensor(path: readonly PathPart[], value: NdArray | ArrayLocation): void;
  /** Called when the top-level value starts, to reject the wrong kind of file early. */
  checkRoot?(isArray: boolean): void;
  /** Called for each key/value of the top-level object, to reject the wrong kind of file early. */
  checkRootEntry?(key: string, value: unknown): void;
}

/** Unwraps Polygraphy's LazyArray/ndarray wrappers around one tensor. */
export function unwrapTensor(v: unknown, what: string): NdArray | ArrayLocation {
  let o = v as Record<string, unknown> | null;
  if (o && typeof o === 'object' && (o.polygraphy_class === 'LazyArray' || o.polygraphy_class === 'LazyNumpyArray')) {
    o = o.values as Record<string, unknown>;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new ResultsFormatError(`${what}: expected an encoded array, got ${JSON.stringify(v)?.slice(0, 80)}`);
  const cls = o.polygraphy_class;
  if (cls !== 'ndarray' && cls !== 'numpy.ndarray') {
    throw new ResultsFormatError(`${what}: unsupported array class '${String(cls)}' (only numpy ndarrays are supported)`);
  }
  const m = o.array as TensorMarker | undefined;
  if (!m || typeof m !== 'object' || !('__tensor' in m)) throw new ResultsFormatError(`${what}: ndarray without an 'array' string`);
  return m.__tensor;
}

export class PolygraphyTreeBuilder implements JsonHandler {
  private frames: Frame[] = [];
  root: unknown = undefined;

  constructor(private readonly o: TreeOptions) {}

  /** The top-level value as built so far (tensors replaced by null). */
  rootSoFar(): unknown {
    return this.root !== undefined ? this.root : this.frames[0]?.c;
  }

  path(): PathPart[] {
    return this.frames.map((f) => (Array.isArray(f.c) ? f.c.length : (f.key as string)));
  }

  private put(v: unknown): void {
    const f = this.frames[this.frames.length - 1];
    if (!f) {
      this.root = v;
      return;
    }
    if (this.frames.length === 1 && !Array.isArray(f.c)) this.o.checkRootEntry?.(f.key as string, v);
    const path = this.path();
    if (this.o.isTensorSlot(path)) {
      this.o.onTensor(path, unwrapTensor(v, `${this.o.where}: tensor '${path.join('/')}'`));
      // Keep the name and order, not the data.
      v = null;
    }
    if (Array.isArray(f.c)) f.c.push(v);
    else f.c[f.key as string] = v;
  }

  private open(c: Container): void {
    if (this.frames.length === 0) this.o.checkRoot?.(Array.isArray(c));
    this.frames.push({ c, key: null });
  }

  startObject(): void { this.open({}); }
  startArray(): void { this.open([]); }
  endObject(): void { this.close(); }
  endArray(): void { this.close(); }

  private close(): void {
    const f = this.frames.pop() as Frame;
    this.put(f.c);
  }

  key(k: string): void {
    this.frames[this.frames.length - 1].key = k;
  }

  value(v: string | number | boolean | null): void {
    this.put(v);
  }

  streamString(absStart: number): StringSink | null {
    const f = this.frames[this.frames.length - 1];
    if (!f || Array.isArray(f.c) || f.key !== 'array') return null;
    const path = this.path();
    const where = `${this.o.where}: array '${path.slice(0, -2).join('/')}'`;
    const dec = new Base64NpyDecoder(where, this.o.mode === 'index');
    const put = (m: TensorMarker) => this.put(m);
    let chars = 0;
    return {
      write(seg: Uint8Array): void {
        chars += seg.length;
        dec.write(seg);
      },
      end: (absEnd: number): void => {
        if (this.o.mode === 'data') {
          put({ __tensor: dec.finish() });
          return;
        }
        const len = dec.npyLength;
        if (!dec.header || len === null) dec.finish(); // throws the precise truncation error
        if (chars !== Math.ceil((len as number) / 3) * 4) {
          throw new ResultsFormatError(`${where}: truncated base64: ${chars} characters for ${len} npy bytes`);
        }
        put({ __tensor: { start: absStart, end: absEnd, header: dec.header as NpyHeader } });
      },
    };
  }
}
