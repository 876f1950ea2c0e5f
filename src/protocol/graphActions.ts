// Messages of one feature, merged into the protocol in messages.ts. Plain data only.

/** Requests the webview sends for this feature: method -> { params; result }. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface GraphActionRequests {}

/** Messages the host sends for this feature without being asked. */
export type GraphActionHostEvent = never;

/** Messages the webview sends for this feature without waiting for an answer. */
export type GraphActionWebviewEvent = never;
