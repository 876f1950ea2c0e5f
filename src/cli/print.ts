// `print MODEL`: the model in ONNX's text syntax (onnx.printer's), large tensors elided with digests.
import { printModel } from '../core/textPrinter';
import { Command, single, UsageError } from './command';
import { loadModel } from './modelInput';

export const printCommand: Command = {
  name: 'print',
  summary: 'Print the model in ONNX text syntax. Tensors with more values than --max-elements (default 16) are elided.',
  synopsis: 'MODEL [--max-elements N | --all-values]',
  positionals: [{ name: 'MODEL' }],
  options: [
    { name: 'max-elements', kind: 'string', help: 'print tensors with at most N values in full' },
    { name: 'all-values', kind: 'flag', help: 'print every value (the text then parses back with onnx.parser)' },
  ],
  async run(args, io) {
    const max = single(args, 'max-elements');
    let maxElements: number | undefined;
    if (args.flags.has('all-values')) maxElements = Infinity;
    else if (max !== undefined) {
      maxElements = Number(max);
      if (!Number.isInteger(maxElements) || maxElements < 0) throw new UsageError(`--max-elements must be a non-negative integer, not '${max}'`);
    }
    const { model } = loadModel(args.positionals[0]);
    io.out(printModel(model, { maxElements }));
  },
};
