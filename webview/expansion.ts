// Which groups are open. Collapsing a group also closes everything inside it, so reopening it later shows it
// folded one level at a time.
import type { Scene } from '../src/protocol/scene';

export function withExpanded(expanded: readonly string[], id: string): string[] {
  return expanded.includes(id) ? [...expanded] : [...expanded, id];
}

/** Removes `id` and every expanded group nested in it (by `parent` links in the scene, or scope path prefix). */
export function withCollapsed(scene: Scene, expanded: readonly string[], id: string): string[] {
  const parentOf = new Map(scene.nodes.map((n) => [n.id, n.parent]));
  const group = scene.nodes.find((n) => n.id === id);
  const inside = (g: string): boolean => {
    for (let p: string | undefined = g; p; p = parentOf.get(p)) if (p === id) return true;
    // Groups not in this scene (hidden deeper): fall back to their scope path under the collapsed group's.
    const other = scene.nodes.find((n) => n.id === g);
    return !other && !!group && g.startsWith(id + '/');
  };
  return expanded.filter((g) => !inside(g));
}

/** Quantization folds: every folded box of the scene opened, or (none left folded) every fold closed. */
export function withFoldsToggled(scene: Scene, expanded: readonly string[]): string[] {
  const folded = scene.nodes.filter((n) => n.fold && n.kind === 'op').map((n) => n.id);
  if (folded.length > 0) return [...new Set([...expanded, ...folded])];
  const folds = new Set(scene.nodes.filter((n) => n.fold).map((n) => n.id));
  return expanded.filter((id) => !folds.has(id));
}

/** Expanded set with every collapsed group of the scene opened (optionally only those passing `keep`). */
export function withAllExpanded(scene: Scene, expanded: readonly string[], keep: (id: string) => boolean = () => true): string[] {
  const out = new Set(expanded);
  for (const n of scene.nodes) if (n.kind === 'group' && !n.expanded && keep(n.id)) out.add(n.id);
  return [...out];
}
