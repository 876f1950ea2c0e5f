// One level of the view as a flat ELK graph (a group's direct children and the edges between them), and the
// compact layout kept from ELK's answer. The worker imports this too, so it stays free of Node and vscode.
import { badgeRoom, badgeText, BOX_PAD, estimateTextWidth, LABEL_SIZE, MAX_BOX_WIDTH, NAME_SIZE, OP_HEADER_HEIGHT, ROW_HEIGHT, weightRows, widthKey } from '../protocol/boxText';
import { LEVEL_OPTIONS, NODE_OPTIONS, PORT_SIZE } from './elkOptions';
import type { ViewItem, ViewModel } from './viewModel';

export interface Size { width: number; height: number }

/** A level's layout relative to its frame's top-left corner: what is cached in memory and on disk. */
export interface LevelLayout {
  width: number;
  height: number;
  /** Child boxes: position, size, and port centers (flat x,y pairs, relative to the box). */
  nodes: Record<string, { x: number; y: number; width: number; height: number; in: number[]; out: number[] }>;
  /** Routes by level edge key: flat x,y points. */
  edges: Record<string, number[]>;
}

/** Minimal ELK JSON types (elkjs's own types are not needed on this side). */
export interface ElkPort { id: string; width: number; height: number; x?: number; y?: number; layoutOptions?: Record<string, string> }
export interface ElkChild { id: string; width: number; height: number; x?: number; y?: number; ports: ElkPort[]; layoutOptions?: Record<string, string> }
export interface ElkSection { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }
export interface ElkEdge { id: string; sources: string[]; targets: string[]; sections?: ElkSection[] }
export interface ElkGraph { id: string; layoutOptions: Record<string, string>; children: ElkChild[]; edges: ElkEdge[]; width?: number; height?: number }

const GROUP_HEIGHT = 44;
const IO_HEIGHT = 26;
const PORT_STEP = 10;
/** A collapsed group's front card is inset by its stack of cards (drawScene's STACK * 2). */
const GROUP_INSET = 10;
/** Box widths are rounded up to this step: fewer distinct sizes, more levels of one shape. */
const WIDTH_STEP = 8;

const clampWidth = (w: number, min: number) => Math.max(min, Math.min(MAX_BOX_WIDTH, Math.ceil(w / WIDTH_STEP) * WIDTH_STEP));

/** Box size from its text (op type, node name, weight rows; see protocol/boxText.ts) and enough room for the
 *  ports; expanded groups get their interior's size instead. Names wider than MAX_BOX_WIDTH are shortened when
 *  drawn. Digit runs are measured as three digits wide (widthKey) so repeated blocks keep one shape. */
export function boxSize(item: ViewItem): Size {
  const ports = Math.max(item.inputs.length, item.outputs.length);
  const portWidth = ports * PORT_STEP + 10;
  if (item.kind === 'op' || item.fold) {
    // A collapsed quantization fold is its op's box, with room for the badge after the op type.
    const rows = weightRows(item.initializers, item.initializerNames, item.quantizedWeights);
    const label = estimateTextWidth(item.label, 'label', LABEL_SIZE) + (item.fold ? badgeRoom(badgeText(item.fold)) : 0);
    let text = Math.max(label, estimateTextWidth(widthKey(item.name), 'mono', NAME_SIZE));
    for (const r of rows) text = Math.max(text, estimateTextWidth(r, 'mono', NAME_SIZE));
    const height = OP_HEADER_HEIGHT + (rows.length > 0 ? rows.length * ROW_HEIGHT + 3 : 0);
    return { width: Math.max(clampWidth(text + 2 * BOX_PAD, 72), portWidth), height };
  }
  if (item.kind === 'group') {
    const text = Math.max(estimateTextWidth(widthKey(`\u25B8 ${item.label}`), 'label', LABEL_SIZE), estimateTextWidth(`${item.opCount ?? 0} ops`, 'mono', NAME_SIZE));
    return { width: Math.max(clampWidth(text + 2 * BOX_PAD + GROUP_INSET, 90), portWidth), height: GROUP_HEIGHT };
  }
  // Graph inputs and outputs: pills whose round ends take a third of the height each side.
  const type = item.inputs[0]?.type ?? item.outputs[0]?.type ?? '';
  const text = Math.max(estimateTextWidth(item.label, 'label', LABEL_SIZE), estimateTextWidth(type, 'mono', NAME_SIZE));
  return { width: Math.max(clampWidth(text + (2 * IO_HEIGHT) / 3, 60), portWidth), height: IO_HEIGHT };
}

