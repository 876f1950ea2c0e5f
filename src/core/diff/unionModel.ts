// One model holding both sides of a diff, for the graph view: model B as it is, plus A's removed nodes added
// back, wired to B's tensors where the tensors they read still exist (matched producers' outputs, the same
// names), so each removed node shows where it used to be. A removed node's outputs are renamed when B already
// defines the name (`t (removed)`); the A-only initializers and graph inputs it reads come along. Everything
// of B is copied as bytes, so the union views exactly B's nodes at B's node indices.
import type { GraphModel } from '../graph';
import { assembleMessage } from '../modelWriter';
import { NodeMsg, onnxTypes } from '../onnxSchema';
import { concatBytes, lengthDelimitedHeader } from '../wire';
import { tensorCounterpart } from './match';
import type { DiffSide, ModelDiff } from './modelDiff';

const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;

export interface UnionModel {
  bytes: Uint8Array;
  /** A's index of each removed node added back; union node `nodesB + k` is A's node `removed[k]`. */
  removed: number[];
  /** B's node count: union nodes below it are B's nodes, same indices. */
  nodesB: number;
}

function field(num: number, body: Uint8Array): Uint8Array {
  return concatBytes([lengthDelimitedHeader(num, body.length), body]);
}

function definedIn(g: GraphModel, name: string): boolean {
  const v = g.values.get(name);
  return !!v && (v.producer >= 0 || v.isInput || v.initializer !== undefined);
}

export function buildUnionModel(a: DiffSide, b: DiffSide, diff: ModelDiff): UnionModel {
  const removed = diff.nodes.filter((n) => n.status === 'removed').map((n) => n.a!).sort((x, y) => x - y);
  const isRemoved = new Uint8Array(a.graph.nodes.length);
  for (const i of removed) isRemoved[i] = 1;
  // A's tensors as the union names them: outputs of removed nodes (renamed on a clash with B's names)...
  const used = new Set<string>();
  const taken = (name: string) => used.has(name) || definedIn(b.graph, name);
  const unionName = new Map<string, string>();
  for (const ia of removed) {
    for (const out of a.graph.nodes[ia].outputs) {
      if (out === '') continue;
      let name = out;
      for (let k = 1; taken(name); k++) name = k === 1 ? `${out} (removed)` : `${out} (removed ${k})`;
      used.add(name);
      unionName.set(out, name);
    }
  }
  // ...and B's counterparts of what matched nodes produce.
  const bTensorOfA = new Map<string, string>();
  for (let ib = 0; ib < b.graph.nodes.length; ib++) {
    if (diff.matching.aOfB[ib] < 0) continue;
    for (const out of b.graph.nodes[ib].outputs) {
      const inA = out === '' ? undefined : tensorCounterpart(a.graph, b.graph, diff.matching, out);
      if (inA) bTensorOfA.set(inA, out);
    }
  }
  const extraInits: Uint8Array[] = [];
  const extraInputs: Uint8Array[] = [];
  const brought = new Set<string>();
  const initSpans = new Map(a.model.graph.initializers.map((t) => [t.name, t.span]));
  const inputSpans = new Map(a.model.graph.inputs.map((v) => [v.value.name ?? '', v.span]));
  const inputName = (name: string): string => {
    if (name === '') return name;
    const renamed = unionName.get(name) ?? bTensorOfA.get(name);
    if (renamed !== undefined) return renamed;
    if (definedIn(b.graph, name) || brought.has(name)) return name;
    // Only A has it: bring A's initializer or graph input along (bytes as they are).
    const init = initSpans.get(name), input = inputSpans.get(name);
    if (init) extraInits.push(a.model.bytes.subarray(init.start, init.end));
    if (input) extraInputs.push(a.model.bytes.subarray(input.start, input.end));
    brought.add(name);
    return name;
  };
  const nodeFields = removed.map((ia) => {
    const n = a.graph.nodes[ia];
    const inputs = n.inputs.map(inputName);
    const outputs = n.outputs.map((o) => unionName.get(o) ?? o);
    const same = inputs.every((x, k) => x === n.inputs[k]) && outputs.every((x, k) => x === n.outputs[k]);
    const span = a.model.graph.nodes[ia]?.span;
    if (same && span && a.model.graph.nodes.length === a.graph.nodes.length) return a.model.bytes.subarray(span.start, span.end);
    const msg: NodeMsg = { ...n.msg, input: inputs, output: outputs };
    return field(GRAPH_NODE, onnxTypes.NodeProto.encode(onnxTypes.NodeProto.fromObject(msg)).finish());
  });
  const graphBody = assembleMessage(b.model.bytes, b.model.graph.fields, new Map(), [...nodeFields, ...extraInits, ...extraInputs]);
  const bytes = assembleMessage(b.model.bytes, b.model.fields, new Map([[b.model.graphSpan, field(MODEL_GRAPH, graphBody)]]));
  return { bytes, removed, nodesB: b.graph.nodes.length };
}
