// Searches the whole graph (not only the boxes on screen): node names, op types, tensor names and shapes.
// Ranking: exact match, then prefix, then a match at a name segment (after / . _ :), then any substring;
// ties keep the graph's topological order, nodes before tensors.
import type { GraphModel } from '../../core/graph';
import { formatValueType } from '../../core/types';
import type { SearchResult } from '../../protocol/inspect';

export const DEFAULT_LIMIT = 200;

/** 0 exact, 1 prefix, 2 at a segment start, 3 anywhere; undefined when `text` does not contain `q`. */
export function matchRank(text: string, q: string): number | undefined {
  return rankLower(text.toLowerCase(), q);
}

function rankLower(t: string, q: string): number | undefined {
  if (t === q) return 0;
  if (t.startsWith(q)) return 1;
  let at = t.indexOf(q);
  if (at < 0) return undefined;
  for (; at >= 0; at = t.indexOf(q, at + 1)) if ('/._:-['.includes(t[at - 1])) return 2;
  return 3;
}

/** Shape queries: `1,64,56,56`, `float[1,64`, `(1, 64)`: spaces dropped, parentheses read as brackets. */
export function normalizeShapeQuery(q: string): string {
  return q.toLowerCase().replace(/\s+/g, '').replace(/\(/g, '[').replace(/\)/g, ']');
}

function looksLikeShape(q: string): boolean {
  return /^[a-z0-9_]*\[?[\d?,a-z_]*\]?$/i.test(q) && /\d\s*,|\[/.test(q);
}

interface Scored extends SearchResult { rank: number; order: number }

interface SearchIndex { position: Map<number, number>; types: Map<string, string>; nodeNames: string[]; opTypes: string[]; valueNames: Map<string, string> }

// Built once per graph: every keystroke searches again, and type text of 50k tensors is not free.
const indexes = new WeakMap<GraphModel, SearchIndex>();

function indexOf(graph: GraphModel): SearchIndex {
  let idx = indexes.get(graph);
  if (!idx) {
    const position = new Map<number, number>();
    graph.order.forEach((n, i) => position.set(n, i));
    const types = new Map<string, string>();
    const valueNames = new Map<string, string>();
    for (const v of graph.values.values()) {
      types.set(v.name, formatValueType(v.type));
      valueNames.set(v.name, v.name.toLowerCase());
    }
    const nodeNames = graph.nodes.map((n) => n.name.toLowerCase());
    const opTypes = graph.nodes.map((n) => n.opType.toLowerCase());
    indexes.set(graph, (idx = { position, types, nodeNames, opTypes, valueNames }));
  }
  return idx;
}

export function searchGraph(graph: GraphModel, query: string, limit = DEFAULT_LIMIT): SearchResult[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const normalized = normalizeShapeQuery(q);
  const shapeQ = looksLikeShape(normalized) ? normalized : undefined;
  const { position, types, nodeNames, opTypes, valueNames } = indexOf(graph);
  const out: Scored[] = [];

  for (const node of graph.nodes) {
    const byName = node.name ? rankLower(nodeNames[node.index], q) : undefined;
    // An op type query (e.g. "conv") lists those ops right after exact names.
    const byOp = rankLower(opTypes[node.index], q);
    const rank = Math.min(byName ?? 9, byOp === undefined ? 9 : byOp + 0.5);
    if (rank === 9) continue;
    out.push({ kind: 'node', label: node.name || `${node.opType} #${node.index}`, detail: node.opType + (node.domain ? ` (${node.domain})` : ''), id: `n:${node.index}`, rank, order: position.get(node.index) ?? node.index });
  }
  for (const v of graph.values.values()) {
    const type = types.get(v.name) ?? formatValueType(v.type);
    const byName = rankLower(valueNames.get(v.name) ?? v.name.toLowerCase(), q);
    // Shapes match on the type text with and without the element type: `1,64,56,56` and `float[1,64`.
    const byShape = shapeQ !== undefined && v.type ? (type.includes(shapeQ) ? 3.5 : undefined) : undefined;
    const rank = Math.min(byName ?? 9, byShape ?? 9);
    if (rank === 9) continue;
    const kind = v.initializer ? 'initializer' : v.isInput ? 'input' : v.isOutput ? 'output' : 'tensor';
    const order = v.producer >= 0 ? position.get(v.producer) ?? 0 : -1;
    out.push({ kind, label: v.name, detail: type, id: `t:${v.name}`, rank: rank + 0.25, order });
  }
  out.sort((a, b) => a.rank - b.rank || a.order - b.order || a.label.localeCompare(b.label));
  return out.slice(0, Math.max(1, limit)).map(({ kind, label, detail, id }) => ({ kind, label, detail, id }));
}
