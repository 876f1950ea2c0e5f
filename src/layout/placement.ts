// Where ops are drawn when their name says otherwise. Quantization tools name a weight's DequantizeLinear (and
// its QuantizeLinear) after the weight (`features.0.weight_DequantizeLinear`), which puts it at the top level, far
// from the Conv that reads it, with long edges crossing every frame in between. Such nodes are drawn in the
// scope of what reads them instead.
import { isDefaultDomain, isIdentityCopy, type GraphModel, type GraphNode } from '../core/graph';
import type { ScopeNode } from '../core/scopes';

const QUANTIZE_OPS = new Set(['QuantizeLinear', 'DequantizeLinear']);

function isQuantizeOp(node: GraphNode): boolean {
  return QUANTIZE_OPS.has(node.opType) && (isDefaultDomain(node) || node.domain === 'com.microsoft');
}

/** The scope tree's parent links and each node's scope (by scope id). */
interface ScopeIndex { parent: Map<string, string | undefined>; depth: Map<string, number>; scopeOf: string[] }

function indexScopes(g: GraphModel): ScopeIndex {
  const parent = new Map<string, string | undefined>();
  const depth = new Map<string, number>();
  const scopeOf: string[] = new Array(g.nodes.length).fill('');
  const stack: [ScopeNode, string | undefined, number][] = [[g.scopes, undefined, 0]];
  while (stack.length > 0) {
    const [s, p, d] = stack.pop()!;
    parent.set(s.id, p);
    depth.set(s.id, d);
    for (const i of s.nodes) scopeOf[i] = s.id;
    for (const c of s.children) stack.push([c, s.id, d + 1]);
  }
  return { parent, depth, scopeOf };
}

function commonScope(ix: ScopeIndex, a: string, b: string): string {
  let da = ix.depth.get(a) ?? 0;
  let db = ix.depth.get(b) ?? 0;
  while (da > db) { a = ix.parent.get(a) ?? ''; da--; }
  while (db > da) { b = ix.parent.get(b) ?? ''; db--; }
  while (a !== b) { a = ix.parent.get(a) ?? ''; b = ix.parent.get(b) ?? ''; }
  return a;
}

/**
 * Nodes to draw in another scope than their name's (node index -> scope id):
 * - weight-side QuantizeLinear and DequantizeLinear nodes (every input a folded weight or another such node's
 *   output; Identity copies of their outputs too) go to the innermost scope holding all their readers;
 * - a node whose producers and readers all lie inside one deeper scope goes into it (an `If_12` at the top level
 *   between two parts of `/rpn/...` would otherwise make `rpn` feed itself through it, which no layered drawing
 *   of the two boxes can show).
 */
export function relocatedNodes(g: GraphModel, folded: Uint8Array, isFoldedTensor: (name: string) => boolean): Map<number, string> {
  const ix = indexScopes(g);
  const moved = new Map<number, string>();
  const scopeOf = (i: number): string => moved.get(i) ?? ix.scopeOf[i];
  const weightSide = new Uint8Array(g.nodes.length);
  const producedByWeightSide = (name: string): boolean => {
    const p = g.values.get(name)?.producer ?? -1;
    return p >= 0 && weightSide[p] === 1;
  };
  for (const i of g.order) {
    const node = g.nodes[i];
    // Exporters add an Identity per shared weight; after quantization it copies a DequantizeLinear's output.
    if (folded[i] || !(isQuantizeOp(node) || isIdentityCopy(node))) continue;
    const inputs = node.inputs.filter((n) => n !== '');
    if (inputs.length > 0 && inputs.every((n) => isFoldedTensor(n) || producedByWeightSide(n))) weightSide[i] = 1;
  }
  /** Innermost scope holding every non-folded reader of the node's outputs (root for graph outputs). */
  const readersScope = (i: number): string | undefined => {
    let home: string | undefined;
    for (const out of g.nodes[i].outputs) {
      const v = out === '' ? undefined : g.values.get(out);
      if (!v) continue;
      if (v.isOutput) return '';
      for (const c of v.consumers) if (!folded[c]) home = home === undefined ? scopeOf(c) : commonScope(ix, home, scopeOf(c));
    }
    return home;
  };
  // Readers first, so a QuantizeLinear follows its DequantizeLinear wherever that went.
  for (let k = g.order.length - 1; k >= 0; k--) {
    const i = g.order[k];
    if (!weightSide[i]) continue;
    const home = readersScope(i);
    if (home !== undefined && home !== ix.scopeOf[i]) moved.set(i, home);
  }
  for (const i of g.order) {
    if (folded[i] || weightSide[i]) continue;
    const node = g.nodes[i];
    let home = readersScope(i);
    if (home === undefined) continue;
    let producers = 0;
    for (const name of [...node.inputs, ...node.implicitInputs]) {
      const v = name === '' || isFoldedTensor(name) ? undefined : g.values.get(name);
      if (!v) continue;
      // Graph inputs (and outer values of a subgraph) are drawn at the top level.
      home = commonScope(ix, home, v.producer >= 0 ? scopeOf(v.producer) : '');
      producers++;
    }
    const own = ix.scopeOf[i];
    if (producers > 0 && home !== own && commonScope(ix, home, own) === own) moved.set(i, home);
  }
  return moved;
}
