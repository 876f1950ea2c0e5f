// `info --tensors`: every tensor of the main graph with what produces and consumes it, its type and shape, so
// the names `extract` and `mark-outputs` need can be found without reading `print`'s whole text. Types the
// model does not declare (torch.onnx exports often declare none) come from the built-in shape inference (applied
// to the graph before the rows are made), and from onnxruntime for what it cannot type.
import { describeNode, GraphModel } from '../core/graph';
import { errorMessage } from '../core/errors';
import { formatValueType } from '../core/types';
import { inferTensorTypes } from '../node/ortTypes';

export interface TensorRow {
  name: string;
  kind: 'input' | 'initializer' | 'intermediate' | 'output';
  /** Element type and shape as the model declares them ('?' when it does not). */
  type: string;
  elemType: number | null;
  shape: (number | string | null)[] | null;
  /** The producing node ("'name' (Op)" or "#index (Op)"); null for graph inputs and initializers. */
  producer: string | null;
  consumers: string[];
  /** True when the model does not declare (all of) the type: shape inference or onnxruntime inferred it. */
  inferred?: boolean;
  /** Which inferred it. */
  inferredBy?: 'shapes' | 'onnxruntime';
  /** The elements shape inference folded (small shape tensors: Reshape targets and the like). */
  value?: (number | string | null)[];
}

/** Graph inputs, initializers, then node outputs in topological order. */
export function tensorRows(graph: GraphModel): TensorRow[] {
  const names: string[] = [...graph.inputs, ...graph.initializers];
  for (const i of graph.order) for (const o of graph.nodes[i].outputs) if (o !== '') names.push(o);
  const seen = new Set<string>();
  const rows: TensorRow[] = [];
  for (const name of names) {
    const v = graph.values.get(name);
    if (!v || seen.has(name)) continue;
    seen.add(name);
    const t = v.type;
    rows.push({
      name,
      kind: v.isInput ? 'input' : v.initializer ? 'initializer' : v.isOutput ? 'output' : 'intermediate',
      type: formatValueType(t),
      elemType: t && 'elemType' in t && t.elemType ? t.elemType : null,
      shape: t?.kind === 'tensor' && t.shape ? [...t.shape] : null,
      producer: v.producer >= 0 ? describeNode(graph.nodes[v.producer]) : null,
      consumers: v.consumers.map((c) => describeNode(graph.nodes[c])),
      ...(v.typeInferred ? { inferred: true, inferredBy: 'shapes' as const } : {}),
      ...(v.foldedValue ? { value: [...v.foldedValue] } : {}),
    });
  }
  return rows;
}

/** Fills in the types the model does not declare from onnxruntime's inference (rows keep '?' if it fails). */
export async function inferRowTypes(rows: TensorRow[], bytes: Uint8Array, modelPath: string): Promise<string | undefined> {
  const byShapes = rows.filter((r) => r.inferredBy === 'shapes').length;
  const fromShapes = byShapes ? `the types of ${byShapes} tensors are not (fully) declared in the model: shape inference gave them (marked *)` : undefined;
  const untyped = rows.filter((r) => r.elemType === null && r.producer !== null);
  if (untyped.length === 0) return fromShapes;
  const join = (note: string) => (fromShapes ? `${fromShapes}; ${note}` : note);
  let types;
  try {
    types = await inferTensorTypes(bytes, untyped.map((r) => r.name), modelPath);
  } catch (e) {
    return join(`the types of ${untyped.length} tensors are not declared and onnxruntime could not infer them: ${errorMessage(e)}`);
  }
  for (const r of untyped) {
    const t = types.get(r.name);
    if (t?.kind !== 'tensor') continue;
    Object.assign(r, { type: formatValueType(t), elemType: t.elemType, shape: t.shape ? [...t.shape] : null, inferred: true, inferredBy: 'onnxruntime' });
  }
  return join(`the types of ${untyped.length} tensors are not declared in the model: onnxruntime inferred them (marked *)`);
}

export function formatTensorRows(rows: readonly TensorRow[], note?: string): string {
  const lines = [`  tensors (${rows.length}): name: type [kind] <- producer -> consumers`];
  if (note) lines.push(`  (${note})`);
  for (const r of rows) {
    const from = r.producer ? ` <- ${r.producer}` : '';
    const to = r.consumers.length ? ` -> ${r.consumers.join(', ')}` : '';
    const value = r.value ? ` = [${r.value.slice(0, 16).map((d) => d ?? '?').join(', ')}${r.value.length > 16 ? ', ...' : ''}]` : '';
    lines.push(`    ${r.name}: ${r.type}${r.inferred ? '*' : ''}${value} [${r.kind}]${from}${to}`);
  }
  return lines.join('\n') + '\n';
}
