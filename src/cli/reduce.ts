// `reduce MODEL --against OTHER.onnx | --backend-b SPEC [--backend-a SPEC] -o MIN.onnx`: the smallest subgraph of
// MODEL whose comparison (A against the reference B) still fails, as Polygraphy's `debug reduce`, in one call.
// Exit 0: a minimal failing subgraph was written; 1: the full models do not fail (or an error); 2: usage.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { prepareInputs } from '../backends/inputs/prepareInputs';
import { parseRunnerChoice } from '../backends/resultsBackend';
import { runKind } from '../backends/runKinds';
import { ReduceError, ReduceSide, ReduceStep, reduceFailure } from '../reduce/reduce';
import { reductionPaths, writeReduction } from '../reduce/writeReduction';
import { CliError, Command, nameList, single, UsageError } from './command';
import { asCliError, summaryText } from './compare';
import { loadModel } from './modelInput';
import { TOLERANCE_OPTIONS, toleranceFromArgs } from './toleranceOptions';
import { checkOutputFolder } from './output';
import { cliRunContext } from './run';

/** Spec keys that are not the option's name in kebab case. */
const KEY_ALIASES: Record<string, string> = { threads: 'intraOpThreads', workspace: 'workspaceMiB' };

/**
 * A backend SPEC: `KIND[:key=value,flag,...]`, for example `onnxruntime:opt-level=disabled`,
 * `tensorrt:fp16,tf32` or `results:run.json` (a saved run, the reference only; `results:run.json@1` picks a runner).
 */
export function parseBackendSpec(spec: string, modelPath: string): ReduceSide {
  const colon = spec.indexOf(':');
  const id = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  let kind;
  try {
    kind = runKind(id);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const options: Record<string, unknown> = {};
  if (kind.readsFile) {
    const at = rest.lastIndexOf('@');
    options.path = at < 0 ? rest : rest.slice(0, at);
    if (at >= 0) options.runner = parseRunnerChoice(rest.slice(at + 1));
  } else if (rest !== '') {
    for (const part of rest.split(',')) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim();
      if (key === '') throw new UsageError(`empty option in backend spec '${spec}'`);
      const raw = eq < 0 ? 'true' : part.slice(eq + 1).trim();
      const name = KEY_ALIASES[key] ?? key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      options[name] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    }
  }
  try {
    kind.parseOptions({ ...options, capture: 'all' });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`backend spec '${spec}': ${e.message}`);
    throw e;
  }
  return { modelPath, kind, options };
}


export function stepLine(s: ReduceStep): string {
  const what = s.phase === 'full' ? `full models (${s.nodes} nodes)` : `${s.phase} candidate of ${s.nodes} node(s)`;
  const result = s.error ? `could not run: ${s.error}` : s.failed ? `fails${s.failing ? ` (${s.failing})` : ''}` : 'passes';
  return `step ${s.index}: ${what} ${result} in ${s.seconds.toFixed(2)} s`;
}

