// Synthetic scenes for the webview page: a large layered graph for the benchmark and a small nested one whose
// layout follows the expanded set, like the host's layout would. Pure data: runs in Node and in the page.
import type { OpCategory, Scene, SceneEdge, SceneNode } from '../../src/protocol/scene';

const OPS: [string, OpCategory][] = [
  ['Conv', 'conv'], ['MatMul', 'matmul'], ['Gemm', 'matmul'], ['Relu', 'activation'], ['Gelu', 'activation'],
  ['Sigmoid', 'activation'], ['LayerNormalization', 'normalization'], ['BatchNormalization', 'normalization'],
  ['MaxPool', 'pool'], ['GlobalAveragePool', 'pool'], ['Add', 'elementwise'], ['Mul', 'elementwise'], ['Div', 'elementwise'],
  ['Reshape', 'shape'], ['Transpose', 'shape'], ['Concat', 'shape'], ['ReduceMean', 'reduce'], ['Gather', 'data'],
  ['Slice', 'data'], ['If', 'control'], ['Softmax', 'attention'], ['QuantizeLinear', 'quantize'], ['Constant', 'constant'],
  ['com.microsoft.FusedGemm', 'custom'], ['Where', 'other'],
];

/** Deterministic PRNG (mulberry32) so every run draws the same graph. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BOX_W = 140, BOX_H = 40, GAP_X = 30, GAP_Y = 50;

function orthogonal(ax: number, ay: number, bx: number, by: number): number[] {
  const my = (ay + by) / 2;
  return ax === bx ? [ax, ay, bx, by] : [ax, ay, ax, my, bx, my, bx, by];
}

/** A layered graph of `count` boxes (about `perLayer` wide) and about 1.2 edges per box. */
export function largeScene(count = 5000, perLayer = 50, seed = 7): Scene {
  const rand = rng(seed);
  const nodes: SceneNode[] = [];
  const layers: SceneNode[][] = [];
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / perLayer), col = i % perLayer;
    const x = col * (BOX_W + GAP_X) + (layer % 2) * 20, y = layer * (BOX_H + GAP_Y);
    let node: SceneNode;
    if (layer === 0 && col < 3) {
      node = { id: `i:input_${col}`, kind: 'input', label: `input_${col}`, name: `input_${col}`, category: 'data', x, y, width: BOX_W, height: BOX_H, depth: 0, inputs: [], outputs: [{ tensor: `input_${col}`, type: 'float32[1,3,224,224]' }] };
    } else if (i >= count - 2) {
      node = { id: `o:logits_${count - i}`, kind: 'output', label: `logits_${count - i}`, name: `logits_${count - i}`, category: 'data', x, y, width: BOX_W, height: BOX_H, depth: 0, inputs: [{ tensor: `logits_${count - i}`, type: 'float32[1,1000]' }], outputs: [] };
    } else if (rand() < 0.01) {
      const g = `/model/layers.${layer}/block_${col}`;
      node = { id: `g:${g}`, kind: 'group', label: `block_${col}`, name: g, category: 'other', x, y, width: BOX_W, height: BOX_H + 10, expanded: false, opCount: 5 + Math.floor(rand() * 60), depth: 0, inputs: [], outputs: [] };
    } else {
      const [op, category] = OPS[Math.floor(rand() * OPS.length)];
      node = {
        id: `n:${i}`, kind: 'op', label: op, name: `/model/layers.${layer}/${['attn', 'mlp', 'norm', 'proj'][col % 4]}/${op}_${col}`, category,
        x, y, width: BOX_W, height: BOX_H, depth: 0,
        inputs: [{ tensor: `t${i}_in`, type: 'float32[1,128,768]' }], outputs: [{ tensor: `t${i}`, type: 'float32[1,128,768]' }],
        initializers: op === 'Conv' || op === 'MatMul' ? [{ tensor: `w${i}`, type: 'float32[768,768]' }] : undefined,
      };
    }
    nodes.push(node);
    (layers[layer] ??= []).push(node);
  }
  const edges: SceneEdge[] = [];
  const connect = (a: SceneNode, b: SceneNode) => {
    edges.push({
      id: `e:${edges.length}`, tensor: a.outputs[0]?.tensor ?? a.name, from: a.id, to: b.id, fromPort: 0, toPort: 0,
      points: orthogonal(a.x + a.width / 2, a.y + a.height, b.x + b.width / 2, b.y), label: a.outputs[0]?.type,
    });
  };
  for (let l = 1; l < layers.length; l++) {
    const prev = layers[l - 1];
    for (const [c, n] of layers[l].entries()) {
      if (n.kind === 'input') continue;
      connect(prev[Math.min(prev.length - 1, Math.max(0, c + Math.floor(rand() * 3) - 1))], n);
      if (rand() < 0.22) connect(prev[Math.floor(rand() * prev.length)], n);
    }
  }
  const width = perLayer * (BOX_W + GAP_X) + 20, height = layers.length * (BOX_H + GAP_Y);
  return { version: 1, nodes, edges, width, height, expanded: [], layoutMs: 0, cached: false };
}

