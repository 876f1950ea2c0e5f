// Fits labels into boxes without measuring every frame: widths are measured once per string at a reference
// size and scaled (canvas text width is linear in font size, close enough for truncation).
const REF = 100;

export class TextFitter {
  private widths = new Map<string, number>();
  private family = '';

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  reset(family: string): void {
    this.family = family;
    this.widths.clear();
  }

  width(text: string, size: number, weight = ''): number {
    const key = weight + '\u0000' + text;
    let w = this.widths.get(key);
    if (w === undefined) {
      const saved = this.ctx.font;
      this.ctx.font = `${weight} ${REF}px ${this.family}`;
      w = this.ctx.measureText(text).width;
      this.ctx.font = saved;
      this.widths.set(key, w);
    }
    return (w * size) / REF;
  }

  /** `text` cut with an ellipsis so it fits `max` px at `size` px; '' when not even one letter fits. */
  fit(text: string, size: number, max: number, weight = ''): string {
    const w = this.width(text, size, weight);
    if (w <= max) return text;
    const chars = Math.floor((max / w) * text.length) - 1;
    return chars >= 1 ? text.slice(0, chars) + '\u2026' : '';
  }
}
