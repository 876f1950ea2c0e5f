// The run kinds' context in the extension host: the extension's folder (bundled helpers), the settings
// onnxInspector.tensorrt.* read at each use, the output channel, and one resource pool (the TensorRT helper process)
// for the whole host, disposed with the extension.
import * as vscode from 'vscode';
import { ResourcePool, type RunKindContext } from '../../backends/registry';
import type { TrtSettings } from '../../backends/tensorrt/trtKind';
import { describeExit, type Health, type HealthState } from '../../node/supervisor';
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

const HEALTH_ICON: Record<HealthState, string> = {
  idle: 'debug-pause', starting: 'loading~spin', ready: 'pass', crashed: 'warning', stopping: 'debug-stop', failed: 'error', disposed: 'circle-slash',
};

/** The helper's health in the status bar, like a language server's: shown once it has been started. */
function healthItem(): { show(name: string, h: Health, detail: string): void; dispose(): void } {
  let item: vscode.StatusBarItem | undefined;
  return {
    show(name, h, detail) {
      item ??= vscode.window.createStatusBarItem('onnxInspector.tensorrtHealth', vscode.StatusBarAlignment.Left, 0);
      item.name = name;
      item.text = `$(${HEALTH_ICON[h.state]}) ${name}: ${h.state}`;
      item.tooltip = [detail, `started ${h.starts} time(s)`, h.reason ?? '', h.lastExit ? `last exit: ${describeExit(h.lastExit)}` : ''].filter(Boolean).join('\n');
      item.backgroundColor = h.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      if (h.state === 'disposed') item.hide();
      else item.show();
    },
    dispose: () => item?.dispose(),
  };
}

export function createHostRunContext(extensionRoot: string): HostRunContext {
  const resources = new ResourcePool();
  const health = healthItem();
  return {
    current: () => ({
      extensionRoot,
      // Read when a TensorRT run asks: a bad TensorRT setting must not block an onnxruntime-only comparison.
      settings: { get tensorrt() { return { ...trtSettings() }; } },
      resources,
      log: (level, message) => log[level](message),
      health: (name, h, detail) => health.show(name, h, detail),
    }),
    dispose: () => { health.dispose(); void resources.dispose(); },
  };
}
