// The one gate every external data read goes through (editor values, onnxruntime runs, extract, mark-outputs):
// a `location` becomes the real path of a regular file inside the model's folder, or an ExternalDataError is
// thrown before a byte is read. Symbolic links are followed one segment at a time, so a link to a file or a
// folder outside the model's folder is refused even when the file behind it exists.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESCAPES_FOLDER, ExternalDataError, locationSegments } from '../core/externalData';

/** Opens files the resolver returned without following a link swapped in since (where the OS has the flag). */
export const OPEN_NO_FOLLOW = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0);

function isInside(folder: string, p: string): boolean {
  const rel = path.relative(folder, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function errnoText(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/**
 * The checked real path of `location` for `modelPath`'s model. `tensor` names the tensor in errors. Refuses
 * absolute paths, '..' out of the folder, Windows-style separators and symbolic links leading outside; says
 * "missing" only for a file that is really missing inside the folder.
 */
export function resolveExternalLocation(modelPath: string, location: string, tensor: string): string {
  const checked = locationSegments(location);
  if ('problem' in checked) throw new ExternalDataError(checked.problem, tensor, location);
  const folder = path.dirname(path.resolve(modelPath));
  const shown = path.join(folder, ...checked.segments);
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch (e) {
    throw new ExternalDataError(`the model's folder cannot be read (${errnoText(e)})`, tensor, folder);
  }
  let current = realFolder;
  for (const segment of checked.segments) {
    const next = path.join(current, segment);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(next);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ExternalDataError("external data file is missing from the model's folder", tensor, shown);
      throw new ExternalDataError(`external data file cannot be opened (${errnoText(e)})`, tensor, shown);
    }
    if (stat.isSymbolicLink()) {
      const target = path.resolve(current, fs.readlinkSync(next));
      let real: string;
      try {
        real = fs.realpathSync(next);
      } catch {
        // A dangling link: refused if it points outside, else the file it names is missing.
        real = target;
      }
      if (!isInside(realFolder, real)) {
        throw new ExternalDataError(`the location '${location}' ${ESCAPES_FOLDER}: '${segment}' is a symbolic link to ${real}`, tensor, shown);
      }
      if (!fs.existsSync(real)) throw new ExternalDataError("external data file is missing from the model's folder (a dangling symbolic link)", tensor, shown);
      current = real;
    } else {
      current = next;
    }
  }
  const stat = fs.statSync(current);
  if (!stat.isFile()) throw new ExternalDataError('the external data location is not a regular file', tensor, shown);
  return current;
}
