// Resolves a graph path (node attribute subgraphs, model-local functions) to the core's GraphModel, with the
// breadcrumbs that lead there. No vscode: unit tests call it directly.
import { buildGraph, GraphModel, GraphNode, GraphSource } from '../../core/graph';
import type { OnnxModel } from '../../core/model';
import type { FunctionMsg } from '../../core/onnxSchema';
import type { Breadcrumb, GraphPath, GraphStep } from '../../protocol/inspect';

export interface ResolvedGraph {
  graph: GraphModel;
  breadcrumbs: Breadcrumb[];
  /** Stable text of the path, for caches and view model keys. */
  key: string;
}

export function pathKey(path: GraphPath): string {
  return path.map((s) => (s.kind === 'attribute' ? `n${s.node}.${s.attribute}[${s.index}]` : `f:${s.domain}:${s.name}:${s.overload ?? ''}`)).join('/');
}

export function findFunction(model: OnnxModel, domain: string, name: string, overload = ''): FunctionMsg | undefined {
  return model.functions.map((f) => f.value).find((f) => (f.domain ?? '') === domain && f.name === name && (f.overload ?? '') === overload);
}

/** A function body as a graph: its inputs and outputs have names only (types come from the call site). */
export function functionGraph(f: FunctionMsg): GraphModel {
  const src: GraphSource = {
    name: f.name ?? '',
    nodes: f.node ?? [],
    inputs: (f.input ?? []).map((name) => ({ name })),
    outputs: (f.output ?? []).map((name) => ({ name })),
    valueInfo: f.value_info ?? [],
    initializers: [],
    initializerNames: [],
  };
  return buildGraph(src);
}

function nodeLabel(node: GraphNode): string {
  return node.name ? `node '${node.name}'` : `node #${node.index} (${node.opType})`;
}

function stepInto(model: OnnxModel, graph: GraphModel, step: GraphStep): { graph: GraphModel; label: string } {
  if (step.kind === 'function') {
    const f = findFunction(model, step.domain, step.name, step.overload);
    if (!f) throw new Error(`the model has no local function ${step.domain ? `${step.domain}.` : ''}${step.name}`);
    return { graph: functionGraph(f), label: `function ${step.domain ? `${step.domain}.` : ''}${step.name}` };
  }
  const node = graph.nodes[step.node];
  if (!node) throw new Error(`no node #${step.node} in graph '${graph.name}'`);
  const subs = node.subgraphs.filter((s) => s.attribute === step.attribute);
  const sub = subs[step.index];
  if (!sub) throw new Error(`${nodeLabel(node)} has no graph attribute '${step.attribute}'${step.index ? ` [${step.index}]` : ''}`);
  return { graph: sub.graph, label: `${nodeLabel(node)} \u203a ${step.attribute}${subs.length > 1 ? `[${step.index}]` : ''}` };
}

/** Walks the path from the main graph. Throws a message naming the step that does not exist. */
export function resolveGraphPath(model: OnnxModel, main: GraphModel, path: GraphPath): ResolvedGraph {
  const breadcrumbs: Breadcrumb[] = [{ label: 'main graph', path: [] }];
  let graph = main;
  for (let i = 0; i < path.length; i++) {
    const next = stepInto(model, graph, path[i]);
    graph = next.graph;
    breadcrumbs.push({ label: next.label, path: path.slice(0, i + 1) });
  }
  return { graph, breadcrumbs, key: pathKey(path) };
}

/** The graph paths one level below a node: its GRAPH/GRAPHS attributes, and the local function it calls. */
export function childPaths(model: OnnxModel, path: GraphPath, node: GraphNode): { label: string; path: GraphPath }[] {
  const out: { label: string; path: GraphPath }[] = [];
  const seen = new Map<string, number>();
  for (const s of node.subgraphs) {
    const index = seen.get(s.attribute) ?? 0;
    seen.set(s.attribute, index + 1);
    out.push({ label: s.attribute, path: [...path, { kind: 'attribute', node: node.index, attribute: s.attribute, index }] });
  }
  if (findFunction(model, node.domain, node.opType, node.overload)) {
    out.push({ label: `function ${node.opType}`, path: [...path, { kind: 'function', domain: node.domain, name: node.opType, overload: node.overload || undefined }] });
  }
  return out;
}
