// Recurrent layers (RNN, GRU, LSTM), losses, Det, TfIdfVectorizer.
import { OpContext } from '../context';
import { FLOAT } from '../facts';
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

/** TfIdfVectorizer: one column per n-gram index (the largest index plus one). */
function tfIdf(c: OpContext): void {
  const s = c.shape(0);
  const indexes = c.ints('ngram_indexes') ?? [];
  const width = indexes.length ? Math.max(...indexes) + 1 : 0;
  c.out(0, FLOAT, s ? (s.length === 1 ? [width] : [s[0], width]) : undefined);
}

export const MISC_OPS: OpRules = {
  RNN: recurrent, GRU: recurrent, LSTM: recurrent, NegativeLogLikelihoodLoss: loss, SoftmaxCrossEntropyLoss: loss, Det: det,
  TfIdfVectorizer: tfIdf,
};
