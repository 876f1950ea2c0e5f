// A saved results file: the open dialog, then the runner when the file holds several.
import * as vscode from 'vscode';
import { indexRunResults, type IndexedRunResults } from '../../../backends/results/readRunResults';
import { resultsRunKind } from '../../../backends/results/resultsKind';
import { errorMessage } from '../../../core/errors';
import { pick } from './quickPick';
import type { RunPicker } from './runPicker';

export const resultsPicker: RunPicker = {
  kindId: resultsRunKind.id,
  item: () => ({ label: 'Results file…', detail: 'A Polygraphy RunResults file (.json or .json.gz): `polygraphy run --save-results` or `onnx-inspector run --save-results`' }),
  async pickOptions({ title, which }) {
    const uris = await vscode.window.showOpenDialog({
      title: `${title}: Polygraphy results file`, canSelectMany: false, openLabel: `Use as run ${which}`,
      filters: { 'Polygraphy RunResults': ['json', 'gz'], 'All files': ['*'] },
    });
    const uri = uris?.[0];
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a local file.`);
    // Indexing reads the file once without keeping tensors: it tells the runners (and catches a wrong file now).
    let indexed: IndexedRunResults;
    try {
      indexed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${uri.fsPath}` }, () => indexRunResults(uri.fsPath));
    } catch (e) {
      throw new Error(`Cannot read ${uri.fsPath} as Polygraphy results: ${errorMessage(e)}`);
    }
    const runners = indexed.results.runs.map((r, i) => ({ name: r.runnerName, index: i, tensors: r.iterations[0]?.outputs.size ?? 0 }));
    indexed.dispose();
    if (runners.length === 0) throw new Error(`${uri.fsPath} holds no runner results.`);
    let runner = runners[0];
    if (runners.length > 1) {
      const chosen = await pick(title, `${uri.fsPath.split(/[\\/]/).pop()} holds ${runners.length} runners: which one?`,
        runners.map((r) => ({ label: r.name, description: `${r.tensors} tensors`, value: r })));
      if (!chosen) return undefined;
      runner = chosen;
    }
    const options = resultsRunKind.parseOptions({ path: uri.fsPath, runner: runner.index, runnerName: runner.name });
    return { kind: resultsRunKind.id, options: { ...options }, label: resultsRunKind.describe(options) };
  },
};
