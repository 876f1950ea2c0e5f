// Finds the local copy of a file named in a PyTorch stack frame (recorded on the exporting machine): the path
// as is, then its tail under each workspace folder, Python site-packages folder and configured source root.
// No vscode here: the caller collects the folders.
import * as fs from 'fs';
import * as path from 'path';

export interface SourceRoots {
  workspaceFolders: string[];
  /** site-packages folders of the selected Python environment. */
  sitePackages: string[];
  /** The onnxInspector.pytorchSourceRoots setting. */
  configured: string[];
}

export interface SourceLookup {
  found?: string;
  /** Every candidate tried, in order (for the "not found" message). */
  tried: string[];
}

function segmentsOf(file: string): string[] {
  return file.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
}

/** The part after the last site-packages/dist-packages folder, if any. */
export function afterSitePackages(file: string): string[] | undefined {
  const segs = segmentsOf(file);
  for (let i = segs.length - 1; i >= 0; i--) if (segs[i] === 'site-packages' || segs[i] === 'dist-packages') return segs.slice(i + 1);
  return undefined;
}

/** Tails of the path, longest first: `a/b/c.py`, `b/c.py`, `c.py` (a root may point anywhere inside a tree). */
function tails(file: string): string[][] {
  const segs = segmentsOf(file);
  const out: string[][] = [];
  for (let k = 0; k < segs.length; k++) out.push(segs.slice(k));
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function candidatePaths(file: string, roots: SourceRoots): string[] {
  const out: string[] = [];
  const add = (p: string) => { if (!out.includes(p)) out.push(p); };
  add(file);
  const site = afterSitePackages(file);
  for (const folder of roots.workspaceFolders) {
    if (!path.isAbsolute(file)) add(path.join(folder, file));
    if (site) add(path.join(folder, ...site));
  }
  if (site) for (const sp of roots.sitePackages) add(path.join(sp, ...site));
  for (const root of roots.configured) {
    if (site) add(path.join(root, ...site));
    for (const tail of tails(file)) add(path.join(root, ...tail));
  }
  return out;
}

export function findSourceFile(file: string, roots: SourceRoots, exists: (p: string) => boolean = isFile): SourceLookup {
  const tried = candidatePaths(file, roots);
  return { found: tried.find(exists), tried };
}

/** The message shown when no candidate exists: what was looked for and where. */
export function notFoundMessage(file: string, line: number, lookup: SourceLookup, roots: SourceRoots): string {
  const where = [
    `the path as recorded`,
    roots.workspaceFolders.length ? `workspace folders (${roots.workspaceFolders.join(', ')})` : 'no workspace folder open',
    roots.sitePackages.length ? `site-packages of the selected Python environment (${roots.sitePackages.join(', ')})` : 'no Python environment selected (Python extension absent or no interpreter)',
    roots.configured.length ? `onnxInspector.pytorchSourceRoots (${roots.configured.join(', ')})` : 'onnxInspector.pytorchSourceRoots is empty',
  ];
  return `Cannot find ${file}:${line} locally. Looked in: ${where.join('; ')}. Tried ${lookup.tried.length} path(s). ` +
    'Add the folder holding the sources to the setting onnxInspector.pytorchSourceRoots.';
}
