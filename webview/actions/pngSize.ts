// How big an exported PNG can be. Netron caps its PNG export at 500 megapixels; a single Chromium canvas stops
// earlier (32,767 px a side, 268 megapixels in all), so the picture is scaled down to the tighter limit and
// the user is told by how much.

/** Netron's cap on exported PNGs. */
export const MAX_PNG_PIXELS = 500_000_000;
/** Chromium's largest canvas: side and area (beyond them getContext/toBlob fail). */
export const MAX_CANVAS_SIDE = 32_767;
export const MAX_CANVAS_AREA = 268_435_456;

export interface PngSize {
  /** Pixels per scene unit. */
  scale: number;
  width: number;
  height: number;
  /** Set when the wanted scale did not fit: which limit applied and how far the picture was scaled down. */
  reduced?: { limit: 'pixels' | 'canvas-side' | 'canvas-area'; factor: number; wantedWidth: number; wantedHeight: number };
}

/** The PNG size for a `w` x `h` scene (units) drawn at `wanted` px per unit, within every limit. */
export function pngSize(w: number, h: number, wanted = 2, limits = { pixels: MAX_PNG_PIXELS, side: MAX_CANVAS_SIDE, area: MAX_CANVAS_AREA }): PngSize {
  const sw = Math.max(1, w), sh = Math.max(1, h);
  const wantedWidth = Math.ceil(sw * wanted), wantedHeight = Math.ceil(sh * wanted);
  const byPixels = Math.sqrt(limits.pixels / (sw * sh));
  const byArea = Math.sqrt(limits.area / (sw * sh));
  const bySide = Math.min(limits.side / sw, limits.side / sh);
  const scale = Math.min(wanted, byPixels, byArea, bySide);
  // Floor keeps the result inside the limits; at least one pixel either way.
  const width = Math.max(1, Math.floor(sw * scale)), height = Math.max(1, Math.floor(sh * scale));
  if (scale >= wanted) return { scale, width: wantedWidth, height: wantedHeight };
  const limit = scale === byPixels ? 'pixels' : scale === bySide ? 'canvas-side' : 'canvas-area';
  return { scale, width, height, reduced: { limit, factor: scale / wanted, wantedWidth, wantedHeight } };
}

/** What to tell the user about a reduced PNG, or undefined when it has the full size. */
export function pngSizeNote(size: PngSize): string | undefined {
  const r = size.reduced;
  if (!r) return undefined;
  const why = r.limit === 'pixels' ? `the ${MAX_PNG_PIXELS / 1e6} megapixel cap on PNG exports`
    : r.limit === 'canvas-side' ? `the browser's largest canvas side (${MAX_CANVAS_SIDE} px)`
      : `the browser's largest canvas (${Math.floor(MAX_CANVAS_AREA / 1e6)} megapixels)`;
  return `The view is ${r.wantedWidth}\u00D7${r.wantedHeight} px at full size; the PNG was scaled to ${Math.max(1, Math.round(r.factor * 100))}% to stay within ${why}. Export SVG for full detail.`;
}
