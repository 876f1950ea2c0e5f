// `diff A.onnx B.onnx [--json]`: the nodes added, removed and changed from A to B (old → new), and the graph's
// inputs and outputs. Exit code 0 when the models are the same, 1 when they differ.
import * as nodePath from 'node:path';
import { diffModels, isSameModel, type ModelDiff, type NodeDiff } from '../core/diff/modelDiff';
import { shortValue as shortText } from '../core/diff/shortValue';
import { Command } from './command';
import { loadModel } from './modelInput';

const MARK: Record<NodeDiff['status'], string> = { added: '+', removed: '-', changed: '~' };
const MAX_VALUE_CHARS = 160;

/** Long values (subgraphs, tensors) keep their start and end: the rest is elided in the middle. */
export function shortValue(text: string, max = MAX_VALUE_CHARS): string {
  return shortText(text, max);
}

export interface DiffJson {
  a: string;
  b: string;
  same: boolean;
  summary: ModelDiff['summary'];
  nodes: NodeDiff[];
  graph: ModelDiff['graph'];
}

export function formatDiff(d: ModelDiff, nameA: string, nameB: string): string {
  const s = d.summary;
  const lines = [`${nameA} (${s.nodesA} nodes) \u2192 ${nameB} (${s.nodesB} nodes): ${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged`];
  for (const g of d.graph) {
    lines.push(`${MARK[g.status]} graph ${g.kind} ${g.name}: ${g.before || '(none)'} \u2192 ${g.after || '(none)'}`);
  }
  for (const n of d.nodes) {
    const where = n.status === 'removed' ? `A #${n.a}` : n.status === 'added' ? `B #${n.b}` : `A #${n.a} \u2192 B #${n.b}, matched by ${n.matchedBy}`;
    lines.push(`${MARK[n.status]} ${n.opType} ${n.name} (${where})`);
    for (const c of n.changes) {
      lines.push(`    ${c.kind === c.key ? c.kind : `${c.kind} ${c.key}`}: ${shortValue(c.before) || '(none)'} \u2192 ${shortValue(c.after) || '(none)'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two models node by node: nodes added, removed and changed (op, attributes, inputs, outputs, initializers). Exit 0 same, 1 different.',
  synopsis: 'A.onnx B.onnx [--json]',
  positionals: [{ name: 'A.onnx' }, { name: 'B.onnx' }],
  options: [{ name: 'json', kind: 'flag', help: 'print the differences as JSON' }],
  async run(args, io) {
    const [pathA, pathB] = args.positionals;
    const a = loadModel(pathA), b = loadModel(pathB);
    const d = diffModels(a, b);
    const nameA = nodePath.basename(pathA), nameB = nodePath.basename(pathB);
    if (args.flags.has('json')) {
      const json: DiffJson = { a: pathA, b: pathB, same: isSameModel(d), summary: d.summary, nodes: d.nodes, graph: d.graph };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.out(formatDiff(d, nameA, nameB));
    }
    return isSameModel(d) ? 0 : 1;
  },
};
