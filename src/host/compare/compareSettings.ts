// Tolerances from the settings (onnxInspector.compare.*), checked: a bad value is named, not silently replaced.
import * as vscode from 'vscode';
import type { ErrorStat } from '../../compare/tensorMetrics';
import type { Tolerance } from '../../compare/verdict';
import { DEFAULT_TOLERANCE } from '../../compare/verdict';

const STATS: readonly ErrorStat[] = ['elemwise', 'max', 'mean', 'median', 'quantile'];

export function readTolerance(): Tolerance {
  const c = vscode.workspace.getConfiguration('onnxInspector.compare');
  const num = (key: string, dflt: number) => {
    const v = c.get<unknown>(key, dflt);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`Setting onnxInspector.compare.${key} must be a non-negative number (it is ${JSON.stringify(v)}).`);
    return v;
  };
  const stat = c.get<string>('checkErrorStat', DEFAULT_TOLERANCE.checkErrorStat);
  if (!STATS.includes(stat as ErrorStat)) throw new Error(`Setting onnxInspector.compare.checkErrorStat must be one of ${STATS.join(', ')} (it is ${JSON.stringify(stat)}).`);
  const errorQuantile = num('errorQuantile', DEFAULT_TOLERANCE.errorQuantile);
  if (errorQuantile > 1) throw new Error('Setting onnxInspector.compare.errorQuantile must be between 0 and 1.');
  return { atol: num('atol', DEFAULT_TOLERANCE.atol), rtol: num('rtol', DEFAULT_TOLERANCE.rtol), checkErrorStat: stat as ErrorStat, errorQuantile };
}
