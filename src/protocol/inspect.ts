// Messages of one feature, merged into the protocol in messages.ts. Plain data only.
// Inspect: the side panel (model, node and tensor properties), subgraphs, search, reveal and PyTorch source.
import type { Scene } from './scene';

/** One step into a nested graph: a node's GRAPH/GRAPHS attribute (`index` within GRAPHS), or a model-local function. */
export type GraphStep =
  | { kind: 'attribute'; node: number; attribute: string; index: number }
  | { kind: 'function'; domain: string; name: string; overload?: string };

/** Where a graph sits: [] is the main graph. */
export type GraphPath = GraphStep[];

export interface Breadcrumb {
  label: string;
  /** The path that opens this level. */
  path: GraphPath;
}

/** A value shown as text; `link` makes it navigable. */
export type PropLink =
  | { kind: 'tensor'; name: string }
  | { kind: 'node'; id: string }
  | { kind: 'graph'; path: GraphPath }
  | { kind: 'source'; nodeId: string; frame: number }
  /** An operator's documentation page (opened by the host, which accepts only the documentation sites). */
  | { kind: 'url'; url: string };

export interface PropRow {
  key: string;
  value: string;
  /** Secondary text (type, shape, ...). */
  detail?: string;
  link?: PropLink;
}

export interface PropSection {
  title: string;
  rows: PropRow[];
}

export interface PropsView {
  kind: 'model' | 'node' | 'tensor';
  title: string;
  subtitle?: string;
  sections: PropSection[];
  /** Tensor views of initializers: values can be asked for with inspect.tensorValues. */
  hasValues?: boolean;
}

export interface TensorValuesView {
  /** Present when the values could be read. */
  stats?: { key: string; value: string }[];
  first?: string[];
  /** How many values the tensor has in all. */
  count?: number;
  /** Why the values could not be read (e.g. the external file is missing). */
  error?: string;
}

export type SearchResultKind = 'node' | 'tensor' | 'input' | 'output' | 'initializer';

export interface SearchResult {
  kind: SearchResultKind;
  label: string;
  detail: string;
  /** `n:<index>` for nodes, `t:<name>` for tensors. */
  id: string;
}

export interface RevealTarget {
  /** The box to center and select. */
  box: string;
  /** Groups to open first (ancestors of the box in the view model). */
  expand: string[];
  /** For tensors: the tensor whose edge to highlight. */
  tensor?: string;
}

/** Requests the webview sends for this feature: method -> { params; result }. */
export interface InspectRequests {
  'inspect.model': { params: { path: GraphPath }; result: PropsView };
  'inspect.node': { params: { path: GraphPath; id: string }; result: PropsView };
  'inspect.tensor': { params: { path: GraphPath; name: string }; result: PropsView };
  /** Statistics and the first `count` values of an initializer, read from the file only now. */
  'inspect.tensorValues': { params: { path: GraphPath; name: string; count: number }; result: TensorValuesView };
  'inspect.search': { params: { path: GraphPath; query: string; limit?: number }; result: SearchResult[] };
  'inspect.reveal': { params: { path: GraphPath; id: string }; result: RevealTarget };
  /** Opens a graph level: its first scene and breadcrumbs. */
  'inspect.openGraph': { params: { path: GraphPath }; result: { scene: Scene; breadcrumbs: Breadcrumb[] } };
  'inspect.openSource': { params: { path: GraphPath; nodeId: string; frame?: number }; result: { opened: boolean; message: string } };
  /** Opens an operator's documentation page in the browser. */
  'inspect.openDoc': { params: { url: string }; result: { opened: boolean; message: string } };
}

/** Messages the host sends for this feature without being asked (palette commands acting on the webview). */
export type InspectHostEvent =
  | { type: 'inspect.focusSearch' }
  | { type: 'inspect.togglePanel' }
  | { type: 'inspect.openGraph'; path: GraphPath };

/** Messages the webview sends for this feature without waiting for an answer. */
export type InspectWebviewEvent = never;
