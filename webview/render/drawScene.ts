// Draws one frame of the scene on a 2D canvas. Shapes are drawn in scene coordinates under the zoom transform,
// batched into one path per color so 5,000 boxes cost a few fill() calls; text is drawn in screen space so it
// stays crisp. Everything outside the viewport is culled with the precomputed bounds.
import type { SceneNode } from '../../src/protocol/scene';
import { BADGE_SIZE, badgeRect, badgeRoom, badgeText, BOX_PAD, OP_HEADER_HEIGHT, ROW_HEIGHT, weightRows } from '../../src/protocol/boxText';
import { detailFor, LABEL_SIZE, NAME_SIZE, type Detail } from './levelOfDetail';
import type { Palette, UiColor } from './palette';
import { headerHeight, type SceneIndex } from './sceneIndex';
import type { TextFitter } from './textFit';

export interface View { k: number; x: number; y: number; width: number; height: number; dpr: number }

export interface FrameInfo { boxes: number; edges: number; labels: number; ms: number; /** Drawn from the far-zoom bitmap. */ cached: boolean }

/** A pre-rendered picture of the whole scene (scene rect [0,0,width,height] at `scale` px per unit). */
export interface SceneImage { canvas: CanvasImageSource; scale: number }

export interface DrawOptions {
  /** Overrides the zoom-derived level of detail (the far-zoom bitmap is drawn with its own). */
  detail?: Detail;
  /** When set, shapes come from this bitmap instead of being drawn one by one. */
  image?: SceneImage;
}

/** Edges carrying any of `tensors`, drawn over the others in the palette's `color` (graph actions' marks). */
export interface EdgeHighlight { tensors: ReadonlySet<string>; color: UiColor }

/**
 * Compare Backends: a fill color per box id and a stroke color per edge id (by error), and the culprit box;
 * boxes and edges whose tensors a backend fused away (not compared) get a dashed outline / dashed stroke instead.
 */
export interface ErrorOverlayMarks {
  boxes: ReadonlyMap<string, string>;
  edges: ReadonlyMap<string, string>;
  culprit?: string;
  culpritColor: string;
  absentBoxes?: ReadonlyMap<string, string>;
  absentEdges?: ReadonlyMap<string, string>;
}

export interface Marks { hover?: string; selected?: string; selectedEdge?: string; edgeHighlights?: readonly EdgeHighlight[]; errorOverlay?: ErrorOverlayMarks }

const STACK = 5; // offset of the "stacked cards" behind a collapsed group, scene units

