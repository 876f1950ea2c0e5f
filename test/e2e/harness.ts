// End-to-end harness: a real VS Code (code-server 4.100.3 from .e2e/server, installed by scripts/setup.sh)
// with an extension loaded unpacked, driven by Debian's Chromium through playwright-core.
// Recipe and timings: ../shared/notes/e2e-code-server.md. Workbench selectors are VS Code internals
// pinned to that version; tests should assert on the extension's own DOM or its log file.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page, type Route } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_BIN = path.join(REPO_ROOT, '.e2e', 'server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM_BIN = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Shared models: ../shared beside the repo (CI layout) or /work/shared. */
/** The shared real models: ../shared beside the repo (ONNX_INSPECTOR_SHARED overrides it, e.g. to check the skips). */
export const SHARED_DIR = (process.env.ONNX_INSPECTOR_SHARED !== undefined ? [process.env.ONNX_INSPECTOR_SHARED] : [path.resolve(REPO_ROOT, '..', 'shared'), '/work/shared'])
  .find((d) => d !== '' && fs.existsSync(d));

export interface HarnessOptions {
  /** Folder opened as the workspace (absolute path). */
  workspace: string;
  /** Extension folder loaded unpacked (needs package.json). Default: the repo root. */
  extensionDir?: string;
  /** Use this extensions dir as is (e.g. filled by `code-server --install-extension x.vsix`)
   *  instead of linking extensionDir. */
  extensionsDir?: string;
  /** Extra user settings, merged over the defaults (e.g. {"workbench.colorTheme": "Default Light Modern"}). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server; the extension host inherits it (e.g. ONNX_INSPECTOR_LOG). */
  env?: Record<string, string>;
  /** Default timeout of each UI step, ms. */
  timeoutMs?: number;
  /** Browser viewport. */
  viewport?: { width: number; height: number };
  /** Where webviews are served from. 'shared' (code-server's default): one origin, the workbench's, for every webview
   *  of every extension. 'per-view-type': as desktop VS Code and vscode.dev serve them, each on an origin of its own
   *  that is derived from its extension and view type (http://<hash>.localhost:<port>): so all editors of one custom
   *  editor type share one origin there too. Default: E2E_WEBVIEW_ORIGIN, else 'shared'. */
  webviewOrigin?: WebviewOrigin;
  /** Folders copied into the session's temporary folder before code-server starts (`to` is relative to it, as
   *  Session.tmpDir is): e.g. a previous session's global storage, so the extension starts as a returning user's. */
  seed?: { from: string; to: string }[];
}

export type WebviewOrigin = 'shared' | 'per-view-type';

/** The webview origin mode asked for by E2E_WEBVIEW_ORIGIN (unset: 'shared'). */
export function webviewOriginFromEnv(): WebviewOrigin {
  const v = process.env.E2E_WEBVIEW_ORIGIN ?? 'shared';
  if (v !== 'shared' && v !== 'per-view-type') throw new Error(`E2E_WEBVIEW_ORIGIN must be 'shared' or 'per-view-type', not '${v}'`);
  return v;
}

export interface Session {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Workbench URL, with ?folder= */
  readonly url: string;
  readonly port: number;
  /** Temp dir holding user data, extensions dir, browser profile; removed by stop() unless E2E_KEEP=1. */
  readonly tmpDir: string;
  readonly webviewOrigin: WebviewOrigin;
  /** Quick Open (Ctrl+P) a workspace file by name and open it. */
  openFile(name: string, timeoutMs?: number): Promise<void>;
  /** Run a command by its palette title (e.g. "ONNX: Mark All Outputs"). */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** The DOM inside the visible webview (the active custom editor's). */
  webview(): FrameLocator;
  screenshot(file: string): Promise<void>;
  /** Browser console messages so far (workbench and webviews), as "type: text". */
  consoleMessages(): string[];
  /** Last lines of the code-server stdout/stderr, of the extension host log, and browser console errors. */
  diagnostics(lines?: number): string;
  stop(): Promise<void>;
}

const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
};

const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Last `n` lines of a text file, '' when it does not exist. */
export function tail(file: string, n = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-n - 1).join('\n');
  } catch {
    return '';
  }
}

