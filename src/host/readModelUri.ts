// The editor's one way to read a model, by URI: local files through node/modelFile.ts (the CLI's reader, with
// its size check, typed file errors and "it looks like a PNG image" hints), other schemes through VS Code's
// file system with the same size check and parse hints.
import * as vscode from 'vscode';
import { OnnxModel } from '../core/model';
import { MAX_MODEL_FILE_BYTES, ModelFileError, parseModelFile, readModelFile, statModelFile } from '../node/modelFile';

/** Size and modification time of the model file (ModelFileError when it is missing, a folder or too large). */
export async function statModelUri(uri: vscode.Uri): Promise<{ size: number; mtime: number }> {
  if (uri.scheme === 'file') return statModelFile(uri.fsPath);
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_MODEL_FILE_BYTES) {
    throw new ModelFileError(`is ${stat.size} bytes, more than the ${MAX_MODEL_FILE_BYTES} bytes one buffer can hold`, uri.toString(), 'too-large');
  }
  return stat;
}

/** Reads and parses the model. Errors: ModelFileError (cannot read), OnnxFormatError (not a model). */
export async function readModelUri(uri: vscode.Uri): Promise<{ bytes: Uint8Array; model: OnnxModel }> {
  if (uri.scheme === 'file') return readModelFile(uri.fsPath);
  await statModelUri(uri);
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { bytes, model: parseModelFile(uri.path, bytes) };
}
