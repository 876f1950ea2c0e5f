// The tolerance flags `compare` and `reduce` share (Polygraphy's names and defaults): one parser, one wording.
import { ErrorStat } from '../compare/tensorMetrics';
import { Tolerance } from '../compare/verdict';
import { Command, OptionSpec, single, UsageError } from './command';

const STATS: readonly ErrorStat[] = ['elemwise', 'max', 'mean', 'median', 'quantile'];

export const TOLERANCE_OPTIONS: OptionSpec[] = [
  { name: 'atol', kind: 'string', help: 'absolute tolerance (default 1e-5)' },
  { name: 'rtol', kind: 'string', help: 'relative tolerance (default 1e-5)' },
  { name: 'check-error-stat', kind: 'string', help: 'elemwise (default), max, mean, median or quantile' },
  { name: 'error-quantile', kind: 'string', help: 'quantile for --check-error-stat quantile (default 0.99)' },
];

function numberOption(args: Parameters<Command['run']>[0], name: string): number | undefined {
  const v = single(args, name);
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`--${name} must be a non-negative number, not '${v}'`);
  return x;
}

/** The tolerances given on the command line; what is not given keeps the comparison's defaults. */
export function toleranceFromArgs(args: Parameters<Command['run']>[0]): Partial<Tolerance> {
  const tol: Partial<Tolerance> = {};
  const atol = numberOption(args, 'atol');
  const rtol = numberOption(args, 'rtol');
  const q = numberOption(args, 'error-quantile');
  if (atol !== undefined) tol.atol = atol;
  if (rtol !== undefined) tol.rtol = rtol;
  if (q !== undefined) tol.errorQuantile = q;
  const stat = single(args, 'check-error-stat');
  if (stat !== undefined) {
    if (!(STATS as readonly string[]).includes(stat)) throw new UsageError(`--check-error-stat must be one of ${STATS.join(', ')}, not '${stat}'`);
    tol.checkErrorStat = stat as ErrorStat;
  }
  return tol;
}
