// The quick picks of "Compare Backends": which two runs (each run kind's item and options come from its picker in
// runKinds/), and the inputs every run that executes the model shares. Undefined means the user cancelled
// (Escape); nothing is asked twice once answered.
import * as vscode from 'vscode';
import type { GraphModel } from '../../core/graph';
import type { RunKindContext } from '../../backends/registry';
import { DEFAULT_SEED } from '../../backends/inputs/generateInputs';
import { modelInputSpecs, parseDimOverrides, resolveShapes } from '../../backends/inputs/inputSpecs';
import { errorMessage } from '../../core/errors';
import { RUN_PICKERS, type PickContext, type RunChoice, type RunPicker } from './runKinds';
import { pick } from './runKinds/quickPick';

export type { RunChoice } from './runKinds';

export type InputsChoice =
  | { kind: 'generated'; seed: number; dims: Map<string, number> }
  | { kind: 'file'; path: string };

/** Asks for one side of the comparison; `which` is 'A' (compared) or 'B' (reference). Kinds come from RUN_PICKERS. */
export async function pickRun(which: 'A' | 'B', modelName: string, run: RunKindContext): Promise<RunChoice | undefined> {
  const title = `Compare Backends: run ${which} (${which === 'A' ? 'compared' : 'reference'})`;
  const ctx: PickContext = { which, title, modelName, run };
  for (;;) {
    const items = RUN_PICKERS.map((p) => ({ ...p.item(ctx), value: p.kindId }));
    const kind = await pick<string>(title, `Run ${which}: what produces its tensors?`, items);
    if (kind === undefined) return undefined;
    const picker = RUN_PICKERS.find((p) => p.kindId === kind) as RunPicker;
    const choice = await picker.pickOptions(ctx);
    if (choice === 'again') continue;
    return choice;
  }
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
  const title = 'Compare Backends: inputs of the runs';
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
