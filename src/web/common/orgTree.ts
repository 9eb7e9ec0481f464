// Client-side tree of the flat /api/orgs list. Units whose parent is not in the list are roots
// (a district user gets their district subtree whose parent is outside it).
import type { OrgUnit } from '../api/types';

export type OrgNode = OrgUnit & { children: OrgNode[]; depth: number };

export type OrgIndex = {
  roots: OrgNode[];
  byId: Map<number, OrgNode>;
};

export function buildOrgIndex(items: readonly OrgUnit[]): OrgIndex {
  const byId = new Map<number, OrgNode>();
  for (const u of items) byId.set(u.id, { ...u, children: [], depth: 0 });
  const roots: OrgNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId === null ? undefined : byId.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byCode = (a: OrgNode, b: OrgNode) => a.code.localeCompare(b.code) || a.id - b.id;
  const walk = (nodes: OrgNode[], depth: number) => {
    nodes.sort(byCode);
    for (const n of nodes) {
      n.depth = depth;
      walk(n.children, depth + 1);
    }
  };
  walk(roots, 0);
  return { roots, byId };
}

/** Ids of the unit and all its ancestors present in the index, root first. */
export function ancestorPath(index: OrgIndex, id: number): number[] {
  const path: number[] = [];
  let cur = index.byId.get(id);
  const seen = new Set<number>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    path.unshift(cur.id);
    cur = cur.parentId === null ? undefined : index.byId.get(cur.parentId);
  }
  return path;
}

export function countDescendants(node: OrgNode): number {
  let n = 0;
  for (const c of node.children) n += 1 + countDescendants(c);
  return n;
}

export type OrgSelectNode = {
  value: number;
  title: string;
  label: string;
  code: string;
  children?: OrgSelectNode[];
};

/** Tree data for antd TreeSelect. */
export function toSelectTree(nodes: readonly OrgNode[]): OrgSelectNode[] {
  return nodes.map((n) => {
    const out: OrgSelectNode = { value: n.id, title: n.name, label: n.name, code: n.code };
    if (n.children.length) out.children = toSelectTree(n.children);
    return out;
  });
}