export function drawScene(ctx: CanvasRenderingContext2D, idx: SceneIndex, pal: Palette, fit: TextFitter, v: View, marks: Marks, opts: DrawOptions = {}): FrameInfo {
  const t0 = performance.now();
  const d = opts.detail ?? detailFor(v.k);
  const { k, dpr } = v;
  const vx0 = -v.x / k, vy0 = -v.y / k, vx1 = (v.width - v.x) / k, vy1 = (v.height - v.y) / k;
  const visible = (b: Float32Array, i: number) => b[i * 4 + 2] >= vx0 && b[i * 4] <= vx1 && b[i * 4 + 3] >= vy0 && b[i * 4 + 1] <= vy1;
  const px = 1 / k; // one CSS pixel in scene units

  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = pal.ui.background;
  ctx.fillRect(0, 0, v.width, v.height);
  if (opts.image) return drawFromImage(ctx, idx, pal, v, marks, d, opts.image, t0, visible);
  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * v.x, dpr * v.y);

  // 1. Expanded groups: frames behind everything, outermost first.
  const frames: SceneNode[] = [];
  for (let i = 0; i < idx.frames.length; i++) if (visible(idx.frameBounds, i)) frames.push(idx.frames[i]);
  for (const g of frames) {
    ctx.fillStyle = pal.ui.groupFill;
    ctx.fillRect(g.x, g.y, g.width, g.height);
    ctx.fillStyle = pal.ui.groupHeader;
    ctx.fillRect(g.x, g.y, g.width, headerHeight(g));
    ctx.strokeStyle = pal.ui.groupBorder;
    ctx.lineWidth = px * (pal.highContrast ? 2 : 1);
    ctx.strokeRect(g.x, g.y, g.width, g.height);
  }

  // 2. Edges: one path for all visible edges.
  const visEdges: number[] = [];
  for (let i = 0; i < idx.edges.length; i++) if (visible(idx.edgeBounds, i)) visEdges.push(i);
  ctx.lineWidth = d.edgeWidth * px;
  ctx.strokeStyle = pal.ui.edge;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  // Far away, bends closer than ~1.5 px to the previous point are invisible: dropping them cuts raster work.
  const minStep = d.outlines ? 0 : 1.5 * px;
  for (const i of visEdges) tracePolyline(ctx, idx.edges[i].points, minStep);
  ctx.stroke();
  drawErrorEdges(ctx, idx, d, px, marks.errorOverlay);
  drawAbsentEdges(ctx, idx, d, px, marks.errorOverlay);
  drawMarkedEdges(ctx, idx, pal, d, px, marks);
  if (d.ports) drawPorts(ctx, idx, visEdges, pal, px);

  // 3. Boxes, batched by fill color.
  const visBoxes: SceneNode[] = [];
  for (let i = 0; i < idx.boxes.length; i++) if (visible(idx.boxBounds, i)) visBoxes.push(idx.boxes[i]);
  const byStyle = new Map<string, SceneNode[]>();
  for (const n of visBoxes) {
    const key = n.kind === 'op' ? n.category : n.kind;
    const list = byStyle.get(key);
    if (list) list.push(n); else byStyle.set(key, [n]);
  }
  for (const [key, nodes] of byStyle) drawBoxes(ctx, key, nodes, pal, d, px);
  if (d.outlines) drawBadges(ctx, visBoxes, pal);
  drawErrorBoxes(ctx, frames, visBoxes, px, marks.errorOverlay);

  // 4. Hover and selection outlines.
  drawMarkedBoxes(ctx, idx, pal, px, marks);

  // 5. Text in screen space.
  let labels = 0;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (d.labels) {
    labels += drawFrameHeaders(ctx, frames, pal, fit, v);
    labels += drawBoxText(ctx, visBoxes, pal, fit, v, d);
    labels += drawBadgeText(ctx, visBoxes, pal, fit, v);
    if (d.edgeLabels) drawEdgeLabels(ctx, idx, visEdges, pal, fit, v);
  }
  return { boxes: visBoxes.length + frames.length, edges: visEdges.length, labels, ms: performance.now() - t0, cached: false };
}

/** Far away: the cached picture, scaled, plus the highlights drawn live on top. Counts what is in view. */
function drawFromImage(ctx: CanvasRenderingContext2D, idx: SceneIndex, pal: Palette, v: View, marks: Marks, d: Detail, img: SceneImage,
  t0: number, visible: (b: Float32Array, i: number) => boolean): FrameInfo {
  const { k, dpr } = v, s = idx.scene;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low';
  ctx.drawImage(img.canvas, v.x, v.y, Math.ceil(s.width * img.scale) / img.scale * k, Math.ceil(s.height * img.scale) / img.scale * k);
  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * v.x, dpr * v.y);
  drawErrorEdges(ctx, idx, d, 1 / k, marks.errorOverlay);
  drawAbsentEdges(ctx, idx, d, 1 / k, marks.errorOverlay);
  if (marks.errorOverlay) drawErrorBoxes(ctx, idx.frames, idx.boxes, 1 / k, marks.errorOverlay);
  drawMarkedEdges(ctx, idx, pal, d, 1 / k, marks);
  drawMarkedBoxes(ctx, idx, pal, 1 / k, marks);
  let boxes = 0, edges = 0;
  for (let i = 0; i < idx.boxes.length; i++) if (visible(idx.boxBounds, i)) boxes++;
  for (let i = 0; i < idx.frames.length; i++) if (visible(idx.frameBounds, i)) boxes++;
  for (let i = 0; i < idx.edges.length; i++) if (visible(idx.edgeBounds, i)) edges++;
  return { boxes, edges, labels: 0, ms: performance.now() - t0, cached: true };
}

