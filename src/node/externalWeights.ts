// The one external weights loader for onnxruntime: a session created from bytes cannot find files itself, so
// every file the model references (initializers, Constant attributes, subgraphs) is resolved through the
// resolver, its tensors' byte ranges are checked against its size, and only then is it read.
import * as fs from 'node:fs';
import { ExternalDataError, ExternalTensor, externalReferences, rangeProblems } from '../core/externalData';
import { OnnxModel, readModel } from '../core/model';
import { resolveExternalLocation } from './externalDataResolver';
import { readFileChunkedSync } from './modelFile';

/** A file as onnxruntime's `externalData` session option wants it: the location string and its bytes. */
export interface ExternalWeightsFile { path: string; data: Uint8Array }

/** Resolves and checks every external data file of the model without reading any (throws ExternalDataError). */
export function checkExternalWeights(modelPath: string, model: OnnxModel): { location: string; file: string }[] {
  const files = new Map<string, string>();
  for (const ref of externalReferences(model)) {
    if (!files.has(ref.location)) files.set(ref.location, resolveExternalLocation(modelPath, ref.location, ref.tensor || ref.where));
  }
  for (const [location, file] of files) {
    const tensors = model.graph.initializers.filter((t): t is ExternalTensor => t.data.kind === 'external' && t.data.location === location);
    const size = fs.statSync(file).size;
    for (const t of tensors) {
      const problems = rangeProblems(t, size);
      if (problems.length > 0) throw new ExternalDataError(problems.join('; '), t.name, file);
    }
  }
  return [...files].map(([location, file]) => ({ location, file }));
}

/** Every external data file of the model, checked first, then read whole. */
export function loadExternalWeights(modelPath: string, model: OnnxModel): ExternalWeightsFile[] {
  return checkExternalWeights(modelPath, model).map(({ location, file }) => ({ path: location, data: readFileChunkedSync(file) }));
}

/**
 * Checks the external data a model about to be written references, as seen from where it will be: a derived
 * model must not point at files outside its folder, nor at missing bytes (throws ExternalDataError).
 */
export function checkWrittenModelData(outPath: string, bytes: Uint8Array): void {
  checkExternalWeights(outPath, readModel(bytes));
}
