// site-packages folders of the Python environment the Python extension has selected. Optional: without the
// extension, or when the interpreter does not answer within the timeout, there are none (and no error).
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { log } from '../log';

const TIMEOUT_MS = 5000;
const SCRIPT = 'import site,sys; print("\\n".join([p for p in site.getsitepackages() + [site.getusersitepackages()] + sys.path if p]))';

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(): { path: string };
    resolveEnvironment(p: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

async function activeInterpreter(): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonApi>('ms-python.python');
  if (!ext) return undefined;
  const api = ext.isActive ? ext.exports : await ext.activate();
  const envs = api?.environments;
  if (!envs) return undefined;
  const active = envs.getActiveEnvironmentPath();
  const resolved = await envs.resolveEnvironment(active).catch(() => undefined);
  return resolved?.executable?.uri?.fsPath ?? active.path;
}

export async function pythonSitePackages(): Promise<string[]> {
  try {
    const python = await activeInterpreter();
    if (!python) return [];
    const out = await new Promise<string>((resolve, reject) => {
      execFile(python, ['-c', SCRIPT], { timeout: TIMEOUT_MS }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
    return [...new Set(out.split(/\r?\n/).map((s) => s.trim()).filter((s) => /[/\\](site|dist)-packages$/.test(s)))];
  } catch (e) {
    log.warn(`could not ask the selected Python for its site-packages: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}
