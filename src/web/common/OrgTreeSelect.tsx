import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { toSelectTree, type OrgSelectNode } from './orgTree';
import { useOrgs } from './useOrgs';

type Props = {
  id?: string;
  value?: number | null;
  onChange?: (value: number | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  disabled?: boolean;
  /** Only units that pass may be selected (others are shown but disabled). */
  selectable?: (node: OrgSelectNode) => boolean;
};

function markDisabled(nodes: OrgSelectNode[], ok: (n: OrgSelectNode) => boolean): (OrgSelectNode & { disabled?: boolean })[] {
  return nodes.map((n) => ({
    ...n,
    disabled: !ok(n),
    ...(n.children ? { children: markDisabled(n.children, ok) } : {}),
  }));
}

/** Org unit picker over the user's visible tree, searchable by name or code. */
export function OrgTreeSelect({ id, value, onChange, placeholder = '请选择单位', allowClear, style, disabled, selectable }: Props) {
  const { index, loading } = useOrgs();
  const treeData = useMemo(() => {
    const data = toSelectTree(index.roots);
    return selectable ? markDisabled(data, selectable) : data;
  }, [index, selectable]);
  const defaultExpanded = useMemo(() => index.roots.map((r) => r.id), [index]);

  return (
    <TreeSelect<number>
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      loading={loading}
      style={{ width: '100%', ...style }}
      showSearch={{
        filterTreeNode: (input, node) => {
          const n = node as unknown as OrgSelectNode;
          const q = input.trim().toLowerCase();
          return n.title.toLowerCase().includes(q) || n.code.toLowerCase().includes(q);
        },
      }}
      treeDefaultExpandedKeys={defaultExpanded}
      listHeight={360}
      popupMatchSelectWidth={false}
      treeNodeLabelProp="title"
    />
  );
}
