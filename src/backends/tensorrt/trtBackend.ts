// TensorRT as a Backend, through the helper process: the run's inputs go to a temporary Polygraphy inputs file, the
// helper builds (or takes from its cache) an engine capturing the requested tensors and writes a RunResults file,
// which the shared sink serves as the request's `keep` asks. Fused and uncapturable tensors are reported, not lost.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Backend, RunControl, RunNote, RunOutput, RunRequest, throwIfAborted } from '../backend';
import { readModelFile } from '../../node/modelFile';
import { checkExternalWeights } from '../../node/externalWeights';
import { writeInputsFile } from '../results/writeResults';
import { readSiblingLayerInfo } from '../results/layerInfo';
import { keepOf, sinkResultsFile } from '../runOutputSink';
import type { HelperClient } from './helperProcess';
import type { ResultEvent, RunParams } from './helperProtocol';
import { captureParam, parseTrtOptions, precisionText } from './trtOptions';

export interface TrtBackendDeps {
  /** The helper client, located and started on first use (shared by every run of the host or CLI). */
  helper(): Promise<HelperClient>;
  /** The located TensorRT's major version: 'auto' capture is debug on 10+, mark on 8 (as the helper's default). */
  tensorrtMajor?(): Promise<number | null>;
  tempDir?: string;
}

/** Which RunNote kind a helper note is, by what it talks about. */
export function noteKind(text: string): RunNote['kind'] {
  if (/captur|mark|debug tensor|fused|skipped/i.test(text)) return 'capture';
  if (/tf32|fp16|bf16|int8|precision|tactic|workspace|optimi|builder/i.test(text)) return 'optimization';
  if (/cache|engine file|results file|loaded from/i.test(text)) return 'source';
  return 'provider';
}

function firstNames<T>(list: readonly T[], name: (t: T) => string, n = 3): string {
  const shown = list.slice(0, n).map(name).join(', ');
  return list.length > n ? `${shown}, ... (${list.length - n} more)` : shown;
}

/** A TensorRT run's output: the RunOutput plus what only TensorRT has (for the CLI's summary). */
export interface TrtRunOutput extends RunOutput {
  engineCached: boolean;
  /** The helper's peak resident memory, MiB, when it says. */
  peakRssMiB?: number;
  /** The helper's layer-information file, when the results went to the caller's file. */
  layerInfoPath?: string;
}

export interface TrtBackend extends Backend {
  run(request: RunRequest, control?: RunControl): Promise<TrtRunOutput>;
}

export function createTrtBackend(deps: TrtBackendDeps): TrtBackend {
  return { id: 'tensorrt', label: 'TensorRT (onnx-inspector helper)', run: (req, ctl) => runTrt(deps, req, ctl) };
}

