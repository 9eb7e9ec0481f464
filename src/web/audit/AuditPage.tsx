import { FileExcelOutlined, FileProtectOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, withQuery, type Query } from '../api/client';
import type { AuditEntry, AuditPage as AuditPageData, AuditVerify } from '../api/types';
import { formatTimeSeconds } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { JsonDiff } from './JsonDiff';
import { AuditStatusLine } from './AuditStatusAlert';
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
  // The log is paged on the server (keyset): the header sorts by time there, newest or oldest first.
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [statusKey, setStatusKey] = useState(0);
  // Export range: the last 180 days by default (网络安全法 §21 keeps at least that).
  const [exportRange, setExportRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(180, 'day'), dayjs()]);
  const exportUrl = (format: 'xlsx' | 'json') =>
    withQuery('/api/audit/export', { format, from: exportRange[0].format('YYYY-MM-DD'), to: exportRange[1].format('YYYY-MM-DD') });

  const fetchPage = useCallback(
    async (q: Query, o: 'desc' | 'asc', cursor: number | null) => {
      setLoading(true);
      try {
        const r = await api.get<AuditPageData>('/api/audit', { ...q, order: o, [o === 'asc' ? 'after' : 'before']: cursor ?? undefined, limit: PAGE_SIZE });
        setItems((prev) => (cursor === null ? r.items : [...prev, ...r.items]));
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
    void fetchPage(query, order, null);
  }, [fetchPage, query, order]);

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.get<AuditVerify>('/api/audit/verify'));
    } catch (err) {
      notifyError(err);
    } finally {
      setVerifying(false);
      setStatusKey((k) => k + 1);
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
      <AuditStatusLine refreshKey={statusKey} />
      <Space wrap style={{ marginBottom: 16 }} data-testid="audit-export">
        <span>导出/归档：</span>
        <DatePicker.RangePicker
          allowClear={false}
          value={exportRange}
          onChange={(v) => {
            if (v?.[0] && v[1]) setExportRange([v[0], v[1]]);
          }}
        />
        <Button icon={<FileExcelOutlined />} href={exportUrl('xlsx')} download data-testid="audit-export-xlsx">
          导出 Excel
        </Button>
        <Button icon={<FileProtectOutlined />} href={exportUrl('json')} download data-testid="audit-export-json" title="含哈希与校验码并整体签名，可用 canbao audit verify-archive 离线校验">
          导出签名归档（JSON）
        </Button>
      </Space>
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable={{ onClose: () => setVerify(null) }}
          type={verify.ok ? 'success' : 'error'}
          data-testid="audit-verify-result"
          title={
            verify.ok
              ? `日志完整：已校验 ${verify.checked} 条记录，哈希链、校验码与已记录的锚点均一致。`
              : `日志完整性校验失败：${verify.reason ?? ''}（已校验 ${verify.checked} 条${verify.firstBadId !== null ? `，第一条异常记录编号 ${verify.firstBadId}` : ''}）`
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
        <Form.Item label="操作" name="event">
          <Select
            allowClear
            style={{ width: 220 }}
            placeholder="全部"
            options={Object.entries(AUDIT_EVENT_LABELS).map(([value, label]) => ({ value, label }))}
            showSearch={{
              filterOption: (input, opt) => `${String(opt?.label ?? '')} ${String(opt?.value ?? '')}`.toLowerCase().includes(input.toLowerCase()),
            }}
            data-testid="audit-event-select"
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
        data-testid="audit-table"
        onChange={(_p, filters, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setOrder(s?.order === 'ascend' ? 'asc' : 'desc');
          // The 结果 column's filter is the form's 结果 field: one query, shown in both places.
          const picked = filters.success?.[0];
          const success = picked === 'true' || picked === 'false' ? picked : undefined;
          if (success !== query.success) {
            form.setFieldValue('success', success);
            setQuery((q) => ({ ...q, success }));
          }
        }}
        expandable={{
          expandedRowRender: (e) => <JsonDiff before={e.before} after={e.after} />,
          rowExpandable: (e) => e.before !== null || e.after !== null,
        }}
        columns={[
          { title: '编号', dataIndex: 'id', width: 80 },
          {
            title: '时间',
            dataIndex: 'at',
            width: 180,
            render: (v: string) => formatTimeSeconds(v),
            sorter: true,
            sortOrder: order === 'asc' ? 'ascend' : 'descend',
            sortDirections: ['descend', 'ascend'],
          },
          {
            title: '用户',
            key: 'user',
            render: (_, e) => (e.username ? (e.displayName && e.displayName !== e.username ? `${e.displayName}（${e.username}）` : e.username) : '—'),
          },
          { title: '操作', dataIndex: 'event', render: (v: string) => <span title={v}>{eventLabel(v)}</span> },
          {
            title: '对象',
            key: 'object',
            render: (_, e) =>
              e.objectType ? (
                <span title={`${e.objectType}${e.objectId ? ` #${e.objectId}` : ''}`}>
                  {objectLabel(e.objectType)}
                  {e.objectName ? `：${e.objectName}` : e.objectId ? ` #${e.objectId}` : ''}
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: '结果',
            dataIndex: 'success',
            key: 'success',
            width: 90,
            filters: [
              { text: '成功', value: 'true' },
              { text: '失败', value: 'false' },
            ],
            filterMultiple: false,
            filteredValue: query.success ? [String(query.success)] : null,
            render: (ok: boolean) => (ok ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>),
          },
          { title: 'IP', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        {cursor !== null ? (
          <Button loading={loading} onClick={() => void fetchPage(query, order, cursor)}>
            加载更多
          </Button>
        ) : (
          items.length > 0 && <span style={{ color: 'rgba(0, 0, 0, 0.6)' }}>已显示全部 {items.length} 条记录</span>
        )}
      </div>
    </Card>
  );
}
