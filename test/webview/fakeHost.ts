// Stands in for the extension host on the test page: defines acquireVsCodeApi(), answers the ready handshake
// with a synthetic scene and layout requests with a relayout, and sets theme variables the way VS Code does
// (classes on body, --vscode-* in html's style). Query: ?scene=small|large&nodes=5000&fail=load|layout
// &problems=N&theme=light|dark&delay=ms&view=k,x,y&viewExpanded=ids.
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';
import { largeScene, smallScene } from './syntheticScene';
import { THEMES } from './themes';

const q = new URLSearchParams(location.search);
const posted: WebviewToHost[] = [];
const cspViolations: string[] = [];
let version = 1;

document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));

function setTheme(kind: 'light' | 'dark'): void {
  const t = THEMES[kind];
  document.body.classList.remove('vscode-light', 'vscode-dark');
  document.body.classList.add(t.bodyClass);
  for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
}

function send(m: HostToWebview): void {
  window.postMessage(m, '*');
}

function onMessage(m: WebviewToHost): void {
  posted.push(m);
  if (m.type === 'ready') {
    if (q.get('fail') === 'load') {
      send({ type: 'loadError', message: 'Failed to parse model.onnx: unexpected end of data at byte 1234 <b>not bold</b>', details: ['wire type 7 at offset 1230', 'file is 1234 bytes'] });
      return;
    }
    const scene = q.get('scene') === 'large' ? largeScene(Number(q.get('nodes') ?? 5000)) : smallScene([], version);
    const problems = Array.from({ length: Number(q.get('problems') ?? 0) }, (_, i) => `node ${i} has an unknown op <script>`);
    // ?view=k,x,y: the host remembered this view for the file (for the open groups ?viewExpanded=a,b, else the scene's).
    const saved = q.get('view')?.split(',').map(Number);
    const view = saved && { expanded: q.has('viewExpanded') ? q.get('viewExpanded')!.split(',').filter(Boolean) : scene.expanded, view: { k: saved[0], x: saved[1], y: saved[2] } };
    send({
      type: 'init', scene, ...(view ? { view } : {}),
      summary: { fileName: 'synthetic.onnx', irVersion: 9, producer: 'test', opsets: [{ domain: '', version: 17 }], nodeCount: scene.nodes.length, initializerCount: 0, inputs: [], outputs: [], problems },
    });
  } else if (m.type === 'request' && m.method === 'layout') {
    const delay = Number(q.get('delay') ?? 20);
    setTimeout(() => {
      if (q.get('fail') === 'layout') send({ type: 'response', id: m.id, ok: false, error: 'layout worker crashed' });
      else send({ type: 'response', id: m.id, ok: true, result: smallScene(m.params.expanded, ++version) });
    }, delay);
  }
}

(window as any).acquireVsCodeApi = () => ({
  postMessage: (m: WebviewToHost) => onMessage(structuredClone(m)),
  // VS Code keeps this state while the webview is hidden and recreated; sessionStorage survives a reload here.
  getState: () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null') ?? undefined,
  setState: (s: unknown) => sessionStorage.setItem('vscodeState', JSON.stringify(s)),
});
(window as any).__fakeHost = { posted, cspViolations, send, setTheme };
setTheme(q.get('theme') === 'light' ? 'light' : 'dark');
