// Which details are worth drawing at a zoom level. Far away only shapes and thin edges; text appears once it is
// readable; ports, arrowheads and tensor types only up close.
export interface Detail {
  /** Box outlines and group decorations. */
  outlines: boolean;
  /** Op type / group label. */
  labels: boolean;
  /** Node name under the label. */
  names: boolean;
  /** Port dots and arrowheads on edges. */
  ports: boolean;
  /** Tensor type text on edges. */
  edgeLabels: boolean;
  /** Edge stroke width in CSS pixels. */
  edgeWidth: number;
}

import { LABEL_SIZE } from '../../src/protocol/boxText';

/** Scene font sizes (scene units) for a box's first and second line: the layout sizes boxes by them too. */
export { LABEL_SIZE, NAME_SIZE } from '../../src/protocol/boxText';

export function detailFor(k: number): Detail {
  const labelPx = LABEL_SIZE * k;
  return {
    outlines: k >= 0.25,
    labels: labelPx >= 6.5,
    names: labelPx >= 10,
    ports: k >= 0.6,
    edgeLabels: k >= 1.1,
    edgeWidth: k < 0.15 ? 0.5 : k < 0.5 ? 0.75 : Math.min(2, 0.6 + k * 0.6),
  };
}
