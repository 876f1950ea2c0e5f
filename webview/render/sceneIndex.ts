// Per-scene precomputation: bounding boxes in typed arrays (culling is a tight loop, no allocation per frame),
// draw order, and a uniform grid over boxes and edge segments so hit-testing a point looks at one cell.
import { badgeRect, badgeText } from '../../src/protocol/boxText';
import type { Scene, SceneEdge, SceneNode } from '../../src/protocol/scene';

export interface Bounds { x0: number; y0: number; x1: number; y1: number }

/** Height of an expanded group's header strip (scene units) when the scene does not say: clicking it collapses. */
export const GROUP_HEADER = 22;

export function headerHeight(n: SceneNode): number {
  return Math.min(n.headerHeight ?? GROUP_HEADER, n.height);
}

export type Hit =
  /** `badge`: on a folded box's quantization badge (clicking it opens the fold). */
  | { kind: 'node'; node: SceneNode; header: boolean; badge?: boolean }
  | { kind: 'edge'; edge: SceneEdge };

export class SceneIndex {
  readonly byId = new Map<string, SceneNode>();
  /** Expanded groups (frames) outermost first, then boxes. */
  readonly frames: SceneNode[] = [];
  readonly boxes: SceneNode[] = [];
  readonly boxBounds: Float32Array;
  readonly frameBounds: Float32Array;
  readonly edges: SceneEdge[];
  readonly edgeBounds: Float32Array;
  readonly edgesByNode = new Map<string, number[]>();
  private readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly gridNodes: SceneNode[][];
  /** Edge segments per cell: edge index and segment start offset into its points. */
  private readonly gridSegs: number[][];

  constructor(readonly scene: Scene) {
    for (const n of scene.nodes) {
      this.byId.set(n.id, n);
      if (n.kind === 'group' && n.expanded) this.frames.push(n);
      else this.boxes.push(n);
    }
    this.frames.sort((a, b) => a.depth - b.depth);
    this.boxBounds = boundsOf(this.boxes);
    this.frameBounds = boundsOf(this.frames);
    this.edges = scene.edges.filter((e) => e.points.length >= 4);
    this.edgeBounds = new Float32Array(this.edges.length * 4);
    this.edges.forEach((e, i) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let p = 0; p < e.points.length; p += 2) {
        const x = e.points[p], y = e.points[p + 1];
        if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
      this.edgeBounds.set([x0, y0, x1, y1], i * 4);
      for (const id of [e.from, e.to]) {
        const list = this.edgesByNode.get(id);
        if (list) list.push(i); else this.edgesByNode.set(id, [i]);
      }
    });
    // Cell size near the typical box size keeps cells short; cap the cell count for huge sparse scenes.
    const w = Math.max(1, scene.width), h = Math.max(1, scene.height);
    this.cell = Math.max(120, Math.sqrt((w * h) / 20000));
    this.cols = Math.ceil(w / this.cell) + 1;
    this.rows = Math.ceil(h / this.cell) + 1;
    this.gridNodes = Array.from({ length: this.cols * this.rows }, () => []);
    this.gridSegs = Array.from({ length: this.cols * this.rows }, () => []);
    for (const n of scene.nodes) this.eachCell(n.x, n.y, n.x + n.width, n.y + n.height, (c) => this.gridNodes[c].push(n));
    this.edges.forEach((e, i) => {
      for (let p = 0; p + 3 < e.points.length; p += 2) {
        const [ax, ay, bx, by] = [e.points[p], e.points[p + 1], e.points[p + 2], e.points[p + 3]];
        this.eachCell(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), (c) => this.gridSegs[c].push(i, p));
      }
    });
  }

  private eachCell(x0: number, y0: number, x1: number, y1: number, f: (cell: number) => void): void {
    const c0 = this.col(x0), c1 = this.col(x1), r0 = this.row(y0), r1 = this.row(y1);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) f(r * this.cols + c);
  }
  private col(x: number) { return Math.min(this.cols - 1, Math.max(0, Math.floor(x / this.cell))); }
  private row(y: number) { return Math.min(this.rows - 1, Math.max(0, Math.floor(y / this.cell))); }

  /** What is under scene point (x, y): the deepest box, else an edge within `tol`, else the enclosing frame. */
  hitTest(x: number, y: number, tol: number): Hit | undefined {
    const cellIdx = this.row(y) * this.cols + this.col(x);
    let best: SceneNode | undefined;
    for (const n of this.gridNodes[cellIdx]) {
      if (x < n.x || y < n.y || x > n.x + n.width || y > n.y + n.height) continue;
      const isFrame = n.kind === 'group' && n.expanded;
      const bestIsFrame = best && best.kind === 'group' && best.expanded;
      if (!best || (bestIsFrame && !isFrame) || (bestIsFrame === isFrame && n.depth > best.depth)) best = n;
    }
    if (best && !(best.kind === 'group' && best.expanded)) {
      return best.fold ? { kind: 'node', node: best, header: false, badge: onBadge(best, x, y, tol) } : { kind: 'node', node: best, header: false };
    }
    if (best && y <= best.y + headerHeight(best)) return { kind: 'node', node: best, header: true };
    const edge = this.edgeNear(x, y, tol);
    if (edge) return { kind: 'edge', edge };
    return best ? { kind: 'node', node: best, header: false } : undefined;
  }

  private edgeNear(x: number, y: number, tol: number): SceneEdge | undefined {
    let bestD = tol * tol, bestE: SceneEdge | undefined;
    // Segments longer than a cell are registered in every cell they cross, so neighbours need checking only
    // when the tolerance reaches past the cell edge.
    const cells = new Set<number>();
    this.eachCell(x - tol, y - tol, x + tol, y + tol, (c) => cells.add(c));
    for (const c of cells) {
      const segs = this.gridSegs[c];
      for (let s = 0; s < segs.length; s += 2) {
        const e = this.edges[segs[s]], p = segs[s + 1];
        const d = segDist2(x, y, e.points[p], e.points[p + 1], e.points[p + 2], e.points[p + 3]);
        if (d <= bestD) { bestD = d; bestE = e; }
      }
    }
    return bestE;
  }
}

/** Whether (x, y) is on a folded box's badge, or within `tol` of it (it is small; at most 3 units, so the name
 *  line below it stays a plain click). */
function onBadge(n: SceneNode, x: number, y: number, tol: number): boolean {
  const r = badgeRect(n, badgeText(n.fold!));
  tol = Math.min(tol, 3);
  return x >= r.x - tol && x <= r.x + r.width + tol && y >= r.y - tol && y <= r.y + r.height + tol;
}

function boundsOf(nodes: SceneNode[]): Float32Array {
  const b = new Float32Array(nodes.length * 4);
  nodes.forEach((n, i) => b.set([n.x, n.y, n.x + n.width, n.y + n.height], i * 4));
  return b;
}

function segDist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  const qx = ax + t * dx - px, qy = ay + t * dy - py;
  return qx * qx + qy * qy;
}