function drawMarkedEdges(ctx: CanvasRenderingContext2D, idx: SceneIndex, pal: Palette, d: Detail, px: number, marks: Marks): void {
  const marked = new Set<number>();
  for (const id of [marks.hover, marks.selected]) for (const i of (id && idx.edgesByNode.get(id)) || []) marked.add(i);
  if (marks.selectedEdge) idx.edges.forEach((e, i) => { if (e.id === marks.selectedEdge) marked.add(i); });
  drawEdgeHighlights(ctx, idx, pal, d, px, marks.edgeHighlights);
  if (!marked.size) return;
  ctx.lineWidth = Math.max(2, d.edgeWidth * 2) * px;
  ctx.strokeStyle = pal.ui.edgeHighlight;
  ctx.beginPath();
  for (const i of marked) tracePolyline(ctx, idx.edges[i].points);
  ctx.stroke();
}

function drawEdgeHighlights(ctx: CanvasRenderingContext2D, idx: SceneIndex, pal: Palette, d: Detail, px: number, highlights: readonly EdgeHighlight[] | undefined): void {
  for (const h of highlights ?? []) {
    if (!h.tensors.size) continue;
    ctx.lineWidth = Math.max(3, d.edgeWidth * 3) * px;
    ctx.strokeStyle = pal.ui[h.color];
    ctx.beginPath();
    for (const e of idx.edges) {
      if (h.tensors.has(e.tensor) || e.tensors?.some((t) => h.tensors.has(t))) tracePolyline(ctx, e.points);
    }
    ctx.stroke();
  }
}

/** Edges in their tensor's error color, one path per color. */
function drawErrorEdges(ctx: CanvasRenderingContext2D, idx: SceneIndex, d: Detail, px: number, o: ErrorOverlayMarks | undefined): void {
  if (!o || !o.edges.size) return;
  const byColor = groupBy(idx.edges.map((e) => e.id), o.edges);
  ctx.lineWidth = Math.max(2, d.edgeWidth * 2) * px;
  for (const [color, list] of byColor) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    for (const i of list) tracePolyline(ctx, idx.edges[i].points);
    ctx.stroke();
  }
}

/** Edges carrying only fused (or uncaptured) tensors: a thin dashed stroke in that state's color. */
function drawAbsentEdges(ctx: CanvasRenderingContext2D, idx: SceneIndex, d: Detail, px: number, o: ErrorOverlayMarks | undefined): void {
  if (!o?.absentEdges?.size) return;
  const byColor = groupBy(idx.edges.map((e) => e.id), o.absentEdges);
  ctx.save();
  ctx.lineWidth = Math.max(1.5, d.edgeWidth * 1.5) * px;
  ctx.setLineDash([5 * px, 4 * px]);
  for (const [color, list] of byColor) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    for (const i of list) tracePolyline(ctx, idx.edges[i].points);
    ctx.stroke();
  }
  ctx.restore();
}

/** Indices of `ids` grouped by their color in `colors` (ids without one left out): one path per color. */
function groupBy(ids: readonly string[], colors: ReadonlyMap<string, string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const c = colors.get(id);
    if (!c) return;
    const list = out.get(c);
    if (list) list.push(i); else out.set(c, [i]);
  });
  return out;
}