type Item = { op: string; category: OpCategory; name: string } | { group: string; label: string; children: Item[] };

/** A small transformer-like model: two collapsible encoder layers with a nested attention block. The node named
 *  `<img src=x onerror=alert(1)>` checks that model text is never parsed as HTML. */
export const SMALL_MODEL: Item[] = [
  { op: 'Gather', category: 'data', name: '/embeddings/word_embeddings/Gather' },
  { op: 'LayerNormalization', category: 'normalization', name: '<img src=x onerror=alert(1)>' },
  ...[0, 1].map((l): Item => ({
    group: `/encoder/layer.${l}`, label: `layer.${l}`, children: [
      { group: `/encoder/layer.${l}/attention`, label: 'attention', children: [
        { op: 'MatMul', category: 'matmul', name: `/encoder/layer.${l}/attention/query/MatMul` },
        { op: 'Softmax', category: 'attention', name: `/encoder/layer.${l}/attention/Softmax` },
        { op: 'MatMul', category: 'matmul', name: `/encoder/layer.${l}/attention/context/MatMul` },
      ] },
      { op: 'Add', category: 'elementwise', name: `/encoder/layer.${l}/attention/output/Add` },
      { op: 'LayerNormalization', category: 'normalization', name: `/encoder/layer.${l}/output/LayerNorm` },
      { op: 'Gelu', category: 'activation', name: `/encoder/layer.${l}/intermediate/Gelu` },
    ],
  })),
  { op: 'Gemm', category: 'matmul', name: '/classifier/Gemm' },
];

/** Lays out SMALL_MODEL top to bottom with the given groups open, as the host's layout would. */
export function smallScene(expanded: readonly string[], version = 1): Scene {
  const open = new Set(expanded);
  const nodes: SceneNode[] = [];
  const chain: SceneNode[] = [];
  let opIndex = 0;
  const countOps = (items: Item[]): number => items.reduce((s, it) => s + ('op' in it ? 1 : countOps(it.children)), 0);
  const place = (items: Item[], x: number, y: number, depth: number, parent?: string): { w: number; h: number } => {
    let cy = y, w = 0;
    for (const it of items) {
      if ('op' in it) {
        const n: SceneNode = { id: `n:${opIndex++}`, kind: 'op', label: it.op, name: it.name, category: it.category, x, y: cy, width: 200, height: 40, parent, depth, inputs: [{ tensor: `${it.name}:in`, type: 'float32[1,128,768]' }], outputs: [{ tensor: `${it.name}:out`, type: 'float32[1,128,768]' }] };
        nodes.push(n); chain.push(n);
        cy += 40 + 30; w = Math.max(w, 200);
      } else if (open.has(`g:${it.group}`)) {
        const g: SceneNode = { id: `g:${it.group}`, kind: 'group', label: it.label, name: it.group, category: 'other', x, y: cy, width: 0, height: 0, expanded: true, opCount: countOps(it.children), parent, depth, inputs: [], outputs: [] };
        nodes.push(g);
        const inner = place(it.children, x + 12, cy + 32, depth + 1, g.id);
        g.width = inner.w + 24; g.height = inner.h + 32;
        cy += g.height + 30; w = Math.max(w, g.width);
      } else {
        const g: SceneNode = { id: `g:${it.group}`, kind: 'group', label: it.label, name: it.group, category: 'other', x, y: cy, width: 220, height: 56, expanded: false, opCount: countOps(it.children), parent, depth, inputs: [], outputs: [] };
        opIndex += countOps(it.children); // op ids stay stable whatever is open
        nodes.push(g); chain.push(g);
        cy += 56 + 30; w = Math.max(w, 220);
      }
    }
    return { w, h: cy - y - 30 };
  };
  const input: SceneNode = { id: 'i:input_ids', kind: 'input', label: 'input_ids', name: 'input_ids', category: 'data', x: 20, y: 20, width: 200, height: 32, depth: 0, inputs: [], outputs: [{ tensor: 'input_ids', type: 'int64[1,128]' }] };
  nodes.push(input); chain.push(input);
  const body = place(SMALL_MODEL, 20, 82, 0);
  const output: SceneNode = { id: 'o:logits', kind: 'output', label: 'logits', name: 'logits', category: 'data', x: 20, y: 82 + body.h + 30, width: 200, height: 32, depth: 0, inputs: [{ tensor: 'logits', type: 'float32[1,2]' }], outputs: [] };
  nodes.push(output); chain.push(output);
  const edges: SceneEdge[] = [];
  for (let i = 1; i < chain.length; i++) {
    const a = chain[i - 1], b = chain[i];
    edges.push({ id: `e:${a.id}->${b.id}`, tensor: a.outputs[0]?.tensor ?? `${a.name}:out`, from: a.id, to: b.id, fromPort: 0, toPort: 0, points: orthogonal(a.x + 60, a.y + a.height, b.x + 60, b.y), label: a.outputs[0]?.type });
  }
  return { version, nodes, edges, width: body.w + 40, height: output.y + output.height + 20, expanded: [...open], layoutMs: 1, cached: false };
}
