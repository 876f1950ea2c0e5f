// The labels of the two sides as the user chose them. Pure: no vscode.
import { distinctLabels } from '../../compare/runnerLabels';
import type { RunChoice } from './runKinds/runPicker';

/**
 * What each side was ('onnxruntime CPU, opt all', 'results file pert.json, runner …'), never the same for both:
 * two files of one name read with their full paths, two identical runs with their letters.
 */
export function sideLabels(runs: readonly [RunChoice, RunChoice]): { a: string; b: string } {
  const long = (r: RunChoice) => (typeof r.options.path === 'string' ? r.label.replace(/^results file [^,]*/, `results file ${r.options.path}`) : r.label);
  return distinctLabels(runs[0].label, runs[1].label, { a: long(runs[0]), b: long(runs[1]) });
}
