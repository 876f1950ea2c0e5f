// Messages of one feature, merged into the protocol in messages.ts. Plain data only.
// Graph actions: tensors chosen in the view (for "Mark as Output"), the extract start/end marks the host keeps,
// and exporting the view as an image.

export type ExportFormat = 'svg' | 'png';

/** Requests the webview sends for this feature: method -> { params; result }. */
export interface GraphActionRequests {
  /** Saves an exported picture: the host asks where (save dialog, default beside the model) and writes it.
   *  Answered once the data is accepted; the host tells the user how saving went. */
  saveExport: {
    params: {
      format: ExportFormat;
      /** SVG text, or the PNG file's bytes. */
      data: string | Uint8Array;
      width: number;
      height: number;
      /** Said to the user with the result, e.g. that a large PNG was scaled down. */
      note?: string;
    };
    result: { accepted: true };
  };
}

/** Messages the host sends for this feature without being asked. */
export type GraphActionHostEvent =
  /** The tensors chosen as the cut's inputs ("Start Here") and outputs ("End Here"), drawn highlighted. */
  | { type: 'extractMarks'; inputs: string[]; outputs: string[] }
  /** Forgets the tensors chosen in the view (after they were marked as outputs). */
  | { type: 'clearChosenTensors' }
  /** Asks the webview to export the current view (a palette command). */
  | { type: 'exportView'; format: ExportFormat };

/** Messages the webview sends for this feature without waiting for an answer. */
export type GraphActionWebviewEvent =
  /** The tensors chosen in the view (click an edge; ctrl/cmd-click adds or removes more). */
  { type: 'chosenTensors'; tensors: string[] };
