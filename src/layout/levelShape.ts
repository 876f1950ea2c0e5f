// Levels with the same shape get the same layout. Models repeat blocks (squeezenet's fire modules, a
// transformer's layers, ResNet's stages): their levels differ only in ids, and ELK costs ~5 ms per call even
// for 7 boxes, so one layout per shape serves every copy. A shape names children and edges by position, so a
// layout kept in that form (the canonical layout) can be relabelled for any graph of the same shape.
import type { ElkGraph, LevelLayout } from './levelGraph';

/** Everything ELK reads from a level graph, with ids replaced by positions. */
export function levelShape(graph: ElkGraph): string {
  const index = new Map<string, number>();
  graph.children.forEach((c, i) => index.set(c.id, i));
  const parts: string[] = [JSON.stringify(graph.layoutOptions)];
  for (const c of graph.children) {
    parts.push(`c${c.width},${c.height},${JSON.stringify(c.layoutOptions ?? {})}`);
    for (const p of c.ports) parts.push(`p${portSuffix(c.id, p.id)},${p.width},${p.height},${JSON.stringify(p.layoutOptions ?? {})}`);
  }
  for (const e of graph.edges) parts.push(`e${e.sources.map((s) => endpoint(index, s)).join('+')}>${e.targets.map((t) => endpoint(index, t)).join('+')}`);
  return parts.join('|');
}

/** A port's id relative to its node (`n:3>in0` -> `>in0`); ports not named after their node keep their id. */
function portSuffix(nodeId: string, portId: string): string {
  return portId.startsWith(nodeId) ? portId.slice(nodeId.length) : `#${portId}`;
}

/** An edge end (a port id or a child id) as child position plus port suffix. */
function endpoint(index: Map<string, number>, ref: string): string {
  const direct = index.get(ref);
  if (direct !== undefined) return String(direct);
  const cut = ref.lastIndexOf('>');
  const owner = cut > 0 ? index.get(ref.slice(0, cut)) : undefined;
  return owner !== undefined ? `${owner}${ref.slice(cut)}` : `#${ref}`;
}

/** The layout keyed by child and edge position ("0", "1", ...) instead of id. */
export function toCanonical(layout: LevelLayout, graph: ElkGraph): LevelLayout {
  const nodes: LevelLayout['nodes'] = {};
  graph.children.forEach((c, i) => { nodes[i] = layout.nodes[c.id]; });
  const edges: LevelLayout['edges'] = {};
  graph.edges.forEach((e, i) => { edges[i] = layout.edges[e.id]; });
  return { width: layout.width, height: layout.height, nodes, edges };
}

/** A canonical layout under this graph's ids (the graph must have the canonical layout's shape). */
export function fromCanonical(canonical: LevelLayout, graph: ElkGraph): LevelLayout {
  const nodes: LevelLayout['nodes'] = {};
  graph.children.forEach((c, i) => { nodes[c.id] = canonical.nodes[i]; });
  const edges: LevelLayout['edges'] = {};
  graph.edges.forEach((e, i) => { edges[e.id] = canonical.edges[i]; });
  return { width: canonical.width, height: canonical.height, nodes, edges };
}
