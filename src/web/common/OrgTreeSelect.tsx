import { TreeSelect } from 'antd';
import { useId, useMemo, useState } from 'react';
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
  /** The accessible name when no visible label is tied to the picker. */
  'aria-label'?: string;
};

function markDisabled(nodes: OrgSelectNode[], ok: (n: OrgSelectNode) => boolean): (OrgSelectNode & { disabled?: boolean })[] {
  return nodes.map((n) => ({
    ...n,
    disabled: !ok(n),
    ...(n.children ? { children: markDisabled(n.children, ok) } : {}),
  }));
}

/** The units whose name or code contains the search, as a flat list titled with their path ('新北区 / 罗溪镇 / 龙虎塘社区'). */
export function searchUnits(nodes: readonly OrgSelectNode[], search: string): (OrgSelectNode & { disabled?: boolean })[] {
  const q = search.trim().toLowerCase();
  const out: (OrgSelectNode & { disabled?: boolean })[] = [];
  const walk = (list: readonly (OrgSelectNode & { disabled?: boolean })[], path: string[]) => {
    for (const n of list) {
      const names = [...path, n.label];
      if (n.label.toLowerCase().includes(q) || n.code.toLowerCase().includes(q)) {
        out.push({ value: n.value, title: names.join(' / '), label: n.label, code: n.code, ...(n.disabled ? { disabled: true } : {}) });
      }
      if (n.children) walk(n.children, names);
    }
  };
  walk(nodes, []);
  return out;
}

/**
 * Org unit picker over the user's visible tree, searchable by name or code. While searching, the
 * matches are listed flat with their path, so the highlighted line is always a match and Enter picks
 * it (a filtered tree would highlight the matches' parent district first).
 */
export function OrgTreeSelect({ id, value, onChange, placeholder = '请选择单位', allowClear, style, disabled, selectable, 'aria-label': ariaLabel }: Props) {
  const { index, loading } = useOrgs();
  const [search, setSearch] = useState('');
  const autoId = useId();
  const inputId = id ?? `org-tree-${autoId.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const tree = useMemo(() => {
    const data = toSelectTree(index.roots);
    return selectable ? markDisabled(data, selectable) : data;
  }, [index, selectable]);
  const treeData = useMemo(() => (search.trim() ? searchUnits(tree, search) : tree), [tree, search]);
  const defaultExpanded = useMemo(() => index.roots.map((r) => r.id), [index]);

  // Enter with a search and no line highlighted (before any arrow key) picks the first match; a
  // line highlighted with the arrow keys is picked by the list itself.
  const onKeyDownCapture = (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter' || !search.trim() || document.querySelector('.ant-select-tree-treenode-active')) return;
    const first = (treeData as (OrgSelectNode & { disabled?: boolean })[]).find((n) => !n.disabled);
    if (!first) return;
    e.preventDefault();
    e.stopPropagation();
    onChange?.(first.value);
    setSearch('');
    (e.target as HTMLElement).blur();
  };

  return (
    <span onKeyDownCapture={onKeyDownCapture} style={{ display: 'inline-block', width: style?.width ?? '100%' }}>
      <TreeSelect<number>
        id={inputId}
        // A picker without a <label> tied to its id (a filter bar) is named here; in a Form.Item the
        // item's label names it (an aria-label would take its place).
        aria-label={ariaLabel}
        value={value ?? undefined}
        onChange={(v) => onChange?.(v ?? undefined)}
        treeData={treeData}
        placeholder={placeholder}
        allowClear={allowClear}
        disabled={disabled}
        loading={loading}
        style={{ width: '100%', ...style }}
        showSearch={{
          searchValue: search,
          onSearch: setSearch,
          // The list is already the matches (searchUnits).
          filterTreeNode: () => true,
        }}
        onOpenChange={(open) => {
          if (!open) setSearch('');
        }}
        treeDefaultExpandedKeys={defaultExpanded}
        listHeight={360}
        popupMatchSelectWidth={false}
        treeNodeLabelProp="label"
        // The open picker points aria-controls/aria-owns at '<id>_list', an element the tree list
        // does not render (antd 6.6): the wrapper carries that id so the reference holds.
        popupRender={(menu) => <div id={`${inputId}_list`}>{menu}</div>}
      />
    </span>
  );
}
