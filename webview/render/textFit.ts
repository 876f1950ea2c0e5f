// Fits labels into boxes without measuring every frame: widths are measured once per string and font at a
// reference size and scaled (canvas text width is linear in font size, close enough for truncation).
import { middleEllipsis } from '../../src/protocol/boxText';

const REF = 100;
/** Shortened names are kept per width-to-size ratio, in steps of 1/RATIO_STEPS: as box and text scale together
 *  with the zoom, the ratio stays put and a name is shortened once, not every frame. */
const RATIO_STEPS = 8;
const MAX_SHORTENED = 20000;

export class TextFitter {
  private widths = new Map<string, number>();
  private shortened = new Map<string, string>();

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  /** Forgets all widths (fonts changed with the theme). */
  reset(): void {
    this.widths.clear();
    this.shortened.clear();
  }

  /** Width in px of `text` at `size` px in `font` ("600 system-ui" style: weight and family, no size). */
  width(text: string, size: number, weight: string, family: string): number {
    const key = `${weight}\u0000${family}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      const saved = this.ctx.font;
      this.ctx.font = `${weight} ${REF}px ${family}`;
      w = this.ctx.measureText(text).width;
      this.ctx.font = saved;
      this.widths.set(key, w);
    }
    return (w * size) / REF;
  }

  /** `text` cut with an ellipsis so it fits `max` px at `size` px; '' when not even one letter fits.
   *  `keepEnd` cuts the start instead: the end of a scope path (`…/attention/MatMul`) says more than its root. */
  fit(text: string, size: number, max: number, weight: string, family: string, keepEnd = false): string {
    const w = this.width(text, size, weight, family);
    if (w <= max) return text;
    const chars = Math.floor((max / w) * text.length) - 1;
    if (chars < 1) return '';
    return keepEnd ? '\u2026' + text.slice(text.length - chars) : text.slice(0, chars) + '\u2026';
  }

  /** `text` shortened in the middle (path-like names keep their last segments: `/model/…/attn/proj/Add`) so it
   *  fits `max` px at `size` px; '' when not even two letters fit. */
  middle(text: string, size: number, max: number, weight: string, family: string): string {
    if (this.width(text, size, weight, family) <= max) return text;
    // Rounded down: the shortened text fits at every ratio of this step.
    const ratio = Math.floor((max / size) * RATIO_STEPS) / RATIO_STEPS;
    const key = `${ratio}\u0000${weight}\u0000${family}\u0000${text}`;
    let out = this.shortened.get(key);
    if (out === undefined) {
      if (this.shortened.size >= MAX_SHORTENED) this.shortened.clear();
      out = middleEllipsis(text, ratio * REF, (s) => this.width(s, REF, weight, family));
      this.shortened.set(key, out);
    }
    return out;
  }
}
