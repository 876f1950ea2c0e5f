// The toolbar. This is the ONLY module that imports @vscode/webview-ui-toolkit: the rest of the webview sees
// plain callbacks, so swapping the toolkit (deprecated) for @vscode-elements/elements touches this file only.
import { provideVSCodeDesignSystem, vsCodeButton } from '@vscode/webview-ui-toolkit';

export interface ToolbarActions {
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  expandVisible(): void;
  collapseAll(): void;
  /** Quantized models: shows the Q/DQ nodes folded into the boxes in the scene, or folds them all again. */
  toggleQdq(): void;
  toggleMinimap(): boolean;
  /** Inspect: opens the find widget, shows or hides the properties panel. */
  find(): void;
  toggleProperties(): void;
  exportSvg(): void;
  exportPng(): void;
  /** Compare Backends: asks the host to run the command (it shows the quick picks). */
  compare(): void;
}

export interface Toolbar {
  /** Disables the layout-changing buttons while a relayout runs. */
  setBusy(busy: boolean): void;
  /** The Q/DQ button: shown when the scene has quantization folds; pressed when they are all open. */
  setQdq(state: { present: boolean; unfolded: boolean }): void;
}

let registered = false;

export function createToolbar(parent: HTMLElement, actions: ToolbarActions): Toolbar {
  if (!registered) {
    provideVSCodeDesignSystem().register(vsCodeButton());
    registered = true;
  }
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Graph view');
  const button = (label: string, title: string, onClick: () => void, testid: string) => {
    const b = document.createElement('vscode-button');
    b.setAttribute('appearance', 'secondary');
    b.setAttribute('title', title);
    b.setAttribute('aria-label', title);
    b.dataset.testid = testid;
    b.textContent = label;
    b.addEventListener('click', onClick);
    bar.appendChild(b);
    return b;
  };
  button('Fit', 'Fit the graph to the view', actions.fit, 'fit');
  button('+', 'Zoom in', actions.zoomIn, 'zoom-in');
  button('\u2212', 'Zoom out', actions.zoomOut, 'zoom-out');
  const expand = button('Expand visible', 'Expand every collapsed group in view', actions.expandVisible, 'expand-visible');
  const collapse = button('Collapse all', 'Collapse every group', actions.collapseAll, 'collapse-all');
  const qdq = button('Q/DQ', 'Show the QuantizeLinear/DequantizeLinear nodes folded into the quantized ops in view, or fold them again', actions.toggleQdq, 'toggle-qdq');
  qdq.style.display = 'none'; // the toolkit's buttons style their display: the hidden attribute alone does not hide them
  const minimap = button('Minimap', 'Show or hide the overview', () => {
    minimap.setAttribute('aria-pressed', String(actions.toggleMinimap()));
  }, 'toggle-minimap');
  minimap.setAttribute('aria-pressed', 'true');
  button('Find', 'Find a node, tensor or shape (Ctrl+F)', actions.find, 'find');
  button('Properties', 'Show or hide the properties panel', actions.toggleProperties, 'toggle-properties');
  button('SVG', 'Export the view as an SVG image', actions.exportSvg, 'export-svg');
  button('PNG', 'Export the view as a PNG image', actions.exportPng, 'export-png');
  button('Compare', 'Compare two runs of this model (onnxruntime, saved results) and color the graph by error', actions.compare, 'compare-backends');
  parent.appendChild(bar);
  return {
    setBusy(busy) {
      for (const b of [expand, collapse, qdq]) {
        if (busy) b.setAttribute('disabled', ''); else b.removeAttribute('disabled');
      }
    },
    setQdq({ present, unfolded }) {
      qdq.style.display = present ? '' : 'none';
      qdq.setAttribute('aria-pressed', String(unfolded));
    },
  };
}