export const reduceCommand: Command = {
  name: 'reduce',
  summary: 'Reduce a failing comparison to the smallest subgraph that still fails (as `polygraphy debug reduce`): the two sides run the full model once, the first divergence points at a node, and candidates around it, fed with the reference run\'s tensors, run on both sides until the smallest failing one is found. Sides: MODEL against another file of the same model (--against, tensors paired by name) and/or two backends (--backend-a, --backend-b: onnxruntime[:opt-level=disabled,ep=cpu,threads=N], tensorrt[:fp16,tf32,...], results:FILE[@runner] for a saved reference run). Writes MIN.onnx (typed, weights inline), MIN.inputs.json (its inputs, Polygraphy JSON), MIN.reference.onnx (B\'s subgraph, with --against) and a Markdown report; never replaces a file. Exit 0 when a minimal failing subgraph was written, 1 when the full models do not fail.',
  synopsis: 'MODEL (--against OTHER.onnx | --backend-b SPEC) [--backend-a SPEC] [--inputs FILE] [--atol X] [--rtol Y] [--check-error-stat elemwise|max|mean|median|quantile] -o MIN.onnx [--report R.md]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'against', kind: 'string', help: 'the reference model file (B): the same model before an edit; tensors are paired by name' },
    { name: 'backend-a', kind: 'string', help: 'backend of MODEL, A (default onnxruntime)' },
    { name: 'backend-b', kind: 'string', help: 'backend of the reference, B (default: A\'s)' },
    { name: 'inputs', short: 'i', kind: 'string', repeatable: true, help: 'inputs: Polygraphy inputs .json, .npy, .npz or .pb files (default: generated as Polygraphy, seed 1)' },
    ...TOLERANCE_OPTIONS,
    { name: 'output', short: 'o', kind: 'string', help: 'the minimal model to write (required); MIN.inputs.json and MIN.report.md go beside it' },
    { name: 'report', kind: 'string', help: 'the Markdown report (default MIN.report.md)' },
  ],
  async run(args, io) {
    const modelPath = args.positionals[0];
    const out = single(args, 'output');
    if (!out) throw new UsageError('give the minimal model to write with -o MIN.onnx');
    const against = single(args, 'against');
    const specA = single(args, 'backend-a') ?? 'onnxruntime';
    const specB = single(args, 'backend-b');
    if (!against && !specB) throw new UsageError('give the reference: --against OTHER.onnx (another file of the model) and/or --backend-b SPEC (another backend)');
    const a = parseBackendSpec(specA, modelPath);
    const b = parseBackendSpec(specB ?? specA, against ?? modelPath);
    if (a.kind.readsFile) throw new UsageError('--backend-a must run the model; a results file can only be the reference (--backend-b results:FILE)');
    const tol = toleranceFromArgs(args);
    const paths = reductionPaths(out, single(args, 'report'));
    checkOutputFolder(out);
    for (const p of Object.values(paths)) {
      if ([modelPath, against].some((m) => m && nodePath.resolve(m) === nodePath.resolve(p))) throw new CliError(`${p} is an input model; choose another output file`);
      if (fs.existsSync(p)) throw new CliError(`${p} already exists; choose another output file (reduce never replaces a file)`);
    }
    const ctx = cliRunContext(args, io);
    try {
      const loaded = loadModel(modelPath);
      const reference = against ? loadModel(against) : loaded;
      const { inputs, source } = await prepareInputs(loaded.graph, { files: nameList(args, 'inputs') });
      io.out(`A: ${a.kind.label} on ${modelPath}; B (reference): ${b.kind.label} on ${b.modelPath}; inputs ${source}\n`);
      const result = await reduceFailure({ a: { ...a, model: loaded.model }, b: { ...b, model: reference.model }, inputs, tolerances: { default: tol }, context: ctx, onStep: (s) => io.out(`${stepLine(s)}\n`) });
      if (result.status === 'no-failure') {
        io.out(summaryText(result.fullReport, loaded.graph));
        io.err('onnx-inspector: the full models do not fail: nothing to reduce\n');
        return 1;
      }
      if (result.status === 'not-reducible') {
        io.err(`onnx-inspector: no candidate around ${result.divergence?.node ?? 'the first divergence'} fails on its own with reference inputs (${result.candidateRuns} tried); the failure needs the whole model as it was run\n`);
        return 1;
      }
      const written = await writeReduction(result, paths);
      const m = result.minimal!;
      io.out(`first divergence: ${result.divergence?.tensor}, output of ${result.divergence?.node}\n`);
      io.out(`minimal failing subgraph: ${m.nodes.length} node(s): ${m.nodeLabels.join(', ')}; ${result.candidateRuns} candidate run(s), ${result.seconds.toFixed(2)} s\n`);
      io.out(`wrote ${written.join(', ')}\n`);
      return 0;
    } catch (e) {
      if (e instanceof ReduceError) throw new CliError(e.message);
      if (e instanceof Error && e.name === 'InputError') throw new CliError(e.message);
      throw asCliError(e);
    } finally {
      await ctx.resources.dispose();
    }
  },
};
