// The graph actions' state for one panel, as plain data and pure functions (unit-tested without VS Code).

export interface ActionMarks {
  /** Tensors chosen in the view (click, ctrl/cmd-click), as the webview last reported them. */
  chosen: string[];
  /** The selected box id (`n:3`, `i:x`, ...), if a box is selected. */
  selectedNode: string | undefined;
  /** "Extract Submodel: Start Here" tensors: the cut's inputs. */
  inputs: string[];
  /** "Extract Submodel: End Here" tensors: the cut's outputs. */
  outputs: string[];
}

export function emptyMarks(): ActionMarks {
  return { chosen: [], selectedNode: undefined, inputs: [], outputs: [] };
}

/** Adds `tensor` to one side of the cut and removes it from the other: a tensor cannot be both. */
export function addExtractMark(m: ActionMarks, side: 'inputs' | 'outputs', tensor: string): void {
  const other = side === 'inputs' ? 'outputs' : 'inputs';
  m[other] = m[other].filter((t) => t !== tensor);
  if (!m[side].includes(tensor)) m[side] = [...m[side], tensor];
}

export function clearExtractMarks(m: ActionMarks): void {
  m.inputs = [];
  m.outputs = [];
}

/** The chosen tensors plus the one right-clicked, each once, the clicked one last. */
export function tensorsToMark(m: Pick<ActionMarks, 'chosen'>, clicked: string | undefined): string[] {
  return [...new Set([...m.chosen.filter((t) => t !== clicked), ...(clicked ? [clicked] : [])])];
}

/** The op index of a scene node id `n:<index>`, or undefined for inputs, outputs and groups. */
export function opIndexOf(nodeId: string | undefined): number | undefined {
  const m = nodeId ? /^n:(\d+)$/.exec(nodeId) : null;
  return m ? Number(m[1]) : undefined;
}
