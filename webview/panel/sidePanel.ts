// The properties side panel on the right of the graph: collapsible, resizable by its left edge. It shows
// whatever the inspect controller gives it.
const MIN_WIDTH = 180;
const DEFAULT_WIDTH = 320;

export class SidePanel {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  private width = DEFAULT_WIDTH;

  constructor(parent: HTMLElement, private readonly onResize: () => void) {
    this.root = document.createElement('aside');
    this.root.className = 'side-panel';
    this.root.dataset.testid = 'side-panel';
    this.root.setAttribute('aria-label', 'Properties');
    const handle = document.createElement('div');
    handle.className = 'side-panel-handle';
    handle.setAttribute('role', 'separator');
    handle.setAttribute('aria-orientation', 'vertical');
    handle.title = 'Drag to resize';
    handle.addEventListener('pointerdown', (e) => this.startDrag(e, handle));
    const head = document.createElement('div');
    head.className = 'side-panel-head';
    const title = document.createElement('span');
    title.textContent = 'Properties';
    const close = document.createElement('button');
    close.className = 'side-panel-close';
    close.textContent = '\u00d7';
    close.title = 'Hide the properties (ONNX: Toggle Properties)';
    close.setAttribute('aria-label', 'Hide properties');
    close.dataset.testid = 'side-panel-close';
    close.addEventListener('click', () => this.setOpen(false));
    head.append(title, close);
    this.body = document.createElement('div');
    this.body.className = 'side-panel-body';
    this.root.append(handle, head, this.body);
    parent.appendChild(this.root);
    this.applyWidth();
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  setOpen(open: boolean): void {
    this.root.hidden = !open;
    this.onResize();
  }

  toggle(): void {
    this.setOpen(!this.open);
  }

  show(content: HTMLElement): void {
    this.body.replaceChildren(content);
  }

  private applyWidth(): void {
    // CSSOM writes are allowed under the webview's CSP (inline style attributes are not).
    this.root.style.width = `${this.width}px`;
  }

  private startDrag(e: PointerEvent, handle: HTMLElement): void {
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const startW = this.width;
    const move = (ev: PointerEvent) => {
      const max = Math.max(MIN_WIDTH, window.innerWidth - 200);
      this.width = Math.min(max, Math.max(MIN_WIDTH, startW + (startX - ev.clientX)));
      this.applyWidth();
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      this.onResize();
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  }
}
