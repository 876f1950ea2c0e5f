// The TensorRT helper's layer-information file (helper/PROTOCOL.md): beside `OUT.json` as `OUT.layers.json`, it
// lists the tensors the engine fused away (and into which layer) and those it could not capture.
import * as fs from 'node:fs';
import type { RunOutput } from '../backend';

export interface LayerInfo {
  tensorrt: string | null;
  runnerName: string | null;
  captureMode: string | null;
  fused: NonNullable<RunOutput['fused']>;
  skipped: NonNullable<RunOutput['skipped']>;
}

/** OUT.json (or OUT.json.gz) -> OUT.layers.json, the helper's default. */
export function layerInfoPathFor(resultsPath: string): string {
  return resultsPath.replace(/(\.json)?(\.gz)?$/i, '') + '.layers.json';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the layer file's fused/skipped lists; entries of the wrong shape are an error (a foreign file). */
export function parseLayerInfo(text: string, where: string): LayerInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not a layer-information file (${(e as Error).message})`);
  }
  if (!isObject(raw)) throw new Error(`${where}: not a layer-information file (no JSON object)`);
  const list = (key: string) => (raw as Record<string, unknown>)[key] ?? [];
  const fusedRaw = list('fused');
  const skippedRaw = list('skipped');
  if (!Array.isArray(fusedRaw) || !Array.isArray(skippedRaw)) throw new Error(`${where}: 'fused' and 'skipped' must be lists`);
  const fused = fusedRaw.map((f, i) => {
    if (!isObject(f) || typeof f.tensor !== 'string' || !(typeof f.layer === 'string' || f.layer === null || f.layer === undefined)) throw new Error(`${where}: fused[${i}] is not {tensor, layer}`);
    return { tensor: f.tensor, layer: (f.layer as string | null | undefined) ?? null };
  });
  const skipped = skippedRaw.map((s, i) => {
    if (!isObject(s) || typeof s.name !== 'string') throw new Error(`${where}: skipped[${i}] is not {name, reason}`);
    return { name: s.name, reason: typeof s.reason === 'string' ? s.reason : '' };
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return { tensorrt: str(raw.tensorrt), runnerName: str(raw.runnerName), captureMode: str(raw.captureMode), fused, skipped };
}

/** The layer file beside a results file, or undefined when there is none. */
export function readSiblingLayerInfo(resultsPath: string): { path: string; info: LayerInfo } | undefined {
  const path = layerInfoPathFor(resultsPath);
  if (path === resultsPath || !fs.existsSync(path)) return undefined;
  return { path, info: parseLayerInfo(fs.readFileSync(path, 'utf8'), path) };
}
