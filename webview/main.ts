// Webview entry point: builds the app, listens for host messages, then tells the host it is ready. The host may
// post the first view before that: VS Code holds messages until this document has loaded, after this script ran.
import type { HostToWebview } from '../src/protocol/messages';
import { App } from './app';
import { installTestHooks } from './testHooks';
import { post } from './vscodeApi';

// Start-up marks, reported with the first paint (where the webview's own start-up time goes).
performance.mark('onnx-inspector:script');

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.id = 'app';
  let app: App;
  try {
    app = new App(root);
  } catch (e) {
    // Never a blank editor: say what broke.
    const p = document.createElement('pre');
    p.className = 'load-error';
    p.textContent = `The graph view failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
    root.replaceChildren(p);
    post({ type: 'log', level: 'error', message: p.textContent });
    return;
  }
  installTestHooks(app);
  window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
    const m = e.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    try {
      app.handle(m);
    } catch (err) {
      post({ type: 'log', level: 'error', message: `webview failed on '${m.type}': ${err instanceof Error ? err.stack ?? err.message : String(err)}` });
    }
  });
  window.addEventListener('error', (e) => post({ type: 'log', level: 'error', message: `webview error: ${e.message}` }));
  performance.mark('onnx-inspector:ready');
  post({ type: 'ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
