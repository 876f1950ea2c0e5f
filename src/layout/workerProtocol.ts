// Messages between LayoutService and the ELK worker thread. Every request gets exactly one response.
import type { ElkGraph, LevelLayout } from './levelGraph';

export interface WorkerRequest { id: number; graph: ElkGraph }

export type WorkerResponse =
  | { id: number; ok: true; layout: LevelLayout; ms: number }
  | { id: number; ok: false; error: string };

/** Sent once ELK is loaded (the worker takes requests), and again with `warm` after the last warm-up layout. */
export interface WorkerReady { ready: true; warmupMs: number; warm?: boolean }

/**
 * A layered graph shaped like model levels (chains, fan-out into parallel branches that concat again, skip
 * connections, nodes with one to three ports), laid out at start so real layouts do not meet a cold JIT.
 */
export function warmupGraph(size = 40): ElkGraph {
  const port = (id: string, side: 'NORTH' | 'SOUTH', index: number) => ({ id, width: 4, height: 4, layoutOptions: { 'elk.port.side': side, 'elk.port.index': String(index) } });
  const children = Array.from({ length: size }, (_, i) => {
    const nIn = i % 5 === 4 ? 2 : 1;
    const nOut = i % 7 === 3 ? 2 : 1;
    const ports = [
      ...Array.from({ length: nIn }, (_, k) => port(`w${i}>in${k}`, 'NORTH', k)),
      ...Array.from({ length: nOut }, (_, k) => port(`w${i}>out${k}`, 'SOUTH', nIn + nOut - 1 - k)),
    ];
    return { id: `w${i}`, width: 60 + (i % 4) * 20, height: i % 9 === 0 ? 44 : 30, layoutOptions: { 'org.eclipse.elk.portConstraints': 'FIXED_ORDER' }, ports };
  });
  const edges = [];
  for (let i = 1; i < size; i++) {
    const from = i % 7 === 4 && i >= 2 ? i - 2 : i - 1; // a parallel branch: skip one node
    edges.push({ id: `a${i}`, sources: [`w${from}>out0`], targets: [`w${i}>in0`] });
    if (i % 5 === 4 && i >= 4) edges.push({ id: `b${i}`, sources: [`w${i - 4}>out${(i - 4) % 7 === 3 ? 1 : 0}`], targets: [`w${i}>in1`] });
  }
  return { id: 'warmup', layoutOptions: {}, children, edges };
}
