// What the editor shows besides the graph: a load error (instead of a blank page), the problems banner, and a
// busy/error line for relayouts. All text goes through textContent: messages can quote model names.
export class MessagesView {
  private readonly banner: HTMLElement;
  private readonly status: HTMLElement;
  private readonly fileState: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.banner = document.createElement('div');
    this.banner.className = 'banner';
    this.banner.setAttribute('role', 'status');
    this.banner.hidden = true;
    this.status = document.createElement('div');
    this.status.className = 'status-line';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.status.hidden = true;
    this.fileState = document.createElement('div');
    this.fileState.className = 'banner file-state';
    this.fileState.dataset.testid = 'file-state';
    this.fileState.setAttribute('role', 'status');
    this.fileState.hidden = true;
    root.append(this.fileState, this.banner, this.status);
  }

  /** Replaces the whole view with the reason the model could not be shown. */
  showLoadError(message: string, details: string[] = []): void {
    const box = document.createElement('section');
    box.className = 'load-error';
    box.dataset.testid = 'load-error';
    box.setAttribute('role', 'alert');
    const h = document.createElement('h2');
    h.textContent = 'Cannot show this model';
    const p = document.createElement('p');
    p.className = 'load-error-message';
    p.textContent = message;
    box.append(h, p);
    if (details.length) {
      const ul = document.createElement('ul');
      for (const d of details) {
        const li = document.createElement('li');
        li.textContent = d;
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
    this.root.replaceChildren(box);
  }

  /** Says the file on disk no longer matches the view (deleted, unreadable); undefined hides it. */
  showFileState(message: string | undefined): void {
    this.fileState.textContent = message ?? '';
    this.fileState.hidden = !message;
  }

  showProblems(problems: string[]): void {
    this.banner.replaceChildren();
    this.banner.hidden = problems.length === 0;
    if (!problems.length) return;
    const title = document.createElement('strong');
    title.textContent = problems.length === 1 ? '1 problem in this model: ' : `${problems.length} problems in this model: `;
    const text = document.createElement('span');
    text.textContent = problems.slice(0, 3).join(' \u00B7 ') + (problems.length > 3 ? ` \u2026 (+${problems.length - 3})` : '');
    text.title = problems.join('\n');
    const close = document.createElement('button');
    close.className = 'banner-close';
    close.textContent = '\u00D7';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => { this.banner.hidden = true; });
    this.banner.dataset.testid = 'problems';
    this.banner.append(title, text, close);
  }

  /** A transient status (busy layout) or a persistent error; undefined hides it. */
  setStatus(text: string | undefined, kind: 'busy' | 'error' = 'busy'): void {
    this.status.hidden = text === undefined;
    this.status.textContent = text ?? '';
    this.status.dataset.kind = kind;
    this.status.dataset.testid = kind === 'error' ? 'status-error' : 'status-busy';
  }
}
