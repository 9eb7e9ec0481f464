import { Button, Card, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { api } from '../api/client';
import type { SessionInfo } from '../api/types';
import { useItems } from '../common/useItems';
import { describeUserAgent } from '../../shared/user-agent';
import { formatTime } from '../common/format';
import { byText, byTime } from '../common/tableSort';
import { useNotifyError } from '../common/useNotifyError';
import { TotpCard } from './TotpCard';

export function SessionsPage() {
  const { items, loading, reload: load } = useItems<SessionInfo>('/api/auth/sessions');
  const notifyError = useNotifyError();

  const end = async (id: number) => {
    try {
      await api.delete(`/api/auth/sessions/${id}`);
      await load();
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <>
    <Card title="登录设备" extra={<Button onClick={() => void load()}>刷新</Button>}>
      <Typography.Paragraph type="secondary">
        以下是您账号当前有效的登录会话。如发现不认识的设备，请结束该会话并及时修改密码。
      </Typography.Paragraph>
      <Table<SessionInfo>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: '登录时间', dataIndex: 'createdAt', render: (v: string) => formatTime(v), sorter: byTime((s) => s.createdAt) },
          { title: '最近活动', dataIndex: 'lastSeenAt', render: (v: string) => formatTime(v), sorter: byTime((s) => s.lastSeenAt) },
          { title: 'IP 地址', dataIndex: 'ip', render: (v: string | null) => v ?? '—', sorter: byText((s) => s.ip) },
          {
            title: '浏览器',
            dataIndex: 'userAgent',
            ellipsis: true,
            render: (v: string | null) => <span title={v ?? ''}>{describeUserAgent(v) ?? '—'}</span>,
            sorter: byText((s) => describeUserAgent(s.userAgent)),
          },
          {
            title: '操作',
            key: 'actions',
            width: 160,
            render: (_, s) =>
              s.current ? (
                <Tag color="blue">当前设备</Tag>
              ) : (
                <Space>
                  <Popconfirm title="确定结束该会话吗？" okText="确定" cancelText="取消" onConfirm={() => end(s.id)}>
                    <Button danger size="small">
                      结束
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
    </Card>
    <TotpCard />
    </>
  );
}
