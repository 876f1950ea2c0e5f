// The scene as a standalone SVG document: frames, edges with arrowheads, boxes, labels, in the colors of the
// current theme (resolved values, since var(--vscode-*) means nothing outside VS Code). Every model string is
// escaped: names are user data and may hold markup or characters XML forbids.
import { BADGE_SIZE, badgeRect, badgeText, BOX_PAD, OP_HEADER_HEIGHT, ROW_HEIGHT, weightRows } from '../../src/protocol/boxText';
import type { Scene, SceneNode } from '../../src/protocol/scene';
import { ioSubtitle, type EdgeHighlight } from '../render/drawScene';
import { LABEL_SIZE, NAME_SIZE } from '../render/levelOfDetail';
import type { Palette } from '../render/palette';
import { headerHeight } from '../render/sceneIndex';

/** Shortens `text` in the middle to fit `max` px at `size` px (the canvas's TextFitter.middle in the webview). */
export type FitText = (text: string, size: number, max: number, weight: string, family: string) => string;

const PAD = 20;
const STACK = 5; // the collapsed group's card offset, as drawScene draws it

/** Escapes text for XML content and attribute values; characters XML 1.0 forbids become U+FFFD. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const n2 = (v: number) => (Math.round(v * 100) / 100).toString();

function polyline(points: number[]): string {
  let d = `M${n2(points[0])} ${n2(points[1])}`;
  for (let i = 2; i < points.length; i += 2) d += `L${n2(points[i])} ${n2(points[i + 1])}`;
  return d;
}

function text(x: number, y: number, s: string, size: number, family: string, fill: string, weight = ''): string {
  if (!s) return '';
  return `<text x="${n2(x)}" y="${n2(y)}" font-size="${size}" font-family="${escapeXml(family)}"${weight ? ` font-weight="${weight}"` : ''} fill="${escapeXml(fill)}" dominant-baseline="middle">${escapeXml(s)}</text>`;
}

function box(n: SceneNode, pal: Palette): string {
  const a = (v: string) => escapeXml(v);
  if (n.kind === 'input' || n.kind === 'output') {
    const fill = n.kind === 'input' ? pal.inputFill : pal.outputFill, stroke = n.kind === 'input' ? pal.ui.input : pal.ui.output;
    return `<rect x="${n2(n.x)}" y="${n2(n.y)}" width="${n2(n.width)}" height="${n2(n.height)}" rx="${n2(n.height / 2)}" fill="${a(fill)}" stroke="${a(stroke)}" stroke-width="1.5"/>`;
  }
  if (n.kind === 'group') {
    const card = (dx: number, dy: number, fill: string) =>
      `<rect x="${n2(n.x + dx)}" y="${n2(n.y + dy)}" width="${n2(n.width - STACK * 2)}" height="${n2(n.height - STACK * 2)}" fill="${a(fill)}" stroke="${a(pal.ui.groupBorder)}"/>`;
    return card(STACK * 2, 0, pal.ui.groupFill) + card(STACK, STACK, pal.ui.groupFill) + card(0, STACK * 2, pal.ui.groupHeader);
  }
  const c = pal.category[n.category] ?? pal.category.other;
  const rect = `<rect x="${n2(n.x)}" y="${n2(n.y)}" width="${n2(n.width)}" height="${n2(n.height)}" fill="${a(c.fill)}" stroke="${a(c.stroke)}"/>`;
  if (!n.fold) return rect;
  // A folded quantized op's badge, as the canvas draws it.
  const b = badgeRect(n, badgeText(n.fold));
  return rect + `<rect x="${n2(b.x)}" y="${n2(b.y)}" width="${n2(b.width)}" height="${n2(b.height)}" rx="3" fill="${a(c.stroke)}"/>`
    + text(b.x + 3, b.y + b.height / 2, badgeText(n.fold), BADGE_SIZE, pal.monoFontFamily, pal.ui.background);
}

/** A box's text as the canvas draws it up close: label, name (or type), and an op's weight rows. */
function boxText(n: SceneNode, pal: Palette, fit: FitText): string {
  const g = n.kind === 'group', inset = g ? STACK * 2 : 0;
  const pad = n.kind === 'input' || n.kind === 'output' ? n.height / 3 : BOX_PAD;
  const x = n.x + pad, w = n.width - inset - 2 * pad, top = n.y + inset;
  const h = g ? n.height - inset : n.kind === 'op' ? Math.min(n.height, OP_HEADER_HEIGHT) : n.height;
  const twoLines = h >= LABEL_SIZE + NAME_SIZE + 6;
  const label = fit(g ? `\u25B8 ${n.label}` : n.label, LABEL_SIZE, w, '600', pal.fontFamily);
  let out = text(x, twoLines ? top + h * 0.33 : top + h / 2, label, LABEL_SIZE, pal.fontFamily, pal.ui.foreground, '600');
  if (twoLines) {
    const sub = g ? `${n.opCount ?? 0} ops \u00B7 ${n.name}` : n.kind === 'op' ? n.name : ioSubtitle(n);
    out += text(x, top + h * 0.7, fit(sub, NAME_SIZE, w, '', pal.monoFontFamily), NAME_SIZE, pal.monoFontFamily, pal.ui.muted);
  }
  if (n.kind === 'op') {
    weightRows(n.initializers, n.initializerNames, n.quantizedWeights).forEach((row, i) => {
      out += text(x, top + OP_HEADER_HEIGHT + ROW_HEIGHT * (i + 0.5), fit(row, NAME_SIZE, w, '', pal.monoFontFamily), NAME_SIZE, pal.monoFontFamily, pal.ui.muted);
    });
  }
  return out;
}