async function runTrt(deps: TrtBackendDeps, req: RunRequest, ctl: RunControl = {}): Promise<TrtRunOutput> {
  const o = parseTrtOptions(req.options);
  ctl.onProgress?.({ stage: 'prepare' });
  // The helper reads the model's external data itself: refuse locations that escape the model's folder, and say
  // a weights file is missing, here, before TensorRT's parser fails on it with a message about something else.
  const { model } = await readModelFile(req.modelPath);
  checkExternalWeights(req.modelPath, model);
  const client = await deps.helper();
  const major = (await deps.tensorrtMajor?.()) ?? null;
  const captureMode = o.captureMode !== 'auto' ? o.captureMode : major !== null ? (major >= 10 ? 'debug' : 'mark') : null;
  throwIfAborted(ctl.signal, 'before the TensorRT run');
  const tempDir = fs.mkdtempSync(nodePath.join(deps.tempDir ?? os.tmpdir(), 'onnx-inspector-trt-'));
  const removeTemp = () => fs.rmSync(tempDir, { recursive: true, force: true });
  const owned = !req.saveResults;
  const resultsPath = req.saveResults ? nodePath.resolve(req.saveResults) : nodePath.join(tempDir, 'results.json');
  let result: ResultEvent;
  try {
    const inputsPath = nodePath.join(tempDir, 'inputs.json');
    await writeInputsFile(inputsPath, [new Map(req.inputs)]);
    const params: RunParams = {
      model: nodePath.resolve(req.modelPath), inputs: inputsPath, saveResults: resultsPath, capture: captureParam(req.capture),
      captureMode, fp16: o.fp16, bf16: o.bf16, int8: o.int8, tf32: o.tf32,
      obeyPrecision: o.obeyPrecision, workspaceMiB: o.workspaceMiB, tacticSources: o.tacticSources, runnerName: req.runnerName ?? null,
      layerInfo: null, cacheDir: o.cacheDir, noCache: o.noCache, buildTimeoutSec: o.buildTimeoutSec,
    };
    result = await client.run(params, {
      signal: ctl.signal,
      onProgress: (ev) => {
        if (ev.state !== 'start' && ev.stage !== 'write') return;
        ctl.onProgress?.({
          stage: ev.stage, done: ev.done, total: ev.total,
          detail: ev.stage === 'build' ? 'first time for this model and these options; cached afterwards' : undefined,
        });
      },
    });
    fs.rmSync(inputsPath, { force: true });
  } catch (e) {
    removeTemp();
    throw e;
  }
  const notes: RunNote[] = result.notes.map((text) => ({ kind: noteKind(text), text }));
  notes.push({ kind: 'source', text: result.engineCached ? 'TensorRT engine: from the cache' : `TensorRT engine: built in ${(result.timings.build ?? 0).toFixed(1)} s (cached for the next run)` });
  notes.push({ kind: 'optimization', text: `precision: ${precisionText(o)}` });
  if (captureMode) {
    notes.push({ kind: 'capture', text: captureMode === 'mark'
      ? 'capture mode: mark (tensors marked as network outputs, which blocks the fusions around them)'
      : 'capture mode: debug tensors (the engine keeps its fusions; fused tensors are listed, not compared)' });
  }
  // The result event lists fused/skipped tensors; the layer file beside the results repeats them (older helpers: only it).
  let fused = result.fused ?? [];
  let skipped = result.skipped ?? [];
  const layerFile = result.layerInfoPath && fs.existsSync(result.layerInfoPath) ? result.layerInfoPath : undefined;
  if (layerFile && fused.length === 0 && skipped.length === 0) {
    const layers = readSiblingLayerInfo(resultsPath);
    if (layers) ({ fused, skipped } = layers.info);
  }
  if (fused.length) notes.push({ kind: 'capture', text: `${fused.length} tensors fused away by TensorRT (not compared): ${firstNames(fused, (f) => `${f.tensor} (in ${f.layer ?? 'an unknown layer'})`)}` });
  if (skipped.length) notes.push({ kind: 'capture', text: `${skipped.length} tensors not captured: ${firstNames(skipped, (s) => `${s.name} (${s.reason})`)}` });
  if (layerFile && !owned) notes.push({ kind: 'source', text: `layer information: ${layerFile}` });
  const keep = keepOf(req);
  let sunk: Awaited<ReturnType<typeof sinkResultsFile>>;
  try {
    sunk = await sinkResultsFile(resultsPath, { keep, runner: 0, control: ctl, owned });
  } catch (e) {
    removeTemp();
    throw e;
  }
  if (keep !== 'disk') removeTemp();
  return {
    runnerName: result.runnerName, captured: result.captured, notes, timings: { ...result.timings }, fused, skipped,
    inputs: { source: 'fed by this run', feed: req.inputs },
    ...sunk,
    layerInfoPath: owned ? undefined : layerFile,
    engineCached: result.engineCached,
    peakRssMiB: result.peakRssMiB,
    dispose: () => { sunk.dispose(); removeTemp(); },
  };
}
