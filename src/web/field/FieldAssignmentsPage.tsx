// 调查员分配 (issue 15): the surveyors of the admin's district (or of a unit picked in it) with the
// communities each surveys; 分配社区 replaces them (the task list of the phone app to come).
import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { FieldSurveyor } from '../../shared/api-field';
import { api } from '../api/client';
import type { Items } from '../api/types';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { byNumber, byText, textFilter } from '../common/tableSort';
import { useNotifyError } from '../common/useNotifyError';
import { AssignmentDrawer } from './AssignmentDrawer';

/** Tags shown in a row before the rest are counted ("等 N 个"). */
const TAGS_SHOWN = 8;

function CommunityTags({ s }: { s: FieldSurveyor }) {
  if (!s.communities.length) return <Typography.Text type="secondary">未分配</Typography.Text>;
  const shown = s.communities.slice(0, TAGS_SHOWN);
  const rest = s.communities.length - shown.length;
  return (
    <Space size={[0, 4]} wrap>
      {shown.map((c) => (
        <Tag key={c.orgUnitId}>{c.name}</Tag>
      ))}
      {rest > 0 && <Typography.Text type="secondary">等 {s.communities.length} 个</Typography.Text>}
    </Space>
  );
}

export function FieldAssignmentsPage() {
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>();
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<FieldSurveyor[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<FieldSurveyor | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.get<Items<FieldSurveyor>>('/api/field/assignments', { orgUnitId });
      setItems(r.items);
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  }, [orgUnitId, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  // The list holds the whole unit (a district has tens of surveyors): the name search is local.
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return items;
    return items.filter((s) => s.displayName.toLowerCase().includes(q) || s.username.toLowerCase().includes(q));
  }, [items, search]);

  const columns: ColumnsType<FieldSurveyor> = [
    { title: '用户名', dataIndex: 'username', sorter: byText((s) => s.username) },
    { title: '姓名', dataIndex: 'displayName', sorter: byText((s) => s.displayName) },
    { title: '所属单位', dataIndex: 'orgUnitName', sorter: byText((s) => s.orgUnitName), ...textFilter(items, (s) => s.orgUnitName) },
    { title: '负责社区/村', key: 'communities', render: (_, s) => <CommunityTags s={s} />, sorter: byNumber((s) => s.communities.length) },
    {
      title: '状态',
      key: 'status',
      render: (_, s) => (s.disabled ? <Tag>停用</Tag> : <Tag color="green">正常</Tag>),
      filters: [
        { text: '正常', value: 'ok' },
        { text: '停用', value: 'disabled' },
      ],
      onFilter: (v, s) => (v === 'disabled') === s.disabled,
    },
    {
      title: '操作',
      key: 'actions',
      render: (_, s) => (
        <Button type="link" size="small" onClick={() => setEditing(s)}>
          分配社区
        </Button>
      ),
    },
  ];

  const empty = items.length ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合搜索条件的调查员" />
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <Space orientation="vertical" size={4}>
          <span>没有调查员</span>
          <Typography.Text type="secondary">
            请先在<Link to="/users">用户管理</Link>中新建角色为“调查员”的用户，再为其分配社区/村。
          </Typography.Text>
        </Space>
      }
    />
  );

  return (
    <Card title="调查员分配">
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect id="field-filter-org" aria-label="所属单位" value={orgUnitId} onChange={setOrgUnitId} placeholder="全部单位" allowClear style={{ width: 260 }} />
        <Input.Search aria-label="搜索调查员" placeholder="用户名或姓名" allowClear value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} />
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          刷新
        </Button>
      </Space>
      <div data-testid="surveyors-table">
        <Table<FieldSurveyor>
          rowKey="userId"
          size="middle"
          loading={loading}
          dataSource={rows}
          columns={columns}
          locale={{ emptyText: loading ? ' ' : empty }}
          pagination={{ pageSize: 20, showSizeChanger: true, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 人` }}
          scroll={{ x: 900 }}
        />
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        调查员只能分配到其所属单位范围内的社区/村；保存后整体替换该调查员原有的分配。
      </Typography.Paragraph>
      <AssignmentDrawer
        surveyor={editing}
        onClose={() => setEditing(null)}
        onSaved={(s) => {
          setEditing(null);
          setItems((prev) => prev.map((x) => (x.userId === s.userId ? s : x)));
          void message.success('已保存');
        }}
      />
    </Card>
  );
}
