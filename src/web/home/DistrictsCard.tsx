import { Card, Table } from 'antd';
import { Link } from 'react-router-dom';
import { useOrgs } from '../common/useOrgs';
import type { OrgNode } from '../common/orgTree';

type Row = { id: number; name: string; code: string; streets: number; communities: number };

function count(node: OrgNode, level: OrgNode['level']): number {
  return node.children.reduce((n, c) => n + (c.level === level ? 1 : 0) + count(c, level), 0);
}

/** The districts (and their streets and communities) within the user's view: 考核范围, seed 一. */
export function DistrictsCard() {
  const { index, loading } = useOrgs();
  const districts: Row[] = [...index.byId.values()]
    .filter((n) => n.level === 'district')
    .map((n) => ({ id: n.id, name: n.name, code: n.code, streets: count(n, 'street'), communities: count(n, 'community') }));
  return (
    <Card title="考核范围" extra={<Link to="/orgs">组织机构</Link>} data-testid="districts-card">
      <Table<Row>
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={districts}
        columns={[
          { title: '区', dataIndex: 'name' },
          { title: '代码', dataIndex: 'code' },
          { title: '街道/镇', dataIndex: 'streets', align: 'right' },
          { title: '社区/村', dataIndex: 'communities', align: 'right' },
        ]}
      />
    </Card>
  );
}
