// What an op box says and how wide that is, shared by the layout (which sizes boxes, with no DOM to measure text)
// and the webview (which draws them). Widths are estimated from a per-character table for bold sans-serif text
// and a fixed advance for monospace; test/webview/boxText.test.ts checks the estimates against the canvas's
// measureText in the webview's fonts.

/** Scene font sizes (scene units): a box's first line (op type, bold sans) and its other lines (monospace). */
export const LABEL_SIZE = 12;
export const NAME_SIZE = 10;
/** Horizontal padding inside an op box, each side (scene units; scales with the zoom like the text). */
export const BOX_PAD = 7;
/** Height of an op box's first two lines (op type, node name), and of each weight row below them. */
export const OP_HEADER_HEIGHT = 30;
export const ROW_HEIGHT = 13;
/** Weight rows shown at most; more are summarized in one last row (`+3 more`). */
export const MAX_ROWS = 6;
/** Widest box the text may ask for; longer names are shortened in the middle. */
export const MAX_BOX_WIDTH = 240;

/** Advance widths of bold sans-serif glyphs in 1/1000 em: per character the wider of Helvetica Bold and DejaVu Sans
 *  Bold (the default UI font on many Linux systems, and one of the widest), so labels fit in any common UI font. */
const BOLD_SANS: Record<string, number> = {};
const table: [string, number][] = [
  [' ', 349], ['!', 457], ['"', 521], ['#', 838], ['$', 696], ['%', 1002], ['&', 873], ['\'', 307], ['(', 458],
  [')', 458], ['*', 523], ['+', 838], [',', 380], ['-', 416], ['.', 380], ['/', 366], [':', 400], [';', 400],
  ['<', 838], ['=', 838], ['>', 838], ['?', 611], ['@', 1000], ['A', 774], ['B', 763], ['C', 734], ['D', 831],
  ['E', 684], ['F', 684], ['G', 821], ['H', 837], ['I', 373], ['J', 556], ['K', 775], ['L', 638], ['M', 996],
  ['N', 837], ['O', 851], ['P', 733], ['Q', 851], ['R', 771], ['S', 721], ['T', 683], ['U', 813], ['V', 774],
  ['W', 1104], ['X', 771], ['Y', 725], ['Z', 726], ['[', 458], ['\\', 366], [']', 458], ['^', 838], ['_', 556],
  ['`', 500], ['a', 675], ['b', 716], ['c', 593], ['d', 716], ['e', 679], ['f', 436], ['g', 716], ['h', 712],
  ['i', 343], ['j', 343], ['k', 666], ['l', 343], ['m', 1042], ['n', 712], ['o', 688], ['p', 716], ['q', 716],
  ['r', 494], ['s', 596], ['t', 479], ['u', 712], ['v', 652], ['w', 924], ['x', 646], ['y', 652], ['z', 583],
  ['{', 712], ['|', 366], ['}', 712], ['~', 838], ['\u2026', 1000], ['\u00D7', 838], ['\u25B8', 600],
  ['\u00B7', 380],
];
for (const [c, w] of table) BOLD_SANS[c] = w;
for (let d = 0; d <= 9; d++) BOLD_SANS[String(d)] = 696;
/** Anything else (other scripts, symbols): a wide guess. */
const OTHER = 1000;
/** Monospace advance (most coding fonts are 0.6 em; a margin covers the wider ones). */
const MONO = 0.62;

export type BoxFont = 'label' | 'mono';

/** Estimated width of `text` at `size` px: bold sans-serif (`label`) or monospace (`mono`). */
export function estimateTextWidth(text: string, font: BoxFont, size: number): number {
  if (font === 'mono') {
    let n = 0;
    for (const c of text) n += c.charCodeAt(0) > 0x2e7f ? 2 : 1; // CJK and the like take two cells
    return n * MONO * size;
  }
  let w = 0;
  for (const c of text) w += BOLD_SANS[c] ?? OTHER;
  return (w / 1000) * size;
}

/** `text` with every run of fewer than 3 digits widened to 3: repeated blocks (`layers.0`, `layers.11`) then get
 *  boxes of one width, so their levels keep one shape and one layout serves them all. */
export function widthKey(text: string): string {
  return text.replace(/\d+/g, (m) => m.padStart(3, '0'));
}

/**
 * `text` shortened in the middle so `measure` says it fits `max`: path-like names keep their last segments whole
 * and as many leading segments as fit (`/model/…/attn/proj/Add`), other text keeps its start and (more of) its
 * end. '' when not even two characters fit.
 */
