// `run MODEL --save-results OUT.json [--backend onnxruntime|tensorrt]`: run the model, capturing all intermediates, the
// outputs or chosen tensors, streamed to a Polygraphy RunResults file; the inputs go to OUT.inputs.json
// so the run can be repeated (`--inputs OUT.inputs.json`).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { writeInputsFile } from '../backends/results/writeResults';
import { layerInfoPathFor } from '../backends/results/layerInfo';
import { inputsPathFor } from '../backends/results/siblingInputs';
import { Capture } from '../backends/backend';
import { ResourcePool, type RunKindContext } from '../backends/registry';
import { RUN_KINDS, runKind } from '../backends/runKinds';
import { HELPER_ENV } from '../backends/tensorrt/locateHelper';
import type { TrtRunOutput } from '../backends/tensorrt/trtBackend';
import { TrtError } from '../backends/tensorrt/trtErrors';
import type { TrtSettings } from '../backends/tensorrt/trtKind';
import { prepareInputs } from '../backends/inputs/prepareInputs';
import { parseDimOverrides } from '../backends/inputs/inputSpecs';
import { CliIo, Command, CliError, nameList, OptionSpec, ParsedArgs, single, UsageError } from './command';
import { loadModel } from './modelInput';
import { asCliError } from './compare';
import { asUsageError, checkOutputFolder } from './output';


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

const TRT_OPTIONS: OptionSpec[] = [
  { name: 'trt-capture', kind: 'string', help: 'TensorRT capture mode: debug (keeps fusions; TensorRT 10+) or mark (marks tensors as outputs; the only mode on 8). Default: the helper\'s (debug on 10+, mark on 8)' },
  { name: 'fp16', kind: 'flag', help: 'TensorRT: allow FP16 kernels' },
  { name: 'bf16', kind: 'flag', help: 'TensorRT: allow BF16 kernels' },
  { name: 'int8', kind: 'flag', help: 'TensorRT: INT8 (for models with Q/DQ nodes)' },
  { name: 'tf32', kind: 'flag', help: 'TensorRT: allow TF32 for FP32 math (off by default: it changes FP32 results by ~1e-3)' },
  { name: 'obey-precision', kind: 'flag', help: 'TensorRT: obey per-layer precision constraints' },
  { name: 'workspace', kind: 'string', help: 'TensorRT workspace limit in MiB (default 4096)' },
  { name: 'tactic-sources', kind: 'string', help: 'TensorRT tactic sources: default, all, or a comma list of cublas,cublaslt,cudnn,edge-mask-convolutions,jit-convolutions' },
  { name: 'trt-helper', kind: 'string', help: `the TensorRT helper binary (default: ${HELPER_ENV}, the bundled helpers, then onnx-inspector-trt* on PATH)` },
  { name: 'tensorrt-lib-dir', kind: 'string', help: 'folder holding libnvinfer.so.N (default: the helper searches; see `onnx-inspector doctor`)' },
  { name: 'python', kind: 'string', help: 'python whose site-packages hold pip\'s tensorrt (default: python3 on PATH)' },
  { name: 'engine-cache-dir', kind: 'string', help: 'TensorRT engine cache folder (default ~/.cache/onnx-inspector/trt-engines)' },
  { name: 'no-engine-cache', kind: 'flag', help: 'build the TensorRT engine afresh and do not cache it' },
  { name: 'build-timeout', kind: 'string', help: 'fail the TensorRT engine build after this many seconds (default 1800)' },
];

/** The TensorRT helper settings from the flags (shared with `doctor`). */
export function trtSettingsFromArgs(args: ParsedArgs): TrtSettings {
  return { helperPath: single(args, 'trt-helper'), libDir: single(args, 'tensorrt-lib-dir'), python: single(args, 'python') };
}

/** The context for run kinds in the CLI: bundled helpers beside dist/, one helper process for this invocation. */
export function cliRunContext(args: ParsedArgs, io: CliIo): RunKindContext {
  return {
    extensionRoot: nodePath.resolve(__dirname, '..'),
    settings: { tensorrt: { ...trtSettingsFromArgs(args) } },
    resources: new ResourcePool(),
    // The helper's warnings and errors; its routine stderr stays quiet unless ONNX_INSPECTOR_DEBUG is set.
    log: (level, message) => { if (level !== 'info' || process.env.ONNX_INSPECTOR_DEBUG) io.err(`${message}\n`); },
  };
}

