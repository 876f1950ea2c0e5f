// `mark-outputs MODEL (--tensors a,b | --all) -o OUT`: a copy of the model whose outputs include the tensors,
// so any runtime returns them (the onnxruntime half of Polygraphy's `--onnx-outputs mark all`).
import { checkWrittenModelData } from '../node/externalWeights';
import { markOutputs } from '../core/edit';
import { typeSources, typesForMarks } from '../node/cutTypes';
import { Command, nameList, single, UsageError } from './command';
import { loadModel } from './modelInput';
import { checkOutputFolder, inlineDataFor, OUTPUT_OPTIONS, writeOutput } from './output';

export const markOutputsCommand: Command = {
  name: 'mark-outputs',
  summary: 'Write a copy of the model with the given intermediate tensors (or all of them) added to the graph outputs.',
  synopsis: 'MODEL (--tensors a,b | --all) -o OUT [--force]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'tensors', short: 't', kind: 'string', repeatable: true, help: 'comma-separated tensor names (repeatable)' },
    { name: 'all', kind: 'flag', help: 'every tensor a node produces' },
    ...OUTPUT_OPTIONS,
  ],
  async run(args, io) {
    const tensors = nameList(args, 'tensors');
    const all = args.flags.has('all');
    if (all === (tensors.length > 0)) throw new UsageError('give either --tensors or --all');
    const out = single(args, 'output');
    if (!out) throw new UsageError('give the output file with -o OUT');
    checkOutputFolder(out);
    const loaded = loadModel(args.positionals[0]);
    const marks = all ? 'all' : tensors;
    // Every output of a written model needs a type (the ONNX checker requires it): shape inference types the
    // undeclared, onnxruntime what it cannot.
    const { types, inferred, shapes } = await typesForMarks(loaded.bytes, loaded.graph, marks, loaded.path);
    const inlineData = await inlineDataFor(loaded, out, 'all');
    const result = markOutputs(loaded.model, loaded.graph, marks, { inlineData, types });
    checkWrittenModelData(out, result.bytes);
    writeOutput(out, result.bytes, { force: args.flags.has('force'), inputPath: loaded.path });
    const already = (all ? 0 : new Set(tensors).size) - (all ? 0 : result.added.length);
    io.out(`wrote ${out}: ${result.added.length} outputs added${already > 0 ? ` (${already} already outputs)` : ''}, ${loaded.graph.outputs.length + result.added.length} in all${typeSources(shapes, inferred)}${inlineData ? `; ${inlineData.size} external tensors written inline` : ''}\n`);
  },
};
