// String ops: results keep the input's shape, except where the number of pieces depends on the text.
import { broadcastShapes } from '../broadcast';
import { OpContext } from '../context';
import { BOOL, INT64, STRING } from '../facts';
import type { OpRules } from './registry';

function stringNormalizer(c: OpContext): void {
  const s = c.shape(0);
  // Stopwords may remove every element of a row: the length is data-dependent.
  c.out(0, STRING, s ? (s.length === 2 ? [s[0], c.freshDim()] : [c.freshDim()]) : undefined);
}

function regexFullMatch(c: OpContext): void {
  c.out(0, BOOL, c.shape(0));
}

function stringConcat(c: OpContext): void {
  c.out(0, STRING, broadcastShapes(c, [c.shape(0), c.shape(1)]));
}

function stringSplit(c: OpContext): void {
  const s = c.shape(0);
  c.out(0, STRING, s ? [...s, c.freshDim()] : undefined);
  c.out(1, INT64, s);
}

export const STRING_OPS: OpRules = {
  StringNormalizer: stringNormalizer, RegexFullMatch: regexFullMatch, StringConcat: stringConcat, StringSplit: stringSplit,
};
