// The side panel's view when nothing is selected: the model (or the nested graph being shown).
import type { GraphModel } from '../../core/graph';
import type { OnnxModel } from '../../core/model';
import { formatValueType } from '../../core/types';
import type { GraphPath, PropRow, PropSection, PropsView } from '../../protocol/inspect';

function valueRows(graph: GraphModel, names: string[]): PropRow[] {
  return names.map((name) => ({ key: name, value: name, detail: formatValueType(graph.values.get(name)?.type), link: { kind: 'tensor', name } }));
}

export function modelProps(model: OnnxModel, graph: GraphModel, path: GraphPath): PropsView {
  const sections: PropSection[] = [];
  if (path.length === 0) {
    const rows: PropRow[] = [
      { key: 'IR version', value: String(model.irVersion) },
      { key: 'producer', value: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || '(none)' },
    ];
    if (model.domain) rows.push({ key: 'domain', value: model.domain });
    if (model.modelVersion) rows.push({ key: 'model version', value: String(model.modelVersion) });
    rows.push({ key: 'graph', value: model.graph.name || '(unnamed)', detail: `${graph.nodes.length} nodes, ${graph.initializers.length} initializers` });
    if (model.docString) rows.push({ key: 'doc string', value: model.docString });
    sections.push({ title: 'Model', rows });
    sections.push({ title: 'Opsets', rows: model.opsets.map((o) => ({ key: o.domain || 'ai.onnx', value: String(o.version) })) });
    if (model.metadata.length > 0) sections.push({ title: 'Metadata', rows: model.metadata.map((m) => ({ key: m.key ?? '', value: m.value ?? '' })) });
  } else {
    sections.push({ title: 'Graph', rows: [{ key: 'name', value: graph.name || '(unnamed)', detail: `${graph.nodes.length} nodes` }] });
  }
  sections.push({ title: 'Inputs', rows: valueRows(graph, graph.inputs) });
  sections.push({ title: 'Outputs', rows: valueRows(graph, graph.outputs) });
  if (graph.outerReferences.length > 0) sections.push({ title: 'Values from enclosing graphs', rows: graph.outerReferences.map((n) => ({ key: n, value: n })) });
  if (path.length === 0 && model.functions.length > 0) {
    sections.push({
      title: 'Functions',
      rows: model.functions.map(({ value: f }) => ({
        key: `${f.domain ? `${f.domain}.` : ''}${f.name ?? ''}`,
        value: `${f.node?.length ?? 0} nodes`,
        detail: `(${(f.input ?? []).join(', ')}) -> (${(f.output ?? []).join(', ')})`,
        link: { kind: 'graph', path: [{ kind: 'function', domain: f.domain ?? '', name: f.name ?? '', overload: f.overload || undefined }] },
      })),
    });
  }
  if (graph.problems.length > 0) sections.push({ title: 'Problems', rows: graph.problems.map((p, i) => ({ key: String(i + 1), value: p.message })) });
  return { kind: 'model', title: path.length === 0 ? 'Model' : `Graph ${graph.name}`, subtitle: path.length === 0 ? model.graph.name : undefined, sections };
}
