import { EditOutlined, FileExcelOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Empty, Input, Row, Space, Spin, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { ORG_LEVEL_LABELS, type OrgLevel } from '../../shared/roles';
import type { OrgUnit } from '../api/types';
import { errorMessage } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { ancestorPath, countDescendants, type OrgNode } from '../common/orgTree';
import { useOrgs } from '../common/useOrgs';
import { CHILD_LEVEL, OrgCreateModal, OrgRenameModal } from './OrgFormModal';

const LEVEL_COLORS: Record<OrgLevel, string> = {
  city: 'red',
  agency: 'purple',
  district: 'blue',
  street: 'cyan',
  community: 'green',
};

function nodeTitle(n: OrgNode) {
  return (
    <span>
      {n.name} <Tag color={LEVEL_COLORS[n.level]} style={{ marginInlineStart: 4 }}>{ORG_LEVEL_LABELS[n.level]}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {n.code}
      </Typography.Text>
    </span>
  );
}

/** Tree data, filtered to matching units and their ancestors when a query is given. */
function toTreeData(nodes: readonly OrgNode[], q: string): TreeDataNode[] {
  const out: TreeDataNode[] = [];
  for (const n of nodes) {
    const children = toTreeData(n.children, q);
    const self = !q || n.name.toLowerCase().includes(q) || n.code.toLowerCase().includes(q);
    if (self || children.length) {
      const item: TreeDataNode = { key: n.id, title: nodeTitle(n) };
      // When the unit itself matches, keep its whole subtree browsable.
      const kids = self && q ? toTreeData(n.children, '') : children;
      if (kids.length) item.children = kids;
      else item.isLeaf = true;
      out.push(item);
    }
  }
  return out;
}

function matchingAncestors(nodes: readonly OrgNode[], q: string, acc: Set<number>): boolean {
  let any = false;
  for (const n of nodes) {
    const childMatch = matchingAncestors(n.children, q, acc);
    if (childMatch) acc.add(n.id);
    if (childMatch || n.name.toLowerCase().includes(q) || n.code.toLowerCase().includes(q)) any = true;
  }
  return any;
}

export function OrgsPage() {
  const user = useUser();
  const { message } = App.useApp();
  const { index, loading, error, reload } = useOrgs();
  const [query, setQuery] = useState('');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const isCityAdmin = user.role === 'city_admin';

  const q = query.trim().toLowerCase();
  const treeData = useMemo(() => toTreeData(index.roots, q), [index, q]);
  const searchExpanded = useMemo(() => {
    if (!q) return null;
    const acc = new Set<number>();
    matchingAncestors(index.roots, q, acc);
    return [...acc];
  }, [index, q]);
  const defaultExpanded = useMemo(() => index.roots.map((r) => r.id), [index]);
  const expandedKeys = searchExpanded ?? expanded ?? defaultExpanded;

  const selected = selectedId === null ? undefined : index.byId.get(selectedId);
  const parent = selected?.parentId == null ? undefined : index.byId.get(selected.parentId);

  const afterChange = (unit: OrgUnit, verb: string) => {
    void message.success(`${verb}：${unit.name}`);
    reload();
    setSelectedId(unit.id);
    const path = ancestorPath(index, unit.parentId ?? unit.id);
    setExpanded((prev) => [...new Set([...(prev ?? defaultExpanded), ...path])]);
  };

  return (
    <Row gutter={24}>
      <Col xs={24} lg={14}>
        <Card
          title="组织机构"
          extra={
            <Button icon={<FileExcelOutlined />} href="/api/orgs.xlsx" download data-testid="orgs-export">
              导出 Excel
            </Button>
          }
        >
          <Input.Search
            placeholder="按名称或代码搜索"
            allowClear
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            style={{ marginBottom: 12 }}
            aria-label="搜索组织机构"
          />
          {loading && index.roots.length === 0 ? (
            <Spin />
          ) : error ? (
            <Typography.Text type="danger">{errorMessage(error)}</Typography.Text>
          ) : treeData.length === 0 ? (
            <Empty description={q ? '没有匹配的单位' : '暂无单位'} />
          ) : (
            <div data-testid="org-tree">
              <Tree
                treeData={treeData}
                height={600}
                virtual
                blockNode
                showLine
                expandedKeys={expandedKeys}
                onExpand={(keys) => {
                  if (!q) setExpanded(keys);
                }}
                selectedKeys={selectedId === null ? [] : [selectedId]}
                onSelect={(keys) => {
                  const k = keys[0];
                  setSelectedId(typeof k === 'number' ? k : k === undefined ? null : Number(k));
                }}
              />
            </div>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title="单位详情">
          {selected ? (
            <>
              <Descriptions
                column={1}
                bordered
                size="small"
                items={[
                  { key: 'name', label: '名称', children: selected.name },
                  { key: 'code', label: '代码', children: selected.code },
                  { key: 'level', label: '层级', children: <Tag color={LEVEL_COLORS[selected.level]}>{ORG_LEVEL_LABELS[selected.level]}</Tag> },
                  { key: 'parent', label: '上级单位', children: parent ? `${parent.name}（${parent.code}）` : '—' },
                  { key: 'children', label: '直属下级数', children: selected.children.length },
                  { key: 'desc', label: '下属单位总数', children: countDescendants(selected) },
                ]}
              />
              {isCityAdmin && (
                <Space style={{ marginTop: 16 }}>
                  <Button type="primary" icon={<PlusOutlined />} disabled={CHILD_LEVEL[selected.level] === null} onClick={() => setCreating(true)}>
                    新增下级
                  </Button>
                  <Button icon={<EditOutlined />} onClick={() => setRenaming(true)}>
                    重命名
                  </Button>
                </Space>
              )}
              <OrgCreateModal
                parent={selected}
                open={creating}
                onClose={() => setCreating(false)}
                onCreated={(u) => {
                  setCreating(false);
                  afterChange(u, '已新增单位');
                }}
              />
              <OrgRenameModal
                unit={selected}
                open={renaming}
                onClose={() => setRenaming(false)}
                onRenamed={(u) => {
                  setRenaming(false);
                  afterChange(u, '已重命名');
                }}
              />
            </>
          ) : (
            <Empty description="请在左侧选择一个单位" />
          )}
        </Card>
      </Col>
    </Row>
  );
}
