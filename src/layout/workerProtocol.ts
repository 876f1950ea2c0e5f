// Messages between LayoutService and the ELK worker thread. Every request gets exactly one response.
import type { ElkGraph, LevelLayout } from './levelGraph';

export interface WorkerRequest { id: number; graph: ElkGraph }

export type WorkerResponse =
  | { id: number; ok: true; layout: LevelLayout; ms: number }
  | { id: number; ok: false; error: string };

/** Sent once, after the warm-up layout: the worker's JIT is warm and it takes requests. */
export interface WorkerReady { ready: true; warmupMs: number }

/** A small layered graph with ports, laid out once at start so the first real layout is not the JIT's first. */
export function warmupGraph(size = 40): ElkGraph {
  const children = Array.from({ length: size }, (_, i) => ({
    id: `w${i}`, width: 80, height: 30, layoutOptions: { 'org.eclipse.elk.portConstraints': 'FIXED_ORDER' },
    ports: [
      { id: `w${i}>in0`, width: 4, height: 4, layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': '0' } },
      { id: `w${i}>in1`, width: 4, height: 4, layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': '1' } },
      { id: `w${i}>out0`, width: 4, height: 4, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': '2' } },
    ],
  }));
  const edges = [];
  for (let i = 1; i < size; i++) {
    edges.push({ id: `a${i}`, sources: [`w${i - 1}>out0`], targets: [`w${i}>in0`] });
    if (i >= 3 && i % 2 === 1) edges.push({ id: `b${i}`, sources: [`w${i - 3}>out0`], targets: [`w${i}>in1`] });
  }
  return { id: 'warmup', layoutOptions: {}, children, edges };
}
