// The side panel's Quantization section for an op drawn with its QuantizeLinear/DequantizeLinear nodes folded in
// (layout/quantFolds.ts): which Q/DQ nodes, on which side, with their scale and zero point (names and types only).
import type { GraphModel } from '../../core/graph';
import { int64ToString } from '../../core/onnxSchema';
import { formatValueType } from '../../core/types';
import type { ViewModel } from '../../layout/viewModel';
import type { PropRow, PropSection, PropsView } from '../../protocol/inspect';

const SIDE_TEXT = { input: 'input', weight: 'weight', output: 'output' } as const;

/** The section for node `index`, if the view folds Q/DQ nodes into it. */
export function quantSection(graph: GraphModel, view: ViewModel, index: number): PropSection | undefined {
  const fold = view.items.get(`q:${index}`);
  if (!fold?.fold || !fold.foldMembers) return undefined;
  const rows: PropRow[] = [{ key: 'type', value: fold.fold.badge, detail: fold.fold.perChannel ? 'per channel' : 'per tensor' }];
  const tensorRow = (key: string, name: string | undefined): PropRow | undefined => name
    ? { key, value: name, detail: formatValueType(graph.values.get(name)?.type), link: { kind: 'tensor', name } }
    : undefined;
  for (const m of fold.foldMembers) {
    const node = graph.nodes[m.node];
    const short = node.opType === 'QuantizeLinear' ? 'Q' : 'DQ';
    rows.push({ key: `${SIDE_TEXT[m.side]} ${short}`, value: node.name || node.opType, detail: node.opType, link: { kind: 'node', id: `n:${m.node}` } });
    for (const r of [tensorRow('scale', node.inputs[1]), tensorRow('zero point', node.inputs[2])]) if (r) rows.push(r);
    const axis = node.attributes.find((a) => a.name === 'axis');
    if (axis) rows.push({ key: 'axis', value: int64ToString(axis.i) });
  }
  return { title: 'Quantization', rows };
}

/** A node's properties with its Quantization section (if any) after its outputs. */
export function withQuantSection(props: PropsView, graph: GraphModel, view: ViewModel, index: number): PropsView {
  const section = quantSection(graph, view, index);
  if (!section) return props;
  const at = props.sections.findIndex((s) => s.title === 'Outputs');
  const sections = [...props.sections];
  sections.splice(at < 0 ? sections.length : at + 1, 0, section);
  return { ...props, sections };
}
