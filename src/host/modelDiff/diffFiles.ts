// The union models of Compare Models, served read-only from memory under the onnx-diff: scheme, so the graph
// editor opens them like any model file (properties, search and text form included). Never written to disk.
import * as vscode from 'vscode';

export const DIFF_SCHEME = 'onnx-diff';

export class DiffFiles implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { bytes: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  add(uri: vscode.Uri, bytes: Uint8Array): void {
    this.files.set(uri.path, { bytes, mtime: Date.now() });
  }

  remove(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  private get(uri: vscode.Uri): { bytes: Uint8Array; mtime: number } {
    const f = this.files.get(uri.path);
    // After a window reload the diff is gone: say what to do instead of "file not found".
    if (!f) throw vscode.FileSystemError.FileNotFound(`${uri.path.split('/').pop()}: this model difference is no longer in memory; run Compare Models again`);
    return f;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.get(uri);
    return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.bytes.length, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.get(uri).bytes;
  }

  watch(): vscode.Disposable {
    return { dispose: () => undefined }; // the bytes never change
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.files.clear();
    this.changed.dispose();
  }
}
