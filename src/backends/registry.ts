// Run kinds: what can produce one side of a comparison (onnxruntime, a saved results file, TensorRT, ...). Each
// kind says how to build its Backend and RunRequest from its typed options, whether it needs inputs, and how to
// describe a run for the user. The list lives in runKinds.ts: a new backend is one folder plus one line there.
import type { Backend, Capture, RunRequest } from './backend';
import type { Health } from '../node/supervisor';

/** Long-lived things the runs of one extension host or CLI invocation share (the TensorRT helper process). */
export class ResourcePool {
  private readonly items = new Map<string, { dispose(): unknown }>();

  /** The resource under `key`, created on first use. */
  get<T extends { dispose(): unknown }>(key: string, create: () => T): T {
    let r = this.items.get(key);
    if (!r) {
      r = create();
      this.items.set(key, r);
    }
    return r as T;
  }

  /** The resource under `key` if it was created. */
  peek<T>(key: string): T | undefined {
    return this.items.get(key) as T | undefined;
  }

  async dispose(): Promise<void> {
    const items = [...this.items.values()];
    this.items.clear();
    await Promise.allSettled(items.map(async (r) => r.dispose()));
  }
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface RunKindContext {
  /** Root of the installed extension (or the repository): bundled helpers lie in its bin/<platform>-<arch>/. */
  extensionRoot?: string;
  /** Per-kind settings, keyed by the kind's id (e.g. `tensorrt`: helper path, lib dir), as the host or CLI read them. */
  settings?: Record<string, Record<string, unknown> | undefined>;
  resources: ResourcePool;
  /** Lines for the user's log (the helper's stderr, warnings). */
  log?(level: LogLevel, message: string): void;
  /** A supervised resource's health changed (the TensorRT helper process): the host shows it. */
  health?(resource: string, health: Health, detail: string): void;
  /** Environment (default process.env); tests set ONNX_INSPECTOR_TRT_HELPER here. */
  env?: NodeJS.ProcessEnv;
}

/** What every run of a comparison shares; each kind takes what applies to it. */
export interface RunBase {
  modelPath: string;
  inputs: RunRequest['inputs'];
  /** Where a run that produces tensors writes its results file. */
  saveResults?: string;
  keep?: RunRequest['keep'];
  /** Set when both sides are of the same kind: 'a' or 'b', so their runner names differ in the report. */
  twin?: 'a' | 'b';
}

export interface RunKind<O = any> {
  id: string;
  label: string;
  /** Runs of this kind execute the model, so they need its inputs (generated or loaded). */
  needsInputs: boolean;
  /** Checks and completes options coming from a picker, a CLI or JSON; throws RangeError naming the bad one. */
  parseOptions(raw: Record<string, unknown> | undefined): O;
  createBackend(options: O, ctx: RunKindContext): Backend;
  request(options: O, base: RunBase): RunRequest;
  /** For the user: 'onnxruntime CPU (all intermediates, optimization all)'. */
  describe(options: O): string;
  /** Runs that read a file the user chose (no tensors produced): that file and its runner. */
  readsFile?(options: O): { path: string; runner: string | number };
}

/** Identity with the types checked: `export const fooRunKind = defineRunKind<FooOptions>({...})`. */
export function defineRunKind<O>(kind: RunKind<O>): RunKind<O> {
  return kind;
}

/** `capture` from options: 'all', 'outputs' or a list of names. */
export function parseCapture(v: unknown): Capture {
  if (v === undefined) return 'all';
  if (v === 'all' || v === 'outputs') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new RangeError(`capture must be 'all', 'outputs' or a list of tensor names, not ${JSON.stringify(v)}`);
}
