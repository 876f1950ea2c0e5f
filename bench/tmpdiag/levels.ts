import * as fs from 'node:fs';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { defaultExpanded } from '../../src/layout/defaultExpanded';
import { visibleExpanded, levelBatches, childSize, levelKey } from '../../src/layout/sceneLayout';
import { levelGraph, toLevelLayout, LevelLayout, ElkGraph } from '../../src/layout/levelGraph';
import { levelShape } from '../../src/layout/levelShape';
import { buildViewModel } from '../../src/layout/viewModel';
const ElkCtor = require('elkjs/lib/elk.bundled.js');
const elk = new ElkCtor(); const shim = elk.worker.worker; shim.onmessage = () => {};
shim.dispatcher.saveDispatch({ data: { cmd: 'register', id: -1, algorithms: ['layered'] } });
function layoutNow(graph: ElkGraph): ElkGraph { let a: any; shim.onmessage = (m: any) => { a = m.data; }; shim.dispatcher.saveDispatch({ data: { cmd: 'layout', id: 0, graph, layoutOptions: {}, options: {} } }); if (a.error) throw a.error; return a.data; }
for (const file of process.argv.slice(2)) {
  const view = buildViewModel(buildModelGraph(readModel(fs.readFileSync(file))), 'k');
  const open = visibleExpanded(view, defaultExpanded(view));
  const layouts = new Map<string, LevelLayout>(); const shapes = new Map<string, number>(); const rows: string[] = [];
  let total = 0;
  for (let pass = 0; pass < 6; pass++) { total = 0; rows.length = 0; shapes.clear(); layouts.clear();
  for (const batch of levelBatches(view, open)) for (const id of batch) {
    const eg = levelGraph(view, id, (it) => childSize(it, open, layouts));
    const sh = JSON.stringify(levelShape ? (levelShape as any)(eg)?.key ?? '' : '');
    const t = performance.now(); const out = layoutNow(eg); const ms = performance.now() - t; total += ms;
    layouts.set(id, toLevelLayout(out)); rows.push(`${eg.children.length}n/${eg.edges.length}e ${ms.toFixed(1)}ms`);
  } }
  console.log(file.split('/').pop(), 'levels', rows.length, 'total warm ms', total.toFixed(0), '|', rows.join(', '));
}
