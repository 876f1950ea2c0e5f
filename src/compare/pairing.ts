// Pairs tensors of two runs by exact name, optionally through an explicit a -> b name map. Never by
// substring or position (Polygraphy's fallback), which silently compares unrelated tensors.

export interface TensorPair {
  a: string;
  b: string;
}

export interface Pairing {
  pairs: TensorPair[];
  /** Names of run A with no partner, in A's order. */
  onlyA: string[];
  /** Names of run B with no partner, in B's order. */
  onlyB: string[];
  /** Map entries whose target is missing from B (reported, not silently dropped). */
  brokenMap: TensorPair[];
}

export function pairTensors(
  namesA: readonly string[],
  namesB: readonly string[],
  nameMap?: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): Pairing {
  const map = nameMap instanceof Map ? nameMap : new Map(Object.entries(nameMap ?? {}));
  const inB = new Set(namesB);
  // Targets claimed by the map are not also matched by a same-named A tensor.
  const claimed = new Set<string>();
  for (const [a, b] of map) if (namesA.includes(a) && inB.has(b)) claimed.add(b);
  const used = new Set<string>();
  const pairs: TensorPair[] = [];
  const onlyA: string[] = [];
  const brokenMap: TensorPair[] = [];
  for (const a of namesA) {
    const mapped = map.get(a);
    if (mapped !== undefined) {
      if (inB.has(mapped) && !used.has(mapped)) {
        pairs.push({ a, b: mapped });
        used.add(mapped);
      } else {
        if (!inB.has(mapped)) brokenMap.push({ a, b: mapped });
        onlyA.push(a);
      }
      continue;
    }
    if (inB.has(a) && !claimed.has(a) && !used.has(a)) {
      pairs.push({ a, b: a });
      used.add(a);
    } else {
      onlyA.push(a);
    }
  }
  const onlyB = namesB.filter((b) => !used.has(b));
  return { pairs, onlyA, onlyB, brokenMap };
}
