// A run's tensors parked on disk as raw bytes (no base64, no JSON), read back one at a time: comparing
// two runs then holds one run in memory, not two (swin_tiny: ~490 MB of intermediates per run).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { TensorProvider } from '../compare/compareRuns';
import { DType, NdArray, allocData, elementCount } from '../compare/ndarray';

interface Slot { dtype: DType; shape: number[]; offset: number; bytes: number }

export class TensorSpill implements TensorProvider {
  private readonly dir: string;
  private readonly file: string;
  private fd: number | null;
  private size = 0;
  private readonly slots = new Map<string, Slot>();
  readonly names: string[] = [];

  constructor(tempDir = os.tmpdir()) {
    this.dir = fs.mkdtempSync(nodePath.join(tempDir, 'onnx-inspector-spill-'));
    this.file = nodePath.join(this.dir, 'tensors.bin');
    this.fd = fs.openSync(this.file, 'w+');
  }

  add(name: string, a: NdArray): void {
    if (this.fd === null) throw new Error('the spill was disposed');
    const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
    if (!this.slots.has(name)) this.names.push(name);
    this.slots.set(name, { dtype: a.dtype, shape: a.shape, offset: this.size, bytes: bytes.length });
    this.size += bytes.length;
  }

  load(name: string): NdArray {
    const s = this.slots.get(name);
    if (!s) throw new Error(`no tensor '${name}' in this run`);
    if (this.fd === null) throw new Error('the spill was disposed');
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

  dispose(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
