// The quick picks of "Compare Backends": which two runs (onnxruntime on this model with options, or a saved
// results file with its runner), and the inputs every onnxruntime run shares. Undefined means the user
// cancelled (Escape); nothing is asked twice once answered.
import * as vscode from 'vscode';
import type { GraphModel } from '../../core/graph';
import { DEFAULT_SEED } from '../../backends/inputs/generateInputs';
import { modelInputSpecs, parseDimOverrides, resolveShapes } from '../../backends/inputs/inputSpecs';
import { indexRunResults, type IndexedRunResults } from '../../backends/results/readRunResults';
import { errorMessage } from '../../core/errors';

export type RunChoice =
  | { kind: 'ort'; capture: 'all' | 'outputs'; optLevel: 'all' | 'disabled'; label: string }
  | { kind: 'results'; path: string; runner: number; runnerName: string; label: string };

export type InputsChoice =
  | { kind: 'generated'; seed: number; dims: Map<string, number> }
  | { kind: 'file'; path: string };

interface Item<T> extends vscode.QuickPickItem { value: T }

async function pick<T>(title: string, placeHolder: string, items: Item<T>[]): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDetail: true });
  return chosen?.value;
}

const TENSORRT_DETAIL = 'Not available yet: the TensorRT helper comes in a later version. Meanwhile run TensorRT elsewhere with `polygraphy run model.onnx --trt --trt-outputs mark all --save-results trt.json` and choose "Results file…".';

/** Asks for one side of the comparison; `which` is 'A' (compared) or 'B' (reference). */
export async function pickRun(which: 'A' | 'B', modelName: string): Promise<RunChoice | undefined> {
  const title = `Compare Backends: run ${which} (${which === 'A' ? 'compared' : 'reference'})`;
  for (;;) {
    const kind = await pick<'ort' | 'results' | 'tensorrt'>(title, `Run ${which}: what produces its tensors?`, [
      { label: 'onnxruntime (CPU)', description: modelName, detail: 'Run this model with onnxruntime-node on the CPU', value: 'ort' },
      { label: 'Results file…', detail: 'A Polygraphy RunResults file (.json or .json.gz): `polygraphy run --save-results` or `onnx-inspector run --save-results`', value: 'results' },
      { label: 'TensorRT (helper not installed)', detail: TENSORRT_DETAIL, value: 'tensorrt' },
    ]);
    if (kind === undefined) return undefined;
    if (kind === 'tensorrt') {
      // Shown, not hidden, so the way to get TensorRT results is discoverable; picking it explains and asks again.
      await vscode.window.showInformationMessage('TensorRT runs need the TensorRT helper, which is not installed.', { modal: true, detail: TENSORRT_DETAIL });
      continue;
    }
    return kind === 'ort' ? pickOrtOptions(title) : pickResultsFile(title, which);
  }
}

async function pickOrtOptions(title: string): Promise<RunChoice | undefined> {
  const capture = await pick<'all' | 'outputs'>(title, 'onnxruntime: which tensors to capture?', [
    { label: 'All intermediates', description: 'default', detail: 'Marks every tensor as an output, so the first divergence can be found (blocks some fusions)', value: 'all' },
    { label: 'Outputs only', detail: "The model's outputs, as the model runs normally", value: 'outputs' },
  ]);
  if (!capture) return undefined;
  const optLevel = await pick<'all' | 'disabled'>(title, 'onnxruntime: graph optimization level?', [
    { label: 'All', description: 'default', detail: "onnxruntime's and Polygraphy's default", value: 'all' },
    { label: 'Disabled', detail: 'No graph optimizations: the graph as written', value: 'disabled' },
  ]);
  if (!optLevel) return undefined;
  const label = `onnxruntime CPU (${capture === 'all' ? 'all intermediates' : 'outputs'}, optimization ${optLevel})`;
  return { kind: 'ort', capture, optLevel, label };
}

async function pickResultsFile(title: string, which: string): Promise<RunChoice | undefined> {
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
  return { kind: 'results', path: uri.fsPath, runner: runner.index, runnerName: runner.name, label: `${runner.name} from ${uri.fsPath}` };
}

/** Symbolic or unknown dims of the model's inputs as `name=1` entries (1 is Polygraphy's default). */
export function dynamicDimsDefault(graph: GraphModel): string {
  const names = new Set<string>();
  for (const s of modelInputSpecs(graph)) {
    (s.dims ?? []).forEach((d, axis) => {
      if (typeof d === 'string' && d !== '') names.add(d);
      else if (typeof d !== 'number') names.add(`${s.name}:${axis}`);
    });
  }
  return [...names].map((n) => `${n}=1`).join(', ');
}

export function parseDims(text: string): Map<string, number> {
  return parseDimOverrides(text.split(',').map((s) => s.trim()).filter(Boolean));
}

export async function pickInputs(graph: GraphModel): Promise<InputsChoice | undefined> {
  const title = 'Compare Backends: inputs of the onnxruntime run';
  const kind = await pick<'generated' | 'file'>(title, 'Inputs: generate them or load them from a file?', [
    { label: 'Generated with a seed', description: 'default', detail: "Random values as Polygraphy's DataLoader makes them: the same seed gives the same inputs as `polygraphy run` and `onnx-inspector run`", value: 'generated' },
    { label: 'Loaded from a file…', detail: 'Polygraphy inputs JSON (--save-inputs), .npy, .npz or .pb (TensorProto)', value: 'file' },
  ]);
  if (!kind) return undefined;
  if (kind === 'file') {
    const uris = await vscode.window.showOpenDialog({
      title: `${title}: inputs file`, canSelectMany: false, openLabel: 'Use these inputs',
      filters: { 'Inputs': ['json', 'npy', 'npz', 'pb'], 'All files': ['*'] },
    });
    return uris?.[0] ? { kind: 'file', path: uris[0].fsPath } : undefined;
  }
  const seedText = await vscode.window.showInputBox({
    title, prompt: 'Seed of the generated inputs', value: String(DEFAULT_SEED), ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 0xffffffff ? undefined : 'A whole number from 0 to 4294967295'),
  });
  if (seedText === undefined) return undefined;
  let dims = new Map<string, number>();
  const dflt = dynamicDimsDefault(graph);
  if (dflt) {
    const specs = modelInputSpecs(graph);
    const dimText = await vscode.window.showInputBox({
      title, prompt: 'Sizes of the dynamic dims (name=size, comma-separated)', value: dflt, ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          resolveShapes(specs, parseDims(v));
          return undefined;
        } catch (e) {
          return errorMessage(e).replace(/--dim /g, '');
        }
      },
    });
    if (dimText === undefined) return undefined;
    dims = parseDims(dimText);
  }
  return { kind: 'generated', seed: Number(seedText.trim()), dims };
}
