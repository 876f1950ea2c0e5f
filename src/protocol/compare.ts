// Messages of one feature, merged into the protocol in messages.ts. Plain data only.
// Compare Backends: the error overlay, the tensor table, first divergence, histograms fetched on demand.
import type { RevealTarget } from './inspect';

/** Errors as finite numbers: NaN and infinities become Number.MAX_VALUE (worst), since messages go through JSON. */
export interface ErrorPair {
  /** Max absolute error; null when the tensor could not be compared (shape or dtype mismatch). */
  abs: number | null;
  /** Max relative error (B is the reference). */
  rel: number | null;
}

/**
 * Why a tensor has no error: a backend fused it into another layer (TensorRT), or could not capture it. Neither
 * passes nor fails; drawn apart.
 */
export type AbsentState = 'fused' | 'skipped';

export interface TensorError extends ErrorPair {
  /** The report's verdict with the configured tolerances, or why the tensor was not compared. */
  status: 'pass' | 'fail' | AbsentState;
  /** For fused and skipped tensors: what happened, for people ("fused into Conv_3 + Relu_4 by TensorRT"). */
  note?: string;
}

/** A box's error: the worst of its output tensors (ops) or of its children (groups). */
export interface ItemError extends ErrorPair {
  /** The tensor the worst error comes from (for a fused box: its first fused tensor). */
  worst: string;
  /** Whether any tensor inside failed the report's verdict. */
  failed: boolean;
  /** Set when nothing inside was compared because its tensors were fused away (or not captured). */
  state?: AbsentState;
  /** With `state`: what happened to `worst`, for the tooltip. */
  note?: string;
}

export interface CompareOverlay {
  /** By tensor name (run A's names, which are the graph's). */
  tensors: Record<string, TensorError>;
  /** By view item id (`n:<index>`, `g:<scope>`, `i:<name>`, `o:<name>`), whether drawn now or not. */
  items: Record<string, ItemError>;
}

export interface CompareTableRow {
  name: string;
  /** Fused and skipped rows carry no numbers; `reason` says what happened ("fused into Conv_3 + Relu_4"). */
  status: 'pass' | 'fail' | AbsentState;
  maxAbs: number | null;
  maxRel: number | null;
  cosine: number | null;
  shape: string;
  dtype: string;
  reason: string;
  /** An initializer or a Constant's output: listed after the other passing tensors. */
  weight?: boolean;
}

export interface FirstDivergenceView {
  tensor: string;
  /** The producing node's name and op (empty for a graph input). */
  node: string;
  op: string;
  /** Where the culprit's box is: the webview opens its groups, centers and selects it. */
  target: RevealTarget | null;
  /** Failing tensors downstream that this divergence may explain. */
  explains: number;
}

export interface CompareResultView {
  /** What each side was ('onnxruntime CPU, opt all', 'results file pert.json, runner …'); never the same text. */
  runners: { a: string; b: string };
  /**
   * `warning`: the runs were fed different inputs (shown above the table, before anyone blames a layer);
   * `note`: a run's inputs are unknown, so this could not be checked.
   */
  inputs: { warning: string | null; note: string | null };
  /** The dock's height in CSS pixels as the user last left it (any editor); null: the default. */
  dockHeight: number | null;
  /** `fused`/`skipped`: tensors a backend fused away or could not capture (rows of their own, not failures). */
  summary: { compared: number; passed: number; failed: number; onlyA: number; onlyB: number; fused: number; skipped: number; seconds: number };
  /** Defaults for the threshold slider (the configured tolerances). */
  tolerances: { atol: number; rtol: number; checkErrorStat: string };
  overlay: CompareOverlay;
  rows: CompareTableRow[];
  firstDivergence: FirstDivergenceView | null;
  notes: string[];
}

export interface HistogramView {
  edges: number[];
  counts: number[];
  nan: number;
  posInf: number;
  negInf: number;
}

export interface TensorHistogramsView {
  tensor: string;
  runners: { a: string; b: string };
  actual: HistogramView;
  expected: HistogramView;
  absError: HistogramView;
}

/** Requests the webview sends for this feature: method -> { params; result }. */
export interface CompareRequests {
  /** Both value histograms and the error histogram of one tensor; the host loads only that pair. */
  'compare.histograms': { params: { tensor: string }; result: TensorHistogramsView };
  /** Where the node producing `tensor` is in the view. */
  'compare.reveal': { params: { tensor: string }; result: RevealTarget };
  /** The toolbar's buttons: run a comparison or export the report (the host shows its own dialogs). */
  'compare.command': { params: { command: 'run' | 'exportJson' | 'exportMarkdown' | 'reduce' }; result: { done: boolean } };
}

/** Messages the host sends for this feature without being asked. */
export type CompareHostEvent = { type: 'compare.show'; result: CompareResultView };

/** Messages the webview sends for this feature without waiting for an answer. */
export type CompareWebviewEvent = { type: 'compare.dockHeight'; height: number };
