// Writes a reduction's files: the minimal model, B's subgraph when B ran another model, the reference inputs
// (Polygraphy JSON inputs) and the report. Every path is reserved exclusively before anything is written,
// so no existing file is ever replaced, and a refusal leaves nothing behind.
import * as fs from 'node:fs';
import { writeInputsFile } from '../backends/results/writeResults';
import { writeNewFile } from '../node/writeNewFile';
import { derivedModelPath } from '../node/besideModel';
import { ReduceResult } from './reduce';
import { renderReduceReport } from './reportMarkdown';

export interface ReductionPaths {
  model: string;
  /** Written when B's subgraph was cut from another model file. */
  referenceModel: string;
  inputs: string;
  report: string;
}

/** MIN.onnx -> MIN.reference.onnx, MIN.inputs.json, MIN.report.md (the report's path may be chosen). */
export function reductionPaths(modelPath: string, reportPath?: string): ReductionPaths {
  const stem = modelPath.replace(/\.onnx$/i, '');
  return { model: modelPath, referenceModel: `${stem}.reference.onnx`, inputs: `${stem}.inputs.json`, report: reportPath ?? `${stem}.report.md` };
}

/** The first `model.reduced-N.onnx` beside the model whose files (model, reference, inputs, report) are all free. */
export function freeReductionPathsBeside(modelPath: string, exists: (p: string) => boolean = fs.existsSync): ReductionPaths {
  for (let n = 1; n < 10_000; n++) {
    const p = reductionPaths(derivedModelPath(modelPath, 'reduced', n));
    if (!Object.values(p).some(exists)) return p;
  }
  throw new Error(`no free file name like ${derivedModelPath(modelPath, 'reduced', 1)}`);
}

/** The paths this result will write (the reference model only when there is one). */
export function pathsToWrite(r: ReduceResult, p: ReductionPaths): string[] {
  return [p.model, ...(r.minimal?.referenceModel ? [p.referenceModel] : []), p.inputs, p.report];
}

/** Writes the files of a reduced result; throws FileExistsError (nothing written) when one exists. */
export async function writeReduction(r: ReduceResult, p: ReductionPaths): Promise<string[]> {
  const m = r.minimal;
  if (!m) throw new Error(`nothing to write: the reduction ended with '${r.status}'`);
  const paths = pathsToWrite(r, p);
  const reserved: string[] = [];
  try {
    for (const path of paths) {
      writeNewFile(path, new Uint8Array(0));
      reserved.push(path);
    }
    writeNewFile(p.model, m.model, { overwrite: true });
    if (m.referenceModel) writeNewFile(p.referenceModel, m.referenceModel, { overwrite: true });
    await writeInputsFile(p.inputs, [m.feeds]);
    const report = renderReduceReport(r, { model: p.model, referenceModel: m.referenceModel ? p.referenceModel : undefined, inputs: p.inputs });
    writeNewFile(p.report, new TextEncoder().encode(report), { overwrite: true });
    return paths;
  } catch (e) {
    for (const path of reserved) fs.rmSync(path, { force: true });
    throw e;
  }
}
