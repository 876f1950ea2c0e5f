// Tensors a backend said it did not produce (TensorRT fuses layers, and cannot capture some tensors at all) are
// explained, not reported as unpaired noise: they leave onlyA/onlyB for the report's `fused` and `skipped` lists.
import type { Pairing } from './pairing';
import type { FusedTensorReport, SkippedTensorReport } from './report';

type Sides<T> = { a?: ReadonlyMap<string, T>; b?: ReadonlyMap<string, T> };

/** What each run's backend reported missing, keyed by that run's tensor names. */
export interface AbsentTensors {
  /** Tensor -> the engine layer it was fused into (null: the backend could not tell). */
  fused?: Sides<string | null>;
  /** Tensor -> why it could not be captured. */
  skipped?: Sides<string>;
}

export interface ExplainedPairing {
  onlyA: string[];
  onlyB: string[];
  fused: FusedTensorReport[];
  skipped: SkippedTensorReport[];
}

/**
 * Moves each reported tensor (and its partner on the other side) out of the unpaired lists. A report that the
 * run contradicts (it did produce the tensor) is ignored: what was captured gets compared. Fused wins over
 * skipped when a backend reports both for one tensor.
 */
export function explainAbsent(
  pairing: Pairing,
  namesA: readonly string[],
  namesB: readonly string[],
  nameMap: Readonly<Record<string, string>>,
  absent: AbsentTensors,
): ExplainedPairing {
  const produced = { a: new Set(namesA), b: new Set(namesB) };
  const inverse = new Map<string, string>();
  for (const [a, b] of Object.entries(nameMap)) if (!inverse.has(b)) inverse.set(b, a);
  // The other run's name for a tensor of `side`: through the name map, else the same name.
  const partnerOf = (side: 'a' | 'b', t: string) => (side === 'a' ? nameMap[t] ?? t : inverse.get(t) ?? t);
  const listed = { a: new Set<string>(), b: new Set<string>() };
  const explained = { a: new Set<string>(), b: new Set<string>() };
  const claim = (side: 'a' | 'b', t: string): string | undefined => {
    if (produced[side].has(t) || listed[side].has(t)) return undefined;
    listed[side].add(t);
    explained[side].add(t);
    const partner = partnerOf(side, t);
    explained[side === 'a' ? 'b' : 'a'].add(partner);
    return partner;
  };
  const fused: FusedTensorReport[] = [];
  const skipped: SkippedTensorReport[] = [];
  for (const side of ['a', 'b'] as const) {
    for (const [tensor, layer] of absent.fused?.[side] ?? []) {
      const partner = claim(side, tensor);
      if (partner !== undefined) fused.push({ tensor, side, layer, ...(partner !== tensor ? { counterpart: partner } : {}) });
    }
  }
  for (const side of ['a', 'b'] as const) {
    for (const [tensor, reason] of absent.skipped?.[side] ?? []) {
      const partner = claim(side, tensor);
      if (partner !== undefined) skipped.push({ tensor, side, reason, ...(partner !== tensor ? { counterpart: partner } : {}) });
    }
  }
  return {
    onlyA: pairing.onlyA.filter((t) => !explained.a.has(t)),
    onlyB: pairing.onlyB.filter((t) => !explained.b.has(t)),
    fused,
    skipped,
  };
}
