// Writes a new file without ever replacing an existing one by accident: 'wx' makes the existence check and
// the create one atomic step, so two writers (or a user's file appearing meanwhile) cannot be clobbered.
import * as fs from 'node:fs';

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`'${path}' already exists; it was not overwritten`);
    this.name = 'FileExistsError';
  }
}

export interface WriteNewFileOptions {
  /** Replace an existing file (the caller has asked for it explicitly). */
  overwrite?: boolean;
}

export function writeNewFile(path: string, bytes: Uint8Array, opts: WriteNewFileOptions = {}): void {
  let fd: number;
  try {
    fd = fs.openSync(path, opts.overwrite ? 'w' : 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw e;
  }
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    fs.closeSync(fd);
  }
}