/** Minimum width of an open group's frame, so its title (`label  (N ops)`, drawn at 11 units after the
 *  collapse sign) fits. */
export function frameMinWidth(item: ViewItem): number {
  return Math.min(MAX_BOX_WIDTH * 2, Math.ceil(estimateTextWidth(widthKey(`${item.label}  (${item.opCount ?? 0} ops)`), 'label', 11) + 30));
}

export const portId = (itemId: string, side: 'in' | 'out', k: number): string => `${itemId}>${side}${k}`;

/** The ELK graph of one level. `sizeOf` gives open children their interior size. */
export function levelGraph(view: ViewModel, groupId: string, sizeOf: (item: ViewItem) => Size): ElkGraph {
  const group = view.items.get(groupId);
  if (!group || group.kind !== 'group') throw new Error(`not a group: ${groupId}`);
  const children: ElkChild[] = (group.children ?? []).map((id) => {
    const item = view.items.get(id)!;
    const size = sizeOf(item);
    const nIn = item.inputs.length;
    const nOut = item.outputs.length;
    // FIXED_ORDER numbers ports clockwise from the top-left: inputs left to right on NORTH, then outputs on
    // SOUTH, which clockwise runs right to left, so the last output comes first.
    const ports: ElkPort[] = [
      ...item.inputs.map((_, k) => ({ id: portId(id, 'in', k), width: PORT_SIZE, height: PORT_SIZE, layoutOptions: { 'elk.port.side': 'NORTH', 'elk.port.index': String(k) } })),
      ...item.outputs.map((_, k) => ({ id: portId(id, 'out', k), width: PORT_SIZE, height: PORT_SIZE, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': String(nIn + nOut - 1 - k) } })),
    ];
    return { id, width: size.width, height: size.height, ports, layoutOptions: NODE_OPTIONS };
  });
  const edges: ElkEdge[] = (view.levelEdges.get(groupId) ?? []).map((e) => ({
    id: e.key, sources: [portId(e.from, 'out', e.fromPort)], targets: [portId(e.to, 'in', e.toPort)],
  }));
  return { id: groupId, layoutOptions: LEVEL_OPTIONS, children, edges };
}

/** Keeps what the scene needs from ELK's answer. */
export function toLevelLayout(g: ElkGraph): LevelLayout {
  const nodes: LevelLayout['nodes'] = {};
  for (const c of g.children) {
    const inPorts: number[] = [];
    const outPorts: number[] = [];
    for (const p of c.ports) {
      const side = p.id.slice(p.id.lastIndexOf('>') + 1);
      const k = Number(side.slice(side.startsWith('in') ? 2 : 3));
      const target = side.startsWith('in') ? inPorts : outPorts;
      target[2 * k] = (p.x ?? 0) + PORT_SIZE / 2;
      target[2 * k + 1] = side.startsWith('in') ? 0 : c.height;
    }
    nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width, height: c.height, in: inPorts, out: outPorts };
  }
  const edges: LevelLayout['edges'] = {};
  for (const e of g.edges) {
    const points: number[] = [];
    for (const s of e.sections ?? []) {
      points.push(s.startPoint.x, s.startPoint.y);
      for (const b of s.bendPoints ?? []) points.push(b.x, b.y);
      points.push(s.endPoint.x, s.endPoint.y);
    }
    edges[e.id] = points;
  }
  return { width: g.width ?? 0, height: g.height ?? 0, nodes, edges };
}
