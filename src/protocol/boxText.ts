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

/** Advance widths of bold sans-serif glyphs in 1/1000 em (Helvetica Bold's metrics: wider than most UI fonts). */
const BOLD_SANS: Record<string, number> = {};
const table: [string, number][] = [
  [' ', 278], ['!', 333], ['"', 474], ['#', 556], ['$', 556], ['%', 889], ['&', 722], ["'", 238], ['(', 333], [')', 333],
  ['*', 389], ['+', 584], [',', 278], ['-', 333], ['.', 278], ['/', 278], [':', 333], [';', 333], ['<', 584], ['=', 584],
  ['>', 584], ['?', 611], ['@', 975], ['[', 333], ['\\', 278], [']', 333], ['^', 584], ['_', 556], ['`', 333], ['{', 389],
  ['|', 280], ['}', 389], ['~', 584], ['\u2026', 1000], ['\u00D7', 584], ['\u25B8', 600], ['\u00B7', 278],
  ['A', 722], ['B', 722], ['C', 722], ['D', 722], ['E', 667], ['F', 611], ['G', 778], ['H', 722], ['I', 278], ['J', 556],
  ['K', 722], ['L', 611], ['M', 833], ['N', 722], ['O', 778], ['P', 667], ['Q', 778], ['R', 722], ['S', 667], ['T', 611],
  ['U', 722], ['V', 667], ['W', 944], ['X', 667], ['Y', 667], ['Z', 611],
  ['a', 556], ['b', 611], ['c', 556], ['d', 611], ['e', 556], ['f', 333], ['g', 611], ['h', 611], ['i', 278], ['j', 278],
  ['k', 556], ['l', 278], ['m', 889], ['n', 611], ['o', 611], ['p', 611], ['q', 611], ['r', 389], ['s', 556], ['t', 333],
  ['u', 611], ['v', 556], ['w', 778], ['x', 556], ['y', 556], ['z', 500],
];
for (const [c, w] of table) BOLD_SANS[c] = w;
for (let d = 0; d <= 9; d++) BOLD_SANS[String(d)] = 556;
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

/** A weight row of an op box: its input's schema name (or position) and its shape, as Netron writes them. */
export function weightRowText(name: string | undefined, type: string | undefined): string {
  const shape = shapeText(type);
  const label = name ?? 'w';
  return shape ? `${label} ${shape}` : label;
}

/** The weight rows an op box shows, at most MAX_ROWS (the last one then says how many more there are). */
export function weightRows(initializers: readonly { type?: string }[] | undefined, names: readonly (string | undefined)[] | undefined): string[] {
  if (!initializers || initializers.length === 0) return [];
  const rows = initializers.map((p, k) => weightRowText(names?.[k], p.type));
  if (rows.length <= MAX_ROWS) return rows;
  return [...rows.slice(0, MAX_ROWS - 1), `+${rows.length - MAX_ROWS + 1} more`];
}
