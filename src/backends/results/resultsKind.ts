// A saved Polygraphy RunResults file as a run kind: no model run, no inputs; the file's chosen runner is the run.
import { createResultsBackend } from '../resultsBackend';
import { defineRunKind } from '../registry';
import { resultsFileLabel } from './resultsLabel';

export interface ResultsRunOptions {
  path: string;
  /** Runner: index or name (default 0). */
  runner: string | number;
  /** Its name, for the description (the picker knows it). */
  runnerName?: string;
}

export const resultsRunKind = defineRunKind<ResultsRunOptions>({
  id: 'results',
  label: 'Results file',
  needsInputs: false,
  parseOptions(raw) {
    const path = raw?.path;
    const runner = raw?.runner ?? 0;
    if (typeof path !== 'string' || path === '') throw new RangeError('a results run needs the file: options.path');
    if (typeof runner !== 'string' && typeof runner !== 'number') throw new RangeError(`runner must be a name or an index, not ${JSON.stringify(runner)}`);
    return { path, runner, runnerName: typeof raw?.runnerName === 'string' ? raw.runnerName : undefined };
  },
  createBackend: (o) => createResultsBackend(o.path, { runner: o.runner }),
  request: () => ({ modelPath: '', inputs: new Map(), capture: 'all' }),
  describe: (o) => resultsFileLabel(o.path, o.runnerName ?? o.runner),
  readsFile: (o) => ({ path: o.path, runner: o.runner }),
});