function backendOptions(backend: string, args: ParsedArgs, capture: Capture): Record<string, unknown> {
  if (backend === 'onnxruntime') {
    return {
      capture, optLevel: choice(args, 'opt-level', ['all', 'disabled'] as const, 'all'),
      ep: choice(args, 'ep', ['cpu', 'cuda', 'tensorrt'] as const, 'cpu'), intraOpThreads: intOption(args, 'threads', 1, 1024),
    };
  }
  for (const [flag, backendName] of [['opt-level', 'onnxruntime'], ['ep', 'onnxruntime'], ['threads', 'onnxruntime']] as const) {
    if (args.values.has(flag)) throw new UsageError(`--${flag} applies to --backend ${backendName}`);
  }
  // A registered backend without flags of its own runs with its default options.
  if (backend !== 'tensorrt') return { capture };
  return {
    capture, captureMode: choice(args, 'trt-capture', ['debug', 'mark', 'auto'] as const, 'auto'),
    fp16: args.flags.has('fp16'), bf16: args.flags.has('bf16'), int8: args.flags.has('int8'), tf32: args.flags.has('tf32'),
    obeyPrecision: args.flags.has('obey-precision'), workspaceMiB: intOption(args, 'workspace', 1, 1 << 24),
    tacticSources: single(args, 'tactic-sources'), cacheDir: single(args, 'engine-cache-dir') ?? null,
    noCache: args.flags.has('no-engine-cache'), buildTimeoutSec: intOption(args, 'build-timeout', 1, 1e7),
  };
}

function names<T>(list: readonly T[], name: (t: T) => string, n = 5): string {
  return list.slice(0, n).map(name).join(', ') + (list.length > n ? `, ... (${list.length - n} more)` : '');
}

