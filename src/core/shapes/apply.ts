// Puts inference results on the graph model itself, so everything that reads `GraphValue.type` (edge labels,
// the properties panel, search, edits writing typed outputs) sees inferred types without knowing about them.
import { GraphModel } from '../graph';
import { OnnxModel } from '../model';
import { ValueType } from '../types';
import { inferShapes, InferOptions, ShapeInference } from './infer';

/** Structural equality of value types (a tensor fast path: this runs once per tensor of 50k-node graphs). */
export function sameType(a: ValueType | undefined, b: ValueType | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.kind === 'tensor' && b.kind === 'tensor') {
    if (a.elemType !== b.elemType) return false;
    if (!a.shape || !b.shape) return a.shape === b.shape;
    if (a.shape.length !== b.shape.length) return false;
    for (let i = 0; i < a.shape.length; i++) if (a.shape[i] !== b.shape[i]) return false;
    return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function applyTypes(graph: GraphModel, types: Map<string, ValueType> | undefined, main: boolean): void {
  if (!types) return;
  for (const [name, t] of types) {
    const v = graph.values.get(name);
    if (!v || v.initializer || sameType(v.type, t)) continue;
    if (main && v.isInput && v.producer < 0) continue; // what the caller feeds is what the file says
    v.type = t;
    v.typeInferred = true;
  }
}

/** Infers shapes and records them on `graph` (and its subgraphs); returns the inference for its diagnostics. */
export function applyInferredShapes(model: OnnxModel, graph: GraphModel, opts: InferOptions = {}): ShapeInference {
  const inference = inferShapes(model, graph, opts);
  applyTypes(graph, inference.types, true);
  for (const [name, value] of inference.values) {
    const v = graph.values.get(name);
    if (v && !v.initializer) v.foldedValue = value;
  }
  const visit = (g: GraphModel) => {
    for (const n of g.nodes) {
      for (const s of n.subgraphs) {
        applyTypes(s.graph, inference.subgraphTypes.get(s.graph), false);
        visit(s.graph);
      }
    }
  };
  visit(graph);
  for (const d of inference.diagnostics) {
    if (d.graph !== '') continue;
    const node = graph.nodes[d.node];
    const names = d.tensor ? [d.tensor] : node?.outputs.filter((o) => o !== '') ?? [];
    for (const name of names) {
      const v = graph.values.get(name);
      if (v) v.shapeProblem = d.message;
    }
  }
  return inference;
}
