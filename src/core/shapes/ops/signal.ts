// Signal processing: DFT, STFT, MelWeightMatrix (the window functions are in tensorSources.ts).
import { normAxis, OpContext } from '../context';
import { dimAdd, dimFloorDiv, dimSub } from '../dimExpr';
import { FLOAT } from '../facts';
import type { OpRules } from './registry';

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
/** STFT: [batch, frames, bins, 2]; frames from the signal length, frame length and step. */
function stft(c: OpContext): void {
  const s = c.shape(0);
  const step = c.value(1)?.[0] ?? null;
  const frameLength = c.hasInput(3) ? c.value(3)?.[0] ?? null : c.shape(2)?.[0] ?? null;
  if (!s) return c.out(0, c.elemType(0), undefined);
  const frames = step === null || frameLength === null ? null : dimAdd(dimFloorDiv(dimSub(s[1], frameLength), step), 1);
  const bins = c.int('onesided', 1) === 1 ? dimAdd(dimFloorDiv(frameLength, 2), 1) : frameLength;
  c.out(0, c.elemType(0), [s[0], frames, bins, 2]);
}

function melWeightMatrix(c: OpContext): void {
  const bins = c.value(0)?.[0] ?? null;
  const dftLength = c.value(1)?.[0] ?? null;
  c.out(0, c.int('output_datatype', FLOAT), [dimAdd(dimFloorDiv(dftLength, 2), 1), bins]);
}

export const SIGNAL_OPS: OpRules = { DFT: dft, STFT: stft, MelWeightMatrix: melWeightMatrix };
