// "Compare Models": the graph of the difference between two models (modelDiff/), with the text diff one click
// away. The first model (old, A) is the one chosen (explorer, editor title) or active; the second (new, B) is the
// other explorer selection, the one kept by "Select for Compare", or picked with a file dialog.
import * as vscode from 'vscode';
import { GraphEditorProvider } from '../graphEditorProvider';
import { ModelDiffs } from '../modelDiff/modelDiffs';
import { actionCommand } from './actionContext';
import { modelUriOf } from './openAsText';

export const COMPARE_MODELS = 'onnxInspector.compareModels';
export const SELECT_FOR_COMPARE = 'onnxInspector.selectForCompare';
export const COMPARE_WITH_SELECTED = 'onnxInspector.compareWithSelected';
const SELECTED_KEY = 'onnxInspector.modelSelectedForCompare';

async function pickSecond(first: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: 'Compare', title: `Compare ${first.path.split('/').pop()} with`,
    defaultUri: first.with({ path: first.path.replace(/\/[^/]*$/, '') }), filters: { 'ONNX models': ['onnx'] },
  });
  return picked?.[0];
}

export function registerCompareModels(provider: GraphEditorProvider): vscode.Disposable {
  let selected: vscode.Uri | undefined;
  const diffs = new ModelDiffs();
  const compareModels = (a: vscode.Uri, b: vscode.Uri) => diffs.open(a, b);
  return vscode.Disposable.from(
    diffs,
    actionCommand(COMPARE_MODELS, async (arg, all?: unknown) => {
      // Two models chosen in the explorer arrive as (clicked, [all selected]).
      const many = Array.isArray(all) ? all.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
      if (many.length === 2) return compareModels(many[0], many[1]);
      const first = modelUriOf(arg, provider);
      const second = await pickSecond(first);
      if (second) await compareModels(first, second);
    }),
    actionCommand(SELECT_FOR_COMPARE, async (arg) => {
      selected = modelUriOf(arg, provider);
      await vscode.commands.executeCommand('setContext', SELECTED_KEY, true);
    }),
    actionCommand(COMPARE_WITH_SELECTED, async (arg) => {
      const second = modelUriOf(arg, provider);
      const first = selected ?? await pickSecond(second);
      if (first) await compareModels(first, second);
    }),
  );
}
