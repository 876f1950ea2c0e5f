// Builds the test page (webview bundle + fake host + CSS) into a temp folder and serves it over HTTP, so the
// page's CSP ('self') behaves like the extension's; plus the Chromium launch shared by tests and the benchmark.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestPage { url: string; dir: string; close(): Promise<void> }

export async function buildAndServe(): Promise<TestPage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-webview-page-'));
  const common = { bundle: true, platform: 'browser' as const, format: 'iife' as const, target: 'es2022', logLevel: 'error' as const };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'webview/main.ts')], outfile: path.join(dir, 'webview.js'), minify: false }),
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'test/webview/fakeHost.ts')], outfile: path.join(dir, 'fakeHost.js') }),
  ]);
  fs.copyFileSync(path.join(ROOT, 'test/webview/index.html'), path.join(dir, 'index.html'));
  fs.copyFileSync(path.join(ROOT, 'media/webview.css'), path.join(dir, 'webview.css'));
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html';
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    dir,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function chromiumMissing(): string | undefined {
  return fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set E2E_CHROMIUM`;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** The served test page and a Chromium for the tests of one describe block: started before them, closed after.
 *  Call it inside the describe callback; hooks registered after it run after its start. */
export function useTestSite(): { readonly site: TestPage; readonly browser: Browser } {
  let site: TestPage | undefined;
  let browser: Browser | undefined;
  before(async () => {
    site = await buildAndServe();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the test site starts in before(): use it inside tests and later hooks');
    return v;
  };
  return { get site() { return started(site); }, get browser() { return started(browser); } };
}

/** Resolves once the page has painted its first scene (the webview's firstPaint metric reached the fake host). */
export async function waitForFirstPaint(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__fakeHost?.posted.some((m: any) => m.type === 'metric' && m.name === 'firstPaint'));
}

/** tsx compiles functions passed to page.evaluate with esbuild's keepNames, which calls a `__name` helper
 *  that only exists in Node: define a no-op one in every page. */
export async function allowTsxEvaluate(page: import('playwright-core').Page): Promise<void> {
  await page.addInitScript('globalThis.__name = (f) => f;');
}

/**
 * Answers the webview's requests whose method starts with one of `prefixes` (or equals it) from Node, as the host
 * would: wraps the fake host's acquireVsCodeApi (assigned after this init script runs) so that such a request is
 * passed to `answer` and its `{ ok, result | error }` comes back as a `response` message. Other messages still go
 * to the fake host.
 */
export async function answerRequests(page: import('playwright-core').Page, prefixes: readonly string[],
  answer: (m: any) => unknown): Promise<void> {
  await page.exposeFunction('__answerRequest', (m: unknown) => answer(m));
  await page.addInitScript((accepted: string[]) => {
    let real: (() => any) | undefined;
    Object.defineProperty(window, 'acquireVsCodeApi', {
      configurable: true,
      set(v) { real = v; },
      get() {
        return () => {
          const api = real!();
          return {
            ...api,
            postMessage(m: any) {
              api.postMessage(m);
              if (m?.type === 'request' && accepted.some((p) => String(m.method).startsWith(p))) {
                void Promise.resolve((window as any).__answerRequest(m)).then((r: any) => window.postMessage({ type: 'response', id: m.id, ...r }, '*'));
              }
            },
          };
        };
      },
    });
  }, [...prefixes]);
}

/** Records every string the page's canvases draw, in `window.__drawnText` (call before the page loads). */
export async function recordDrawnText(page: import('playwright-core').Page): Promise<void> {
  await page.addInitScript(() => {
    const drawn: string[] = ((window as any).__drawnText = []);
    const orig = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number) {
      drawn.push(text);
      return orig.call(this, text, x, y);
    };
  });
}

/** Zooms to `k` with box `id` in the middle of the view, paints, and returns the strings the canvas drew (the page
 *  must record them: recordDrawnText). */
export async function drawnAround(page: import('playwright-core').Page, id: string, k: number): Promise<string[]> {
  return page.evaluate(({ id, k }) => {
    const api = (window as any).__onnxInspectorTest;
    const n = api.scene().nodes.find((x: any) => x.id === id);
    api.zoomBy(k / api.transform().k);
    const t = api.transform();
    const canvas = document.querySelector('canvas.graph-canvas')!.getBoundingClientRect();
    api.panBy(canvas.width / 2 - (n.x + n.width / 2) * t.k - t.x, canvas.height / 2 - (n.y + n.height / 2) * t.k - t.y);
    (window as any).__drawnText.length = 0;
    api.paint();
    return [...(window as any).__drawnText];
  }, { id, k });
}
