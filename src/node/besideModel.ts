// Names and writes a derived model beside the original: model.onnx -> model.extract-1.onnx, the first number
// whose file does not exist. Writing is exclusive ('wx'), so a file that appears meanwhile is skipped, never
// replaced, and the original model is never touched.
import * as nodePath from 'node:path';
import { FileExistsError, writeNewFile } from './writeNewFile';

/** `dir/stem.tag-N.onnx` for a model `dir/stem.onnx` (any extension of the model is kept). */
export function derivedModelPath(modelPath: string, tag: string, n: number): string {
  const ext = nodePath.extname(modelPath) || '.onnx';
  const stem = nodePath.basename(modelPath, nodePath.extname(modelPath));
  return nodePath.join(nodePath.dirname(modelPath), `${stem}.${tag}-${n}${ext}`);
}

/** The first `derivedModelPath(modelPath, tag, n)`, n = 1, 2, ..., for which `exists` is false. */
export function nextFreeModelPath(modelPath: string, tag: string, exists: (path: string) => boolean, maxTries = 10_000): string {
  for (let n = 1; n <= maxTries; n++) {
    const candidate = derivedModelPath(modelPath, tag, n);
    if (!exists(candidate)) return candidate;
  }
  throw new Error(`no free file name like ${nodePath.basename(derivedModelPath(modelPath, tag, 1))} after ${maxTries} tries`);
}

/** Writes `bytes` to the next free derived name beside the model and returns the path written. */
export function writeBesideModel(modelPath: string, tag: string, bytes: Uint8Array, maxTries = 10_000): string {
  for (let n = 1; n <= maxTries; n++) {
    const candidate = derivedModelPath(modelPath, tag, n);
    try {
      writeNewFile(candidate, bytes);
      return candidate;
    } catch (e) {
      if (!(e instanceof FileExistsError)) throw e;
    }
  }
  throw new Error(`no free file name like ${nodePath.basename(derivedModelPath(modelPath, tag, 1))} after ${maxTries} tries`);
}