export function middleEllipsis(text: string, max: number, measure: (s: string) => number): string {
  if (measure(text) <= max) return text;
  const sep = text.includes('/') ? '/' : text.includes('.') ? '.' : undefined;
  if (sep) {
    const cuts: number[] = [];
    for (let i = 1; i < text.length - 1; i++) if (text[i] === sep) cuts.push(i);
    // Longest whole-segment suffix that fits after the ellipsis.
    let suffixAt = -1;
    for (let j = cuts.length - 1; j >= 0; j--) {
      if (measure('\u2026' + text.slice(cuts[j])) > max) break;
      suffixAt = cuts[j];
    }
    if (suffixAt > 0) {
      const suffix = text.slice(suffixAt);
      let best = '\u2026' + suffix;
      for (const c of cuts) {
        if (c >= suffixAt) break;
        const candidate = text.slice(0, c + 1) + '\u2026' + suffix;
        if (measure(candidate) > max) break;
        best = candidate;
      }
      return best;
    }
  }
  // Character cut: 40% of the kept characters from the start, 60% from the end (the end says more).
  const cut = (n: number) => {
    const head = Math.floor(n * 0.4);
    return text.slice(0, head) + '\u2026' + text.slice(text.length - (n - head));
  };
  let lo = 1, hi = text.length - 1;
  if (measure(cut(2)) > max) return '';
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(cut(mid)) <= max) lo = mid; else hi = mid - 1;
  }
  return cut(Math.max(lo, 2));
}

/** `float32[64,3,7,7]` -> `64×3×7×7`; `float32[]` -> `scalar`; undefined when the type has no shape. */
export function shapeText(type: string | undefined): string | undefined {
  if (!type) return undefined;
  const m = /\[([^\]]*)\]$/.exec(type);
  if (!m) return undefined;
  return m[1] === '' ? 'scalar' : m[1].split(',').map((d) => d.trim()).join('\u00D7');
}

/** `int8[64,3,3,3]` -> `int8`; undefined when the type says nothing. */
export function elementText(type: string | undefined): string | undefined {
  const m = type ? /^([a-z][a-z0-9]*)(\[|$)/.exec(type) : null;
  return m ? m[1] : undefined;
}

/** A weight row of an op box: its input's schema name (or position) and its shape, as Netron writes them; a
 *  quantized weight names its element type too (`W int8 64×3×3×3`). */
export function weightRowText(name: string | undefined, type: string | undefined, quantized = false): string {
  const shape = shapeText(type);
  const elem = quantized ? elementText(type) : undefined;
  const label = elem ? `${name ?? 'w'} ${elem}` : name ?? 'w';
  return shape ? `${label} ${shape}` : label;
}

/** The weight rows an op box shows, at most MAX_ROWS (the last one then says how many more there are). */
export function weightRows(initializers: readonly { type?: string }[] | undefined, names: readonly (string | undefined)[] | undefined,
  quantized?: readonly boolean[]): string[] {
  if (!initializers || initializers.length === 0) return [];
  const rows = initializers.map((p, k) => weightRowText(names?.[k], p.type, quantized?.[k]));
  if (rows.length <= MAX_ROWS) return rows;
  return [...rows.slice(0, MAX_ROWS - 1), `+${rows.length - MAX_ROWS + 1} more`];
}

/** A quantization fold's badge (monospace, BADGE_SIZE): a small tag at the folded box's top right. */
export const BADGE_SIZE = 9;
export const BADGE_HEIGHT = 12;
const BADGE_PAD = 3;
/** Space between the badge and the box's right edge, and between the op type and the badge. */
const BADGE_INSET = 4;
const BADGE_GAP = 6;

/** The badge's text: the quantized type, `·ch` when a scale is per channel. */
export function badgeText(fold: { badge: string; perChannel?: boolean }): string {
  return fold.perChannel ? `${fold.badge}\u00B7ch` : fold.badge;
}

/** How much wider the badge makes a box's first line. */
export function badgeRoom(text: string): number {
  return estimateTextWidth(text, 'mono', BADGE_SIZE) + 2 * BADGE_PAD + BADGE_INSET + BADGE_GAP - BOX_PAD;
}

/** Where the badge sits on a box (scene units): right-aligned on the op type's line. Clicking it opens the fold. */
export function badgeRect(box: { x: number; y: number; width: number }, text: string): { x: number; y: number; width: number; height: number } {
  const width = estimateTextWidth(text, 'mono', BADGE_SIZE) + 2 * BADGE_PAD;
  return { x: box.x + box.width - BADGE_INSET - width, y: box.y + 4, width, height: BADGE_HEIGHT };
}
