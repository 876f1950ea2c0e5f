// The run kinds' context in the extension host: the extension's folder (bundled helpers), the settings
// onnxInspector.tensorrt.* read at each use, the output channel, and one resource pool (the TensorRT helper process)
// for the whole host, disposed with the extension.
import * as vscode from 'vscode';
import { ResourcePool, type RunKindContext } from '../../backends/registry';
import type { TrtSettings } from '../../backends/tensorrt/trtKind';
import { log } from '../log';

function trtSettings(): TrtSettings {
  const c = vscode.workspace.getConfiguration('onnxInspector.tensorrt');
  const text = (key: string) => {
    const v = c.get<unknown>(key);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new Error(`Setting onnxInspector.tensorrt.${key} must be a path (it is ${JSON.stringify(v)}).`);
    return v;
  };
  const timeout = c.get<unknown>('buildTimeoutSeconds', 1800);
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout <= 0) throw new Error(`Setting onnxInspector.tensorrt.buildTimeoutSeconds must be a positive whole number (it is ${JSON.stringify(timeout)}).`);
  return { helperPath: text('helperPath'), libDir: text('libDir'), python: text('python'), cacheDir: text('cacheDir'), buildTimeoutSeconds: timeout };
}

export interface HostRunContext extends vscode.Disposable {
  /** A context with the settings as they are now (the pool is shared: same settings, same helper process). */
  current(): RunKindContext;
}

export function createHostRunContext(extensionRoot: string): HostRunContext {
  const resources = new ResourcePool();
  return {
    current: () => ({
      extensionRoot,
      settings: { tensorrt: { ...trtSettings() } },
      resources,
      log: (level, message) => log[level](message),
    }),
    dispose: () => { void resources.dispose(); },
  };
}
