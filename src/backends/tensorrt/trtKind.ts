// TensorRT as a run kind. One helper per extension host (or CLI invocation), shared through the context's
// resources: located once (awaited `--version`), started on the first run, stopped when the host goes.
import { defineRunKind, parseCapture, type LogLevel, type RunKindContext } from '../registry';
import { Capture } from '../backend';
import { HelperClient } from './helperProcess';
import { describeExit } from '../../node/supervisor';
import { describeVersion, locateHelper, type LocatedHelper, type LocateSettings } from './locateHelper';
import { createTrtBackend } from './trtBackend';
import { parseTrtOptions, precisionText, type TrtOptions } from './trtOptions';

export interface TrtRunOptions extends TrtOptions {
  capture: Capture;
}

/** What the host's settings (onnxInspector.tensorrt.*) or the CLI's flags say about the helper. */
export interface TrtSettings extends LocateSettings {
  cacheDir?: string;
  buildTimeoutSeconds?: number;
}

export function trtSettingsOf(ctx: RunKindContext): TrtSettings {
  return (ctx.settings?.tensorrt ?? {}) as TrtSettings;
}

/** The located helper and its serving process, shared by every TensorRT run of one context. */
export class SharedTrtHelper {
  private located: Promise<LocatedHelper> | undefined;
  /** The last successful location, for pickers that must show it without waiting. */
  private lastLocated: LocatedHelper | undefined;
  private client: HelperClient | undefined;
  private healthLogged = false;

  constructor(private readonly settings: TrtSettings, private readonly ctx: RunKindContext) {}

  /** Locates the helper (awaited `--version --json`); a failure is not cached, so fixing a setting and retrying works. */
  locate(): Promise<LocatedHelper> {
    if (!this.located) {
      const p = locateHelper({ ...this.settings, extensionRoot: this.ctx.extensionRoot, env: this.ctx.env });
      this.located = p;
      p.then((l) => { this.lastLocated = l; }, () => { if (this.located === p) this.located = undefined; });
    }
    return this.located;
  }

  /** What the last successful `locate()` found, if any (no waiting, no process started). */
  known(): LocatedHelper | undefined {
    return this.lastLocated;
  }

  async helper(): Promise<HelperClient> {
    const located = await this.locate();
    this.client ??= new HelperClient({
      path: located.path, locateArgs: located.locateArgs, env: this.ctx.env,
      log: (level: LogLevel, message: string) => this.ctx.log?.(level, message),
      idleMs: 10 * 60_000,
    });
    if (!this.healthLogged) {
      this.healthLogged = true;
      const detail = `${located.path}: ${describeVersion(located.version)}`;
      this.client.onHealth((h) => {
        this.ctx.log?.(h.state === 'failed' || h.state === 'crashed' ? 'error' : 'info',
          `tensorrt helper: ${h.state}${h.reason ? ` (${h.reason})` : ''}${h.state === 'crashed' && h.lastExit ? ` (${describeExit(h.lastExit)})` : ''}`);
        this.ctx.health?.('TensorRT helper', h, detail);
      });
    }
    return this.client;
  }

  async dispose(): Promise<void> {
    await this.client?.dispose();
  }
}

/** The context's shared helper for its current settings (new settings: a new helper). */
export function sharedTrtHelper(ctx: RunKindContext): SharedTrtHelper {
  const settings = trtSettingsOf(ctx);
  const key = `tensorrt.helper:${JSON.stringify([settings.helperPath, settings.libDir, settings.python])}`;
  return ctx.resources.get(key, () => new SharedTrtHelper(settings, ctx));
}

export const trtRunKind = defineRunKind<TrtRunOptions>({
  id: 'tensorrt',
  label: 'TensorRT',
  needsInputs: true,
  parseOptions: (raw) => ({ ...parseTrtOptions(Object.fromEntries(Object.entries(raw ?? {}).filter(([k]) => k !== 'capture'))), capture: parseCapture(raw?.capture) }),
  createBackend(_o, ctx) {
    const shared = sharedTrtHelper(ctx);
    return createTrtBackend({ helper: () => shared.helper(), tensorrtMajor: async () => (await shared.locate()).version.tensorrtMajor });
  },
  request: (o, base) => {
    const { capture, ...options } = o;
    return {
      modelPath: base.modelPath, inputs: base.inputs, capture, saveResults: base.saveResults, keep: base.keep,
      runnerName: base.twin ? `trt-runner-${base.twin}-${precisionText(o).replace(/\W+/g, '-').toLowerCase()}` : undefined,
      options: { ...options },
    };
  },
  describe: (o) => `TensorRT (${precisionText(o)}, capture ${o.captureMode === 'auto' ? 'default mode' : `mode ${o.captureMode}`})`,
});
