// The float32 comparison's elementwise pass in WebAssembly SIMD (scanF32.wat): about 3x the JavaScript loop on
// this project's 2-core machine, bit-identical to it. Pure: no DOM, no Node; falls back (undefined) where
// WebAssembly or SIMD is missing. Each thread (the host, each compare worker) has its own instance and memory.
import { SCAN_F32_WASM } from './scanF32.wasm';

// The few WebAssembly APIs used here (the compare layer's lib has no DOM or Node types).
interface WasmMemory { buffer: ArrayBuffer; grow(pages: number): number }
interface WasmExports {
  memory: WasmMemory;
  scan(x: number, y: number, abs: number, rel: number, n: number, eps: number, atolNext: number, rtolNext: number): void;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

/** What the scan adds up (the JavaScript loop's accumulators). */
export interface ScanTotals {
  amax: number; rmax: number; relNaN: number; nanA: number; nanB: number; infA: number; infB: number;
  dot: number; na: number; nb: number; mismatches: number;
}

const DATA = 256; // results live below
const PAGE = 65536;
/** Beyond this many elements the JavaScript loop runs instead: wasm memory never shrinks, and each element takes
 *  16 bytes of it, so this caps what each thread keeps after its largest tensor at 128 MB. */
const MAX_KERNEL_ELEMENTS = 1 << 23;

let exports: WasmExports | null | undefined;
let enabled = true;

/** Tests compare both paths; false forces the JavaScript loop. */
export function setScanKernelEnabled(on: boolean): void {
  enabled = on;
}

function kernel(): WasmExports | null {
  if (exports === undefined) {
    try {
      exports = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(SCAN_F32_WASM)), {}).exports as WasmExports;
    } catch {
      exports = null; // no WebAssembly SIMD here: the JavaScript loop serves
    }
  }
  return exports;
}

/** Whether scanF32Kernel will run for n elements. */
export function scanKernelAvailable(n: number): boolean {
  return enabled && n >= 16 && n <= MAX_KERNEL_ELEMENTS && kernel() !== null;
}

/**
 * Runs the pass over the first n - n % 4 pairs. Returns abs and rel buffers of length n that live in the
 * kernel's memory (the last n % 4 entries are left for the caller): valid until the next call.
 */
export function scanF32Kernel(x: Float32Array, y: Float32Array, eps: number, atol: number, rtol: number, totals: ScanTotals): { abs: Float32Array; rel: Float32Array; done: number } {
  const k = kernel()!;
  const n = x.length;
  const stride = (n * 4 + 15) & ~15;
  const need = DATA + 4 * stride;
  if (k.memory.buffer.byteLength < need) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / PAGE));
  const buf = k.memory.buffer;
  const [px, py, pa, pr] = [0, 1, 2, 3].map((i) => DATA + i * stride);
  new Float32Array(buf, px, n).set(x);
  new Float32Array(buf, py, n).set(y);
  const done = n - (n % 4);
  k.scan(px, py, pa, pr, done, eps, f32Above(atol), f32Above(rtol));
  const f64 = new Float64Array(buf, 0, 3);
  const f32 = new Float32Array(buf, 64, 8);
  const i32 = new Int32Array(buf, 96, 24);
  const lanes = (at: number) => i32[at] + i32[at + 1] + i32[at + 2] + i32[at + 3];
  totals.dot += f64[0];
  totals.na += f64[1];
  totals.nb += f64[2];
  for (let l = 0; l < 4; l++) {
    if (f32[l] > totals.amax) totals.amax = f32[l];
    if (f32[4 + l] > totals.rmax) totals.rmax = f32[4 + l];
  }
  totals.mismatches += lanes(0);
  totals.relNaN += lanes(4);
  totals.nanA += lanes(8);
  totals.infA += lanes(12);
  totals.nanB += lanes(16);
  totals.infB += lanes(20);
  return { abs: new Float32Array(buf, pa, n), rel: new Float32Array(buf, pr, n), done };
}

const f32b = new Float32Array(1);
const u32b = new Uint32Array(f32b.buffer);

/**
 * The smallest float32 greater than t, so that for any float32 v, `v > t` (compared in float64) equals
 * `v >= f32Above(t)` (compared in float32). NaN where nothing is greater (t NaN or +inf).
 */
export function f32Above(t: number): number {
  if (t !== t || t === Infinity) return NaN;
  f32b[0] = t;
  const f = f32b[0];
  if (f > t) return f; // rounding went up: no float32 lies between t and f
  if (f === 0) { u32b[0] = 1; return f32b[0]; } // +-0: the smallest subnormal
  if (f === -Infinity) return -3.4028234663852886e38;
  u32b[0] += f > 0 ? 1 : -1;
  return f32b[0];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0, acc = 0, o = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  return out;
}
