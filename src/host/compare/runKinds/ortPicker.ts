// onnxruntime's options: which tensors to capture and the graph optimization level (CPU).
import { ortRunKind } from '../../../backends/onnxruntime/ortKind';
import { pick } from './quickPick';
import type { RunPicker } from './runPicker';

export const ortPicker: RunPicker = {
  kindId: ortRunKind.id,
  item: (ctx) => ({ label: 'onnxruntime (CPU)', description: ctx.modelName, detail: 'Run this model with onnxruntime-node on the CPU' }),
  async pickOptions({ title }) {
    const capture = await pick<'all' | 'outputs'>(title, 'onnxruntime: which tensors to capture?', [
      { label: 'All intermediates', description: 'default', detail: 'Marks every tensor as an output, so the first divergence can be found (blocks some fusions)', value: 'all' },
      { label: 'Outputs only', detail: "The model's outputs, as the model runs normally", value: 'outputs' },
    ]);
    if (!capture) return undefined;
    const optLevel = await pick<'all' | 'disabled'>(title, 'onnxruntime: graph optimization level?', [
      { label: 'All', description: 'default', detail: "onnxruntime's and Polygraphy's default", value: 'all' },
      { label: 'Disabled', detail: 'No graph optimizations: the graph as written', value: 'disabled' },
    ]);
    if (!optLevel) return undefined;
    const options = ortRunKind.parseOptions({ capture, optLevel, ep: 'cpu' });
    return { kind: ortRunKind.id, options: { ...options }, label: ortRunKind.describe(options) };
  },
};