/** Contents of a log file the extension writes; '' while it does not exist yet. */
export function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** Poll a log file until it contains `needle` (substring or RegExp); returns the whole log. */
export async function waitForLog(file: string, needle: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = readLog(file);
    if (typeof needle === 'string' ? text.includes(needle) : needle.test(text)) return text;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(needle)} in ${file}; it holds:\n${text.slice(-4000) || '(empty or missing)'}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Rejects with `what` after `ms`, so no step can hang forever. */
async function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

function findFiles(dir: string, name: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, name, out);
    else if (e.name === name) out.push(p);
  }
  return out;
}

export async function startSession(opts: HarnessOptions): Promise<Session> {
  if (!fs.existsSync(CODE_SERVER_BIN)) {
    throw new Error(`code-server not installed at ${CODE_SERVER_BIN}: run scripts/setup.sh first`);
  }
  if (!fs.existsSync(CHROMIUM_BIN)) throw new Error(`Chromium not found at ${CHROMIUM_BIN} (apt-get install chromium, or set E2E_CHROMIUM)`);
  const workspace = path.resolve(opts.workspace);
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`workspace ${workspace} is not a folder`);
  const extDir = path.resolve(opts.extensionDir ?? REPO_ROOT);
  const timeoutMs = opts.timeoutMs ?? 30_000;

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-e2e-'));
  const userDataDir = path.join(tmpDir, 'udd');
  const extsDir = opts.extensionsDir ? path.resolve(opts.extensionsDir) : path.join(tmpDir, 'exts');
  const xdg = path.join(tmpDir, 'xdg');
  const profile = path.join(tmpDir, 'chromium-profile');
  const serverLog = path.join(tmpDir, 'code-server.log');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(xdg);
  if (!opts.extensionsDir) {
    const manifest = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
    fs.mkdirSync(extsDir);
    // VS Code only scans folders named publisher.name-version.
    fs.symlinkSync(extDir, path.join(extsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  }
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2));
  for (const { from, to } of opts.seed ?? []) fs.cpSync(from, path.join(tmpDir, to), { recursive: true });

  const port = await freePort();
  const logFd = fs.openSync(serverLog, 'a');
  // detached: own process group, so stop() can kill code-server and every extension host it spawned.
  const server: ChildProcess = spawn(CODE_SERVER_BIN, [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', userDataDir, '--extensions-dir', extsDir,
  ], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, ...opts.env },
  });
  fs.closeSync(logFd);
  let serverExit: string | undefined;
  server.on('exit', (code, sig) => { serverExit = `code-server exited (code ${code}, signal ${sig})`; });

  // The whole group, even after code-server itself exited: extension hosts may outlive it.
  const killServer = () => {
    if (server.pid) {
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* group already gone */ }
    }
  };
  // A crashed or interrupted test must not leave a server behind.
  process.once('exit', killServer);

  const consoleMessages: string[] = [];
  const diagnostics = (lines = 40): string => {
    // code-server's extension host logs to remoteexthost.log (activation errors land there).
    const exthost = findFiles(path.join(userDataDir, 'logs'), 'remoteexthost.log');
    let s = `--- code-server log (${serverLog}) ---\n${tail(serverLog, lines)}`;
    for (const f of exthost) s += `\n--- ${f} ---\n${tail(f, lines)}`;
    const errors = consoleMessages.filter((m) => m.startsWith('error:')).slice(-lines);
    if (errors.length) s += `\n--- browser console errors ---\n${errors.join('\n')}`;
    if (serverExit) s += `\n${serverExit}`;
    return s;
  };
  const fail = (what: string, e: unknown): Error =>
    new Error(`[e2e] ${what} failed: ${e instanceof Error ? e.message : String(e)}\n${diagnostics()}`);

  let context: BrowserContext | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (context) await within('closing Chromium', 10_000, context.close()).catch((e) => console.error(`[e2e] ${e.message}`));
    if (server.pid && serverExit === undefined) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
      const exited = new Promise<void>((r) => server.once('exit', () => r()));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    }
    killServer();
    process.removeListener('exit', killServer);
    if (process.env.E2E_KEEP !== '1') fs.rmSync(tmpDir, { recursive: true, force: true });
    else console.log(`[e2e] kept ${tmpDir}`);
  };

  try {
    // Server health.
    const base = `http://127.0.0.1:${port}`;
    await within('code-server /healthz', 30_000, (async () => {
      for (;;) {
        if (serverExit) throw new Error(serverExit);
        try {
          const r = await fetch(`${base}/healthz`);
          if (r.ok) return;
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 150));
      }
    })()).catch((e) => { throw fail('starting code-server', e); });

    const webviewOrigin = opts.webviewOrigin ?? webviewOriginFromEnv();
    // The workbench page is then served by the harness (serveWithWebviewOrigins), which Chromium does not count as a
    // loopback document: its Local Network Access check would block the page's WebSocket to code-server.
    const args = webviewOrigin === 'per-view-type' ? [...BROWSER_ARGS, '--disable-features=LocalNetworkAccessChecks'] : BROWSER_ARGS;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_BIN, headless: true, args,
      viewport: opts.viewport ?? { width: 1400, height: 900 },
    }).catch((e) => { throw fail('launching Chromium', e); });
    context.setDefaultTimeout(timeoutMs);
    const page = context.pages()[0] ?? await context.newPage();
    // Includes messages from webview iframes: webview script errors show up here.
    page.on('console', (m) => { if (consoleMessages.length < 5000) consoleMessages.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleMessages.push(`error: uncaught ${e.message}`));
    const url = `${base}/?folder=${encodeURIComponent(workspace)}`;
    // Routing disables Chromium's HTTP cache: only while the workbench page itself loads.
    let rewriteError: unknown;
    if (webviewOrigin === 'per-view-type') {
      await page.route((u) => u.origin === base && u.pathname === '/', (r) => serveWithWebviewOrigins(r, port).catch(async (e: unknown) => {
        rewriteError = e; // a code-server whose page looks different: say so instead of waiting for the workbench
        await r.fulfill({ status: 500, body: String(e) });
      }));
    }
    await page.goto(url).catch((e) => { throw fail(`loading ${url}`, e); });
    if (webviewOrigin === 'per-view-type') await page.unrouteAll({ behavior: 'ignoreErrors' });
    if (rewriteError) throw fail('serving webviews from their own origins', rewriteError);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 })
      .catch((e) => { throw fail('waiting for the workbench', e); });
    // The explorer appears once the folder is resolved; Quick Open needs it.
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 60_000 })
      .catch((e) => { throw fail('waiting for the explorer', e); });

    const quickInput = page.locator('.quick-input-widget input.input');
    /** `rowText` must be the first row's whole label (files), or be in its text (commands). */
    const pick = async (keys: string, text: string, rowText: string, what: string, ms: number, exactLabel = false) => {
      // Outer guard only: the inner waits fail first, with the better message.
      await within(what, 2 * ms + 25_000, (async () => {
        // The palette may need a retry: keys pressed before the workbench takes focus are lost.
        for (let attempt = 0; ; attempt++) {
          await page.keyboard.press('Escape');
          await page.keyboard.press(keys);
          try {
            await quickInput.waitFor({ state: 'visible', timeout: 5_000 });
            // Something taking the focus just then (a webview) closes the palette again before it is typed into
            // (seen once in CI: fill waited 45 s on a hidden input): open it again rather than wait.
            await quickInput.fill(text, { timeout: 5_000 });
            break;
          } catch (e) {
            if (attempt >= 3) throw e;
          }
        }
        // Enter picks the focused row: wait until the row asked for is listed (not the previous list's, nor a
        // recent file whose name merely contains the typed text: small_model.onnx for model.onnx, which VS
        // Code lists first as recently opened), then move the focus to it and check it is focused.
        const wanted = { want: rowText, exact: exactLabel };
        const failWith = async (e: Error): Promise<never> => {
          const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts().catch(() => []);
          throw new Error(`${e.message}\nno row "${rowText}" could be focused; rows shown: ${JSON.stringify(rows.slice(0, 10))}`);
        };
        // A file row's first line is its name (then its folder or 'recently opened'). The page functions repeat
        // the row test: functions cannot be passed into the page.
        const index = await page.waitForFunction(({ want, exact }) => {
          const rows = [...document.querySelectorAll('.quick-input-list .monaco-list-row')].filter((r) => r.getClientRects().length > 0);
          const row = rows.find((r) => (exact ? (r as HTMLElement).innerText.split('\n')[0].trim() === want : (r.textContent ?? '').includes(want)));
          return row ? { index: Number(row.getAttribute('data-index')) } : false; // an object: index 0 is falsy
        }, wanted, { timeout: ms, polling: 50 }).then(async (h) => ((await h.jsonValue()) as { index: number }).index).catch(failWith);
        for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
        await page.waitForFunction(({ want, exact }) => {
          const r = document.querySelector('.quick-input-list .monaco-list-row.focused');
          return !!r && (exact ? (r as HTMLElement).innerText.split('\n')[0].trim() === want : (r.textContent ?? '').includes(want));
        }, wanted, { timeout: 5_000, polling: 50 }).catch(failWith);
        await page.keyboard.press('Enter');
        // The palette has closed once its input is hidden, or shows a new, empty prompt: a command that opens
        // its own quick pick at once (Compare Backends) can replace the palette before it is ever seen hidden.
        await page.waitForFunction((typed) => {
          const input = document.querySelector<HTMLInputElement>('.quick-input-widget input.input');
          return !input || input.getClientRects().length === 0 || input.value !== typed;
        }, text, { timeout: ms, polling: 50 });
      })()).catch((e) => { throw fail(what, e); });
    };

    const session: Session = {
      page, context, url, port, tmpDir, webviewOrigin,
      openFile: (name, ms = timeoutMs) => pick('Control+P', name, path.basename(name), `Quick Open "${name}"`, ms, true),
      runCommand: (title, ms = timeoutMs) => pick('Control+Shift+P', `>${title}`, title, `command "${title}"`, ms),
      // Hidden webviews have visibility:hidden; pick the visible one (the active custom editor).
      webview: () => page.frameLocator('iframe.webview.ready >> visible=true').first().frameLocator('#active-frame'),
      screenshot: async (file) => {
        fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        await page.screenshot({ path: file });
      },
      consoleMessages: () => [...consoleMessages],
      diagnostics,
      stop,
    };
    return session;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The workbench page with its webview endpoint moved to http://{{uuid}}.localhost:<port>/... and its frame-src
 *  widened to those hosts only. VS Code puts in {{uuid}} a hash of the workbench origin and the webview's origin key,
 *  which for custom editors and panels is kept per extension and view type (not per webview); Chromium resolves
 *  *.localhost to loopback and treats it as a secure context, which the webview's origin check and service worker
 *  need. */
