// The scope hierarchy used to collapse big graphs: from hierarchical node names
// (`/features/features.11/block/fc2/Conv`) or, for flat names, from PyTorch's name_scopes metadata.
import { NAME_SCOPES_KEY, scopesFromNameScopes } from './pytorchMetadata';

export interface ScopeNode {
  /** Path of scope segments joined by '/', '' for the root. */
  id: string;
  label: string;
  children: ScopeNode[];
  /** Graph nodes directly in this scope (indices into GraphModel.nodes). */
  nodes: number[];
  /** Graph nodes in this scope and all below it. */
  totalNodes: number;
}

/** Scope path of a node: segments of its name before the last '/', else its name_scopes metadata. */
export function nodeScope(name: string, metadata: Readonly<Record<string, string>>): string[] {
  if (name.includes('/')) {
    const parts = name.split('/').filter((p) => p.length > 0);
    return parts.slice(0, -1);
  }
  const scopes = metadata[NAME_SCOPES_KEY];
  if (scopes !== undefined) return scopesFromNameScopes(scopes) ?? [];
  return [];
}

/** Label of a scope segment relative to its parent: `layer1.0.conv1` under `layer1.0` reads `conv1`. */
function relativeLabel(segment: string, parent: string | undefined): string {
  if (parent && segment.startsWith(parent + '.') && segment.length > parent.length + 1) return segment.slice(parent.length + 1);
  return segment;
}

export function buildScopeTree(nodeScopes: readonly string[][]): ScopeNode {
  const root: ScopeNode = { id: '', label: '', children: [], nodes: [], totalNodes: 0 };
  const byId = new Map<string, ScopeNode>([['', root]]);
  nodeScopes.forEach((path, index) => {
    let current = root;
    current.totalNodes++;
    let id = '';
    for (let i = 0; i < path.length; i++) {
      id = id ? `${id}/${path[i]}` : path[i];
      let child = byId.get(id);
      if (!child) {
        child = { id, label: relativeLabel(path[i], path[i - 1]), children: [], nodes: [], totalNodes: 0 };
        byId.set(id, child);
        current.children.push(child);
      }
      child.totalNodes++;
      current = child;
    }
    current.nodes.push(index);
  });
  return root;
}
