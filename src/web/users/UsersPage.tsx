import { FileExcelOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../shared/roles';
import { api, ApiError, withQuery } from '../api/client';
import type { Items, ResetPasswordResponse, User } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { formatTime } from '../common/format';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { byText, byTime, textFilter } from '../common/tableSort';
import { useNotifyError } from '../common/useNotifyError';
import { SecretModal, type Secret } from './SecretModal';
import { UserCreateModal } from './UserCreateModal';
import { UserEditDrawer } from './UserEditDrawer';
import { UserStatusTags } from './UserStatusTags';
import { roleOptions } from './userRoles';

type Filters = { orgUnitId?: number; role?: Role; q: string; includeDescendants: boolean };

export function UsersPage() {
  const me = useUser();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const [filters, setFilters] = useState<Filters>({ q: '', includeDescendants: true });
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<User[]>([]);
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);

  // The list's filters, also those of its .xlsx export.
  const query = useMemo(
    () => ({
      orgUnitId: filters.orgUnitId,
      role: filters.role,
      q: filters.q || undefined,
      includeDescendants: filters.orgUnitId ? String(filters.includeDescendants) : undefined,
    }),
    [filters],
  );
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.get<Items<User>>('/api/users', query);
      setItems(r.items);
    } catch (err) {
      notifyError(err);
    } finally {
      setLoading(false);
    }
  }, [query, notifyError]);

  useEffect(() => {
    void load();
  }, [load]);

  const replaceUser = (u: User) => setItems((prev) => prev.map((x) => (x.id === u.id ? u : x)));

  const conflict = (msg: string) => {
    modal.warning({ title: '数据已被修改', content: `${msg}（列表已重新加载为最新数据，请核对后再操作）`, okText: '确定' });
    setEditing(null);
    void load();
  };

  const resetPassword = (u: User) => {
    modal.confirm({
      title: `重置 ${u.displayName}（${u.username}）的密码？`,
      content: '重置后原密码立即失效，用户须使用临时密码登录并修改密码。',
      okText: '确定',
      cancelText: '取消',
      onOk: async () => {
        try {
          const r = await api.post<ResetPasswordResponse>(`/api/users/${u.id}/reset-password`, {});
          setSecret({ title: '临时密码', username: u.username, password: r.temporaryPassword });
          void load();
        } catch (err) {
          notifyError(err);
        }
      },
    });
  };

  const unlock = async (u: User) => {
    try {
      await api.post(`/api/users/${u.id}/unlock`, {});
      void message.success(`已解锁：${u.username}`);
      void load();
    } catch (err) {
      notifyError(err);
    }
  };

  const toggleDisabled = (u: User) => {
    const disable = !u.disabled;
    modal.confirm({
      title: `${disable ? '停用' : '启用'}用户 ${u.displayName}（${u.username}）？`,
      content: disable ? '停用后该用户将无法登录，其已登录的会话会被结束。' : '启用后该用户可以重新登录。',
      okText: '确定',
      cancelText: '取消',
      okButtonProps: disable ? { danger: true } : {},
      onOk: async () => {
        try {
          const r = await api.patch<User>(`/api/users/${u.id}`, { disabled: disable, version: u.version });
          replaceUser(r);
          void message.success(disable ? '已停用' : '已启用');
        } catch (err) {
          if (err instanceof ApiError && err.code === 'CONFLICT') conflict(err.message);
          else notifyError(err);
        }
      },
    });
  };

  const columns: ColumnsType<User> = [
    { title: '用户名', dataIndex: 'username', sorter: byText((u) => u.username) },
    { title: '姓名', dataIndex: 'displayName', sorter: byText((u) => u.displayName) },
    // The role is also a filter of the query above (and of the export); here it sorts.
    { title: '角色', dataIndex: 'role', render: (r: Role) => ROLE_LABELS[r], sorter: (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) },
    { title: '所属单位', dataIndex: 'orgUnitName', sorter: byText((u) => u.orgUnitName), ...textFilter(items, (u) => u.orgUnitName) },
    { title: '电话', dataIndex: 'phone', render: (p: string | null) => p ?? '—' },
    {
      title: '状态',
      key: 'status',
      render: (_, u) => <UserStatusTags user={u} />,
      filters: [
        { text: '正常', value: 'ok' },
        { text: '已停用', value: 'disabled' },
        { text: '已锁定', value: 'locked' },
        { text: '待改密', value: 'pwd' },
      ],
      onFilter: (v, u) => (v === 'disabled' ? u.disabled : v === 'locked' ? u.locked : v === 'pwd' ? u.mustChangePassword : !u.disabled && !u.locked && !u.mustChangePassword),
    },
    { title: '最后登录', dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatTime(v) : '从未登录'), sorter: byTime((u) => u.lastLoginAt) },
    {
      title: '操作',
      key: 'actions',
      render: (_, u) => (
        <Space size={4} wrap>
          <Button type="link" size="small" onClick={() => setEditing(u)}>
            编辑
          </Button>
          <Button type="link" size="small" onClick={() => resetPassword(u)}>
            重置密码
          </Button>
          {u.locked && (
            <Button type="link" size="small" onClick={() => void unlock(u)}>
              解锁
            </Button>
          )}
          {u.id !== me.id && (
            <Button type="link" size="small" danger={!u.disabled} onClick={() => toggleDisabled(u)}>
              {u.disabled ? '启用' : '停用'}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title="用户管理"
      extra={
        <Space>
          <Button icon={<FileExcelOutlined />} href={withQuery('/api/users.xlsx', query)} download data-testid="users-export">
            导出 Excel
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建用户
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect
          id="users-filter-org"
          aria-label="所属单位"
          value={filters.orgUnitId}
          onChange={(v) => setFilters((f) => ({ ...f, orgUnitId: v }))}
          placeholder="全部单位"
          allowClear
          style={{ width: 260 }}
        />
        <Checkbox
          checked={filters.includeDescendants}
          disabled={!filters.orgUnitId}
          onChange={(e) => setFilters((f) => ({ ...f, includeDescendants: e.target.checked }))}
        >
          含下级单位
        </Checkbox>
        <Select<Role>
          aria-label="角色筛选"
          placeholder="全部角色"
          allowClear
          style={{ width: 160 }}
          value={filters.role}
          onChange={(v) => setFilters((f) => ({ ...f, role: v ?? undefined }))}
          options={roleOptions(ROLES)}
        />
        <Input.Search
          aria-label="搜索用户"
          placeholder="用户名或姓名"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() }))}
          style={{ width: 220 }}
          enterButton="查询"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          刷新
        </Button>
      </Space>
      <div data-testid="users-table">
        <Table<User>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={items}
          columns={columns}
          pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (t) => `共 ${t} 人` }}
          scroll={{ x: 1000 }}
        />
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        电话号码按个人信息保护要求脱敏显示。
      </Typography.Paragraph>
      <UserCreateModal
        open={creating}
        defaultOrgUnitId={filters.orgUnitId}
        onClose={() => setCreating(false)}
        onCreated={(r) => {
          setCreating(false);
          setSecret({ title: '用户已创建，初始密码', username: r.user.username, password: r.initialPassword });
          void load();
        }}
      />
      <UserEditDrawer
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={(u) => {
          setEditing(null);
          replaceUser(u);
          void message.success('已保存');
        }}
        onConflict={conflict}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
