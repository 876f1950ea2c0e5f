// Every ELK option the graph view uses, in one place. Levels are laid out one at a time (a group's children as a
// flat graph), so these are the options of one flat layered graph.

/** Bump when options or the level format change: it is part of every cache key, so old cached layouts are ignored. */
export const LAYOUT_FORMAT_VERSION = 3;

/** Padding inside a level's frame; the top leaves room for the group's title. */
export const LEVEL_PADDING = { top: 30, left: 12, bottom: 12, right: 12 };

/** Options on the root of each level graph. */
export const LEVEL_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // POLYLINE is the cheapest router measured here; the webview smooths the polyline.
  'elk.edgeRouting': 'POLYLINE',
  // Levels hold a few hundred nodes at most; the findings measured deep recursion only on 5k-node graphs, and
  // one component keeps disconnected parts (e.g. many inputs) in one layered drawing.
  'elk.separateConnectedComponents': 'false',
  // BRANDES_KOEPF is ELK's default; NETWORK_SIMPLEX placement measured ~12x slower here.
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // Fewer crossing-minimization sweeps (default 7): faster on 100-node levels, drawings stay readable.
  'elk.layered.thoroughness': '3',
  // The greedy-switch pass runs by default on graphs under 40 nodes, i.e. on most levels; off it halved the time
  // of squeezenet's and mobilenet's levels with identical drawing sizes.
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.nodeNode': '16',
  'elk.spacing.edgeNode': '10',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.padding': `[top=${LEVEL_PADDING.top},left=${LEVEL_PADDING.left},bottom=${LEVEL_PADDING.bottom},right=${LEVEL_PADDING.right}]`,
};

/** Options on each child box: ports keep the given order (inputs left to right on top, outputs on the bottom). */
export const NODE_OPTIONS: Record<string, string> = {
  'org.eclipse.elk.portConstraints': 'FIXED_ORDER',
  'elk.nodeSize.constraints': '',
};

export const PORT_SIZE = 4;
