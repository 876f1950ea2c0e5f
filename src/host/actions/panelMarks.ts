// Keeps each panel's graph-action state (marksState.ts) up to date from the webview's events, and sends the
// extract marks to the webview, which draws them highlighted.
import { GraphPanel, registerPanelFeature } from '../graphPanel';
import { ActionMarks, emptyMarks } from './marksState';

const marks = new WeakMap<GraphPanel, ActionMarks>();

export function marksOf(panel: GraphPanel): ActionMarks {
  let m = marks.get(panel);
  if (!m) {
    m = emptyMarks();
    marks.set(panel, m);
  }
  return m;
}

export function sendExtractMarks(panel: GraphPanel): void {
  const m = marksOf(panel);
  panel.post({ type: 'extractMarks', inputs: m.inputs, outputs: m.outputs });
}

export function trackPanelMarks(): { dispose(): void } {
  return registerPanelFeature((panel) => {
    panel.onWebviewEvent((e) => {
      const m = marksOf(panel);
      if (e.type === 'chosenTensors') m.chosen = e.tensors.filter((t) => typeof t === 'string');
      else if (e.type === 'selection') m.selectedNode = e.kind === 'node' ? e.id : undefined;
    });
  });
}
