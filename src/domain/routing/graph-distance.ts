import type { DependencyEdge } from '../types.js';

/**
 * Hops from each node to its nearest anchor other than itself, following DEPENDS_ON edges in
 * either direction (what an anchor needs and what builds on it are both close to it), up to
 * `maxHops`. Nodes farther away or unconnected are absent from the result.
 */
export function distancesToAnchors(edges: readonly DependencyEdge[], anchors: ReadonlySet<string>, maxHops: number): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const { from, to } of edges) {
    link(from, to);
    link(to, from);
  }
  const best = new Map<string, number>();
  for (const anchor of anchors) {
    // A breadth-first walk per anchor; the anchor itself is not its own neighbour.
    const seen = new Set([anchor]);
    let frontier = [anchor];
    for (let hops = 1; hops <= maxHops && frontier.length > 0; hops += 1) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const neighbour of neighbours.get(node) ?? []) {
          if (seen.has(neighbour)) continue;
          seen.add(neighbour);
          next.push(neighbour);
          const known = best.get(neighbour);
          if (known === undefined || hops < known) best.set(neighbour, hops);
        }
      }
      frontier = next;
    }
  }
  return best;
}
