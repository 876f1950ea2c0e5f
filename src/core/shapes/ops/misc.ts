// Recurrent layers (RNN, GRU, LSTM), losses, Det, and string ops.
import { normAxis, OpContext } from '../context';
import { dimAdd, dimFloorDiv } from '../dimExpr';
import { FLOAT, STRING } from '../facts';
import type { OpRules } from './registry';

function recurrent(c: OpContext): void {
  const x = c.shape(0);
  const et = c.elemType(0);
  const hidden = c.int('hidden_size') ?? null;
  const dirs = c.string('direction', 'forward') === 'bidirectional' ? 2 : 1;
  const batchFirst = c.int('layout', 0) === 1;
  const seq = x ? x[batchFirst ? 1 : 0] : null;
  const batch = x ? x[batchFirst ? 0 : 1] : null;
  c.out(0, et, batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden]);
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  c.out(1, et, state);
  c.out(2, et, state);
}

function loss(c: OpContext): void {
  const reduction = c.string('reduction', 'mean');
  const target = c.shape(1);
  c.out(0, c.elemType(0), reduction === 'none' ? target : []);
  c.out(1, c.elemType(0), c.shape(0)); // SoftmaxCrossEntropyLoss's log_prob
}

function det(c: OpContext): void {
  const s = c.shape(0);
  c.out(0, c.elemType(0), s ? s.slice(0, -2) : undefined);
}

function stringNormalizer(c: OpContext): void {
  const s = c.shape(0);
  // Stopwords may remove every element of a row: the length is data-dependent.
  c.out(0, STRING, s ? (s.length === 2 ? [s[0], c.freshDim()] : [c.freshDim()]) : undefined);
}

/** DFT: the transformed axis becomes dft_length (half plus one when onesided); the last axis holds re, im. */
function dft(c: OpContext): void {
  const s = c.shape(0);
  if (!s) return c.out(0, c.elemType(0), undefined);
  const axisValue = c.opset >= 20 ? (c.hasInput(2) ? c.numbers(2)?.[0] : -2) : c.int('axis', 1);
  if (axisValue === undefined) return c.out(0, c.elemType(0), s.map(() => null));
  const axis = normAxis(c, axisValue, s.length);
  const length = c.hasInput(1) ? c.value(1)?.[0] ?? null : s[axis];
  const out = [...s];
  out[axis] = c.int('onesided', 0) === 1 ? dimAdd(dimFloorDiv(length, 2), 1) : length;
  out[s.length - 1] = 2;
  c.out(0, c.elemType(0), out);
}

/** TfIdfVectorizer: one column per n-gram index (the largest index plus one). */
function tfIdf(c: OpContext): void {
  const s = c.shape(0);
  const indexes = c.ints('ngram_indexes') ?? [];
  const width = indexes.length ? Math.max(...indexes) + 1 : 0;
  c.out(0, FLOAT, s ? (s.length === 1 ? [width] : [s[0], width]) : undefined);
}

export const MISC_OPS: OpRules = {
  RNN: recurrent, GRU: recurrent, LSTM: recurrent, NegativeLogLikelihoodLoss: loss, SoftmaxCrossEntropyLoss: loss, Det: det,
  StringNormalizer: stringNormalizer, DFT: dft, TfIdfVectorizer: tfIdf,
};
