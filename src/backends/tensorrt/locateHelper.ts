// Finding the TensorRT helper, like rust-analyzer's bootstrap: an explicit path (setting, --trt-helper or
// ONNX_INSPECTOR_TRT_HELPER) -> the helpers bundled for this platform, newest TensorRT major first -> PATH. Each
// candidate's `--version --json` is awaited (with a timeout) and must find TensorRT; otherwise every problem is named.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { parseEventLine, type VersionEvent } from './helperProtocol';
import { LIB_DIR_HINT, searchedText, TrtError } from './trtErrors';

export const HELPER_ENV = 'ONNX_INSPECTOR_TRT_HELPER';
/** TensorRT majors the helper is built for, newest first. */
export const HELPER_MAJORS = [11, 10, 8] as const;

export type HelperSource = 'setting' | 'environment' | 'bundled' | 'PATH';

export interface LocateSettings {
  /** onnxInspector.tensorrt.helperPath / --trt-helper. */
  helperPath?: string;
  /** onnxInspector.tensorrt.libDir / --tensorrt-lib-dir: passed to the helper. */
  libDir?: string;
  /** onnxInspector.tensorrt.python: whose site-packages hold pip's TensorRT. */
  python?: string;
}

export interface LocateOptions extends LocateSettings {
  /** Root holding bin/<platform>-<arch>/ (the extension's folder). */
  extensionRoot?: string;
  env?: NodeJS.ProcessEnv;
  platform?: string;
  arch?: string;
  /** Per `--version` check (default 30 s: loading TensorRT's libraries takes seconds). */
  timeoutMs?: number;
}

export interface HelperCandidate { path: string; source: HelperSource }

export interface Probe extends HelperCandidate {
  version?: VersionEvent;
  /** Why this candidate cannot be used (not executable, garbage output, no TensorRT, ...). */
  problem?: string;
}

export interface LocatedHelper extends HelperCandidate {
  version: VersionEvent;
  /** LOCATE arguments every call of this helper gets. */
  locateArgs: string[];
  /** Every candidate looked at, in order (for `doctor`). */
  probes: Probe[];
}

export function locateArgs(s: LocateSettings): string[] {
  return [...(s.libDir ? ['--tensorrt-lib-dir', s.libDir] : []), ...(s.python ? ['--python', s.python] : [])];
}

const exe = (platform: string) => (platform === 'win32' ? '.exe' : '');

/** A bundled helper may lose its mode bits when the vsix is unpacked: it is ours, so restore them (best effort). */
function makeExecutable(path: string): void {
  try {
    fs.accessSync(path, fs.constants.X_OK);
  } catch {
    try { fs.chmodSync(path, 0o755); } catch { /* the --version probe then says it is not executable */ }
  }
}

/** The candidates in the order they are tried. An explicit path is the only candidate: no silent fallback. */
export function helperCandidates(o: LocateOptions): HelperCandidate[] {
  const env = o.env ?? process.env;
  // Settings are often written as ~/...: the shell would expand that, execFile does not.
  if (o.helperPath) return [{ path: o.helperPath.replace(/^~(?=$|[\\/])/, os.homedir()), source: 'setting' }];
  if (env[HELPER_ENV]) return [{ path: env[HELPER_ENV] as string, source: 'environment' }];
  const platform = o.platform ?? process.platform;
  const out: HelperCandidate[] = [];
  if (o.extensionRoot) {
    const dir = nodePath.join(o.extensionRoot, 'bin', `${platform}-${o.arch ?? process.arch}`);
    for (const m of HELPER_MAJORS) {
      const p = nodePath.join(dir, `onnx-inspector-trt${m}${exe(platform)}`);
      if (!fs.existsSync(p)) continue;
      makeExecutable(p);
      out.push({ path: p, source: 'bundled' });
    }
  }
  const seen = new Set(out.map((c) => c.path));
  const onPath: { path: string; major: number }[] = [];
  for (const dir of (env.PATH ?? '').split(nodePath.delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^onnx-inspector-trt(\d+)(\.exe)?$/.exec(n);
      const p = nodePath.join(dir, n);
      if (m && !seen.has(p)) {
        seen.add(p);
        onPath.push({ path: p, major: Number(m[1]) });
      }
    }
  }
  // Newest major first; PATH order among equals.
  onPath.sort((a, b) => b.major - a.major);
  return [...out, ...onPath.map((c) => ({ path: c.path, source: 'PATH' as const }))];
}

