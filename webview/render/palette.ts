// Every color and font the canvas uses, resolved from VS Code's CSS variables. Canvas cannot read var(), so each
// entry is resolved through a hidden probe element: the browser applies the var() fallback chain for us and
// returns a plain rgb()/rgba() string that canvas accepts.
import type { OpCategory } from '../../src/protocol/scene';

/** Category -> variable chain (first defined wins). One theme color per category. */
const CATEGORY_VARS: Record<OpCategory, string[]> = {
  conv: ['--vscode-charts-blue'],
  matmul: ['--vscode-charts-purple'],
  activation: ['--vscode-charts-green'],
  normalization: ['--vscode-charts-yellow'],
  pool: ['--vscode-charts-orange'],
  elementwise: ['--vscode-symbolIcon-operatorForeground', '--vscode-charts-foreground'],
  shape: ['--vscode-symbolIcon-structForeground', '--vscode-charts-lines'],
  reduce: ['--vscode-charts-red'],
  data: ['--vscode-symbolIcon-arrayForeground', '--vscode-charts-lines'],
  control: ['--vscode-symbolIcon-keywordForeground', '--vscode-charts-purple'],
  attention: ['--vscode-symbolIcon-eventForeground', '--vscode-charts-orange'],
  quantize: ['--vscode-symbolIcon-numberForeground', '--vscode-charts-yellow'],
  constant: ['--vscode-symbolIcon-constantForeground', '--vscode-charts-lines'],
  custom: ['--vscode-symbolIcon-classForeground', '--vscode-charts-orange'],
  other: ['--vscode-descriptionForeground'],
};

const UI_VARS = {
  background: ['--vscode-editor-background'],
  foreground: ['--vscode-editor-foreground', '--vscode-foreground'],
  muted: ['--vscode-descriptionForeground', '--vscode-editorLineNumber-foreground'],
  edge: ['--vscode-editorLineNumber-foreground'],
  edgeHighlight: ['--vscode-editorLineNumber-activeForeground', '--vscode-focusBorder'],
  input: ['--vscode-terminal-ansiGreen', '--vscode-charts-green'],
  output: ['--vscode-terminal-ansiMagenta', '--vscode-charts-purple'],
  groupFill: ['--vscode-editorWidget-background', '--vscode-editor-background'],
  groupBorder: ['--vscode-editorWidget-border', '--vscode-panel-border', '--vscode-contrastBorder'],
  groupHeader: ['--vscode-sideBarSectionHeader-background', '--vscode-editorWidget-background'],
  hover: ['--vscode-list-hoverBackground', '--vscode-editor-hoverHighlightBackground'],
  selection: ['--vscode-focusBorder'],
  minimapViewport: ['--vscode-minimapSlider-activeBackground', '--vscode-scrollbarSlider-activeBackground'],
  minimapBackground: ['--vscode-minimap-background', '--vscode-editor-background'],
} as const;

export type UiColor = keyof typeof UI_VARS;

export interface Palette {
  /** body class when resolved (vscode-light / vscode-dark / vscode-high-contrast...). */
  themeKind: string;
  ui: Record<UiColor, string>;
  /** Stroke (full color) and fill (color mixed into the background) per category. */
  category: Record<OpCategory, { stroke: string; fill: string }>;
  inputFill: string;
  outputFill: string;
  fontFamily: string;
  monoFontFamily: string;
  /** High contrast themes get thicker outlines. */
  highContrast: boolean;
}

function chain(vars: readonly string[], last = 'currentcolor'): string {
  return vars.reduceRight((acc, v) => `var(${v}, ${acc})`, last);
}

function parseRgb(s: string): [number, number, number, number] {
  const m = s.match(/rgba?\(([^)]+)\)/);
  if (!m) return [128, 128, 128, 1];
  const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [p[0] ?? 128, p[1] ?? 128, p[2] ?? 128, p[3] ?? 1];
}

/** Mixes `a` into `bg` (opaque result: translucent fills would show edges through boxes). */
export function mix(a: string, bg: string, t: number): string {
  const [r1, g1, b1] = parseRgb(a);
  const [r2, g2, b2] = parseRgb(bg);
  const f = (x: number, y: number) => Math.round(x * t + y * (1 - t));
  return `rgb(${f(r1, r2)}, ${f(g1, g2)}, ${f(b1, b2)})`;
}

function cssFont(value: string, fallback: string): string {
  const v = value.trim();
  return v.length ? v : fallback;
}

/** Resolves the palette from the document's current --vscode-* variables. */
export function resolvePalette(doc: Document = document): Palette {
  const probeHost = doc.createElement('div');
  probeHost.setAttribute('aria-hidden', 'true');
  probeHost.style.position = 'absolute';
  probeHost.style.width = '0';
  probeHost.style.height = '0';
  probeHost.style.overflow = 'hidden';
  probeHost.style.color = 'var(--vscode-foreground, CanvasText)';
  doc.body.appendChild(probeHost);
  const probe = (vars: readonly string[]) => {
    const el = doc.createElement('span');
    el.style.color = chain(vars);
    probeHost.appendChild(el);
    return el;
  };
  // Write all probes first, then read: one style recalculation instead of one per color.
  const uiProbes = Object.fromEntries(Object.entries(UI_VARS).map(([k, v]) => [k, probe(v)])) as Record<UiColor, HTMLElement>;
  const catProbes = Object.fromEntries(Object.entries(CATEGORY_VARS).map(([k, v]) => [k, probe(v)])) as Record<OpCategory, HTMLElement>;
  const read = (el: HTMLElement) => getComputedStyle(el).color;
  const ui = Object.fromEntries(Object.entries(uiProbes).map(([k, el]) => [k, read(el)])) as Record<UiColor, string>;
  const rootStyle = getComputedStyle(doc.documentElement);
  const bodyStyle = getComputedStyle(doc.body);
  const cls = doc.body.classList;
  const highContrast = cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light');
  const fillMix = highContrast ? 0 : 0.22;
  const category = Object.fromEntries(Object.entries(catProbes).map(([k, el]) => {
    const stroke = read(el);
    return [k, { stroke, fill: mix(stroke, ui.background, fillMix) }];
  })) as Record<OpCategory, { stroke: string; fill: string }>;
  probeHost.remove();
  const themeKind = ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-dark', 'vscode-light'].find((c) => cls.contains(c)) ?? 'unknown';
  return {
    themeKind,
    ui,
    category,
    inputFill: mix(ui.input, ui.background, fillMix),
    outputFill: mix(ui.output, ui.background, fillMix),
    fontFamily: cssFont(rootStyle.getPropertyValue('--vscode-font-family'), bodyStyle.fontFamily || 'sans-serif'),
    monoFontFamily: cssFont(rootStyle.getPropertyValue('--vscode-editor-font-family'), 'monospace'),
    highContrast,
  };
}

/** Calls `onChange` when VS Code switches theme: it rewrites body's class and the variables in html's style. */
export function observeTheme(onChange: () => void, doc: Document = document): () => void {
  let queued = false;
  const mo = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; onChange(); });
  });
  mo.observe(doc.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
  mo.observe(doc.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  return () => mo.disconnect();
}
