// How a saved run reads for people: the file (its name, not its folder) and the runner in it.

export function resultsFileLabel(path: string, runner: string | number): string {
  const file = path.split(/[\\/]/).pop() || path;
  return `results file ${file}, runner ${typeof runner === 'number' ? `#${runner}` : runner}`;
}
