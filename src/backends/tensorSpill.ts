// A run's tensors parked on disk as raw bytes (no base64, no JSON), read back one at a time: comparing
// two runs then holds one run in memory, not two (swin_tiny: ~490 MB of intermediates per run).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { TensorProvider } from '../compare/compareRuns';
import { DType, NdArray, allocData, elementCount } from '../compare/ndarray';

interface Slot { dtype: DType; shape: number[]; offset: number; bytes: number }

/** Spills still being written, process-wide: the next run waits for them before it allocates its tensors. */
const writing = new Set<Promise<void>>();

/** Resolves when every spill's background writes have finished (errors are left to each spill's loads). */
export async function spillsWritten(): Promise<void> {
  await Promise.allSettled([...writing]);
}

export class TensorSpill implements TensorProvider {
  private readonly dir: string;
  private readonly file: string;
  private fd: number | null;
  private size = 0;
  private readonly slots = new Map<string, Slot>();
  /** Arrays whose background write has not finished: loads serve them from memory meanwhile. */
  private readonly inFlight = new Map<string, NdArray>();
  private pending = 0;
  private error: Error | null = null;
  private disposed = false;
  private idle: (() => void) | null = null;
  private done: Promise<void> = Promise.resolve();
  readonly names: string[] = [];

  constructor(tempDir = os.tmpdir()) {
    this.dir = fs.mkdtempSync(nodePath.join(tempDir, 'onnx-inspector-spill-'));
    this.file = nodePath.join(this.dir, 'tensors.bin');
    this.fd = fs.openSync(this.file, 'w+');
  }

  private reserve(name: string, a: NdArray): Slot {
    if (this.fd === null || this.disposed) throw new Error('the spill was disposed');
    if (this.error) throw this.error;
    const slot = { dtype: a.dtype, shape: a.shape, offset: this.size, bytes: a.data.byteLength };
    if (!this.slots.has(name)) this.names.push(name);
    this.slots.set(name, slot);
    this.size += slot.bytes;
    return slot;
  }

  add(name: string, a: NdArray): void {
    const slot = this.reserve(name, a);
    const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd as number, bytes, done, bytes.length - done, slot.offset + done);
  }

  /**
   * Starts writing in the background (libuv's thread pool) and returns at once, so the caller can go on
   * (e.g. create the next session) while the bytes go to disk; the array is dropped when its write ends.
   */
  addInBackground(name: string, a: NdArray): void {
    const slot = this.reserve(name, a);
    const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    this.inFlight.set(name, a);
    if (this.pending++ === 0) {
      this.done = new Promise<void>((res) => { this.idle = res; });
      writing.add(this.done);
    }
    const fd = this.fd as number;
    const finish = (e: Error | null) => {
      if (e && !this.error) this.error = new Error(`writing the spill file ${this.file} failed: ${e.message}`);
      if (this.inFlight.get(name) === a) this.inFlight.delete(name);
      if (--this.pending === 0) {
        writing.delete(this.done);
        this.idle?.();
        this.idle = null;
        if (this.disposed) {
          this.closeNow();
          fs.rmSync(this.dir, { recursive: true, force: true }); // where dispose's removal failed (Windows)
        }
      }
    };
    const step = (off: number) => {
      if (off >= bytes.length) { finish(null); return; }
      fs.write(fd, bytes, off, bytes.length - off, slot.offset + off, (e, n) => (e ? finish(e) : step(off + n)));
    };
    step(0);
  }

  /** Resolves when the background writes have finished; rejects if one failed. */
  async written(): Promise<void> {
    await this.done;
    if (this.error) throw this.error;
  }

  load(name: string): NdArray {
    const s = this.slots.get(name);
    if (!s) throw new Error(`no tensor '${name}' in this run`);
    if (this.fd === null || this.disposed) throw new Error('the spill was disposed');
    const held = this.inFlight.get(name);
    if (held) return held;
    if (this.error) throw this.error;
    const data = allocData(s.dtype, elementCount(s.shape));
    const view = new Uint8Array(data.buffer, 0, s.bytes);
    let done = 0;
    while (done < s.bytes) {
      const n = fs.readSync(this.fd, view, done, s.bytes - done, s.offset + done);
      if (n === 0) throw new Error(`spill file ended early at tensor '${name}'`);
      done += n;
    }
    return { dtype: s.dtype, shape: s.shape, data };
  }

  get byteLength(): number {
    return this.size;
  }

  private closeNow(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  dispose(): void {
    this.disposed = true;
    this.inFlight.clear();
    // Writes still in flight keep the descriptor until they end: closing it under them could let a
    // reused descriptor number receive their bytes. The file is unlinked now (POSIX keeps it open).
    if (this.pending === 0) this.closeNow();
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch (e) {
      if (this.pending === 0) throw e;
    }
  }
}
