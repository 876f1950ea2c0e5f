// The webview's handle on VS Code: acquireVsCodeApi() may be called once per page, so it is cached here.
import type { WebviewToHost } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscode(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function post(message: WebviewToHost): void {
  vscode().postMessage(message);
}
