// Incremental base64 -> .npy decoder: the output buffer is allocated once, from the npy header, so a
// tensor costs its own size in memory and nothing more.
import { NdArray } from '../../compare/ndarray';
import { NpyHeader, decodeNpy, parseNpyHeader } from './npy';
import { elementCount, itemSize } from '../../compare/ndarray';

// Base64 characters decoded to find an npy header while indexing (numpy headers are a few hundred bytes).
const HEADER_PROBE = 4096;

const B64_TAIL = /^[A-Za-z0-9+/]{2}(==|[A-Za-z0-9+/]=)$/;

export class Base64Error extends Error {
  override name = 'Base64Error';
}

export class Base64NpyDecoder {
  private carry = '';
  private head: Buffer[] = [];
  private headLen = 0;
  private out: Buffer | null = null;
  private outLen = 0;
  private finished = false;
  header: NpyHeader | null = null;

  /** headerOnly: stop once the npy header is known (used to index files without loading data). */
  constructor(private readonly where: string, private readonly headerOnly = false) {}

  /** Total .npy byte length, known once the header is. */
  get npyLength(): number | null {
    const h = this.header;
    return h ? h.dataOffset + elementCount(h.shape) * itemSize(h.dtype) : null;
  }

  /** Feeds base64 text (ASCII bytes). */
  write(ascii: Uint8Array): void {
    if (this.headerOnly && this.header) return;
    if (this.headerOnly && ascii.length > HEADER_PROBE) {
      // Indexing needs the header only: decode a few KiB, not the whole first 1 MiB segment of every
      // tensor (that was ~1/4 of an index pass); a longer header just goes on with the rest.
      this.write(ascii.subarray(0, HEADER_PROBE));
      if (!this.header) this.write(ascii.subarray(HEADER_PROBE));
      return;
    }
    if (this.finished) throw new Base64Error(`${this.where}: base64 data after padding`);
    let bytes = Buffer.from(ascii.buffer, ascii.byteOffset, ascii.length);
    if (this.carry) {
      // Complete the carried quantum on its own rather than prefixing the carry to the whole chunk: that
      // would copy every 1 MiB chunk once more. A padded quantum keeps the old whole-text path.
      const need = 4 - this.carry.length;
      const q = this.carry + bytes.toString('latin1', 0, Math.min(need, bytes.length));
      if (q.length < 4 || q.includes('=')) {
        const text = this.carry + bytes.toString('latin1');
        this.carry = '';
        this.decodeText(text);
        return;
      }
      this.carry = '';
      this.decodeText(q);
      bytes = bytes.subarray(need);
    }
    const usable = bytes.length - (bytes.length % 4);
    this.carry = bytes.toString('latin1', usable);
    if (usable) this.decodeText(bytes.toString('latin1', 0, usable));
  }

  /** Decodes text whose length is a multiple of 4, padding only at its end. */
  private decodeText(text: string): void {
    const usable = text.length - (text.length % 4);
    this.carry += text.slice(usable);
    if (usable < text.length) text = text.slice(0, usable);
    if (!text) return;
    let tail = '';
    if (text.endsWith('=')) {
      tail = text.slice(-4);
      text = text.slice(0, -4);
      if (!B64_TAIL.test(tail)) throw new Base64Error(`${this.where}: bad base64 padding`);
      this.finished = true;
    }
    const want = (text.length / 4) * 3 + (tail ? (tail.endsWith('==') ? 1 : 2) : 0);
    const out = this.out;
    if (out && this.outLen + want <= out.length) {
      // Straight into the .npy buffer: no intermediate Buffer, no copy.
      const n = out.write(tail ? text + tail : text, this.outLen, 'base64');
      if (n !== want) throw new Base64Error(`${this.where}: invalid base64 character`);
      this.outLen += n;
      return;
    }
    const bytes = Buffer.from(tail ? text + tail : text, 'base64');
    // Node skips characters outside the alphabet, so a short result means invalid input; checking
    // the length is ~20x cheaper than a regular expression over every character.
    if (bytes.length !== want) throw new Base64Error(`${this.where}: invalid base64 character`);
    this.push(bytes);
  }

  private push(bytes: Buffer): void {
    if (this.out) {
      this.append(bytes);
      return;
    }
    this.head.push(bytes);
    this.headLen += bytes.length;
    const head = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
    this.head = [head];
    if (this.headLen < 12) return;
    const hdrLen = head[6] === 1 ? 10 + (head[8] | (head[9] << 8)) : 12 + head.readUInt32LE(8);
    if (head[0] !== 0x93) this.header = parseNpyHeader(head, this.where); // throws "bad magic"
    if (this.headLen < hdrLen) return;
    this.header = parseNpyHeader(head, this.where);
    if (this.headerOnly) return;
    const total = this.npyLength as number;
    this.out = Buffer.allocUnsafeSlow(Math.max(total, head.length));
    this.head = [];
    this.append(head);
  }

  private append(bytes: Buffer): void {
    const out = this.out as Buffer;
    if (this.outLen + bytes.length > out.length) {
      throw new Base64Error(`${this.where}: more data than the npy header declares (${out.length} bytes)`);
    }
    bytes.copy(out, this.outLen);
    this.outLen += bytes.length;
  }

  /** Ends the string; throws when the base64 or the npy data is incomplete. */
  finish(): NdArray {
    if (this.carry.length) throw new Base64Error(`${this.where}: truncated base64 (length not a multiple of 4)`);
    if (!this.out) {
      const head = Buffer.concat(this.head);
      if (head.length < 10) throw new Base64Error(`${this.where}: truncated npy data (${head.length} bytes)`);
      parseNpyHeader(head, this.where);
      throw new Base64Error(`${this.where}: truncated npy header`);
    }
    return decodeNpy(this.out.subarray(0, this.outLen), this.where);
  }
}
