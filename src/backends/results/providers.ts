// Bridges loaded/indexed RunResults to the pure comparison layer.
import { TensorProvider } from '../../compare/compareRuns';
import { IterationResult } from './types';

export function providerFromIteration(it: IterationResult): TensorProvider {
  return {
    names: [...it.outputs.keys()],
    load(name: string) {
      const e = it.outputs.get(name);
      if (!e) throw new Error(`no tensor '${name}' in the results of ${it.runnerName}`);
      return e.load();
    },
  };
}
