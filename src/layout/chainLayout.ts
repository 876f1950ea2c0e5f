// Levels that are a single box or a chain of boxes (each feeding the next through one edge) are laid out here,
// in microseconds, with exactly the geometry ELK gives them: ELK costs 2-7 ms per call even for a 2-box level, and
// such levels are most of a first view's (mobilenet: 16 of 19, a transformer's: 5 of 9). The chain never waits for
// the worker, so it is drawn even while the worker starts. Checked against ELK on random chains
// (test/unit/layoutChain.test.ts); any other level goes to ELK.
import { LEVEL_OPTIONS, LEVEL_PADDING, NODE_OPTIONS } from './elkOptions';
import type { ElkChild, ElkGraph, ElkPort } from './levelGraph';

/** ELK's space between the port extents of consecutive layers, under our level options. */
const LAYER_GAP = Number(LEVEL_OPTIONS['elk.layered.spacing.nodeNodeBetweenLayers']);

const side = (p: ElkPort) => p.layoutOptions?.['elk.port.side'];
const portIndex = (p: ElkPort) => Number(p.layoutOptions?.['elk.port.index'] ?? 0);

/** The path order of the children, when the level is one box or a chain; undefined otherwise. */
function chainOrder(graph: ElkGraph): { children: ElkChild[]; links: { out: ElkPort; in: ElkPort }[] } | undefined {
  const n = graph.children.length;
  if (n === 0 || graph.edges.length !== n - 1) return undefined;
  const owner = new Map<string, ElkChild>();
  const port = new Map<string, ElkPort>();
  for (const c of graph.children) for (const p of c.ports) { owner.set(p.id, c); port.set(p.id, p); }
  const next = new Map<ElkChild, { to: ElkChild; out: ElkPort; in: ElkPort }>();
  const hasPrev = new Set<ElkChild>();
  for (const e of graph.edges) {
    if (e.sources.length !== 1 || e.targets.length !== 1) return undefined;
    const from = owner.get(e.sources[0]);
    const to = owner.get(e.targets[0]);
    const out = port.get(e.sources[0]);
    const inp = port.get(e.targets[0]);
    if (!from || !to || !out || !inp || from === to || side(out) !== 'SOUTH' || side(inp) !== 'NORTH') return undefined;
    if (next.has(from) || hasPrev.has(to)) return undefined;
    next.set(from, { to, out, in: inp });
    hasPrev.add(to);
  }
  const starts = graph.children.filter((c) => !hasPrev.has(c));
  if (starts.length !== 1) return undefined;
  const children: ElkChild[] = [starts[0]];
  const links: { out: ElkPort; in: ElkPort }[] = [];
  for (let step = next.get(starts[0]); step; step = next.get(step.to)) {
    children.push(step.to);
    links.push({ out: step.out, in: step.in });
  }
  return children.length === n ? { children, links } : undefined;
}

/** Port x positions as ELK distributes them: equal gaps along the side, in the side's index order. */
function placePorts(c: ElkChild): ElkPort[] {
  const out: ElkPort[] = [];
  for (const which of ['NORTH', 'SOUTH']) {
    // FIXED_ORDER indexes ports clockwise: left to right on top, right to left at the bottom.
    const ports = c.ports.filter((p) => side(p) === which).sort((a, b) => (which === 'NORTH' ? portIndex(a) - portIndex(b) : portIndex(b) - portIndex(a)));
    const gap = (c.width - ports.reduce((s, p) => s + p.width, 0)) / (ports.length + 1);
    let x = gap;
    for (const p of ports) {
      out.push({ ...p, x, y: which === 'NORTH' ? -p.height : c.height });
      x += p.width + gap;
    }
  }
  return out;
}

/**
 * The laid-out graph (as ELK answers: positions on children, ports and edge sections) when `graph` is one box or a
 * chain of boxes with our level options; undefined for any other level.
 */
export function layoutChain(graph: ElkGraph): ElkGraph | undefined {
  // The geometry below is ELK's under exactly these options (other graphs, e.g. the worker's warm-up, go to ELK).
  if (graph.layoutOptions !== LEVEL_OPTIONS || graph.children.some((c) => c.layoutOptions !== NODE_OPTIONS)) return undefined;
  if (graph.children.some((c) => c.ports.some((p) => side(p) !== 'NORTH' && side(p) !== 'SOUTH'))) return undefined;
  const order = chainOrder(graph);
  if (!order) return undefined;
  const placed = new Map<string, ElkChild>();
  for (const c of order.children) placed.set(c.id, { ...c, ports: placePorts(c) });
  const portX = (child: ElkChild, id: string) => { const p = placed.get(child.id)!.ports.find((q) => q.id === id)!; return p.x! + p.width / 2; };
  // Straight edges: each box is shifted so the port it reads from sits above the port it reads into.
  const rel = [0];
  for (let k = 1; k < order.children.length; k++) {
    const l = order.links[k - 1];
    rel.push(rel[k - 1] + portX(order.children[k - 1], l.out.id) - portX(order.children[k], l.in.id));
  }
  const minRel = Math.min(...rel);
  let y = LEVEL_PADDING.top;
  let right = 0;
  const edges = graph.edges.map((e) => ({ ...e }));
  order.children.forEach((c, k) => {
    const node = placed.get(c.id)!;
    const inExtent = Math.max(0, ...node.ports.filter((p) => side(p) === 'NORTH').map((p) => p.height));
    const outExtent = Math.max(0, ...node.ports.filter((p) => side(p) === 'SOUTH').map((p) => p.height));
    node.x = LEVEL_PADDING.left + rel[k] - minRel;
    node.y = y + inExtent;
    y = node.y + node.height + outExtent + LAYER_GAP;
    right = Math.max(right, node.x + node.width);
  });
  order.links.forEach((l, k) => {
    const from = placed.get(order.children[k].id)!;
    const to = placed.get(order.children[k + 1].id)!;
    const x = from.x! + portX(from, l.out.id);
    const edge = edges.find((e) => e.sources[0] === l.out.id && e.targets[0] === l.in.id)!;
    edge.sections = [{ startPoint: { x, y: from.y! + from.height + l.out.height }, endPoint: { x, y: to.y! - l.in.height } }];
  });
  const last = placed.get(order.children[order.children.length - 1].id)!;
  const lastOut = Math.max(0, ...last.ports.filter((p) => side(p) === 'SOUTH').map((p) => p.height));
  return {
    ...graph,
    children: graph.children.map((c) => placed.get(c.id)!),
    edges,
    width: right + LEVEL_PADDING.right,
    height: last.y! + last.height + lastOut + LEVEL_PADDING.bottom,
  };
}

