// Every run kind Compare Backends and the CLI offer. A new backend: its folder with a RunKind, plus one line here.
import type { RunKind } from './registry';
import { ortRunKind } from './onnxruntime/ortKind';
import { resultsRunKind } from './results/resultsKind';
import { trtRunKind } from './tensorrt/trtKind';

export const RUN_KINDS: readonly RunKind[] = [
  ortRunKind,
  resultsRunKind,
  trtRunKind,
];

export function runKind(id: string): RunKind {
  const k = RUN_KINDS.find((r) => r.id === id);
  if (!k) throw new RangeError(`no run kind '${id}'; kinds: ${RUN_KINDS.map((r) => r.id).join(', ')}`);
  return k;
}
