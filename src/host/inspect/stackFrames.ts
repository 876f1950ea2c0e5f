// Which of a node's PyTorch stack frames to open: the deepest frame in model code, not in torch's own
// modules (torch/nn/modules/*.py says "a Conv2d was called", the model's file says where).
import type { StackFrame } from '../../core/pytorchMetadata';

/** Frames inside the torch package itself, or Python's generated code. */
export function isTorchInternal(file: string): boolean {
  const f = file.replace(/\\/g, '/');
  if (f.startsWith('<')) return true; // <frozen runpy>, <eval_with_key>.3, ...
  return /(^|\/)(site|dist)-packages\/torch\//.test(f) || /(^|\/)torch\/(nn|_dynamo|fx|export|onnx|_ops|_tensor|overrides)[/.]/.test(f);
}

/** Frames innermost first, the one to open by default at the front: the deepest non-torch frame (else the
 *  innermost). `index` is the frame's position in the trace as written (outermost first). */
export function framesInOrder(frames: StackFrame[]): { frame: StackFrame; index: number; user: boolean }[] {
  const all = frames.map((frame, index) => ({ frame, index, user: !isTorchInternal(frame.file) })).reverse();
  const best = all.findIndex((f) => f.user);
  if (best > 0) all.unshift(...all.splice(best, 1));
  return all;
}

/** Index (in the trace as written) of the frame "Go to PyTorch Source" opens, or -1 when there is none. */
export function defaultFrameIndex(frames: StackFrame[]): number {
  return frames.length === 0 ? -1 : framesInOrder(frames)[0].index;
}