async function serveWithWebviewOrigins(route: Route, port: number): Promise<void> {
  const response = await route.fetch();
  const html = await response.text();
  const attr = /(id="vscode-workbench-web-configuration"[^>]*data-settings=")([^"]*)(")/;
  const m = html.match(attr);
  if (!m) throw new Error('the workbench page has no vscode-workbench-web-configuration element: cannot set a per-view-type origin');
  const unescape = (t: string) => t.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const settings = JSON.parse(unescape(m[2])) as { webviewEndpoint?: string };
  if (!settings.webviewEndpoint) throw new Error('the workbench configuration has no webviewEndpoint');
  settings.webviewEndpoint = `http://{{uuid}}.localhost:${port}/${settings.webviewEndpoint.replace(/^\.?\//, '')}`;
  const headers = { ...response.headers() };
  const csp = headers['content-security-policy'];
  if (!csp || !/frame-src /.test(csp)) throw new Error(`the workbench page's CSP has no frame-src to widen: ${csp}`);
  headers['content-security-policy'] = csp.replace(/frame-src /, `frame-src http://*.localhost:${port} `);
  await route.fulfill({ response, headers, body: html.replace(attr, (_, a, _v, c) => `${a}${escape(JSON.stringify(settings))}${c}`) });
}

/** Make a fresh workspace folder holding copies of `files` (absolute paths). */
export function makeWorkspace(files: string[], prefix = 'onnx-ws-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  return dir;
}

/** `code-server --install-extension <vsix>` into `extensionsDir`; throws with its output on failure. */
export function installVsix(vsix: string, extensionsDir: string, timeoutMs = 120_000): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-e2e-install-'));
  try {
    const r = spawnSync(CODE_SERVER_BIN, ['--install-extension', vsix, '--extensions-dir', extensionsDir,
      '--user-data-dir', path.join(home, 'udd')], {
      encoding: 'utf8', timeout: timeoutMs,
      env: { ...process.env, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home },
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.error || r.status !== 0) {
      throw new Error(`code-server --install-extension ${vsix} failed (status ${r.status}, ${r.error?.message ?? r.signal ?? ''}):\n${out}`);
    }
    return out;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
