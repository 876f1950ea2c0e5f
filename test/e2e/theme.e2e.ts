// The graph's colors come from VS Code's theme: the webview palette equals the --vscode-* variables VS Code injects,
// the canvas is painted with them, and switching theme from the command palette repaints in the new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { REPO_ROOT, readLog, startSession } from './harness';
import { cleanup, webviewFrame } from './support/graph';
import { makeSmallModel } from '../fixtures/builders';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist', 'webview.js'));
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

/** Palette entry -> the VS Code variable it must equal (entries backed by a single variable). */
const PAIRS: [string, string][] = [
  ['ui.background', '--vscode-editor-background'],
  ['ui.foreground', '--vscode-editor-foreground'],
  ['ui.edge', '--vscode-editorLineNumber-foreground'],
  ['ui.selection', '--vscode-focusBorder'],
  ['category.conv.stroke', '--vscode-charts-blue'],
  ['category.matmul.stroke', '--vscode-charts-purple'],
  ['category.activation.stroke', '--vscode-charts-green'],
  ['category.normalization.stroke', '--vscode-charts-yellow'],
  ['category.reduce.stroke', '--vscode-charts-red'],
];

type Rgba = [number, number, number, number];

/** '#rgb', '#rrggbb', '#rrggbbaa', 'rgb(...)' or 'rgba(...)' as numbers: the variables hold hex, computed styles rgb(). */
function parseColor(s: string): Rgba {
  const t = s.trim().toLowerCase();
  let m = t.match(/^#([0-9a-f]{3,8})$/);
  if (m) {
    let h = m[1];
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? Math.round((n(6) / 255) * 100) / 100 : 1];
  }
  m = t.match(/^rgba?\(([^)]+)\)$/);
  if (m) {
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], Math.round((p[3] ?? 1) * 100) / 100];
  }
  throw new Error(`unparsed color ${JSON.stringify(s)}`);
}

interface ThemeReading {
  bodyClass: string;
  palette: { themeKind: string; highContrast: boolean };
  values: Record<string, { palette: string; variable: string }>;
  /** Canvas pixel in a corner the fitted graph leaves empty. */
  pixel: number[];
}

async function readTheme(frame: Frame): Promise<ThemeReading> {
  return frame.evaluate((pairs) => {
    const api = (window as any).__onnxInspectorTest;
    api.paint();
    const palette = api.palette();
    const root = getComputedStyle(document.documentElement);
    const values: Record<string, { palette: string; variable: string }> = {};
    for (const [key, v] of pairs) values[key] = { palette: key.split('.').reduce((o: any, k) => o?.[k], palette), variable: root.getPropertyValue(v) };
    const canvas = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
    const pixel = [...canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data];
    return { bodyClass: document.body.className, palette: { themeKind: palette.themeKind, highContrast: palette.highContrast }, values, pixel };
  }, PAIRS);
}

/** The palette equals the injected variables, entry by entry, and the canvas background is painted with it. */
function checkReading(r: ThemeReading, kind: string): void {
  assert.ok(r.bodyClass.split(/\s+/).includes(kind), `body class ${r.bodyClass} lacks ${kind}`);
  assert.equal(r.palette.themeKind, kind);
  assert.equal(r.palette.highContrast, kind.startsWith('vscode-high-contrast'));
  for (const [key, { palette, variable }] of Object.entries(r.values)) {
    assert.ok(variable.trim(), `VS Code did not inject the variable for ${key}`);
    assert.deepEqual(parseColor(palette), parseColor(variable), `${key}: palette ${palette} != variable ${variable}`);
  }
  const bg = parseColor(r.values['ui.background'].palette);
  assert.deepEqual(r.pixel.slice(0, 3), bg.slice(0, 3), 'the canvas background is not the theme\'s editor background');
}

/** Waits until the webview palette reports `kind` (VS Code pushes new variables; the webview observes them). */
async function waitForKind(frame: Frame, kind: string, timeoutMs = 30_000): Promise<void> {
  await frame.waitForFunction((k) => (window as any).__onnxInspectorTest.palette().themeKind === k, kind, { timeout: timeoutMs });
}

/** "Preferences: Color Theme" in the command palette, then the theme's row: the way a user switches. */
async function pickThemeFromPalette(page: Page, search: string, theme: RegExp): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  // Rows are clicked by their exact label: Enter would take whichever row is focused (e.g. "Browse Color Themes").
  const row = (label: RegExp) => page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await row(/^Preferences: Color Theme$/).click();
  // The theme picker replaces the command list in the same widget.
  await input.fill(search);
  await row(theme).click();
  await input.waitFor({ state: 'hidden' });
}

test('theme colors come from VS Code: light (settings), dark and high contrast (command palette)', {
  timeout: 120_000, skip: built ? false : 'dist/ is not built (node scripts/build.mjs)',
}, async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-theme-'));
  fs.writeFileSync(path.join(workspace, 'small.onnx'), makeSmallModel());
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log }, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
  try {
    await s.openFile('small.onnx');
    await s.webview().locator('[data-testid="graph-root"]').waitFor({ state: 'attached', timeout: 90_000 });
    const frame = await webviewFrame(s.page);

    await waitForKind(frame, 'vscode-light');
    const light = await readTheme(frame);
    checkReading(light, 'vscode-light');

    await pickThemeFromPalette(s.page, 'Dark Modern', /^(Default )?Dark Modern$/);
    await waitForKind(frame, 'vscode-dark');
    const dark = await readTheme(frame);
    checkReading(dark, 'vscode-dark');
    assert.notDeepEqual(parseColor(dark.values['ui.background'].palette), parseColor(light.values['ui.background'].palette), 'background did not change with the theme');
    assert.notDeepEqual(dark.pixel, light.pixel, 'the canvas was not repainted in the new theme');

    // The built-in dark high contrast theme (its label changed across versions: match both).
    await pickThemeFromPalette(s.page, 'High Contrast', /^(Default High Contrast|Dark High Contrast)$/);
    await waitForKind(frame, 'vscode-high-contrast');
    const hc = await readTheme(frame);
    checkReading(hc, 'vscode-high-contrast');
    assert.notDeepEqual(hc.pixel, dark.pixel, 'the canvas was not repainted for high contrast');
    await s.screenshot(path.join(artifacts, 'theme-high-contrast.png'));
    assert.doesNotMatch(readLog(log), /\bERROR\b/, 'the extension logged an error');
  } catch (e) {
    await s.screenshot(path.join(artifacts, 'theme-failure.png')).catch(() => undefined);
    console.error(s.diagnostics());
    throw e;
  } finally {
    await s.stop();
    cleanup(workspace, log);
  }
});
