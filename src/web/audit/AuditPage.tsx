import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from '../api/client';
import type { AuditEntry, AuditPage as AuditPageData, AuditVerify } from '../api/types';
import { formatTimeSeconds } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { JsonDiff } from './JsonDiff';
import { AUDIT_EVENT_LABELS, AUDIT_OBJECT_LABELS, eventLabel, objectLabel } from './labels';

type FilterValues = {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  event?: string;
  objectType?: string;
  success?: 'true' | 'false';
};

const PAGE_SIZE = 50;

function toQuery(v: FilterValues): Query {
  return {
    from: v.range?.[0]?.format('YYYY-MM-DD'),
    to: v.range?.[1]?.format('YYYY-MM-DD'),
    username: v.username?.trim(),
    event: v.event?.trim(),
    objectType: v.objectType?.trim(),
    success: v.success,
  };
}

export function AuditPage() {
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FilterValues>();
  const [query, setQuery] = useState<Query>({});
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);

  const fetchPage = useCallback(
    async (q: Query, before: number | null) => {
      setLoading(true);
      try {
        const r = await api.get<AuditPageData>('/api/audit', { ...q, before: before ?? undefined, limit: PAGE_SIZE });
        setItems((prev) => (before === null ? r.items : [...prev, ...r.items]));
        setCursor(r.nextCursor);
      } catch (err) {
        notifyError(err);
      } finally {
        setLoading(false);
      }
    },
    [notifyError],
  );

  useEffect(() => {
    void fetchPage(query, null);
  }, [fetchPage, query]);

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.get<AuditVerify>('/api/audit/verify'));
    } catch (err) {
      notifyError(err);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Card
      title="审计日志"
      extra={
        <Button icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void runVerify()}>
          校验日志完整性
        </Button>
      }
    >
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable={{ onClose: () => setVerify(null) }}
          type={verify.ok ? 'success' : 'error'}
          data-testid="audit-verify-result"
          title={
            verify.ok
              ? `日志完整：已校验 ${verify.checked} 条记录，哈希链未发现篡改。`
              : `日志完整性校验失败：已校验 ${verify.checked} 条，第一条异常记录编号 ${verify.firstBadId ?? '未知'}。`
          }
        />
      )}
      <Form form={form} name="auditFilter" layout="inline" onFinish={(v) => setQuery(toQuery(v))} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="日期" name="range">
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item label="用户名" name="username">
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label="事件类型" name="event">
          <AutoComplete
            allowClear
            style={{ width: 180 }}
            options={Object.entries(AUDIT_EVENT_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` }))}
            showSearch={{
              filterOption: (input, opt) => String(opt?.label ?? '').toLowerCase().includes(input.toLowerCase()),
            }}
          />
        </Form.Item>
        <Form.Item label="对象类型" name="objectType">
          <Select
            allowClear
            style={{ width: 120 }}
            options={Object.entries(AUDIT_OBJECT_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item label="结果" name="success">
          <Select
            allowClear
            style={{ width: 100 }}
            options={[
              { value: 'true', label: '成功' },
              { value: 'false', label: '失败' },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setQuery({});
              }}
            >
              重置
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={false}
        expandable={{
          expandedRowRender: (e) => <JsonDiff before={e.before} after={e.after} />,
          rowExpandable: (e) => e.before !== null || e.after !== null,
        }}
        columns={[
          { title: '编号', dataIndex: 'id', width: 80 },
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => formatTimeSeconds(v) },
          { title: '用户', dataIndex: 'username', render: (v: string | null) => v ?? '—' },
          { title: '事件', dataIndex: 'event', render: (v: string) => <span title={v}>{eventLabel(v)}</span> },
          {
            title: '对象',
            key: 'object',
            render: (_, e) => (e.objectType ? `${objectLabel(e.objectType)}${e.objectId ? ` #${e.objectId}` : ''}` : '—'),
          },
          {
            title: '结果',
            dataIndex: 'success',
            width: 80,
            render: (ok: boolean) => (ok ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>),
          },
          { title: 'IP', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        {cursor !== null ? (
          <Button loading={loading} onClick={() => void fetchPage(query, cursor)}>
            加载更多
          </Button>
        ) : (
          items.length > 0 && <span style={{ color: '#999' }}>已显示全部 {items.length} 条记录</span>
        )}
      </div>
    </Card>
  );
}
