// `extract MODEL --inputs a,b --outputs c,d -o OUT`: the submodel computing the outputs from the inputs.
// Inputs need types; models exported without value_info get them from onnxruntime.
import { checkWrittenModelData } from '../node/externalWeights';
import { extractSubmodel, planCut } from '../core/edit';
import { typeSources, typesForCut } from '../node/cutTypes';
import { Command, nameList, single, UsageError } from './command';
import { loadModel } from './modelInput';
import { checkOutputFolder, inlineDataFor, OUTPUT_OPTIONS, writeOutput } from './output';

export const extractCommand: Command = {
  name: 'extract',
  summary: 'Write the submodel that computes --outputs from --inputs (like onnx.utils.extract_model). Input types the model does not declare are inferred with onnxruntime. External data is referenced when OUT is in the model\'s folder and written inline otherwise.',
  synopsis: 'MODEL --inputs a,b --outputs c,d -o OUT [--force]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'inputs', short: 'i', kind: 'string', repeatable: true, help: 'comma-separated input tensor names (repeatable)' },
    { name: 'outputs', kind: 'string', repeatable: true, help: 'comma-separated output tensor names (repeatable)' },
    ...OUTPUT_OPTIONS,
  ],
  async run(args, io) {
    const inputs = nameList(args, 'inputs');
    const outputs = nameList(args, 'outputs');
    if (inputs.length === 0) throw new UsageError('give the input tensors of the cut with --inputs (the graph inputs to keep the whole front of the model; `info --tensors` lists the names)');
    if (outputs.length === 0) throw new UsageError('give the tensors to extract with --outputs');
    const out = single(args, 'output');
    if (!out) throw new UsageError('give the output file with -o OUT');
    checkOutputFolder(out);
    const loaded = loadModel(args.positionals[0]);
    // Check the cut first: an impossible cut or a typo should not wait for (or be hidden by) onnxruntime.
    const plan = planCut(loaded.graph, inputs, outputs);
    // Inputs and outputs must be typed (the ONNX checker requires it): shape inference types the undeclared ones,
    // onnxruntime what it cannot.
    const { types, inferred, shapes } = await typesForCut(loaded.bytes, loaded.graph, plan, loaded.path);
    const inlineData = await inlineDataFor(loaded, out, plan.initializers);
    const result = extractSubmodel(loaded.model, loaded.graph, { inputs, outputs, types, inlineData });
    checkWrittenModelData(out, result.bytes);
    writeOutput(out, result.bytes, { force: args.flags.has('force'), inputPath: loaded.path });
    io.out(`wrote ${out}: ${result.nodes.length} nodes, ${result.initializers.length} initializers, inputs ${result.inputs.join(', ')}, outputs ${result.outputs.join(', ')}` +
      `${typeSources(shapes, inferred)}${inlineData ? `; ${inlineData.size} external tensors written inline` : ''}\n`);
  },
};
