// The dock's height: a drag handle on its top edge (pointer) that is also a focusable separator (arrow keys, Page
// Up/Down, Home/End). Every change ends with `onChange(height)` once the user lets go (pointer up, or a short pause
// after keys), so the host remembers it for the next comparison.

export const MIN_DOCK_HEIGHT = 120;
/** The graph keeps at least this much above the dock. */
const MIN_GRAPH_HEIGHT = 80;
const KEY_STEP = 16;
const PAGE_STEP = 96;
const KEY_SETTLE_MS = 300;

export class DockResize {
  readonly handle: HTMLElement;
  private settle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly dock: HTMLElement, private readonly onChange: (height: number) => void) {
    const h = document.createElement('div');
    h.className = 'compare-resize';
    h.dataset.testid = 'compare-resize';
    h.tabIndex = 0;
    h.setAttribute('role', 'separator');
    h.setAttribute('aria-orientation', 'horizontal');
    h.setAttribute('aria-label', 'Comparison height: drag, or use the arrow keys');
    h.title = 'Drag to change the comparison\u2019s height (or focus and use \u2191 \u2193, Page Up/Down, Home/End)';
    h.addEventListener('pointerdown', (e) => this.drag(e));
    h.addEventListener('keydown', (e) => this.key(e));
    this.handle = h;
    // A smaller window must still leave the graph its room (the remembered height is not changed by this).
    window.addEventListener('resize', () => { if (this.dock.style.height) this.set(parseFloat(this.dock.style.height)); });
  }

  /** The largest height that leaves the graph its minimum. */
  private max(): number {
    const parent = this.dock.parentElement?.clientHeight ?? window.innerHeight;
    return Math.max(MIN_DOCK_HEIGHT, parent - MIN_GRAPH_HEIGHT);
  }

  /** Sets the height (clamped); null goes back to the stylesheet's default. Returns the height applied. */
  set(height: number | null): number | null {
    if (height === null) {
      this.dock.style.height = '';
      this.dock.style.maxHeight = '';
      this.handle.removeAttribute('aria-valuenow');
      return null;
    }
    const h = Math.round(Math.min(this.max(), Math.max(MIN_DOCK_HEIGHT, height)));
    this.dock.style.height = `${h}px`;
    this.dock.style.maxHeight = 'none';
    this.handle.setAttribute('aria-valuemin', String(MIN_DOCK_HEIGHT));
    this.handle.setAttribute('aria-valuemax', String(Math.round(this.max())));
    this.handle.setAttribute('aria-valuenow', String(h));
    return h;
  }

  current(): number {
    return this.dock.getBoundingClientRect().height;
  }

  private drag(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    const startY = e.clientY;
    const startH = this.current();
    this.handle.setPointerCapture(e.pointerId);
    this.handle.classList.add('dragging');
    const move = (m: PointerEvent) => this.set(startH + (startY - m.clientY));
    const up = () => {
      this.handle.removeEventListener('pointermove', move);
      this.handle.removeEventListener('pointerup', up);
      this.handle.removeEventListener('pointercancel', up);
      this.handle.classList.remove('dragging');
      this.onChange(Math.round(this.current()));
    };
    this.handle.addEventListener('pointermove', move);
    this.handle.addEventListener('pointerup', up);
    this.handle.addEventListener('pointercancel', up);
  }

  private key(e: KeyboardEvent): void {
    const h = this.current();
    const next: Record<string, number> = {
      ArrowUp: h + KEY_STEP, ArrowDown: h - KEY_STEP, PageUp: h + PAGE_STEP, PageDown: h - PAGE_STEP, Home: MIN_DOCK_HEIGHT, End: this.max(),
    };
    if (!(e.key in next)) return;
    e.preventDefault();
    this.set(next[e.key]);
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.onChange(Math.round(this.current())), KEY_SETTLE_MS);
  }
}
