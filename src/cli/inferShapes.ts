// `infer-shapes MODEL -o OUT [--force] [--json]`: a copy of the model with value_info for every tensor whose
// type and shape our inference knows (no Python, no onnxruntime); contradictions and ops without a rule are
// reported.
import { annotateModel, inferShapes, ShapeInference } from '../core/shapes';
import { Command, single, UsageError } from './command';
import { loadModel } from './modelInput';
import { inlineDataFor, OUTPUT_OPTIONS, writeOutput } from './output';

export function describeProblems(inference: ShapeInference): string[] {
  const lines: string[] = [];
  for (const d of inference.diagnostics) lines.push(`${d.graph ? `in ${d.graph}: ` : ''}${d.message}`);
  if (inference.unsupported.size > 0) {
    lines.push(`no shape rule for ${[...inference.unsupported].map(([op, n]) => `${op} (${n})`).join(', ')}: their outputs stay unknown`);
  }
  return lines;
}

export const inferShapesCommand: Command = {
  name: 'infer-shapes',
  summary: 'Write a copy of the model with value_info (element type and shape, symbolic dims included) for every tensor the built-in inference knows; all other bytes are kept. Contradictions between declared and inferred types are reported.',
  synopsis: 'MODEL -o OUT [--force] [--json]',
  positionals: [{ name: 'MODEL' }],
  options: [...OUTPUT_OPTIONS, { name: 'json', kind: 'flag', help: 'print the summary as JSON' }],
  async run(args, io) {
    const out = single(args, 'output');
    if (!out) throw new UsageError('give the output file with -o OUT');
    const loaded = loadModel(args.positionals[0]);
    const inference = inferShapes(loaded.model, loaded.graph);
    // External data is referenced relative to the model: a copy in another folder gets it inline.
    const inlineData = await inlineDataFor(loaded, out, 'all');
    const result = annotateModel(loaded.model, loaded.graph, inference, { inlineData });
    writeOutput(out, result.bytes, { force: args.flags.has('force'), inputPath: loaded.path });
    const problems = describeProblems(inference);
    if (args.flags.has('json')) {
      io.out(JSON.stringify({
        output: out, valueInfoAdded: result.added, valueInfoUpdated: result.updated, outputsTyped: result.outputsTyped,
        unknown: result.unknown, diagnostics: inference.diagnostics, unsupported: Object.fromEntries(inference.unsupported),
      }, null, 2) + '\n');
      return;
    }
    io.out(`wrote ${out}: ${result.added} value_info entries added, ${result.updated} updated, ${result.outputsTyped} graph outputs typed` +
      `${result.unknown.length ? `; ${result.unknown.length} tensors stay unknown` : ''}${inlineData ? `; ${inlineData.size} external tensors written inline` : ''}\n`);
    for (const p of problems) io.err(`warning: ${p}\n`);
  },
};
