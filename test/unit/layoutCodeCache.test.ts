// The layout worker through V8's code cache (src/node/codeCacheWorker.ts): the cache is written once the worker
// has run, later workers start from it and lay out exactly as a worker without it does, a damaged or foreign cache
// file is rejected by V8 and replaced, and another build of the script gets a cache file of its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { buildGraph } from '../../src/core/graph';
import type { NodeMsg } from '../../src/core/onnxSchema';
import { LayoutService } from '../../src/layout/layoutService';
import { buildViewModel, ROOT_ID } from '../../src/layout/viewModel';
import type { Scene } from '../../src/protocol/scene';

const repoRoot = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-test-'));
const dist = path.join(tmp, 'dist');
const workerPath = path.join(dist, 'layoutWorker.js');
const services: LayoutService[] = [];

before(() => {
  for (const [entry, out] of [['src/layout/worker.ts', 'layoutWorker.js'], ['src/node/codeCacheWorker.ts', 'codeCacheWorker.js']]) {
    buildSync({ entryPoints: [path.join(repoRoot, entry)], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(dist, out), logLevel: 'error' });
  }
});
after(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const node = (name: string, op: string, input: string[], output: string[]): NodeMsg => ({ name, op_type: op, input, output });
const view = buildViewModel(buildGraph({
  name: 'chain',
  nodes: [
    node('/a/Conv', 'Conv', ['x', 'W'], ['c']), node('/a/Relu', 'Relu', ['c'], ['r']),
    node('/b/Split', 'Split', ['r'], ['s0', 's1']), node('/b/Mul', 'Mul', ['s0', 's1'], ['y']),
  ],
  inputs: [{ name: 'x' }], outputs: [{ name: 'y' }], valueInfo: [],
  initializers: [{ dataType: 1, dims: [4, 3, 3, 3] }], initializerNames: ['W'],
}), 'code-cache-test');

function service(codeCacheDir: string | undefined, script = workerPath): LayoutService {
  const s = new LayoutService({ workerPath: script, codeCacheDir, codeCacheSaveAfterMs: 100 });
  services.push(s);
  return s;
}

const geometry = (scene: Scene) => JSON.stringify({ nodes: scene.nodes.map((n) => [n.id, n.x, n.y, n.width, n.height]), edges: scene.edges.map((e) => [e.id, e.points]) });
const open = [...view.items.values()].filter((i) => i.kind === 'group' && i.id !== ROOT_ID).map((i) => i.id);

async function cacheFiles(dir: string, count = 1): Promise<string[]> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : [];
    if (files.length >= count) return files.map((f) => path.join(dir, f));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code cache written in ${dir}`);
}

test('the cache is written after a run, and a worker started from it lays out as one without it', async () => {
  const dir = path.join(tmp, 'cache-a');
  const expected = geometry(await service(undefined).layoutScene(view, open));
  assert.equal(geometry(await service(dir).layoutScene(view, open)), expected);
  const [file] = await cacheFiles(dir);
  assert.match(path.basename(file), /^layoutWorker-[0-9a-f]{20}-.+\.v8cache$/);
  assert.ok(fs.statSync(file).size > 100_000, 'the cache holds compiled code');
  const mtime = fs.statSync(file).mtimeMs;
  assert.equal(geometry(await service(dir).layoutScene(view, open)), expected);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(fs.statSync(file).mtimeMs, mtime, 'an accepted cache is not written again');
});

test('a damaged cache file is rejected and replaced; layouts are unaffected', async () => {
  const dir = path.join(tmp, 'cache-b');
  await service(dir).layoutScene(view, open);
  const [file] = await cacheFiles(dir);
  const good = fs.readFileSync(file);
  const damaged = Buffer.from(good);
  damaged.fill(0x5a, 0, 64); // V8's header: magic number, version and checksums
  fs.writeFileSync(file, damaged);
  const expected = geometry(await service(undefined).layoutScene(view, open));
  assert.equal(geometry(await service(dir).layoutScene(view, open)), expected);
  for (let waited = 0; waited < 15_000 && fs.readFileSync(file).subarray(0, 64).equals(damaged.subarray(0, 64)); waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.notDeepEqual(fs.readFileSync(file).subarray(0, 64), damaged.subarray(0, 64), 'the rejected cache was rewritten');
});

test('another build of the worker script gets its own cache file', async () => {
  const dir = path.join(tmp, 'cache-c');
  const other = path.join(dist, 'layoutWorker2.js');
  fs.writeFileSync(other, `${fs.readFileSync(workerPath, 'utf8')}\n// another build\n`);
  await service(dir).layoutScene(view, open);
  await service(dir, other).layoutScene(view, open);
  const files = await cacheFiles(dir, 2);
  assert.equal(new Set(files.map((f) => path.basename(f).split('-')[1])).size, 2, 'one cache per script content');
});

test('without the cache entry beside the script, the worker runs the script itself', async () => {
  const bare = path.join(tmp, 'bare');
  fs.mkdirSync(bare);
  fs.copyFileSync(workerPath, path.join(bare, 'layoutWorker.js'));
  const dir = path.join(tmp, 'cache-d');
  const scene = await service(dir, path.join(bare, 'layoutWorker.js')).layoutScene(view, open);
  assert.ok(scene.nodes.length > 0);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(fs.existsSync(dir), false, 'no cache without the cache entry');
});
