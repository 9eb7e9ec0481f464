// The communities a surveyor can be given: those under the surveyor's own unit (the server refuses
// any other), as a checkable tree where only the community level has a checkbox and streets without
// communities are left out.
import type { OrgIndex, OrgNode } from '../common/orgTree';

export type CommunityTreeNode = {
  value: number;
  title: string;
  /**
   * Only communities have a checkbox; a street or district groups them. (The groups stay
   * selectable: the picker's keyboard search skips an unselectable node with all its children, so
   * Enter would find no match; what a group adds to the value is dropped by the picker's onChange.)
   */
  checkable: boolean;
  children?: CommunityTreeNode[];
};

function toNode(n: OrgNode): CommunityTreeNode | null {
  if (n.level === 'community') return { value: n.id, title: n.name, checkable: true };
  const children = n.children.map(toNode).filter((c): c is CommunityTreeNode => c !== null);
  if (!children.length) return null;
  return { value: n.id, title: n.name, checkable: false, children };
}

/** The tree of communities under (or equal to) `unitId`; empty when the unit is not in the index. */
export function communityTree(index: OrgIndex, unitId: number): CommunityTreeNode[] {
  const unit = index.byId.get(unitId);
  const root = unit ? toNode(unit) : null;
  return root ? [root] : [];
}

/** The ids of the community nodes of a tree. */
export function communityIds(nodes: readonly CommunityTreeNode[]): Set<number> {
  const out = new Set<number>();
  const walk = (list: readonly CommunityTreeNode[]) => {
    for (const n of list) {
      if (n.checkable) out.add(n.value);
      if (n.children) walk(n.children);
    }
  };
  walk(nodes);
  return out;
}
