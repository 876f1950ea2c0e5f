// A layout service on a freshly bundled worker, for the unit tests that lay out scenes: the worker is bundled with
// esbuild as scripts/build.mjs does for dist/layoutWorker.js, in a temporary folder removed after the file's tests.
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { LayoutService, type LayoutServiceOptions } from '../../src/layout/layoutService';

const repoRoot = path.resolve(__dirname, '../..');

/** Registers before/after hooks; `service` is ready inside tests, `tmp` is the file's scratch folder. */
export function useLayoutService(prefix: string, options: Omit<LayoutServiceOptions, 'workerPath'> = {}): { readonly service: LayoutService; readonly tmp: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let service: LayoutService | undefined;
  before(async () => {
    const workerPath = path.join(tmp, 'layoutWorker.js');
    buildSync({ entryPoints: [path.join(repoRoot, 'src/layout/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerPath, logLevel: 'error' });
    service = new LayoutService({ ...options, workerPath });
    await service.ready;
  });
  after(async () => {
    await service?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return {
    get service() {
      if (!service) throw new Error('the layout service starts in before(): use it inside tests');
      return service;
    },
    tmp,
  };
}
