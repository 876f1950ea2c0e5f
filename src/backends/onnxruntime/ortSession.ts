// Session creation: lazy require of the native binding, the captured tensors marked as outputs, external
// weights handed over as buffers (a model loaded from bytes cannot resolve relative paths itself), and
// execution providers that are either really there or a clear error: never a silent CPU fallback.
import { markOutputs } from '../../core/edit';
import { GraphModel } from '../../core/graph';
import { OnnxModel } from '../../core/model';
import { ExternalWeightsFile, loadExternalWeights } from '../../node/externalWeights';
import { BackendError, Capture } from '../backend';

export type OrtModule = typeof import('onnxruntime-node');
export type OrtSession = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;
export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

const EP_LABEL: Record<ExecutionProvider, string> = { cpu: 'CPU', cuda: 'CUDA', tensorrt: 'TensorRT' };

/** Loaded only when a run starts: the binding loads a native library on require. */
export function loadOrt(): OrtModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('onnxruntime-node') as OrtModule;
  } catch (e) {
    throw new BackendError(`onnxruntime-node cannot be loaded: ${firstLine(e)} (install it with ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node)`);
  }
}

/** The model with the captured tensors added to its outputs (no copy when only outputs are captured). */
export function markedModelBytes(model: OnnxModel, graph: GraphModel, capture: Capture): { bytes: Uint8Array; marked: number } {
  if (capture === 'outputs') return { bytes: model.bytes, marked: 0 };
  const r = markOutputs(model, graph, capture === 'all' ? 'all' : capture);
  return { bytes: r.bytes, marked: r.added.length };
}

/**
 * The external data files of the model, through the one resolver: a location that escapes the model's folder
 * or a range past a file's end is refused before a byte is read (onnxruntime would read it otherwise).
 */
export function externalDataFiles(model: OnnxModel, modelPath: string): ExternalWeightsFile[] {
  return loadExternalWeights(modelPath, model);
}

export interface SessionSettings {
  optLevel: 'all' | 'disabled';
  intraOpThreads?: number;
  ep: ExecutionProvider;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

export function checkProviderListed(ort: OrtModule, ep: ExecutionProvider): void {
  if (ep === 'cpu') return;
  const listed = ort.listSupportedBackends?.().map((b) => b.name) ?? [];
  if (!listed.includes(ep)) {
    throw new BackendError(`the ${EP_LABEL[ep]} execution provider is not available in this onnxruntime-node install: it supports ${listed.join(', ') || 'cpu'} only`);
  }
}

export async function createSession(ort: OrtModule, bytes: Uint8Array, externalData: ExternalWeightsFile[], s: SessionSettings): Promise<OrtSession> {
  checkProviderListed(ort, s.ep);
  // The missing-library failure is reported by our one-line error; ORT would also print it raw (its
  // process-wide logger takes the level when the first session is created).
  if (s.ep !== 'cpu') ort.env.logLevel = 'fatal';
  try {
    return await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: s.optLevel,
      executionProviders: [s.ep],
      ...(s.intraOpThreads ? { intraOpNumThreads: s.intraOpThreads } : {}),
      ...(externalData.length ? { externalData } : {}),
    });
  } catch (e) {
    const msg = firstLine(e);
    if (s.ep !== 'cpu' && /shared library|provider|cuda|tensorrt/i.test(msg)) {
      throw new BackendError(`the ${EP_LABEL[s.ep]} execution provider is not available in this onnxruntime-node install: ${msg} (run with --ep cpu, or install onnxruntime-node with its ${EP_LABEL[s.ep]} libraries)`);
    }
    throw new BackendError(`onnxruntime could not load the model: ${msg}`);
  }
}

export { EP_LABEL };
