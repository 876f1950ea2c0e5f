// The side panel's view of one node: op, attributes, inputs/outputs as tensor links, subgraphs, metadata and
// the PyTorch stack frames (links that open the source).
import type { GraphModel, GraphNode } from '../../core/graph';
import type { OnnxModel } from '../../core/model';
import { STACK_TRACE_KEY } from '../../core/pytorchMetadata';
import { formatValueType } from '../../core/types';
import type { GraphPath, PropRow, PropSection, PropsView } from '../../protocol/inspect';
import { attributeRows } from './attributeText';
import { childPaths } from './graphPath';
import { framesInOrder } from './stackFrames';

/** `n:<index>` -> the node, or a clear error. */
export function nodeOfId(graph: GraphModel, id: string): GraphNode {
  const m = /^n:(\d+)$/.exec(id);
  const node = m ? graph.nodes[Number(m[1])] : undefined;
  if (!node) throw new Error(`'${id}' is not a node of graph '${graph.name}'`);
  return node;
}

function tensorRows(graph: GraphModel, names: string[]): PropRow[] {
  return names.map((name, k) => name === ''
    ? { key: String(k), value: '(omitted)' }
    : { key: String(k), value: name, detail: formatValueType(graph.values.get(name)?.type), link: { kind: 'tensor', name } });
}

export function nodeProps(model: OnnxModel, graph: GraphModel, path: GraphPath, id: string): PropsView {
  const node = nodeOfId(graph, id);
  const general: PropRow[] = [
    { key: 'op', value: node.opType },
    { key: 'domain', value: node.domain || 'ai.onnx' },
    { key: 'name', value: node.name || '(unnamed)' },
  ];
  if (node.overload) general.push({ key: 'overload', value: node.overload });
  if (node.msg.doc_string) general.push({ key: 'doc string', value: node.msg.doc_string });
  const sections: PropSection[] = [{ title: 'Node', rows: general }];
  const graphPath = (attribute: string, index: number): GraphPath => [...path, { kind: 'attribute', node: node.index, attribute, index }];
  if (node.attributes.length > 0) sections.push({ title: 'Attributes', rows: node.attributes.flatMap((a) => attributeRows(a, graphPath)) });
  sections.push({ title: 'Inputs', rows: tensorRows(graph, node.inputs) });
  sections.push({ title: 'Outputs', rows: tensorRows(graph, node.outputs) });
  if (node.implicitInputs.length > 0) sections.push({ title: 'Read by subgraphs', rows: tensorRows(graph, node.implicitInputs) });
  const children = childPaths(model, path, node);
  if (children.length > 0) sections.push({ title: 'Subgraphs', rows: children.map((c) => ({ key: c.label, value: 'open', link: { kind: 'graph', path: c.path } })) });
  if (node.stackTrace && node.stackTrace.length > 0) {
    sections.push({
      title: 'PyTorch source',
      rows: framesInOrder(node.stackTrace).map(({ frame, index, user }) => ({
        key: frame.function, value: `${frame.file}:${frame.line}`, detail: (user ? '' : 'torch internals ') + (frame.code ?? ''),
        link: { kind: 'source', nodeId: id, frame: index },
      })),
    });
  }
  const meta = Object.entries(node.metadata).filter(([k]) => k !== STACK_TRACE_KEY);
  if (meta.length > 0) sections.push({ title: 'Metadata', rows: meta.map(([key, value]) => ({ key, value })) });
  return { kind: 'node', title: node.opType, subtitle: node.name, sections };
}