/** Boxes whose tensors were fused away: a dashed outline just outside the box, the box itself left as drawn. */
function drawAbsentBoxes(ctx: CanvasRenderingContext2D, boxes: readonly SceneNode[], px: number, o: ErrorOverlayMarks): void {
  if (!o.absentBoxes?.size) return;
  const byColor = groupBy(boxes.map((n) => n.id), o.absentBoxes);
  ctx.save();
  ctx.lineWidth = 2 * px;
  ctx.setLineDash([5 * px, 4 * px]);
  for (const [color, list] of byColor) {
    ctx.strokeStyle = color;
    ctx.beginPath();
    for (const i of list) {
      const n = boxes[i];
      if (n.kind === 'group') ctx.rect(n.x - 3 * px, n.y + STACK * 2 - 3 * px, n.width - STACK * 2 + 6 * px, n.height - STACK * 2 + 6 * px);
      else ctx.rect(n.x - 3 * px, n.y - 3 * px, n.width + 6 * px, n.height + 6 * px);
    }
    ctx.stroke();
  }
  ctx.restore();
}

/** Boxes (and open groups' header strips) filled in their error color; the culprit gets a thick dashed frame. */
function drawErrorBoxes(ctx: CanvasRenderingContext2D, frames: readonly SceneNode[], boxes: readonly SceneNode[], px: number, o: ErrorOverlayMarks | undefined): void {
  if (!o) return;
  for (const g of frames) {
    const c = o.boxes.get(g.id);
    if (!c) continue;
    ctx.fillStyle = c;
    ctx.fillRect(g.x, g.y, g.width, headerHeight(g));
  }
  for (const n of boxes) {
    const c = o.boxes.get(n.id);
    if (!c) continue;
    ctx.fillStyle = c;
    ctx.beginPath();
    // A collapsed group's front card; pills keep their round ends.
    if (n.kind === 'group') ctx.rect(n.x, n.y + STACK * 2, n.width - STACK * 2, n.height - STACK * 2);
    else if (n.kind === 'input' || n.kind === 'output') ctx.roundRect(n.x, n.y, n.width, n.height, n.height / 2);
    else ctx.rect(n.x, n.y, n.width, n.height);
    ctx.fill();
  }
  drawAbsentBoxes(ctx, boxes, px, o);
  const culprit = o.culprit ? boxes.find((n) => n.id === o.culprit) : undefined;
  if (culprit) {
    ctx.save();
    ctx.strokeStyle = o.culpritColor;
    ctx.lineWidth = 4 * px;
    ctx.setLineDash([8 * px, 4 * px]);
    ctx.strokeRect(culprit.x - 6 * px, culprit.y - 6 * px, culprit.width + 12 * px, culprit.height + 12 * px);
    ctx.restore();
  }
}

function drawMarkedBoxes(ctx: CanvasRenderingContext2D, idx: SceneIndex, pal: Palette, px: number, marks: Marks): void {
  for (const [id, color, w] of [[marks.hover, pal.ui.edgeHighlight, 1.5], [marks.selected, pal.ui.selection, 2.5]] as const) {
    const n = id ? idx.byId.get(id) : undefined;
    if (!n) continue;
    ctx.strokeStyle = color;
    ctx.lineWidth = w * px;
    ctx.strokeRect(n.x - 2 * px, n.y - 2 * px, n.width + 4 * px, n.height + 4 * px);
  }
}

function tracePolyline(ctx: CanvasRenderingContext2D, p: number[], minStep = 0): void {
  let lx = p[0], ly = p[1];
  ctx.moveTo(lx, ly);
  const last = p.length - 2;
  for (let i = 2; i < p.length; i += 2) {
    const x = p[i], y = p[i + 1];
    if (i !== last && Math.abs(x - lx) < minStep && Math.abs(y - ly) < minStep) continue;
    ctx.lineTo(x, y);
    lx = x; ly = y;
  }
}

