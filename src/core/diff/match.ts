// Which node of model B is which node of model A. Names first, when they are stable (unique on both sides);
// then structure, for unnamed or renamed nodes: the same output tensor, then the same op reading the same
// (matched) tensors, then the same op reading the same first tensor, each pass in B's graph order so producers
// are matched before their consumers. Deterministic: ties go to the first candidate in A's file order.
import type { GraphModel } from '../graph';

/** How a B node found its A node. */
export type MatchedBy = 'name' | 'outputs' | 'inputs' | 'first-input';

export interface NodeMatching {
  /** For each B node, the matched A node, or -1 (added). */
  aOfB: Int32Array;
  /** For each A node, the matched B node, or -1 (removed). */
  bOfA: Int32Array;
  /** For each matched B node, how it was matched. */
  how: (MatchedBy | undefined)[];
}

function uniqueNames(g: GraphModel): Map<string, number> {
  const at = new Map<string, number>();
  const repeated = new Set<string>();
  for (const n of g.nodes) {
    if (n.name === '') continue;
    if (at.has(n.name)) repeated.add(n.name);
    else at.set(n.name, n.index);
  }
  for (const name of repeated) at.delete(name);
  return at;
}

export function matchNodes(a: GraphModel, b: GraphModel): NodeMatching {
  const aOfB = new Int32Array(b.nodes.length).fill(-1);
  const bOfA = new Int32Array(a.nodes.length).fill(-1);
  const how: (MatchedBy | undefined)[] = new Array(b.nodes.length);
  const link = (ia: number, ib: number, by: MatchedBy) => {
    aOfB[ib] = ia;
    bOfA[ia] = ib;
    how[ib] = by;
  };

  const aNames = uniqueNames(a);
  for (const [name, ib] of uniqueNames(b)) {
    const ia = aNames.get(name);
    if (ia !== undefined) link(ia, ib, 'name');
  }

  // The same output tensor: a node renamed (or unnamed) that still produces what it produced.
  for (const nb of b.nodes) {
    if (aOfB[nb.index] >= 0) continue;
    for (const out of nb.outputs) {
      if (out === '') continue;
      const p = a.values.get(out)?.producer ?? -1;
      if (p >= 0 && bOfA[p] < 0) {
        link(p, nb.index, 'outputs');
        break;
      }
    }
  }

  const matching: NodeMatching = { aOfB, bOfA, how };
  const tensorInA = (name: string) => tensorCounterpart(a, b, matching, name);

  const structuralPass = (keyA: (ia: number) => string | undefined, keyB: (ib: number) => string | undefined, by: MatchedBy) => {
    const candidates = new Map<string, number[]>();
    for (const na of a.nodes) {
      if (bOfA[na.index] >= 0) continue;
      const key = keyA(na.index);
      if (key === undefined) continue;
      const list = candidates.get(key);
      if (list) list.push(na.index);
      else candidates.set(key, [na.index]);
    }
    if (candidates.size === 0) return;
    for (const ib of b.order) {
      if (aOfB[ib] >= 0) continue;
      const key = keyB(ib);
      const list = key === undefined ? undefined : candidates.get(key);
      if (!list) continue;
      while (list.length > 0 && bOfA[list[0]] >= 0) list.shift();
      const ia = list.shift();
      if (ia !== undefined) link(ia, ib, by);
    }
  };
  const opOf = (g: GraphModel, i: number) => `${g.nodes[i].domain}\u0000${g.nodes[i].opType}`;
  const inputsKey = (op: string, names: (string | undefined)[]) => (names.includes(undefined) ? undefined : `${op}\u0001${names.join('\u0000')}`);
  structuralPass(
    (ia) => inputsKey(opOf(a, ia), a.nodes[ia].inputs),
    (ib) => inputsKey(opOf(b, ib), b.nodes[ib].inputs.map(tensorInA)),
    'inputs',
  );
  // Nodes whose other inputs changed (a weight renamed or replaced): the same op on the same data input.
  const firstKey = (op: string, first: string | undefined) => (first === undefined || first === '' ? undefined : `${op}\u0001${first}`);
  structuralPass(
    (ia) => firstKey(opOf(a, ia), a.nodes[ia].inputs[0]),
    (ib) => firstKey(opOf(b, ib), b.nodes[ib].inputs.length > 0 ? tensorInA(b.nodes[ib].inputs[0]) : undefined),
    'first-input',
  );
  return matching;
}

/** B's tensor as A names it (see matchNodes), or undefined when A has no such tensor. */
export function tensorCounterpart(a: GraphModel, b: GraphModel, m: NodeMatching, name: string): string | undefined {
  if (name === '') return '';
  const v = b.values.get(name);
  if (v && v.producer >= 0 && m.aOfB[v.producer] >= 0) {
    const k = b.nodes[v.producer].outputs.indexOf(name);
    const counterpart = a.nodes[m.aOfB[v.producer]].outputs[k];
    if (counterpart !== undefined && counterpart !== '') return counterpart;
  }
  return a.values.has(name) ? name : undefined;
}
