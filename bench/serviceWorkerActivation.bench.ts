// Why every graph editor but the first of a window waits ~1 s before its document loads, shown without VS Code:
// a page on one origin registers service workers the way VS Code's webview page (pre/index.html) does, one script
// URL per webview (`service-worker.js?...&id=<webview id>`), with skipWaiting() and clients.claim(), then loads
// its content frame through that worker. Chromium activates the first worker of a scope at once, and one that
// replaces an active worker a fixed second later (content/browser/service_worker/service_worker_registration.cc,
// ActivateWaitingVersion: "wait a bit before continuing", base::Seconds(1)); navigations wait for a worker that is
// still activating. The worker answers messages meanwhile, so only the content frame waits. Desktop VS Code runs
// on Chromium too (Electron), and VS Code gives all editors of one view type one origin (docs/graph-view-speed.md).
// Run: node --import tsx bench/serviceWorkerActivation.bench.ts   (needs Debian's chromium, like the e2e tests)
import * as http from 'node:http';
import { chromium } from 'playwright-core';
import { CHROMIUM_BIN } from '../test/e2e/harness';

const WORKER = `
self.addEventListener('install', (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => e.source.postMessage({ channel: 'version' }));
self.addEventListener('fetch', () => {});`;

// One "webview": registers its own worker URL, asks its worker for its version, then loads its content frame (as
// VS Code's page loads fake.html, then writes the extension's document into it): a navigation the worker's fetch
// handler sees, which a worker that is still activating holds back. Timed from register: the reply, and the load.
const FRAME = `<!doctype html><body><script>
const id = new URLSearchParams(location.search).get('id');
const t0 = performance.now();
const url = 'sw.js?id=' + id;
const ask = () => navigator.serviceWorker.controller.postMessage('version');
navigator.serviceWorker.addEventListener('message', () => {
  const reply = performance.now() - t0;
  const inner = document.createElement('iframe');
  inner.onload = () => parent.postMessage({ id, reply, loaded: performance.now() - t0 }, '*');
  inner.src = 'content.html?id=' + id;
  document.body.appendChild(inner);
}, { once: true });
navigator.serviceWorker.register(url).then(() => {
  if (navigator.serviceWorker.controller?.scriptURL.endsWith(url)) ask();
  else navigator.serviceWorker.addEventListener('controllerchange', ask, { once: true });
});
</script>`;

const PAGE = `<!doctype html><body><script>
window.results = [];
const next = () => { const f = document.createElement('iframe'); f.src = 'frame.html?id=' + results.length; document.body.appendChild(f); };
window.addEventListener('message', (e) => { if (Number(e.data.id) !== results.length) return; results.push(e.data); if (results.length < ${Number(process.env.SW_FRAMES ?? 5)}) setTimeout(next, 300); });
next();
</script>`;

async function main(): Promise<void> {
  const files: Record<string, [string, string]> = { '/': [PAGE, 'text/html'], '/frame.html': [FRAME, 'text/html'], '/sw.js': [WORKER, 'text/javascript'], '/content.html': ['<!doctype html><p>content</p>', 'text/html'] };
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!f) { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-type', f[1]);
    res.end(f[0]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    // localhost is a secure context, as service workers need.
    await page.goto(`http://localhost:${port}/`);
    const n = Number(process.env.SW_FRAMES ?? 5);
    await page.waitForFunction((k) => (window as unknown as { results: unknown[] }).results.length >= k, n, { timeout: 60_000 });
    const ms = await page.evaluate(() => (window as unknown as { results: { reply: number; loaded: number }[] }).results);
    console.log(`Chromium ${browser.version()}, one origin, one worker URL per frame; ms from register()`);
    console.log('| frame | worker it replaces | worker replied | content frame loaded |\n|---|---|---|---|');
    ms.forEach((t, k) => console.log(`| ${k} | ${k === 0 ? 'none (first of the scope)' : `frame ${k - 1}'s`} | ${t.reply.toFixed(0)} | ${t.loaded.toFixed(0)} |`));
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
