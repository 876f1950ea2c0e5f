// Netron, timed in the same sitting as our graph view: the web app from the PyPI package `netron` (pinned), served
// with the models beside it, opened with its own ?url= handler in headless Chromium. Time: from the model's bytes
// being requested (its resource timing entry) to the first frame after Netron shows the drawn graph (the body gets
// class `default`). Nothing of Netron is committed: the wheel is downloaded into .bench/ (git-ignored) on first use.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_BIN, REPO_ROOT, freePort } from '../test/e2e/harness';

/** Netron's release that the figures are measured with (its app refuses to open models 180 days after its date). */
export const NETRON_VERSION = process.env.NETRON_VERSION ?? '9.3.3';

export interface NetronRun { model: string; bytesToDrawnMs: number; navToDrawnMs: number; error?: string }

const MIME: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.ico': 'image/x-icon', '.svg': 'image/svg+xml', '.woff': 'font/woff', '.woff2': 'font/woff2',
};

/** The folder holding Netron's index.html, downloading and unpacking the pinned wheel first if needed. */
export function ensureNetron(version = NETRON_VERSION): string {
  const root = path.join(REPO_ROOT, '.bench', `netron-${version}`);
  const app = path.join(root, 'netron');
  if (fs.existsSync(path.join(app, 'index.html'))) return app;
  fs.mkdirSync(root, { recursive: true });
  const run = (args: string[]) => {
    const r = spawnSync('python3', args, { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`python3 ${args.join(' ')} failed (${r.status ?? r.error?.message}):\n${r.stdout}${r.stderr}`);
  };
  run(['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--dest', root, `netron==${version}`]);
  const wheel = fs.readdirSync(root).find((f) => f.startsWith(`netron-${version}-`) && f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip download left no netron ${version} wheel in ${root}`);
  run(['-m', 'zipfile', '-e', path.join(root, wheel), root]);
  if (!fs.existsSync(path.join(app, 'index.html'))) throw new Error(`the netron ${version} wheel has no netron/index.html`);
  return app;
}

/** Serves Netron's app at / and `models` (name -> file) at /models/<name>. */
async function serve(app: string, models: Map<string, string>): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = decodeURIComponent(url.pathname);
    // normalize() of an absolute path drops any '..', so app files stay inside the app folder.
    const file = name.startsWith('/models/') ? models.get(name.slice('/models/'.length))
      : path.join(app, path.normalize(name === '/' ? '/index.html' : name));
    if (!file || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// Runs before Netron's scripts; only watches. Netron replaces window.eval, so results are read back through CDP.
const OBSERVER = `(() => {
  const w = window.__netronBench = {};
  w.done = new Promise((resolve) => { w.resolve = resolve; });
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => {
      const cls = document.body.classList;
      // A notification (e.g. 'This large graph layout might take a very long time') does not stop the layout.
      if (cls.contains('alert')) {
        const text = (document.getElementById('message-text') || {}).innerText || cls.value;
        w.resolve({ error: text });
      } else if (cls.contains('default') && !w.drawnAt) {
        w.drawnAt = -1;
        requestAnimationFrame(() => {
          const c = new MessageChannel();
          c.port1.onmessage = () => { w.drawnAt = performance.now(); w.resolve({}); };
          c.port2.postMessage(0);
        });
      }
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  });
})()`;

const READ_BACK = (model: string) => `(() => {
  const w = window.__netronBench;
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/models/' + ${JSON.stringify(encodeURIComponent(model))}));
  return { drawnAt: w.drawnAt, fetchStart: entry ? entry.startTime : null };
})()`;

/** Opens each model `reps` times in a fresh browser context (no cache, like a first visit). */
export async function measureNetron(models: Map<string, string>, reps: number, timeoutMs: number, viewport: { width: number; height: number }): Promise<NetronRun[]> {
  const app = ensureNetron();
  const server = await serve(app, models);
  const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-dev-shm-usage',
    // Netron reports usage to Google Analytics: nothing but the local server resolves.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ] });
  const runs: NetronRun[] = [];
  try {
    for (const model of models.keys()) {
      for (let r = 0; r < reps; r++) {
        const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
        try {
          // Without this cookie Netron waits for a click on its cookie notice before opening anything.
          await context.addCookies([{ name: 'consent', value: String(Date.now()), domain: '127.0.0.1', path: '/' }]);
          await context.addInitScript({ content: OBSERVER });
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          const evaluate = async <T>(expression: string): Promise<T> => {
            const res = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
            if (res.exceptionDetails) throw new Error(`in Netron's page: ${JSON.stringify(res.exceptionDetails).slice(0, 400)}`);
            return res.result.value as T;
          };
          await page.goto(`${server.base}/index.html?url=models/${encodeURIComponent(model)}`, { waitUntil: 'commit' });
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([
            evaluate<{ error?: string }>('window.__netronBench.done'),
            new Promise<{ error: string }>((resolve) => { timer = setTimeout(() => resolve({ error: `not drawn after ${timeoutMs} ms` }), timeoutMs); }),
          ]).finally(() => clearTimeout(timer));
          const t = await evaluate<{ drawnAt: number; fetchStart: number | null }>(READ_BACK(model));
          const error = outcome.error ?? (t.fetchStart === null ? 'the model was never fetched' : undefined);
          runs.push({ model, bytesToDrawnMs: error ? NaN : t.drawnAt - t.fetchStart!, navToDrawnMs: error ? NaN : t.drawnAt, error });
        } catch (e) {
          runs.push({ model, bytesToDrawnMs: NaN, navToDrawnMs: NaN, error: (e as Error).message });
        } finally {
          await context.close();
        }
        const last = runs[runs.length - 1];
        console.log(`netron ${model} r${r}: ${last.error ? `error: ${last.error}` : `bytes->drawn ${Math.round(last.bytesToDrawnMs)} ms, navigation->drawn ${Math.round(last.navToDrawnMs)} ms`}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return runs;
}
