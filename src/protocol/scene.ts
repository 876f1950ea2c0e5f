// What the webview draws: boxes and edges already laid out by the host. Plain data only (no Long, no weights).

/** Coarse op families, each drawn in its own theme color. */
export type OpCategory =
  | 'conv' | 'matmul' | 'activation' | 'normalization' | 'pool' | 'elementwise' | 'shape' | 'reduce'
  | 'data' | 'control' | 'attention' | 'quantize' | 'constant' | 'custom' | 'other';

export type SceneNodeKind = 'op' | 'input' | 'output' | 'group';

export interface ScenePort {
  /** Tensor name carried by this port. */
  tensor: string;
  /** Shape and type text, e.g. `float[1,64,56,56]`. */
  type?: string;
}

/** A quantization fold: an op with the QuantizeLinear/DequantizeLinear nodes around it, one box until opened. */
export interface SceneFold {
  /** The op's own id (`n:<index>`): selecting the folded box selects it. */
  op: string;
  /** The quantized type(s): `int8`, `uint8/int8` (activations/weights), `fp8`; `QDQ` when unknown. */
  badge: string;
  /** Some scale has more than one element (per channel or per block). */
  perChannel?: boolean;
}

export interface SceneNode {
  /** Stable id: `n:<index>` for ops, `i:<name>` / `o:<name>` for graph inputs/outputs, `g:<scope id>` for groups,
   *  `q:<op index>` for quantization folds. */
  id: string;
  kind: SceneNodeKind;
  /** Op type for ops, the group's label for groups, the tensor name for inputs/outputs. */
  label: string;
  /** Node name (ops) or full scope path (groups). */
  name: string;
  category: OpCategory;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Group only: whether it is drawn open (a frame around its children) or as one box. */
  expanded?: boolean;
  /** Group only: how many ops it contains in all. */
  opCount?: number;
  /** Expanded group only: height of the label strip the layout left free at the frame's top (the webview draws
   *  the label and collapse affordance there; clicking it collapses the group). Default 22. */
  headerHeight?: number;
  /** Id of the enclosing expanded group, if any. */
  parent?: string;
  /** Nesting depth (0 at the top). */
  depth: number;
  inputs: ScenePort[];
  outputs: ScenePort[];
  /** Initializers folded into this op box: `name: type`. */
  initializers?: ScenePort[];
  /** The schema input name (`W`, `B`, `scale`) or position of each of `initializers`: the box lists them as
   *  weight rows (`W 64×3×7×7`), Netron's way. */
  initializerNames?: string[];
  /** Per weight row: a quantized weight the op reads through a folded DequantizeLinear (its row names the type,
   *  `W int8 64×3×3×3`). */
  quantizedWeights?: boolean[];
  /** Quantization folds (id `q:<op index>`): collapsed, the box is drawn as the op's own (kind 'op', the op's
   *  label, name, category and weight rows) with a badge that opens it; expanded, a frame (kind 'group') around
   *  its Q, DQ and op boxes. */
  fold?: SceneFold;
  /** Input only: a value of an enclosing graph that this subgraph reads (If/Loop/Scan bodies). */
  outer?: boolean;
}

export interface SceneEdge {
  id: string;
  tensor: string;
  from: string;
  to: string;
  /** Output port index on `from`, input port index on `to` (ports read left to right). */
  fromPort: number;
  toPort: number;
  /** Polyline/spline control points, flat: x0,y0,x1,y1,... in scene coordinates. */
  points: number[];
  /** Shape and type text shown on the edge. */
  label?: string;
  /** Every tensor an aggregate edge stands for (edges touching a collapsed group), when more than `tensor`. */
  tensors?: string[];
}

export interface Scene {
  /** Increases with every layout; the webview drops stale scenes. */
  version: number;
  nodes: SceneNode[];
  edges: SceneEdge[];
  width: number;
  height: number;
  /** Expanded group ids this scene was laid out for. */
  expanded: string[];
  /** Milliseconds the host spent on layout (for diagnostics and benchmarks). */
  layoutMs: number;
  /** Of layoutMs: ELK's own time in the worker meanwhile (this scene's levels, or a layout it waited for), and
   *  how many levels ELK and the chain layout laid out (diagnostics). */
  elkMs?: number;
  elkLevels?: number;
  chainLevels?: number;
  /** Whether the layout came from the cache. */
  cached: boolean;
}
