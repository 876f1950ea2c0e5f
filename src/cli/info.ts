// `info MODEL [--json]`: what the model is, what it needs to run, and what is wrong with it.
import { GraphModel } from '../core/graph';
import { applyInferredShapes } from '../core/shapes';
import { formatValueType } from '../core/types';
import { checkExternalData, ExternalFileReport } from '../node/externalDataReader';
import { Command } from './command';
import { formatTensorRows, inferRowTypes, TensorRow, tensorRows } from './tensorList';
import { loadModel, LoadedModel } from './modelInput';

export interface ModelInfo {
  file: string;
  fileBytes: number;
  irVersion: number;
  producer: { name: string; version: string };
  domain: string;
  modelVersion: number;
  opsets: { domain: string; version: number }[];
  inputs: { name: string; type: string }[];
  outputs: { name: string; type: string }[];
  nodes: number;
  /** Nodes inside control-flow subgraphs (If/Loop/Scan bodies), not counted in `nodes`. */
  subgraphNodes: number;
  initializers: number;
  functions: number;
  /** op (domain-qualified when not the default domain) -> count, main graph and subgraphs, most used first. */
  ops: Record<string, number>;
  externalData: ExternalFileReport[];
  problems: string[];
  /** With --tensors: every tensor, its producer, consumers, type and shape. */
  tensors?: TensorRow[];
  /** With --tensors: how undeclared types were handled. */
  tensorTypes?: string;
}

function countOps(graph: GraphModel, ops: Map<string, number>): number {
  let nested = 0;
  for (const n of graph.nodes) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
    ops.set(key, (ops.get(key) ?? 0) + 1);
    for (const s of n.subgraphs) nested += s.graph.nodes.length + countOps(s.graph, ops);
  }
  return nested;
}

export async function modelInfo(loaded: LoadedModel, opts: { tensors?: boolean } = {}): Promise<ModelInfo> {
  const { model, graph } = loaded;
  const ops = new Map<string, number>();
  const subgraphNodes = countOps(graph, ops);
  const typed = (name: string) => ({ name, type: formatValueType(graph.values.get(name)?.type) });
  const externalData = await checkExternalData(loaded.path, model);
  const inputs = graph.inputs.map(typed);
  const outputs = graph.outputs.map(typed);
  // Undeclared types come from the built-in shape inference, and from onnxruntime for what it cannot type.
  const shapes = opts.tensors ? applyInferredShapes(model, graph) : undefined;
  const tensors = opts.tensors ? tensorRows(graph) : undefined;
  const tensorTypes = tensors ? await inferRowTypes(tensors, loaded.bytes, loaded.path) : undefined;
  return {
    file: loaded.path,
    fileBytes: loaded.bytes.length,
    irVersion: model.irVersion,
    producer: { name: model.producerName, version: model.producerVersion },
    domain: model.domain,
    modelVersion: model.modelVersion,
    opsets: model.opsets.map((o) => ({ domain: o.domain || 'ai.onnx', version: o.version })),
    inputs,
    outputs,
    nodes: graph.nodes.length,
    subgraphNodes,
    initializers: graph.initializers.length,
    functions: model.functions.length,
    ops: Object.fromEntries([...ops].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    externalData,
    problems: [
      ...graph.problems.map((p) => p.message),
      ...externalData.flatMap((f) => f.problems.map((p) => `external data ${f.location}: ${p}`)),
      ...(shapes?.diagnostics ?? []).map((d) => `shapes: ${d.graph ? `in ${d.graph}: ` : ''}${d.message}`),
    ],
    ...(tensors ? { tensors } : {}),
    ...(tensorTypes ? { tensorTypes } : {}),
  };
}

export function formatInfo(info: ModelInfo): string {
  const lines: string[] = [];
  const producer = [info.producer.name, info.producer.version].filter(Boolean).join(' ') || '(not recorded)';
  lines.push(`${info.file} (${info.fileBytes} bytes)`);
  lines.push(`  IR version ${info.irVersion}, producer ${producer}${info.domain ? `, domain ${info.domain}` : ''}`);
  lines.push(`  opsets: ${info.opsets.map((o) => `${o.domain} ${o.version}`).join(', ') || '(none)'}`);
  lines.push(`  inputs:`);
  for (const v of info.inputs) lines.push(`    ${v.name}: ${v.type}`);
  lines.push(`  outputs:`);
  for (const v of info.outputs) lines.push(`    ${v.name}: ${v.type}`);
  lines.push(`  nodes: ${info.nodes}${info.subgraphNodes ? ` (+${info.subgraphNodes} in subgraphs)` : ''}, initializers: ${info.initializers}${info.functions ? `, functions: ${info.functions}` : ''}`);
  lines.push(`  ops: ${Object.entries(info.ops).map(([op, n]) => `${op} ${n}`).join(', ')}`);
  if (info.externalData.length > 0) {
    lines.push(`  external data:`);
    for (const f of info.externalData) {
      const state = f.exists ? `${f.size} bytes` : 'MISSING';
      lines.push(`    ${f.location}: ${state}, ${f.tensors.length} tensors need ${f.bytesNeeded} bytes`);
    }
  }
  lines.push(info.problems.length > 0 ? `  problems (${info.problems.length}):` : '  problems: none');
  for (const p of info.problems) lines.push(`    ${p}`);
  return lines.join('\n') + '\n' + (info.tensors ? formatTensorRows(info.tensors, info.tensorTypes) : '');
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'Show the model\'s IR version, producer, opsets, inputs and outputs, node and op counts, external data files and problems; with --tensors, every tensor with its producer, consumers, type and shape.',
  synopsis: 'MODEL [--tensors] [--json]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'tensors', kind: 'flag', help: 'also list every tensor: type and shape, producing node and consumers (the names extract and mark-outputs take)' },
    { name: 'json', kind: 'flag', help: 'print JSON instead of text' },
  ],
  async run(args, io) {
    const info = await modelInfo(loadModel(args.positionals[0]), { tensors: args.flags.has('tensors') });
    io.out(args.flags.has('json') ? JSON.stringify(info, null, 2) + '\n' : formatInfo(info));
  },
};