/** The TensorRT-specific lines: engine built or cached, captured/fused/skipped counts, the layer file. */
function trtSummary(r: TrtRunOutput): string[] {
  const lines = [r.engineCached ? 'engine: from the cache (no build)' : `engine: built in ${(r.timings.build ?? 0).toFixed(2)} s, cached for the next run`];
  const fused = r.fused ?? [];
  const skipped = r.skipped ?? [];
  lines.push(`captured ${r.captured.length}; fused ${fused.length}${fused.length ? `: ${names(fused, (f) => `${f.tensor} (in ${f.layer ?? '?'})`)}` : ''}; skipped ${skipped.length}${skipped.length ? `: ${names(skipped, (s) => `${s.name} (${s.reason})`)}` : ''}`);
  if (r.layerInfoPath) lines.push(`layer information: ${r.layerInfoPath}`);
  if (r.peakRssMiB) lines.push(`helper peak memory: ${Math.round(r.peakRssMiB)} MiB`);
  return lines;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run the model with onnxruntime or TensorRT and save the captured tensors as a Polygraphy RunResults file (readable by `polygraphy run --load-outputs` and by `onnx-inspector compare`). Inputs are generated like Polygraphy\'s (same seed, same values) unless given; the inputs used are saved beside the results. TensorRT runs need the TensorRT helper (see `onnx-inspector doctor`).',
  synopsis: 'MODEL --save-results OUT.json [--backend onnxruntime|tensorrt] [--inputs FILE] [--seed N] [--dim name=value] [--capture all|outputs|a,b] [--opt-level all|disabled] [--ep cpu|cuda|tensorrt] [--threads N] [--trt-capture debug|mark] [--fp16] [--bf16] [--int8] [--tf32] [--obey-precision] [--workspace MIB] [--tactic-sources LIST] [--trt-helper PATH] [--tensorrt-lib-dir DIR] [--no-engine-cache] [--force]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'save-results', short: 'o', kind: 'string', help: 'results file to write (Polygraphy JSON; .gz compresses, onnxruntime only); OUT.inputs.json gets the inputs' },
    { name: 'backend', short: 'b', kind: 'string', help: 'onnxruntime (default) or tensorrt' },
    { name: 'inputs', short: 'i', kind: 'string', repeatable: true, help: 'inputs: Polygraphy inputs .json, .npy, .npz or TensorProto .pb files (comma-separated, repeatable)' },
    { name: 'iteration', kind: 'string', help: 'which feed dict of a Polygraphy inputs file (default 0)' },
    { name: 'seed', kind: 'string', help: 'seed of generated inputs (default 1, Polygraphy\'s)' },
    { name: 'val-range', kind: 'string', help: 'MIN,MAX of generated values (default 0,1: floats in [0,1), ints/bools in {0,1}, as Polygraphy)' },
    { name: 'dim', kind: 'string', repeatable: true, help: 'size of a dynamic dim of generated inputs: NAME=VALUE or INPUT:AXIS=VALUE (default 1)' },
    { name: 'capture', kind: 'string', help: "'all' intermediates (default), 'outputs', or comma-separated tensor names" },
    { name: 'opt-level', kind: 'string', help: 'onnxruntime graph optimization level: all (default) or disabled' },
    { name: 'ep', kind: 'string', help: 'onnxruntime execution provider: cpu (default), cuda or tensorrt (an error if the install lacks it)' },
    { name: 'threads', kind: 'string', help: 'onnxruntime intra-op threads (default: onnxruntime\'s)' },
    ...TRT_OPTIONS,
    { name: 'force', kind: 'flag', help: 'replace the results/inputs files if they exist' },
  ],
  async run(args, io) {
    const out = single(args, 'save-results');
    if (!out) throw new UsageError('give the results file with --save-results OUT.json');
    const modelPath = args.positionals[0];
    // Every registered kind that runs the model (not the results-file kind).
    const backendId = choice(args, 'backend', RUN_KINDS.filter((k) => !k.readsFile).map((k) => k.id), 'onnxruntime');
    if (backendId === 'tensorrt' && /\.gz$/i.test(out)) throw new UsageError('the TensorRT helper writes .json results only; drop the .gz');
    const files = nameList(args, 'inputs');
    const captureArg = single(args, 'capture') ?? 'all';
    const capture: Capture = captureArg === 'all' || captureArg === 'outputs' ? captureArg : nameList(args, 'capture');
    const kind = runKind(backendId);
    let options: unknown;
    try {
      options = kind.parseOptions(backendOptions(backendId, args, capture));
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const seed = intOption(args, 'seed', 0, 0xffffffff);
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
    // The helper also writes OUT.layers.json: an existing one is the user's file too.
    refuseExisting([out, inputsOut, ...(backendId === 'tensorrt' ? [layerInfoPathFor(out)] : [])], args.flags.has('force'), modelPath);
    const dims = asUsageError(() => parseDimOverrides(args.values.get('dim') ?? []));
    const ctx = cliRunContext(args, io);
    try {
      const loaded = loadModel(modelPath);
      const { inputs, source } = await prepareInputs(loaded.graph, { files, dims, seed, range, iteration });
      const backend = kind.createBackend(options, ctx);
      const result = await backend.run(kind.request(options, { modelPath, inputs, saveResults: out }));
      await writeInputsFile(inputsOut, [inputs]);
      const t = result.timings;
      const bytes = fs.statSync(out).size;
      io.out(`wrote ${out}: ${result.captured.length} tensors (${(bytes / 1e6).toFixed(1)} MB) from ${result.runnerName}; inputs ${source}, saved to ${inputsOut}\n`);
      if (backend.id === 'tensorrt') for (const line of trtSummary(result as TrtRunOutput)) io.out(`${line}\n`);
      io.out(`time: ${Object.entries(t).filter(([k]) => k !== 'spillWait' && k !== 'convert').map(([k, v]) => `${k} ${v.toFixed(k === 'run' ? 3 : 2)} s`).join(', ')}\n`);
      for (const n of result.notes) io.out(`note: ${n.text}\n`);
      result.dispose();
    } catch (e) {
      // TensorRT problems keep the helper's exit codes (3 no TensorRT, 4 no GPU, 5 parse, ...): scripts can tell them apart.
      if (e instanceof TrtError) {
        io.err(`onnx-inspector: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
        return e.exitCode;
      }
      throw asCliError(e);
    } finally {
      await ctx.resources.dispose();
    }
  },
};
