// onnxruntime as a run kind: this model on onnxruntime-node, capturing all intermediates or the outputs.
import { Capture } from '../backend';
import { defineRunKind, parseCapture } from '../registry';
import { createOrtBackend, OrtOptions, ortRunnerName, parseOrtOptions } from './ortBackend';
import { EP_LABEL } from './ortSession';

export interface OrtRunOptions extends OrtOptions {
  capture: Capture;
}

/** Said only when not the default (every intermediate). */
function captureText(c: Capture): string {
  return c === 'all' ? '' : c === 'outputs' ? ', outputs only' : `, ${c.length} tensors`;
}

export const ortRunKind = defineRunKind<OrtRunOptions>({
  id: 'onnxruntime',
  label: 'onnxruntime',
  needsInputs: true,
  parseOptions: (raw) => ({ ...parseOrtOptions(raw), capture: parseCapture(raw?.capture) }),
  createBackend: () => createOrtBackend(),
  request: (o, base) => ({
    modelPath: base.modelPath, inputs: base.inputs, capture: o.capture, saveResults: base.saveResults, keep: base.keep,
    // Two onnxruntime runs get distinct runner names, so the report tells them apart.
    runnerName: `${ortRunnerName(o.ep ?? 'cpu')}${base.twin ? `-${base.twin}-opt-${o.optLevel ?? 'all'}` : ''}`,
    options: { optLevel: o.optLevel, ep: o.ep, intraOpThreads: o.intraOpThreads },
  }),
  // Short and distinct: two onnxruntime runs differ in what this names ('onnxruntime CPU, opt all').
  describe: (o) => `onnxruntime ${EP_LABEL[o.ep ?? 'cpu']}, opt ${o.optLevel ?? 'all'}${captureText(o.capture)}`,
});
