// Chains laid out without ELK (src/layout/chainLayout.ts) must look exactly as ELK lays them out: random chains
// (box sizes, port counts, which ports connect) compared position by position with ELK's own answer; levels that
// are not chains are left to ELK; and real models' first views use it for their chain levels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { layoutChain } from '../../src/layout/chainLayout';
import { defaultExpanded } from '../../src/layout/defaultExpanded';
import { LEVEL_OPTIONS, NODE_OPTIONS, PORT_SIZE } from '../../src/layout/elkOptions';
import { childSize, levelBatches, visibleExpanded } from '../../src/layout/sceneLayout';
import { ElkChild, ElkEdge, ElkGraph, levelGraph, LevelLayout, portId, toLevelLayout } from '../../src/layout/levelGraph';
import { buildViewModel } from '../../src/layout/viewModel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ElkCtor = require('elkjs/lib/elk.bundled.js') as new () => { layout(g: ElkGraph): Promise<ElkGraph> };
const elk = new ElkCtor();
const modelsDir = path.resolve(__dirname, '../../../shared/models');
const noShared = fs.existsSync(modelsDir) ? false : `shared models not found at ${modelsDir}`;

interface BoxSpec { width: number; height: number; ins: number; outs: number }

/** A level graph as levelGraph() builds one: ports in FIXED_ORDER, inputs on top, outputs at the bottom. */
function graphOf(boxes: BoxSpec[], links: { from: number; out: number; to: number; in: number }[]): ElkGraph {
  const children: ElkChild[] = boxes.map((b, i) => ({
    id: `n:${i}`, width: b.width, height: b.height, layoutOptions: NODE_OPTIONS, ports: [
      ...Array.from({ length: b.ins }, (_, k) => ({ id: portId(`n:${i}`, 'in', k), width: PORT_SIZE, height: PORT_SIZE, layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': String(k) } })),
      ...Array.from({ length: b.outs }, (_, k) => ({ id: portId(`n:${i}`, 'out', k), width: PORT_SIZE, height: PORT_SIZE, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(b.ins + b.outs - 1 - k) } })),
    ],
  }));
  const edges: ElkEdge[] = links.map((l) => ({ id: `n:${l.from}:${l.out}>n:${l.to}:${l.in}`, sources: [portId(`n:${l.from}`, 'out', l.out)], targets: [portId(`n:${l.to}`, 'in', l.in)] }));
  return { id: 'g', layoutOptions: LEVEL_OPTIONS, children, edges };
}

const clone = (g: ElkGraph): ElkGraph => JSON.parse(JSON.stringify(g));

function assertSameLayout(ours: LevelLayout, theirs: LevelLayout, what: string): void {
  const near = (a: number, b: number, where: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${where}: ours ${a}, ELK ${b}`);
  near(ours.width, theirs.width, 'width');
  near(ours.height, theirs.height, 'height');
  for (const [id, n] of Object.entries(theirs.nodes)) {
    const m = ours.nodes[id];
    assert.ok(m, `${what}: node ${id} missing`);
    for (const k of ['x', 'y', 'width', 'height'] as const) near(m[k], n[k], `${id}.${k}`);
    assert.equal(m.in.length, n.in.length, `${what}: ${id} input ports`);
    assert.equal(m.out.length, n.out.length, `${what}: ${id} output ports`);
    n.in.forEach((v, k) => near(m.in[k], v, `${id}.in[${k}]`));
    n.out.forEach((v, k) => near(m.out[k], v, `${id}.out[${k}]`));
  }
  for (const [id, pts] of Object.entries(theirs.edges)) {
    assert.equal(ours.edges[id]?.length, pts.length, `${what}: edge ${id} points`);
    pts.forEach((v, k) => near(ours.edges[id][k], v, `edge ${id}[${k}]`));
  }
}

// Box sizes as boxSize() makes them: widths in steps of 8 with room for the ports, the heights of our box kinds.
const box = fc.record({ w: fc.integer({ min: 8, max: 40 }), height: fc.constantFrom(26, 40, 44, 52, 66, 80), ins: fc.integer({ min: 0, max: 4 }), outs: fc.integer({ min: 0, max: 3 }) })
  .map(({ w, height, ins, outs }) => ({ width: Math.max(w * 8, Math.max(ins, outs) * 10 + 10), height, ins, outs }));

test('random chains: the same layout as ELK gives', async () => {
  await fc.assert(fc.asyncProperty(
    fc.array(box, { minLength: 1, maxLength: 7 }), fc.array(fc.nat(), { minLength: 14, maxLength: 14 }), fc.boolean(),
    async (boxes, picks, shuffled) => {
      // Every box but the last needs an output, every box but the first an input.
      const specs = boxes.map((b, i) => ({ ...b, ins: i > 0 ? Math.max(1, b.ins) : b.ins, outs: i < boxes.length - 1 ? Math.max(1, b.outs) : b.outs }));
      specs.forEach((b) => { b.width = Math.max(b.width, Math.max(b.ins, b.outs) * 10 + 10); });
      const links = specs.slice(1).map((b, i) => ({ from: i, out: picks[2 * i] % specs[i].outs, to: i + 1, in: picks[2 * i + 1] % b.ins }));
      const g = graphOf(specs, links);
      // Children in another order than the chain's (levels list them by graph order, which may differ).
      if (shuffled) g.children.reverse();
      const ours = layoutChain(g);
      assert.ok(ours, 'a chain is laid out without ELK');
      assertSameLayout(toLevelLayout(ours), toLevelLayout(await elk.layout(clone(g))), JSON.stringify({ specs, links }));
    },
  ), { numRuns: 150 });
});

test('levels that are not one box or a chain are left to ELK', () => {
  const b = { width: 100, height: 40, ins: 2, outs: 2 };
  const cases: [string, ElkGraph][] = [
    ['two boxes side by side', graphOf([b, b], [])],
    ['a fork', graphOf([b, b, b], [{ from: 0, out: 0, to: 1, in: 0 }, { from: 0, out: 1, to: 2, in: 0 }])],
    ['a join', graphOf([b, b, b], [{ from: 0, out: 0, to: 2, in: 0 }, { from: 1, out: 0, to: 2, in: 1 }])],
    ['two edges between the same boxes', graphOf([b, b, b], [{ from: 0, out: 0, to: 1, in: 0 }, { from: 0, out: 1, to: 1, in: 1 }])],
    ['a cycle', graphOf([b, b], [{ from: 0, out: 0, to: 1, in: 0 }, { from: 1, out: 0, to: 0, in: 0 }])],
    ['other layout options', { ...graphOf([b], []), layoutOptions: { ...LEVEL_OPTIONS } }],
  ];
  for (const [what, g] of cases) assert.equal(layoutChain(g), undefined, what);
});

test('real first views: chain levels are laid out as ELK lays them out', { skip: noShared }, async () => {
  let chains = 0;
  let levels = 0;
  for (const model of ['mobilenet_v3_small', 'squeezenet1_1', 'swin_tiny']) {
    const view = buildViewModel(buildModelGraph(readModel(fs.readFileSync(path.join(modelsDir, `${model}.onnx`)))), model);
    const open = visibleExpanded(view, defaultExpanded(view));
    const layouts = new Map<string, LevelLayout>();
    for (const batch of levelBatches(view, open)) {
      for (const id of batch) {
        const g = levelGraph(view, id, (item) => childSize(item, open, layouts));
        const theirs = toLevelLayout(await elk.layout(clone(g)));
        const ours = layoutChain(g);
        levels++;
        if (ours) { chains++; assertSameLayout(toLevelLayout(ours), theirs, `${model} ${id}`); }
        layouts.set(id, theirs);
      }
    }
  }
  assert.ok(chains >= 20, `first views of these models have many chain levels (${chains} of ${levels})`);
});
