// One log for the extension: VS Code's output channel, and a file when ONNX_INSPECTOR_LOG names one
// (end-to-end tests read it: the output panel is VS Code's DOM, not ours).
import * as fs from 'fs';
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;
const logFile = process.env.ONNX_INSPECTOR_LOG;

export function initLog(): vscode.Disposable {
  channel = vscode.window.createOutputChannel('ONNX Inspector', { log: true });
  return channel;
}

function toFile(level: string, message: string): void {
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, `${new Date().toISOString()} ${level} ${message}\n`);
  } catch {
    // Logging must never break the extension.
  }
}

export const log = {
  info(message: string): void {
    channel?.info(message);
    toFile('INFO', message);
  },
  warn(message: string): void {
    channel?.warn(message);
    toFile('WARN', message);
  },
  error(message: string): void {
    channel?.error(message);
    toFile('ERROR', message);
  },
  /** A structured record for tests and benchmarks: one JSON object per line. */
  event(name: string, data: Record<string, unknown>): void {
    const line = JSON.stringify({ event: name, ...data });
    channel?.info(line);
    toFile('EVENT', line);
  },
};
