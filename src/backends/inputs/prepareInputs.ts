// The inputs of one run: loaded from files or generated from the model's input types, and always
// checked against the model, so a run can be repeated from the inputs file saved beside its results.
import { GraphModel } from '../../core/graph';
import { NdArray } from '../../compare/ndarray';
import { GenerateOptions, DEFAULT_SEED, generateInputs } from './generateInputs';
import { InputError, modelInputSpecs, resolveShapes } from './inputSpecs';
import { loadInputFiles, validateInputs } from './loadInputs';

export interface PrepareInputsOptions extends GenerateOptions {
  /** Input files; when absent inputs are generated. */
  files?: readonly string[];
  /** Values for symbolic or unknown dims of generated inputs: dim name or `input:axis` -> size. */
  dims?: ReadonlyMap<string, number>;
  iteration?: number;
}

export interface PreparedInputs {
  inputs: Map<string, NdArray>;
  /** How they were made, for the run's notes. */
  source: string;
}

export async function prepareInputs(graph: GraphModel, o: PrepareInputsOptions = {}): Promise<PreparedInputs> {
  const specs = modelInputSpecs(graph);
  if (o.files && o.files.length) {
    if (o.dims?.size) throw new InputError('--dim applies to generated inputs only; inputs from files keep their shapes');
    const inputs = await loadInputFiles(o.files, specs, { iteration: o.iteration });
    validateInputs(inputs, specs);
    // Model order, whatever order the files listed them in.
    return { inputs: new Map(specs.map((s) => [s.name, inputs.get(s.name) as NdArray])), source: `loaded from ${o.files.join(', ')}` };
  }
  const shapes = resolveShapes(specs, o.dims ?? new Map());
  const inputs = generateInputs(specs, shapes, o);
  validateInputs(inputs, specs);
  return { inputs, source: `generated with seed ${o.seed ?? DEFAULT_SEED} (as Polygraphy's DataLoader)` };
}
