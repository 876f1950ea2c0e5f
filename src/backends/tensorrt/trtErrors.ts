// The helper's error classes (PROTOCOL.md) as one-line BackendErrors a user can act on. A parse error keeps the
// ONNX node's name in a field, so the editor can reveal that node on the graph.
import { BackendError } from '../backend';
import type { HelperErrorClass, SearchedPlace } from './helperProtocol';

/** Exit codes of the CLI for TensorRT problems: the helper's own (PROTOCOL.md). */
export const TRT_EXIT: Partial<Record<HelperErrorClass | 'no-helper', number>> = {
  'no-helper': 3, 'no-tensorrt': 3, 'no-gpu': 4, parse: 5, 'unsupported-opset': 5, build: 6, run: 7, 'bad-input': 8, 'build-timeout': 9, write: 10,
};

export class TrtError extends BackendError {
  constructor(message: string, readonly errorClass: HelperErrorClass | 'no-helper') {
    super(message);
  }

  get exitCode(): number {
    return TRT_EXIT[this.errorClass] ?? 1;
  }
}

/** The ONNX parser failed at a node (or the model's opset is not supported). */
export class TrtParseError extends TrtError {
  constructor(message: string, readonly node: string | null, readonly opset: number | null, cls: 'parse' | 'unsupported-opset') {
    super(message, cls);
  }
}

export function searchedText(searched: readonly SearchedPlace[] | undefined): string {
  if (!searched?.length) return "the places the helper's log lists";
  return searched.map((s) => `${s.path} (${s.reason})`).join(', ');
}

export const LIB_DIR_HINT = 'set onnxInspector.tensorrt.libDir (or --tensorrt-lib-dir) to the folder holding libnvinfer.so.N';

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** `what: msg`, unless the helper's message already starts with `what` (it often says it first itself). */
function saying(what: string, msg: string): string {
  return msg.toLowerCase().startsWith(what.toLowerCase()) ? msg : `${what}: ${msg}`;
}

export interface HelperFailure {
  class: HelperErrorClass;
  message: string;
  node?: string | null;
  searched?: SearchedPlace[];
}

/** The error for one `error` event (or an exit code's class when the helper died without one). */
export function trtErrorFrom(f: HelperFailure, o: { buildTimeoutSec?: number } = {}): TrtError {
  const msg = oneLine(f.message);
  switch (f.class) {
    case 'no-tensorrt':
      return new TrtError(`TensorRT was not found: looked in ${searchedText(f.searched)}; ${LIB_DIR_HINT}`, f.class);
    case 'no-gpu':
      return new TrtError(`No GPU for TensorRT: ${msg}. TensorRT needs an NVIDIA GPU and its driver; check nvidia-smi on this machine`, f.class);
    case 'parse':
    case 'unsupported-opset': {
      const opset = /opset\D{0,12}(\d+)/i.exec(msg);
      const where = f.node ? ` at node '${f.node}'` : '';
      const what = f.class === 'parse' ? `TensorRT could not parse the model${where}` : `TensorRT does not support this model's opset${where}`;
      return new TrtParseError(`${what}: ${msg}`, f.node ?? null, opset ? Number(opset[1]) : null, f.class);
    }
    case 'bad-input':
      return new TrtError(saying('TensorRT refused the inputs', msg), f.class);
    case 'build-timeout':
      return new TrtError(`The TensorRT engine build took longer than ${o.buildTimeoutSec ?? 'the allowed'} s: ${msg}; raise onnxInspector.tensorrt.buildTimeoutSeconds (or --build-timeout)`, f.class);
    case 'build':
      return new TrtError(saying('TensorRT could not build the engine', msg), f.class);
    case 'run':
      return new TrtError(saying('The TensorRT run failed', msg), f.class);
    case 'write':
      return new TrtError(saying('The TensorRT helper could not write the results', msg), f.class);
    default:
      return new TrtError(`TensorRT helper (${f.class}): ${msg}`, f.class);
  }
}
