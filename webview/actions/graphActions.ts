// The webview's half of the graph actions: edge choosing (ctrl/cmd-click for several), drawing the chosen
// tensors and the extract start/end marks in distinct theme colors, and exporting the view as SVG or PNG.
import type { ExportFormat, GraphActionHostEvent } from '../../src/protocol/graphActions';
import type { MessagesView } from '../messagesView';
import type { EdgeHighlight } from '../render/drawScene';
import type { GraphView } from '../render/graphView';
import type { Palette } from '../render/palette';
import type { RpcClient } from '../rpc';
import { TextFitter } from '../render/textFit';
import { post } from '../vscodeApi';
import { ChosenTensors } from './chosenTensors';
import { sceneToPng } from './exportPng';
import { sceneToSvg } from './exportSvg';

export interface ActionsHost {
  readonly view: GraphView;
  readonly rpc: RpcClient;
  readonly messages: MessagesView;
  readonly currentPalette: Palette;
}

export class GraphActions {
  readonly chosen = new ChosenTensors();
  private extractInputs = new Set<string>();
  private extractOutputs = new Set<string>();

  constructor(private readonly app: ActionsHost) {
    // Capture phase on the canvas runs before the view's own click handler: a ctrl/cmd-click on an edge only
    // toggles it, without changing the selection.
    app.view.canvas.addEventListener('click', (e) => {
      const hit = app.view.hitAtClient(e.clientX, e.clientY);
      const tensor = hit?.kind === 'edge' ? hit.edge.tensor : undefined;
      const additive = e.ctrlKey || e.metaKey;
      if (this.chosen.click(tensor, additive)) this.changed();
      if (additive && tensor !== undefined) e.stopImmediatePropagation();
    }, { capture: true });
    this.updateHighlights();
  }

  /** Edges to draw highlighted: the chosen ones, and the cut's starts and ends, each in its own color. */
  get highlights(): EdgeHighlight[] {
    return [
      { tensors: new Set(this.chosen.tensors), color: 'selection' },
      { tensors: this.extractInputs, color: 'input' },
      { tensors: this.extractOutputs, color: 'output' },
    ];
  }

  handle(m: GraphActionHostEvent): void {
    switch (m.type) {
      case 'extractMarks':
        this.extractInputs = new Set(m.inputs);
        this.extractOutputs = new Set(m.outputs);
        this.updateHighlights();
        break;
      case 'clearChosenTensors':
        if (this.chosen.clear()) this.changed();
        break;
      case 'exportView':
        void this.export(m.format);
        break;
    }
  }

  /** Tensors chosen with a click in the test hooks (same path as the mouse, without coordinates). */
  choose(tensor: string, additive: boolean): void {
    if (this.chosen.click(tensor, additive)) this.changed();
  }

  private changed(): void {
    post({ type: 'chosenTensors', tensors: [...this.chosen.tensors] });
    this.updateHighlights();
  }

  private updateHighlights(): void {
    this.app.view.marks.edgeHighlights = this.highlights;
    this.app.view.requestPaint();
  }

  /** The current scene as `format`, built here (theme colors, fonts), saved by the host. */
  async export(format: ExportFormat): Promise<void> {
    const idx = this.app.view.sceneIndex;
    if (!idx) return;
    const pal = this.app.currentPalette;
    this.app.messages.setStatus(`Exporting ${format.toUpperCase()}\u2026`);
    try {
      let params;
      if (format === 'svg') {
        const fitter = new TextFitter(document.createElement('canvas').getContext('2d')!);
        const svg = sceneToSvg(idx.scene, pal, (t, size, max, weight, family) => fitter.middle(t, size, max, weight, family), this.highlights);
        params = { format, data: svg, width: Math.ceil(idx.scene.width + 40), height: Math.ceil(idx.scene.height + 40) } as const;
      } else {
        const png = await sceneToPng(idx, pal, this.highlights);
        params = { format, data: png.bytes, width: png.width, height: png.height, note: png.note } as const;
      }
      this.app.messages.setStatus(undefined);
      await this.app.rpc.request('saveExport', params);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.app.messages.setStatus(`Export failed: ${message}`, 'error');
      post({ type: 'log', level: 'error', message: `export ${format} failed: ${message}` });
    }
  }
}
