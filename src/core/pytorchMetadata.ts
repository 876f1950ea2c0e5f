// PyTorch's torch.export-based exporter writes per-node metadata: the module scopes a node came from and
// the Python stack that created it. These parse those values.

export const NAME_SCOPES_KEY = 'pkg.torch.onnx.name_scopes';
export const STACK_TRACE_KEY = 'pkg.torch.onnx.stack_trace';

export interface StackFrame {
  file: string;
  line: number;
  function: string;
  /** The source line Python printed under the frame, when present. */
  code?: string;
}

/** Parses a Python list-of-strings literal like `['', 'encoder', 'encoder.layer.2']`. */
export function parsePythonStringList(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  const out: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) out.push((m[1] ?? m[2]).replace(/\\(.)/g, '$1'));
  return out;
}

/** Module scopes of a node from its name_scopes metadata: the first entry is the root (''), the last the op. */
export function scopesFromNameScopes(value: string): string[] | undefined {
  const list = parsePythonStringList(value);
  if (!list || list.length < 2) return list ? [] : undefined;
  return list.slice(1, -1).filter((s) => s.length > 0);
}

/** Parses `File "x.py", line 12, in forward\n    code` frames, outermost first as Python prints them. */
export function parseStackTrace(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  const lines = text.split(/\r?\n/);
  const re = /^\s*File "([^"]+)", line (\d+), in (.+?)\s*$/;
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    if (!m) continue;
    const frame: StackFrame = { file: m[1], line: Number(m[2]), function: m[3] };
    const next = lines[i + 1];
    if (next !== undefined && !re.test(next) && next.trim().length > 0) frame.code = next.trim();
    frames.push(frame);
  }
  return frames;
}
