// The side panel's view of one node: op, attributes, inputs/outputs as tensor links, subgraphs, metadata and
// the PyTorch stack frames (links that open the source).
import type { GraphModel, GraphNode } from '../../core/graph';
import type { OnnxModel } from '../../core/model';
import { opDocUrl, paramNames, type OpSchema, type OpSchemaTable, type SchemaParam } from '../../core/opSchemas';
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

/** Rows of a node's inputs or outputs, keyed by their schema names (`X`, `W`, `B`) where the schema is known. */
function tensorRows(graph: GraphModel, names: string[], params: readonly SchemaParam[] | undefined): PropRow[] {
  const keys = params ? paramNames(params, names.length) : names.map((_, k) => String(k));
  const rows: PropRow[] = names.map((name, k) => name === ''
    ? { key: keys[k], value: '(omitted)' }
    : { key: keys[k], value: name, detail: formatValueType(graph.values.get(name)?.type), link: { kind: 'tensor', name } });
  // Optional parameters the node leaves out at the end: the schema has them, the panel says so.
  for (let k = names.length; params && k < params.length; k++) if (!params[k].variadic) rows.push({ key: params[k].name, value: '(omitted)', detail: 'optional' });
  return rows;
}

/** The node's attributes, then the schema's attributes it leaves unset with their defaults (or 'required'). */
function attributeSection(node: GraphNode, schema: OpSchema | undefined, graphPath: (attribute: string, index: number) => GraphPath): PropRow[] {
  const rows = node.attributes.flatMap((a) => attributeRows(a, graphPath));
  const set = new Set(node.attributes.map((a) => a.name ?? ''));
  for (const a of schema?.attributes ?? []) {
    if (set.has(a.name)) continue;
    if (a.defaultText !== undefined) rows.push({ key: a.name, value: a.defaultText, detail: `default (${a.type})` });
    else rows.push({ key: a.name, value: a.required ? '(missing)' : '(not set)', detail: a.required ? `required ${a.type}` : `optional ${a.type}, no default` });
  }
  return rows;
}

/** Each type parameter (`T`), the types it allows and which inputs and outputs it binds. */
function constraintRows(schema: OpSchema): PropRow[] {
  return schema.typeConstraints.map((c) => {
    const users = [...schema.inputs, ...schema.outputs].filter((p) => p.type === c.param).map((p) => p.name);
    return { key: c.param, value: c.types.join(', '), detail: users.length ? users.join(', ') : undefined };
  });
}

/** The schema rows of the Node section: which version applies, and the documentation page. */
function schemaRows(node: GraphNode, schema: OpSchema | undefined, schemas: OpSchemaTable | Error | undefined): PropRow[] {
  const rows: PropRow[] = [];
  if (schema) {
    rows.push({ key: 'schema', value: `${schema.name}-${schema.sinceVersion}`, detail: `since opset ${schema.sinceVersion}${schema.deprecated ? ', deprecated' : ''}` });
  } else if (schemas instanceof Error) {
    rows.push({ key: 'schema', value: '(unavailable)', detail: schemas.message });
  } else if (schemas) {
    rows.push({ key: 'schema', value: '(unknown op)', detail: `not in the ONNX schemas of onnx ${schemas.onnxVersion} for this opset` });
  }
  const url = opDocUrl(node.domain, node.opType);
  if (url) rows.push({ key: 'documentation', value: url, link: { kind: 'url', url } });
  return rows;
}

export function nodeProps(model: OnnxModel, graph: GraphModel, path: GraphPath, id: string, schemas?: OpSchemaTable | Error): PropsView {
  const node = nodeOfId(graph, id);
  const schema = schemas && !(schemas instanceof Error) ? schemas.forNode(model.opsets, node.domain, node.opType) : undefined;
  const general: PropRow[] = [
    { key: 'op', value: node.opType },
    { key: 'domain', value: node.domain || 'ai.onnx' },
    { key: 'name', value: node.name || '(unnamed)' },
    ...schemaRows(node, schema, schemas),
  ];
  if (node.overload) general.push({ key: 'overload', value: node.overload });
  if (node.msg.doc_string) general.push({ key: 'doc string', value: node.msg.doc_string });
  const sections: PropSection[] = [{ title: 'Node', rows: general }];
  const graphPath = (attribute: string, index: number): GraphPath => [...path, { kind: 'attribute', node: node.index, attribute, index }];
  const attributes = attributeSection(node, schema, graphPath);
  if (attributes.length > 0) sections.push({ title: 'Attributes', rows: attributes });
  sections.push({ title: 'Inputs', rows: tensorRows(graph, node.inputs, schema?.inputs) });
  sections.push({ title: 'Outputs', rows: tensorRows(graph, node.outputs, schema?.outputs) });
  if (schema && schema.typeConstraints.length > 0) sections.push({ title: 'Type constraints', rows: constraintRows(schema) });
  if (node.implicitInputs.length > 0) sections.push({ title: 'Read by subgraphs', rows: tensorRows(graph, node.implicitInputs, undefined) });
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
