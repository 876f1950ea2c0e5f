// What hovering a box or an edge says: the full text the box may show shortened (node name, scope path,
// tensor name) and the weights with their shapes.
import type { SceneEdge, SceneNode } from '../../src/protocol/scene';
import { weightRowText } from '../../src/protocol/boxText';

export function boxTooltip(n: SceneNode): string {
  switch (n.kind) {
    case 'op': {
      const lines = [n.name ? `${n.label}  ${n.name}` : n.label];
      (n.initializers ?? []).forEach((p, k) => lines.push(`${weightRowText(n.initializerNames?.[k], p.type, n.quantizedWeights?.[k])}  (${p.tensor})`));
      if (n.fold) lines.push(`quantized ${n.fold.badge}${n.fold.perChannel ? ', per channel' : ''}: Q/DQ folded in (click the badge to show them)`);
      return lines.join('\n');
    }
    case 'group': return `${n.name || n.label}  (${n.opCount ?? 0} ops)`;
    case 'input': case 'output': {
      const type = (n.kind === 'input' ? n.outputs[0] : n.inputs[0])?.type;
      return type ? `${n.name}  ${type}` : n.name;
    }
  }
}

export function edgeTooltip(e: SceneEdge): string {
  const head = e.label ? `${e.tensor}  ${e.label}` : e.tensor;
  return e.tensors && e.tensors.length > 1 ? `${head}\n(${e.tensors.length} tensors)` : head;
}
