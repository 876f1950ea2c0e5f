// The overlay's colors from the theme (testing pass/fail colors, chart yellow, chart blue for fused tensors), resolved to rgb() strings the
// canvas accepts, through a probe element as the palette does.
import type { OverlayColors } from './errorScale';

export interface CompareColors extends OverlayColors {
  /** The first divergence's frame: distinct from pass/fail and from the selection color. */
  culprit: string;
  /** Dashed outlines of boxes and edges whose tensors a backend fused away, or could not capture (quiet). */
  fused: string;
  skipped: string;
}

const VARS: Record<keyof CompareColors, string[]> = {
  pass: ['--vscode-testing-iconPassed', '--vscode-charts-green'],
  warn: ['--vscode-charts-yellow', '--vscode-editorWarning-foreground'],
  fail: ['--vscode-testing-iconFailed', '--vscode-charts-red', '--vscode-errorForeground'],
  background: ['--vscode-editor-background'],
  culprit: ['--vscode-charts-purple', '--vscode-terminal-ansiMagenta'],
  // Same variables as .verdict-fused / .compare-absent-swatch in webview.css.
  fused: ['--vscode-charts-blue', '--vscode-descriptionForeground'],
  skipped: ['--vscode-disabledForeground', '--vscode-descriptionForeground'],
};

export function resolveCompareColors(doc: Document = document): CompareColors {
  const host = doc.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.position = 'absolute';
  host.style.width = '0';
  host.style.height = '0';
  host.style.overflow = 'hidden';
  doc.body.appendChild(host);
  const probes = Object.entries(VARS).map(([k, vars]) => {
    const el = doc.createElement('span');
    el.style.color = vars.reduceRight((acc, v) => `var(${v}, ${acc})`, 'currentcolor');
    host.appendChild(el);
    return [k, el] as const;
  });
  const out = Object.fromEntries(probes.map(([k, el]) => [k, getComputedStyle(el).color])) as unknown as CompareColors;
  host.remove();
  return out;
}
