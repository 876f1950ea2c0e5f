// A small request/response client with timeouts and an error path, used by the webview.
import type { RequestMethod, ResponseMessage, WebviewRequests, WebviewToHost } from '../src/protocol/messages';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (m: WebviewToHost) => void, private readonly timeoutMs = 120_000) {}

  request<M extends RequestMethod>(method: M, params: WebviewRequests[M]['params']): Promise<WebviewRequests[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`request '${method}' got no answer in ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ type: 'request', id, method, params } as WebviewToHost);
    });
  }

  /** Feeds a response from the host; returns false when the message was not a response. */
  handle(message: ResponseMessage): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id);
    clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new Error(message.error));
  }

  /** Fails every waiting request (the host went away). */
  dispose(reason: string): void {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.pending.clear();
  }
}