/** Output ports as dots where edges leave, input ports as arrowheads where they arrive. */
function drawPorts(ctx: CanvasRenderingContext2D, idx: SceneIndex, vis: number[], pal: Palette, px: number): void {
  const r = 2.5 * px, a = 6 * px;
  ctx.fillStyle = pal.ui.edge;
  ctx.beginPath();
  for (const i of vis) {
    const p = idx.edges[i].points, n = p.length;
    ctx.moveTo(p[0] + r, p[1]);
    ctx.arc(p[0], p[1], r, 0, Math.PI * 2);
    // Arrowhead along the last segment's direction.
    const dx = p[n - 2] - p[n - 4], dy = p[n - 1] - p[n - 3];
    const len = Math.hypot(dx, dy) || 1, ux = dx / len, uy = dy / len;
    const bx = p[n - 2] - ux * a, by = p[n - 1] - uy * a;
    ctx.moveTo(p[n - 2], p[n - 1]);
    ctx.lineTo(bx - uy * a * 0.5, by + ux * a * 0.5);
    ctx.lineTo(bx + uy * a * 0.5, by - ux * a * 0.5);
    ctx.closePath();
  }
  ctx.fill();
}

function drawBoxes(ctx: CanvasRenderingContext2D, key: string, nodes: SceneNode[], pal: Palette, d: Detail, px: number): void {
  if (key === 'group' && !d.outlines) {
    // Far away the card stack is sub-pixel: one rect.
    ctx.fillStyle = pal.ui.groupBorder;
    ctx.beginPath();
    for (const n of nodes) ctx.rect(n.x, n.y, n.width, n.height);
    ctx.fill();
    return;
  }
  if (key === 'group') {
    // Collapsed group: a stack of cards (two offset outlines behind the front card) with a folder tab.
    ctx.fillStyle = pal.ui.groupFill;
    ctx.strokeStyle = pal.ui.groupBorder;
    ctx.lineWidth = px * (pal.highContrast ? 2 : 1);
    ctx.beginPath();
    for (const n of nodes) ctx.rect(n.x + STACK * 2, n.y, n.width - STACK * 2, n.height - STACK * 2);
    ctx.fill();
    if (d.outlines) ctx.stroke();
    ctx.beginPath();
    for (const n of nodes) ctx.rect(n.x + STACK, n.y + STACK, n.width - STACK * 2, n.height - STACK * 2);
    ctx.fill();
    if (d.outlines) ctx.stroke();
    ctx.fillStyle = pal.ui.groupHeader;
    ctx.beginPath();
    for (const n of nodes) ctx.rect(n.x, n.y + STACK * 2, n.width - STACK * 2, n.height - STACK * 2);
    ctx.fill();
    if (d.outlines) ctx.stroke();
    return;
  }
  if (key === 'input' || key === 'output') {
    // Graph inputs/outputs: pills (fully rounded), in their own colors.
    ctx.fillStyle = key === 'input' ? pal.inputFill : pal.outputFill;
    ctx.strokeStyle = key === 'input' ? pal.ui.input : pal.ui.output;
    ctx.lineWidth = 1.5 * px;
    ctx.beginPath();
    for (const n of nodes) ctx.roundRect(n.x, n.y, n.width, n.height, n.height / 2);
    ctx.fill();
    ctx.stroke();
    return;
  }
  const c = pal.category[key as keyof Palette['category']] ?? pal.category.other;
  // Far away boxes are a few pixels: fill them with the full category color (no outline pass) so the
  // categories stay recognisable and each box costs one rect.
  ctx.fillStyle = d.outlines ? c.fill : c.stroke;
  ctx.beginPath();
  for (const n of nodes) {
    ctx.rect(n.x, n.y, n.width, n.height);
    // A rule between an op's name and its weight rows (a line adds no area to the fill).
    if (d.outlines && n.height > OP_HEADER_HEIGHT) { ctx.moveTo(n.x, n.y + OP_HEADER_HEIGHT); ctx.lineTo(n.x + n.width, n.y + OP_HEADER_HEIGHT); }
  }
  ctx.fill();
  if (d.outlines) {
    ctx.strokeStyle = c.stroke;
    ctx.lineWidth = px * (pal.highContrast ? 2 : 1);
    ctx.stroke();
  }
}

