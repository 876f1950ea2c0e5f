// Graph view layout benchmark: first scene (cold and warm worker), expanding a collapsed group (without and
// with prefetch), and reopening with the disk cache. Run: node --import tsx bench/layout.bench.ts [models...]
// First-scene times include readModel + buildModelGraph + buildViewModel, as a user would wait for them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelGraph } from '../src/core/graph';
import { readModel } from '../src/core/model';
import { defaultExpanded, likelyNextGroups } from '../src/layout/defaultExpanded';
import { modelKeyOf } from '../src/layout/layoutCache';
import { LayoutService } from '../src/layout/layoutService';
import { visibleExpanded } from '../src/layout/sceneLayout';
import { buildViewModel, ViewModel } from '../src/layout/viewModel';
import { schemaInputNamer } from '../src/core/opSchemas';
import { opSchemaTable } from '../src/node/opSchemaFile';

const repoRoot = path.resolve(__dirname, '..');
const modelsDir = process.env.MODELS_DIR ?? path.resolve(repoRoot, '../shared/models');
const models = process.argv.slice(2).length ? process.argv.slice(2) : ['squeezenet1_1', 'mobilenet_v3_small', 'resnet18_dynamo', 'swin_tiny', 'synth_10k', 'synth_50k'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-bench-'));
// LAYOUT_WORKER names a prebuilt dist/layoutWorker.js (e.g. on a machine without esbuild); otherwise build one.
const workerPath = process.env.LAYOUT_WORKER ?? path.join(tmp, 'layoutWorker.js');

const now = () => performance.now();
const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms.toFixed(0));

// The operator schemas (dist/opSchemas.json, from the build), read once as the host does (in the background at
// activation): their read is reported once, not in every first scene.
const tSchemas = now();
const schemas = opSchemaTable();
console.log(`operator schemas: read and parsed in ${(now() - tSchemas).toFixed(1)} ms (once per process)`);

function open(file: string, salt = ''): { view: ViewModel; readMs: number; viewMs: number } {
  const t0 = now();
  const bytes = fs.readFileSync(file);
  const model = readModel(bytes);
  const graph = buildModelGraph(model);
  const t1 = now();
  const view = buildViewModel(graph, modelKeyOf(bytes) + salt, schemaInputNamer(schemas, model.opsets));
  return { view, readMs: t1 - t0, viewMs: now() - t1 };
}

interface Row {
  model: string; ops: number; boxes: number; readMs: number; viewMs: number; cold: number; warm: number; warmLayout: number;
  warmElk: number; warmLevels: number;
  expandGroup?: string; expandChildren?: number; expand?: number; prefetchMs?: number; expandPrefetched?: number;
  reopen: number; reopenLayout: number;
}

async function bench(model: string): Promise<Row> {
  const file = path.join(modelsDir, `${model}.onnx`);
  const cacheDir = path.join(tmp, 'cache');

  // Cold: the worker starts with the request (its warm-up is on the critical path).
  let t = now();
  const cold = new LayoutService({ workerPath });
  const c = open(file, '#cold');
  await cold.layoutScene(c.view, defaultExpanded(c.view));
  const coldMs = now() - t;
  await cold.dispose();

  // Warm: the host started the worker at activation; this model's first scene, nothing cached.
  const svc = new LayoutService({ workerPath, cacheDir });
  await svc.warm;
  t = now();
  const w = open(file);
  const expanded = defaultExpanded(w.view);
  const tl = now();
  const elk0 = svc.stats.elkMs;
  const levels0 = svc.stats.layouts;
  const scene = await svc.layoutScene(w.view, expanded);
  const warmLayout = now() - tl;
  const warmElk = svc.stats.elkMs - elk0;
  const warmLevels = svc.stats.layouts - levels0;
  const warmMs = now() - t;

  // Expand the biggest collapsed group on screen, first without prefetch, then (another cache key) with it.
  const openSet = visibleExpanded(w.view, expanded);
  const [target] = likelyNextGroups(w.view, openSet, 1);
  const row: Row = {
    model, ops: w.view.opCount, boxes: scene.nodes.length, readMs: w.readMs, viewMs: w.viewMs, cold: coldMs, warm: warmMs, warmLayout, warmElk, warmLevels,
    reopen: 0, reopenLayout: 0,
  };
  if (target) {
    row.expandGroup = w.view.items.get(target)!.label;
    row.expandChildren = w.view.items.get(target)!.children!.length;
    t = now();
    await svc.layoutScene(w.view, [...expanded, target]);
    row.expand = now() - t;

    const p = { ...w.view, modelKey: `${w.view.modelKey}#prefetch` };
    await svc.layoutScene(p, expanded);
    t = now();
    svc.prefetch(p, likelyNextGroups(p, openSet));
    await svc.idle();
    row.prefetchMs = now() - t;
    t = now();
    await svc.layoutScene(p, [...expanded, target]);
    row.expandPrefetched = now() - t;
  }
  await svc.dispose();

  // Reopen: a new host process (new service, empty memory), layouts from the disk cache.
  const again = new LayoutService({ workerPath, cacheDir });
  await again.warm;
  t = now();
  const r = open(file);
  const tr = now();
  const reopened = await again.layoutScene(r.view, defaultExpanded(r.view));
  row.reopenLayout = now() - tr;
  row.reopen = now() - t;
  if (!reopened.cached) throw new Error(`${model}: reopen was not served from the cache`);
  await again.dispose();
  return row;
}

async function main(): Promise<void> {
  if (!process.env.LAYOUT_WORKER) {
    const { buildSync } = await import('esbuild');
    buildSync({ entryPoints: [path.join(repoRoot, 'src/layout/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerPath, logLevel: 'error' });
  }
  const rows: Row[] = [];
  for (const m of models) {
    if (!fs.existsSync(path.join(modelsDir, `${m}.onnx`))) { console.error(`skip ${m}: not found in ${modelsDir}`); continue; }
    rows.push(await bench(m));
    console.error(`done ${m}`);
  }
  console.log(`node ${process.version}, ${os.cpus().length} cpus, loadavg ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| model | ops | visible boxes | read+graph ms | view model ms | first scene, cold worker ms | first scene, warm worker ms (layout part; ELK in worker, levels) | expand group (children) | expand ms, no prefetch | prefetch ms (background) | expand ms, prefetched | cached reopen ms (layout part) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.model} | ${r.ops} | ${r.boxes} | ${fmt(r.readMs)} | ${fmt(r.viewMs)} | ${fmt(r.cold)} | ${fmt(r.warm)} (${fmt(r.warmLayout)}; ${fmt(r.warmElk)}, ${r.warmLevels}) | ${r.expandGroup ? `${r.expandGroup} (${r.expandChildren})` : '— (fully open)'} | ${fmt(r.expand)} | ${fmt(r.prefetchMs)} | ${fmt(r.expandPrefetched)} | ${fmt(r.reopen)} (${fmt(r.reopenLayout)}) |`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

void main();
