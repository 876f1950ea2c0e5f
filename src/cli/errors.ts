// Every failure becomes one line on stderr and an exit code: no stack traces for users (set
// ONNX_INSPECTOR_DEBUG=1 to get them when debugging the tool itself).
import { UsageError } from './command';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Errors whose message is written for users (the model, file or request is at fault, not the tool). */
const EXPLAINED = new Set([
  'CliError', 'OnnxFormatError', 'OnnxModelError', 'ModelFileError', 'ExternalDataError', 'FileExistsError', 'NpyError', 'ResultsFormatError', 'JsonSyntaxError',
]);

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

export function describeError(e: unknown): { line: string; code: number } {
  if (e instanceof UsageError) return { line: `${oneLine(e.message)} (see --help)`, code: EXIT_USAGE };
  if (e instanceof Error && EXPLAINED.has(e.name)) return { line: oneLine(e.message), code: EXIT_FAILURE };
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string' && err.path) {
    return { line: `${err.path}: ${err.code === 'ENOENT' ? 'no such file or folder' : oneLine(err.message)}`, code: EXIT_FAILURE };
  }
  return { line: `internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`, code: EXIT_FAILURE };
}
