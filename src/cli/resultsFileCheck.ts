// `compare` takes results files: one that is not JSON at all (a model, an image, a text file) is named as such
// in plain words before the streaming reader meets its first byte and reports a syntax error.
import * as fs from 'node:fs';
import { sniffFileKind } from '../node/modelFile';
import { CliError } from './command';

const WHAT_COMPARE_TAKES = 'compare takes the RunResults .json files that `onnx-inspector run --save-results` or `polygraphy run --save-results` write';

function head(path: string, bytes: number): Uint8Array {
  const fd = fs.openSync(path, 'r');
  try {
    const out = new Uint8Array(bytes);
    return out.subarray(0, fs.readSync(fd, out, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** What the start of a file that is not JSON looks like, for the message. */
function lookalike(bytes: Uint8Array): string {
  // An ONNX model starts with field 1 (ir_version, a varint): tag byte 0x08.
  if (bytes[0] === 0x08) return 'it looks like an ONNX model (give the model with --model)';
  const kind = sniffFileKind(bytes);
  return kind ? `it looks like ${kind}` : 'it is binary data';
}

/** Throws a CliError when `path` is plainly not a results file (gzip files are left to the reader). */
export function checkResultsFile(path: string): void {
  let bytes: Uint8Array;
  try {
    bytes = head(path, 256);
  } catch {
    return; // missing or unreadable: the reader's error names the file
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return;
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b || first === 0x5b) return; // an object or a list: the reader checks the rest
  const why = bytes.length === 0 || first === undefined ? 'it is empty' : `it is not JSON: ${lookalike(bytes)}`;
  throw new CliError(`${path} is not a results file: ${why}; ${WHAT_COMPARE_TAKES}`);
}