/** Runs `PATH --version --json [LOCATE]` and returns its version event; rejects with a one-line reason. */
export function probeHelper(path: string, o: LocateOptions = {}): Promise<VersionEvent> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    execFile(path, ['--version', '--json', ...locateArgs(o)], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20, env: o.env ?? process.env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean; signal?: string }) | null;
      if (e?.code === 'ENOENT') return reject(new Error(`${path} does not exist`));
      if (e?.code === 'EACCES') return reject(new Error(`${path} is not executable (chmod +x it, or point the setting at the helper binary)`));
      if (e && typeof e.code === 'string') return reject(new Error(`${path} cannot be started: ${e.message}`));
      if (e?.killed && e.signal === 'SIGKILL') return reject(new Error(`${path} --version did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`));
      // The version line comes whatever the exit code (3: no TensorRT, 4: no GPU): it says why.
      for (const line of stdout.split('\n').map((l) => l.trim()).filter(Boolean).reverse()) {
        const ev = parseEventLine(line);
        if (ev instanceof Error) continue;
        if (ev.event === 'version') return resolve({ ...ev, problems: ev.problems ?? [], searched: ev.searched ?? [] });
        if (ev.event === 'error') {
          return resolve({
            event: 'version', helper: 'unknown', tensorrtMajor: null, tensorrt: null, tensorrtLibDir: null, gpu: null, cuda: null,
            problems: [ev.message], searched: ev.searched ?? [],
          });
        }
      }
      const shown = (stdout.trim() || stderr.trim()).slice(0, 160);
      const status = e?.signal ? `killed by ${e.signal}` : `exit code ${typeof e?.code === 'number' ? e.code : 0}`;
      reject(new Error(`${path} --version --json printed no version line (${status}${shown ? `; it printed ${JSON.stringify(shown)}` : ''}): is it an onnx-inspector TensorRT helper?`));
    });
  });
}

/** Every candidate, each probed (in order, so one slow helper does not hide which one answered). */
export async function probeAll(o: LocateOptions): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const c of helperCandidates(o)) {
    try {
      const version = await probeHelper(c.path, o);
      probes.push({ ...c, version, problem: version.tensorrt ? undefined : `no TensorRT: ${version.problems.join('; ') || `looked in ${searchedText(version.searched)}`}` });
      if (version.tensorrt) break;
    } catch (e) {
      probes.push({ ...c, problem: (e as Error).message });
    }
  }
  return probes;
}

/** The first helper that finds TensorRT, or a TrtError naming every candidate's problem. */
export async function locateHelper(o: LocateOptions): Promise<LocatedHelper> {
  const probes = await probeAll(o);
  const found = probes.find((p) => p.version?.tensorrt);
  if (found) return { path: found.path, source: found.source, version: found.version as VersionEvent, locateArgs: locateArgs(o), probes };
  if (probes.length === 0) {
    throw new TrtError(
      `No TensorRT helper found: none bundled in ${o.extensionRoot ? nodePath.join(o.extensionRoot, 'bin', `${o.platform ?? process.platform}-${o.arch ?? process.arch}`) : 'this install'} and no onnx-inspector-trt* on PATH; set onnxInspector.tensorrt.helperPath (or --trt-helper) to the helper binary`,
      'no-helper');
  }
  const usable = probes.filter((p) => p.version);
  const problems = probes.map((p) => `${p.path}: ${p.problem}`).join('; ');
  if (usable.length === 0) throw new TrtError(`No working TensorRT helper: ${problems}`, 'no-helper');
  const searched = usable.flatMap((p) => p.version?.searched ?? []);
  throw new TrtError(`TensorRT was not found: looked in ${searchedText(searched)} (${problems}); ${LIB_DIR_HINT}`, 'no-tensorrt');
}

/** 'TensorRT 8.6.0 on NVIDIA H100' or why not: the picker's detail line and doctor's summary. */
export function describeVersion(v: VersionEvent): string {
  if (!v.tensorrt) return `no TensorRT (${v.problems.join('; ') || 'not found'})`;
  return `TensorRT ${v.tensorrt} on ${v.gpu ?? `no GPU (${v.problems.join('; ') || 'none found'})`}`;
}