/** A complete SVG document for the scene, with the given edges highlighted. */
export function sceneToSvg(scene: Scene, pal: Palette, fit: FitText, highlights: readonly EdgeHighlight[] = []): string {
  const a = (v: string) => escapeXml(v);
  const width = Math.ceil(scene.width + 2 * PAD), height = Math.ceil(scene.height + 2 * PAD);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${a(pal.ui.edge)}"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="${a(pal.ui.background)}"/>`,
    `<g transform="translate(${PAD} ${PAD})">`,
  ];
  const frames = scene.nodes.filter((n) => n.kind === 'group' && n.expanded).sort((x, y) => x.depth - y.depth);
  for (const f of frames) {
    out.push(`<rect x="${n2(f.x)}" y="${n2(f.y)}" width="${n2(f.width)}" height="${n2(f.height)}" fill="${a(pal.ui.groupFill)}" stroke="${a(pal.ui.groupBorder)}"/>`);
    out.push(`<rect x="${n2(f.x)}" y="${n2(f.y)}" width="${n2(f.width)}" height="${n2(headerHeight(f))}" fill="${a(pal.ui.groupHeader)}"/>`);
    const title = f.fold ? `${f.label} ${badgeText(f.fold)}` : f.label;
    out.push(text(f.x + 8, f.y + headerHeight(f) / 2, fit(`${title}  (${f.opCount ?? 0} ops)`, 11, f.width - 16, '600', pal.fontFamily), 11, pal.fontFamily, pal.ui.foreground, '600'));
  }
  out.push(`<g fill="none" stroke="${a(pal.ui.edge)}" stroke-width="1">`);
  for (const e of scene.edges) if (e.points.length >= 4) out.push(`<path d="${polyline(e.points)}" marker-end="url(#arrow)"/>`);
  out.push('</g>');
  for (const h of highlights) {
    if (!h.tensors.size) continue;
    const marked = scene.edges.filter((e) => e.points.length >= 4 && (h.tensors.has(e.tensor) || e.tensors?.some((t) => h.tensors.has(t))));
    if (marked.length) out.push(`<g fill="none" stroke="${a(pal.ui[h.color])}" stroke-width="3">${marked.map((e) => `<path d="${polyline(e.points)}"/>`).join('')}</g>`);
  }
  for (const e of scene.edges) {
    if (e.label && e.points.length >= 2) out.push(text(e.points[0] + 5, e.points[1] + 8, fit(e.label, 9, 220, '', pal.monoFontFamily), 9, pal.monoFontFamily, pal.ui.muted));
  }
  const boxes = scene.nodes.filter((n) => !(n.kind === 'group' && n.expanded));
  for (const n of boxes) out.push(box(n, pal));
  for (const n of boxes) out.push(boxText(n, pal, fit));
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}
