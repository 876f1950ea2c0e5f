// Rolling statistics of the last frames: how long our draw code ran (JS time, excludes rasterisation that the
// browser defers) and the interval between consecutive animation frames while interacting (includes it).
export interface FrameStatsSummary {
  frames: number;
  drawMedianMs: number;
  drawP95Ms: number;
  drawMaxMs: number;
  /** Intervals between back-to-back painted frames (only counted when frames follow each other). */
  intervalMedianMs: number;
  intervalP95Ms: number;
  lastDrawMs: number;
  lastBoxes: number;
  lastEdges: number;
  lastLabels: number;
  /** How many of the recorded frames were scaled from the far-zoom bitmap. */
  cachedFrames: number;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export class FrameStats {
  private draws: number[] = [];
  private intervals: number[] = [];
  private lastAt = 0;
  private cached: boolean[] = [];
  private last = { boxes: 0, edges: 0, labels: 0 };

  constructor(private readonly capacity = 300) {}

  record(drawMs: number, at: number, info: { boxes: number; edges: number; labels: number; cached: boolean }): void {
    push(this.draws, drawMs, this.capacity);
    push(this.cached, info.cached, this.capacity);
    // A gap over 100 ms means the user paused: that is idle time, not a slow frame.
    if (this.lastAt && at - this.lastAt < 100) push(this.intervals, at - this.lastAt, this.capacity);
    this.lastAt = at;
    this.last = info;
  }

  reset(): void {
    this.draws = [];
    this.cached = [];
    this.intervals = [];
    this.lastAt = 0;
  }

  summary(): FrameStatsSummary {
    return {
      frames: this.draws.length,
      drawMedianMs: percentile(this.draws, 50),
      drawP95Ms: percentile(this.draws, 95),
      drawMaxMs: this.draws.length ? Math.max(...this.draws) : 0,
      intervalMedianMs: percentile(this.intervals, 50),
      intervalP95Ms: percentile(this.intervals, 95),
      lastDrawMs: this.draws.length ? this.draws[this.draws.length - 1] : 0,
      lastBoxes: this.last.boxes,
      lastEdges: this.last.edges,
      lastLabels: this.last.labels,
      cachedFrames: this.cached.filter(Boolean).length,
    };
  }
}

function push<T>(a: T[], v: T, cap: number): void {
  a.push(v);
  if (a.length > cap) a.shift();
}
