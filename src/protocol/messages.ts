// The one file of messages between the extension host and the webview. Requests carry an id and always get
// a response: a result or an error, so the webview never waits forever.
import type { CompareHostEvent, CompareRequests, CompareWebviewEvent } from './compare';
import type { GraphActionHostEvent, GraphActionRequests, GraphActionWebviewEvent } from './graphActions';
import type { GraphPath, InspectHostEvent, InspectRequests, InspectWebviewEvent } from './inspect';
import type { ModelDiffHostEvent, ModelDiffRequests } from './modelDiff';
import type { Scene } from './scene';
import type { SavedView } from './viewState';

export interface ModelSummary {
  fileName: string;
  irVersion: number;
  producer: string;
  opsets: { domain: string; version: number }[];
  nodeCount: number;
  initializerCount: number;
  inputs: { name: string; type: string }[];
  outputs: { name: string; type: string }[];
  /** Problems found while building the graph (shown as a banner; the graph still opens). */
  problems: string[];
}

/** Requests the webview sends, by method, with their params and results. */
// Each feature's requests live in its own file (inspect, graph actions, compare) and are merged here.
export interface WebviewRequests extends InspectRequests, GraphActionRequests, CompareRequests, ModelDiffRequests {
  /** Lays out the graph with exactly these groups expanded; `path` names a nested graph (inspect.ts), else the main one. */
  layout: { params: { expanded: string[]; path?: GraphPath }; result: Scene };
}

/** Messages the webview sends without waiting for an answer. */
export type WebviewEvent =
  | { type: 'ready' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'metric'; name: string; ms: number; detail?: Record<string, number | string> }
  | { type: 'selection'; kind: 'node' | 'tensor' | 'group' | 'none'; id?: string }
  /** The main graph's view settled (zoom, position, open groups, selection): the host remembers it for the file. */
  | { type: 'viewState'; state: SavedView }
  | InspectWebviewEvent
  | GraphActionWebviewEvent
  | CompareWebviewEvent;

/** Messages the host sends without being asked. */
export type HostEvent =
  /** `view`: how this file was left last time, when `scene` was laid out with the same groups open. */
  | { type: 'init'; summary: ModelSummary; scene: Scene; theme?: string; view?: SavedView }
  | { type: 'loadError'; message: string; details?: string[] }
  | { type: 'scene'; scene: Scene }
  /** The file changed on disk and was read again: show it, keeping the view where the same boxes exist. */
  | { type: 'reload'; summary: ModelSummary; scene: Scene }
  /** The file on disk no longer matches the view (deleted, unreadable); undefined once it does again. */
  | { type: 'fileState'; message?: string }
  /** Centers and selects a box; `expand` lists groups to open first when the box is hidden inside them. */
  | { type: 'reveal'; id: string; expand?: string[] }
  | InspectHostEvent
  | GraphActionHostEvent
  | CompareHostEvent
  | ModelDiffHostEvent;

export type RequestMethod = keyof WebviewRequests;

export type RequestMessage = {
  [M in RequestMethod]: { type: 'request'; id: number; method: M; params: WebviewRequests[M]['params'] };
}[RequestMethod];

export type ResponseMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: string };

export type WebviewToHost = WebviewEvent | RequestMessage;
export type HostToWebview = HostEvent | ResponseMessage;

export function isRequest(m: WebviewToHost): m is RequestMessage {
  return m.type === 'request';
}
