// Push JSON tokenizer over byte chunks. Long strings can be streamed to a sink segment by segment,
// so a 650 MB base64 value never has to become one JS string (V8 caps strings near 512 MB).

export interface StringSink {
  /** Raw bytes of the string between the quotes, in order; escapes already resolved. */
  write(segment: Uint8Array, absOffset: number): void;
  /** Called at the closing quote; absEnd is the offset of the closing quote. */
  end(absEnd: number): void;
}

export interface JsonHandler {
  startObject(): void;
  endObject(): void;
  startArray(): void;
  endArray(): void;
  key(k: string): void;
  value(v: string | number | boolean | null): void;
  /** At an opening quote of a value string: return a sink to stream it instead of building a string. */
  streamString?(absStart: number): StringSink | null;
}

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

const enum S { Value, AfterValue, Key, Colon, Str, Num, Lit, Done }

const MAX_SMALL_STRING = 16 * 1024 * 1024;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class JsonStreamParser {
  private state = S.Value;
  private stack: number[] = []; // 0x7b '{' or 0x5b '['
  private offset = 0; // absolute offset of the current chunk's first byte
  private strParts: Uint8Array[] = [];
  private strLen = 0;
  private strIsKey = false;
  private sink: StringSink | null = null;
  private pendingEscape: number[] | null = null; // escape split across chunks
  private tok = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly h: JsonHandler, private readonly where = 'JSON') {}

  private fail(msg: string, at: number): never {
    throw new JsonSyntaxError(`${this.where}: ${msg} at byte ${at}`);
  }

  write(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.state === S.Str) {
        i = this.readString(chunk, i);
        continue;
      }
      const c = chunk[i];
      switch (this.state) {
        case S.Value:
          if (isWs(c)) { i++; break; }
          i = this.beginValue(chunk, i);
          break;
        case S.AfterValue:
          if (isWs(c)) { i++; break; }
          i++;
          if (c === 0x2c) {
            const top = this.stack[this.stack.length - 1];
            if (top === undefined) this.fail("unexpected ','", this.offset + i - 1);
            this.state = top === 0x7b ? S.Key : S.Value;
          } else if (c === 0x7d || c === 0x5d) {
            this.closeContainer(c, this.offset + i - 1);
          } else this.fail(`unexpected '${String.fromCharCode(c)}' after a value`, this.offset + i - 1);
          break;
        case S.Key:
          if (isWs(c)) { i++; break; }
          if (c === 0x22) { this.startString(true); i++; break; }
          if (c === 0x7d) { i++; this.closeContainer(c, this.offset + i - 1); break; }
          this.fail('expected an object key', this.offset + i);
          break;
        case S.Colon:
          if (isWs(c)) { i++; break; }
          if (c !== 0x3a) this.fail("expected ':'", this.offset + i);
          i++;
          this.state = S.Value;
          break;
        case S.Num:
        case S.Lit: {
          const start = i;
          while (i < n && !isWs(chunk[i]) && chunk[i] !== 0x2c && chunk[i] !== 0x7d && chunk[i] !== 0x5d) i++;
          this.tok += String.fromCharCode(...chunk.subarray(start, Math.min(i, start + 64)));
          if (this.tok.length > 64) this.fail('token too long', this.offset + start);
          if (i < n) this.finishToken(this.offset + i);
          break;
        }
        case S.Done:
          if (isWs(c)) { i++; break; }
          this.fail('trailing data after the JSON value', this.offset + i);
      }
    }
    this.offset += n;
  }

  end(): void {
    if (this.state === S.Num || this.state === S.Lit) this.finishToken(this.offset);
    if (this.state !== S.Done) {
      const what = this.state === S.Str ? 'inside a string' : this.stack.length ? `inside ${this.stack.length} open container(s)` : 'before any value';
      this.fail(`unexpected end of data (truncated file?) ${what}`, this.offset);
    }
  }

  private beginValue(chunk: Uint8Array, i: number): number {
    const c = chunk[i];
    const at = this.offset + i;
    if (c === 0x7b) { this.stack.push(c); this.h.startObject(); this.state = S.Key; return i + 1; }
    if (c === 0x5b) {
      this.stack.push(c);
      this.h.startArray();
      this.state = S.Value;
      return i + 1;
    }
    if (c === 0x5d) {
      // ']' where a value was expected: an empty array (closeContainer rejects it elsewhere).
      this.closeContainer(c, at);
      return i + 1;
    }
    if (c === 0x22) {
      this.sink = this.h.streamString ? this.h.streamString(at + 1) : null;
      this.startString(false);
      return i + 1;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) { this.state = S.Num; this.tok = ''; return i; }
    if (c === 0x74 || c === 0x66 || c === 0x6e || c === 0x4e || c === 0x49) { this.state = S.Lit; this.tok = ''; return i; }
    this.fail(`unexpected '${String.fromCharCode(c)}' (not JSON?)`, at);
  }

  private closeContainer(c: number, at: number): void {
    const top = this.stack.pop();
    if ((c === 0x7d && top !== 0x7b) || (c === 0x5d && top !== 0x5b)) this.fail(`mismatched '${String.fromCharCode(c)}'`, at);
    if (c === 0x7d) this.h.endObject(); else this.h.endArray();
    this.afterValue();
  }

  private afterValue(): void {
    this.state = this.stack.length ? S.AfterValue : S.Done;
  }

  private finishToken(at: number): void {
    const t = this.tok;
    let v: number | boolean | null;
    if (t === 'true') v = true;
    else if (t === 'false') v = false;
    else if (t === 'null') v = null;
    else if (t === 'NaN') v = NaN; // Python's json writes these for non-finite floats
    else if (t === 'Infinity') v = Infinity;
    else if (t === '-Infinity') v = -Infinity;
    else if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(t)) v = Number(t);
    else this.fail(`bad token '${t}'`, at);
    this.h.value(v);
    this.afterValue();
  }

  private startString(isKey: boolean): void {
    this.state = S.Str;
    this.strIsKey = isKey;
    this.strParts = [];
    this.strLen = 0;
  }

  private emitSegment(seg: Uint8Array, abs: number): void {
    if (seg.length === 0) return;
    if (this.sink) { this.sink.write(seg, abs); return; }
    this.strLen += seg.length;
    if (this.strLen > MAX_SMALL_STRING) this.fail('string too long to hold in memory', abs);
    this.strParts.push(seg.slice());
  }

  /** Consumes string bytes from i; returns the next index to read. */
  private readString(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    if (this.pendingEscape) {
      const esc = this.pendingEscape;
      while (i < n && !this.escapeComplete(esc)) esc.push(chunk[i++]);
      if (!this.escapeComplete(esc)) return i;
      this.pendingEscape = null;
      this.emitEscape(esc, this.offset + i);
    }
    while (i < n) {
      const q = chunk.indexOf(0x22, i);
      const b = chunk.indexOf(0x5c, i);
      if (b !== -1 && (q === -1 || b < q)) {
        this.emitSegment(chunk.subarray(i, b), this.offset + i);
        const esc = [0x5c];
        let j = b + 1;
        while (j < n && !this.escapeComplete(esc)) esc.push(chunk[j++]);
        if (!this.escapeComplete(esc)) { this.pendingEscape = esc; return j; }
        this.emitEscape(esc, this.offset + b);
        i = j;
        continue;
      }
      if (q === -1) {
        this.emitSegment(chunk.subarray(i), this.offset + i);
        return n;
      }
      this.emitSegment(chunk.subarray(i, q), this.offset + i);
      this.finishString(this.offset + q);
      return q + 1;
    }
    return i;
  }

  private escapeComplete(esc: number[]): boolean {
    if (esc.length < 2) return false;
    return esc[1] === 0x75 ? esc.length >= 6 : true;
  }

  private emitEscape(esc: number[], at: number): void {
    let s: string;
    try {
      s = JSON.parse(`"${String.fromCharCode(...esc)}"`) as string;
    } catch {
      this.fail(`bad escape '${String.fromCharCode(...esc)}'`, at);
    }
    // Surrogate halves are kept as CESU-ish bytes only in small strings, which JSON.parse re-joins below.
    this.emitSegment(this.sink ? new TextEncoder().encode(s) : new Uint8Array(esc), at);
  }

  private finishString(absEnd: number): void {
    if (this.sink) {
      const sink = this.sink;
      this.sink = null;
      sink.end(absEnd);
      this.afterValue();
      return;
    }
    const all = new Uint8Array(this.strLen);
    let o = 0;
    for (const p of this.strParts) { all.set(p, o); o += p.length; }
    this.strParts = [];
    const raw = this.decoder.decode(all);
    const s = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    if (this.strIsKey) {
      this.h.key(s);
      this.state = S.Colon;
    } else {
      this.h.value(s);
      this.afterValue();
    }
  }
}
