// Reader for Polygraphy inputs files (`--save-inputs`): a JSON list of {input name: ndarray} feeds.
import { NdArray } from '../../compare/ndarray';
import { parseJsonFile } from './readJsonStream';
import { PathPart, PolygraphyTreeBuilder, ResultsFormatError } from './polygraphyTree';

export async function readInputsFile(path: string): Promise<Map<string, NdArray>[]> {
  const feeds: Map<string, NdArray>[] = [];
  const builder = new PolygraphyTreeBuilder({
    where: path,
    mode: 'data',
    isTensorSlot: (p: readonly PathPart[]) => p.length === 2 && typeof p[0] === 'number',
    onTensor: (p, v) => {
      const i = p[0] as number;
      while (feeds.length <= i) feeds.push(new Map());
      feeds[i].set(p[1] as string, v as NdArray);
    },
    checkRoot(isArray) {
      if (!isArray) throw new ResultsFormatError(`${path}: not a Polygraphy inputs file: the top level is not a list (a RunResults file?)`);
    },
  });
  for await (const _ of parseJsonFile(path, builder)) { /* drain */ }
  const root = builder.root as unknown[];
  root.forEach((feed, i) => {
    if (!feed || typeof feed !== 'object' || Array.isArray(feed)) throw new ResultsFormatError(`${path}: feed ${i} is not an object of arrays`);
    while (feeds.length <= i) feeds.push(new Map());
  });
  return feeds;
}