/** Quantization folds: the badge (a tag in the op's category color at the box's top right) that opens the fold. */
function drawBadges(ctx: CanvasRenderingContext2D, boxes: SceneNode[], pal: Palette): void {
  for (const n of boxes) {
    if (!n.fold || n.kind !== 'op') continue;
    const r = badgeRect(n, badgeText(n.fold));
    ctx.fillStyle = (pal.category[n.category] ?? pal.category.other).stroke;
    ctx.beginPath();
    ctx.roundRect(r.x, r.y, r.width, r.height, 3);
    ctx.fill();
  }
}

function drawBadgeText(ctx: CanvasRenderingContext2D, boxes: SceneNode[], pal: Palette, fit: TextFitter, v: View): number {
  const size = BADGE_SIZE * v.k;
  if (size < 6) return 0; // too small to read: the tag alone says the box is quantized
  ctx.font = `${size}px ${pal.monoFontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = pal.ui.background;
  let n = 0;
  for (const b of boxes) {
    if (!b.fold || b.kind !== 'op') continue;
    const text = badgeText(b.fold);
    const r = badgeRect(b, text);
    const shown = fit.fit(text, size, r.width * v.k, '', pal.monoFontFamily);
    if (!shown) continue;
    ctx.fillText(shown, (r.x + 3) * v.k + v.x, (r.y + r.height / 2) * v.k + v.y);
    n++;
  }
  return n;
}

function drawFrameHeaders(ctx: CanvasRenderingContext2D, frames: SceneNode[], pal: Palette, fit: TextFitter, v: View): number {
  const size = LABEL_SIZE * v.k; // as big as the boxes' labels: legible wherever they are
  ctx.font = `600 ${size}px ${pal.fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = pal.ui.foreground;
  let n = 0;
  for (const g of frames) {
    const sx = g.x * v.k + v.x, sy = g.y * v.k + v.y, sw = g.width * v.k, hh = headerHeight(g) * v.k;
    // Collapse affordance: a minus sign at the header's left.
    ctx.fillText('\u2212', sx + 4, sy + hh / 2);
    // The label shortened in the middle if need be; the op count stays whole while there is room for it.
    const count = `  (${g.opCount ?? 0} ops)`;
    // An open quantization fold: `Conv int8  (3 ops)`.
    const title = g.fold ? `${g.label} ${badgeText(g.fold)}` : g.label;
    const room = sw - 24 - fit.width(count, size, '600', pal.fontFamily);
    const label = room > 0 ? fit.middle(title, size, room, '600', pal.fontFamily) : '';
    const text = label ? label + count : fit.middle(title, size, sw - 24, '600', pal.fontFamily);
    if (text) { ctx.fillText(text, sx + 18, sy + hh / 2); n++; }
  }
  return n;
}

/** Left padding and text width of a box in screen px: ops and groups keep BOX_PAD scene units each side (so text
 *  and room scale together, as the layout sized them); pills clear their round ends. */
function textSpan(n: SceneNode, v: View): { sx: number; sw: number } {
  const inset = n.kind === 'group' ? STACK * 2 : 0;
  const pad = (n.kind === 'input' || n.kind === 'output' ? n.height / 3 : BOX_PAD) * v.k;
  return { sx: n.x * v.k + v.x + pad, sw: (n.width - inset) * v.k - 2 * pad };
}

/** Height of the part of a box that holds its first two lines (an op's weight rows come below it). */
function headHeight(n: SceneNode): number {
  if (n.kind === 'group') return n.height - STACK * 2;
  return n.kind === 'op' ? Math.min(n.height, OP_HEADER_HEIGHT) : n.height;
}

const rowsOf = new WeakMap<SceneNode, string[]>();
function boxRows(n: SceneNode): string[] {
  let r = rowsOf.get(n);
  if (!r) rowsOf.set(n, (r = n.kind === 'op' ? weightRows(n.initializers, n.initializerNames, n.quantizedWeights) : []));
  return r;
}

function drawBoxText(ctx: CanvasRenderingContext2D, boxes: SceneNode[], pal: Palette, fit: TextFitter, v: View, d: Detail): number {
  const ls = LABEL_SIZE * v.k, ns = NAME_SIZE * v.k;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = pal.ui.foreground;
  let count = 0;
  const labelFont = `600 ${ls}px ${pal.fontFamily}`, nameFont = `${ns}px ${pal.monoFontFamily}`;
  // Two passes keep font switches at two per frame instead of two per box.
  ctx.font = labelFont;
  for (const n of boxes) {
    const g = n.kind === 'group';
    const { sx, sw } = textSpan(n, v);
    const top = (n.y + (g ? STACK * 2 : 0)) * v.k + v.y, sh = headHeight(n) * v.k;
    const twoLines = d.names && sh >= ls + ns + 6;
    const label = g ? `\u25B8 ${n.label}` : n.label;
    // A folded box's op type stops short of its badge.
    const room = n.fold && !g ? sw - badgeRoom(badgeText(n.fold)) * v.k : sw;
    const text = fit.middle(label, ls, room, '600', pal.fontFamily);
    if (!text) continue;
    ctx.fillText(text, sx, twoLines ? top + sh * 0.33 : top + sh / 2);
    count++;
  }
  if (!d.names) return count;
  ctx.font = nameFont;
  for (const n of boxes) {
    const g = n.kind === 'group';
    const sh = headHeight(n) * v.k;
    if (sh < ls + ns + 6) continue;
    const { sx, sw } = textSpan(n, v);
    const top = (n.y + (g ? STACK * 2 : 0)) * v.k + v.y;
    ctx.fillStyle = pal.ui.muted;
    let text: string;
    if (g) {
      const ops = `${n.opCount ?? 0} ops \u00B7 `;
      const rest = fit.middle(n.name, ns, sw - fit.width(ops, ns, '', pal.monoFontFamily), '', pal.monoFontFamily);
      text = rest ? ops + rest : fit.fit(ops, ns, sw, '', pal.monoFontFamily);
    } else {
      text = fit.middle(n.kind === 'op' ? n.name : ioSubtitle(n), ns, sw, '', pal.monoFontFamily);
    }
    if (text) ctx.fillText(text, sx, top + sh * 0.7);
    // Weight rows: the input's schema name in the label color, its shape muted.
    const rows = boxRows(n);
    for (let i = 0; i < rows.length; i++) {
      const y = top + (OP_HEADER_HEIGHT + ROW_HEIGHT * (i + 0.5)) * v.k;
      const row = fit.middle(rows[i], ns, sw, '', pal.monoFontFamily);
      if (!row) break;
      const cut = row.indexOf(' ');
      ctx.fillStyle = pal.ui.foreground;
      ctx.fillText(cut < 0 ? row : row.slice(0, cut), sx, y);
      if (cut < 0) continue;
      ctx.fillStyle = pal.ui.muted;
      ctx.fillText(row.slice(cut), sx + fit.width(row.slice(0, cut), ns, '', pal.monoFontFamily), y);
    }
  }
  return count;
}

function drawEdgeLabels(ctx: CanvasRenderingContext2D, idx: SceneIndex, vis: number[], pal: Palette, fit: TextFitter, v: View): void {
  const size = Math.min(12, 9 * v.k);
  ctx.font = `${size}px ${pal.monoFontFamily}`;
  ctx.fillStyle = pal.ui.muted;
  ctx.textBaseline = 'top';
  for (const i of vis) {
    const e = idx.edges[i];
    if (!e.label) continue;
    const p = e.points;
    const text = fit.fit(e.label, size, 220, '', pal.monoFontFamily);
    ctx.fillText(text, p[0] * v.k + v.x + 5, p[1] * v.k + v.y + 3);
  }
}

/** An input or output pill's second line: its type; a subgraph's read of an enclosing value says so first. */
export function ioSubtitle(n: SceneNode): string {
  const type = n.inputs[0]?.type ?? n.outputs[0]?.type;
  if (n.outer) return type ? `outer scope \u00B7 ${type}` : 'outer scope';
  return type ?? n.name;
}
