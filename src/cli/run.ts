// `run MODEL --save-results OUT.json`: run the model with onnxruntime, capturing all intermediates, the
// outputs or chosen tensors, streamed to a Polygraphy RunResults file; the inputs go to OUT.inputs.json
// so the run can be repeated (`--inputs OUT.inputs.json`).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { writeInputsFile } from '../backends/results/writeResults';
import { Capture } from '../backends/backend';
import { createOrtBackend } from '../backends/onnxruntime/ortBackend';
import { prepareInputs } from '../backends/inputs/prepareInputs';
import { parseDimOverrides } from '../backends/inputs/inputSpecs';
import { Command, CliError, nameList, single, UsageError } from './command';
import { loadModel } from './modelInput';
import { asCliError } from './compare';
import { asUsageError, checkOutputFolder } from './output';

/** OUT.json -> OUT.inputs.json (also for .json.gz). */
export function inputsPathFor(resultsPath: string): string {
  const m = /^(.*?)(\.json(\.gz)?)?$/i.exec(resultsPath) as RegExpExecArray;
  return `${m[1]}.inputs.json`;
}

function intOption(args: Parameters<Command['run']>[0], name: string, min: number, max: number): number | undefined {
  const v = single(args, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], not '${v}'`);
  return Number(v);
}

function choice<T extends string>(args: Parameters<Command['run']>[0], name: string, allowed: readonly T[], dflt: T): T {
  const v = single(args, name) ?? dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not '${v}'`);
  return v as T;
}

function refuseExisting(paths: string[], force: boolean, model: string): void {
  for (const p of paths) {
    if (nodePath.resolve(p) === nodePath.resolve(model)) throw new CliError(`${p} is the input model; choose another output file`);
    if (!force && fs.existsSync(p)) throw new CliError(`${p} already exists; choose another output file or pass --force to replace it`);
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the model with onnxruntime and save the captured tensors as a Polygraphy RunResults file (readable by `polygraphy run --load-outputs` and by `onnx-inspector compare`). Inputs are generated like Polygraphy\'s (same seed, same values) unless given; the inputs used are saved beside the results.',
  synopsis: 'MODEL --save-results OUT.json [--inputs FILE] [--seed N] [--dim name=value] [--capture all|outputs|a,b] [--opt-level all|disabled] [--ep cpu|cuda|tensorrt] [--threads N] [--force]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'save-results', short: 'o', kind: 'string', help: 'results file to write (Polygraphy JSON; .gz compresses); OUT.inputs.json gets the inputs' },
    { name: 'inputs', short: 'i', kind: 'string', repeatable: true, help: 'inputs: Polygraphy inputs .json, .npy, .npz or TensorProto .pb files (comma-separated, repeatable)' },
    { name: 'iteration', kind: 'string', help: 'which feed dict of a Polygraphy inputs file (default 0)' },
    { name: 'seed', kind: 'string', help: 'seed of generated inputs (default 1, Polygraphy\'s)' },
    { name: 'val-range', kind: 'string', help: 'MIN,MAX of generated values (default 0,1: floats in [0,1), ints/bools in {0,1}, as Polygraphy)' },
    { name: 'dim', kind: 'string', repeatable: true, help: 'size of a dynamic dim of generated inputs: NAME=VALUE or INPUT:AXIS=VALUE (default 1)' },
    { name: 'capture', kind: 'string', help: "'all' intermediates (default), 'outputs', or comma-separated tensor names" },
    { name: 'opt-level', kind: 'string', help: 'graph optimization level: all (default) or disabled' },
    { name: 'ep', kind: 'string', help: 'execution provider: cpu (default), cuda or tensorrt (an error if the install lacks it)' },
    { name: 'threads', kind: 'string', help: 'intra-op threads (default: onnxruntime\'s)' },
    { name: 'force', kind: 'flag', help: 'replace the results/inputs files if they exist' },
  ],
  async run(args, io) {
    const out = single(args, 'save-results');
    if (!out) throw new UsageError('give the results file with --save-results OUT.json');
    const modelPath = args.positionals[0];
    const files = nameList(args, 'inputs');
    const captureArg = single(args, 'capture') ?? 'all';
    const capture: Capture = captureArg === 'all' || captureArg === 'outputs' ? captureArg : nameList(args, 'capture');
    const optLevel = choice(args, 'opt-level', ['all', 'disabled'] as const, 'all');
    const ep = choice(args, 'ep', ['cpu', 'cuda', 'tensorrt'] as const, 'cpu');
    const seed = intOption(args, 'seed', 0, 0xffffffff);
    const threads = intOption(args, 'threads', 1, 1024);
    const iteration = intOption(args, 'iteration', 0, 1e9);
    const rangeArg = single(args, 'val-range');
    let range: [number, number] | undefined;
    if (rangeArg !== undefined) {
      const parts = rangeArg.split(',').map(Number);
      if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x)) || parts[0] > parts[1]) throw new UsageError(`--val-range must be MIN,MAX, not '${rangeArg}'`);
      range = [parts[0], parts[1]];
    }
    if (files.length && (seed !== undefined || range)) throw new UsageError('--seed and --val-range apply to generated inputs; not with --inputs');
    const inputsOut = inputsPathFor(out);
    checkOutputFolder(out);
    refuseExisting([out, inputsOut], args.flags.has('force'), modelPath);
    const dims = asUsageError(() => parseDimOverrides(args.values.get('dim') ?? []));
    try {
      const loaded = loadModel(modelPath);
      const { inputs, source } = await prepareInputs(loaded.graph, { files, dims, seed, range, iteration });
      const result = await createOrtBackend().run({
        modelPath, inputs, capture, saveResults: out,
        options: { optLevel, ep, intraOpThreads: threads },
      });
      await writeInputsFile(inputsOut, [inputs]);
      const t = result.timings;
      const bytes = fs.statSync(out).size;
      io.out(`wrote ${out}: ${result.captured.length} tensors (${(bytes / 1e6).toFixed(1)} MB) from ${result.runnerName}; inputs ${source}, saved to ${inputsOut}\n`);
      io.out(`time: prepare ${t.prepare.toFixed(2)} s, session ${t.session.toFixed(2)} s, run ${t.run.toFixed(3)} s, write ${(t.write ?? 0).toFixed(2)} s\n`);
      for (const n of result.notes) io.out(`note: ${n.text}\n`);
    } catch (e) {
      throw asCliError(e);
    }
  },
};
