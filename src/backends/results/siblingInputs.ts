// The inputs file beside a results file (`onnx-inspector run` writes OUT.inputs.json next to OUT.json): the feed a
// saved run was made with, so a comparison can tell whether two runs started from the same data.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { NdArray } from '../../compare/ndarray';
import { readInputsFile } from './readInputs';

/** OUT.json -> OUT.inputs.json (also for .json.gz). */
export function inputsPathFor(resultsPath: string): string {
  const m = /^(.*?)(\.json(\.gz)?)?$/i.exec(resultsPath) as RegExpExecArray;
  return `${m[1]}.inputs.json`;
}

/**
 * The feed of `iteration` from the inputs file beside `resultsPath`; undefined when there is none. A file that is
 * not an inputs file, or lacks that iteration, is an error (the caller reports it and goes on without).
 */
export async function readSiblingInputs(resultsPath: string, iteration: number): Promise<{ path: string; feed: Map<string, NdArray> } | undefined> {
  const path = inputsPathFor(resultsPath);
  if (nodePath.resolve(path) === nodePath.resolve(resultsPath) || !fs.existsSync(path)) return undefined;
  const feeds = await readInputsFile(path);
  const feed = feeds[iteration];
  if (!feed) throw new Error(`${path} has ${feeds.length} feed(s), none for iteration ${iteration}`);
  return { path, feed };
}
