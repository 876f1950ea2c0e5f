// Where ops are drawn when their name says otherwise. Quantization tools name a weight's DequantizeLinear (and
// its QuantizeLinear) after the weight (`features.0.weight_DequantizeLinear`), which puts it at the top level, far
// from the Conv that reads it, with long edges crossing every frame in between. Such nodes are drawn in the
// scope of what reads them instead.
import { isIdentityCopy, type GraphModel } from '../core/graph';
import type { ScopeNode } from '../core/scopes';
import { isQuantizeOp } from './quantFolds';

/** The scope tree by number (0 is the root): parents, depths, ids, and each node's scope. */
interface ScopeIndex { id: string[]; parent: Int32Array; depth: Int32Array; scopeOf: Int32Array }

function indexScopes(g: GraphModel): ScopeIndex {
  const id: string[] = [];
  const parents: number[] = [];
  const depths: number[] = [];
  const scopeOf = new Int32Array(g.nodes.length);
  const stack: [ScopeNode, number, number][] = [[g.scopes, -1, 0]];
  while (stack.length > 0) {
    const [s, p, d] = stack.pop()!;
    const k = id.length;
    id.push(s.id);
    parents.push(p);
    depths.push(d);
    for (const i of s.nodes) scopeOf[i] = k;
    for (const c of s.children) stack.push([c, k, d + 1]);
  }
  return { id, parent: Int32Array.from(parents), depth: Int32Array.from(depths), scopeOf };
}

function commonScope(ix: ScopeIndex, a: number, b: number): number {
  while (ix.depth[a] > ix.depth[b]) a = ix.parent[a];
  while (ix.depth[b] > ix.depth[a]) b = ix.parent[b];
  while (a !== b) { a = ix.parent[a]; b = ix.parent[b]; }
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
  const home = Int32Array.from(ix.scopeOf);
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
  /** Innermost scope holding every non-folded reader of the node's outputs (the root for graph outputs; -1: none). */
  const readersScope = (i: number): number => {
    let at = -1;
    for (const out of g.nodes[i].outputs) {
      const v = out === '' ? undefined : g.values.get(out);
      if (!v) continue;
      if (v.isOutput) return 0;
      for (const c of v.consumers) if (!folded[c]) at = at < 0 ? home[c] : commonScope(ix, at, home[c]);
    }
    return at;
  };
  /** Most nodes: a reader in the node's own scope, so nothing deeper holds them all (a quick way out). */
  const readInOwnScope = (i: number): boolean => {
    for (const out of g.nodes[i].outputs) {
      const v = out === '' ? undefined : g.values.get(out);
      if (v?.isOutput) return true;
      for (const c of v?.consumers ?? []) if (!folded[c] && home[c] === ix.scopeOf[i]) return true;
    }
    return false;
  };
  // Readers first, so a QuantizeLinear follows its DequantizeLinear wherever that went.
  for (let k = g.order.length - 1; k >= 0; k--) {
    const i = g.order[k];
    if (!weightSide[i]) continue;
    const at = readersScope(i);
    if (at >= 0) home[i] = at;
  }
  for (const i of g.order) {
    if (folded[i] || weightSide[i] || readInOwnScope(i)) continue;
    let at = readersScope(i);
    if (at <= 0) continue; // read nowhere, or at the top: nothing deeper to go to
    const node = g.nodes[i];
    let producers = 0;
    for (let list = 0; list < 2 && at > 0; list++) {
      const names = list === 0 ? node.inputs : node.implicitInputs;
      for (let k = 0; k < names.length && at > 0; k++) {
        const name = names[k];
        const v = name === '' || isFoldedTensor(name) ? undefined : g.values.get(name);
        if (!v) continue;
        // Graph inputs (and outer values of a subgraph) are drawn at the top level.
        at = v.producer >= 0 ? commonScope(ix, at, home[v.producer]) : 0;
        producers++;
      }
    }
    const own = ix.scopeOf[i];
    if (producers > 0 && at !== own && commonScope(ix, at, own) === own) home[i] = at;
  }
  const moved = new Map<number, string>();
  home.forEach((at, i) => { if (at !== ix.scopeOf[i]) moved.set(i, ix.id[at]); });
  return moved;
}
