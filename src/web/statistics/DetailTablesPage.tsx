// 人员明细数据表 (issue 7 item 5): the standard person tables — all registered persons, the insured,
// the uninsured with reasons and willingness (the list communities follow up) — of a unit in the
// user's scope, one sheet per street (community) where asked. The server writes them in the
// background: the page polls each table in progress every second and shows the rows written. ID
// numbers and phones are masked on the server as the role requires; every generation and download is
// in the audit log. A table is its requester's own.
import { DownloadOutlined, FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Progress, Radio, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DETAIL_TABLE_KIND_LABELS, DETAIL_TABLE_KINDS, type DetailTable, type DetailTableKind } from '../../shared/api-statistics';
import { api } from '../api/client';
import type { Items } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { formatSize } from '../assessments/labels';
import { formatTime } from '../common/format';
import { JobProgress } from '../common/JobProgress';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { byNumber, byText, byTime, codeFilter, textFilter } from '../common/tableSort';
import type { OrgSelectNode } from '../common/orgTree';
import { useNotifyError } from '../common/useNotifyError';
import { useOrgs } from '../common/useOrgs';
import { formatCount } from './labels';
import { StatisticsNav, StatNotFound, unitParam } from './StatisticsNav';
import './statistics.css';

const STAT_LEVELS = new Set(['city', 'district', 'street', 'community']);
const POLL_MS = 1000;

const STATUS: Record<DetailTable['status'], { text: string; color: string }> = {
  queued: { text: '排队中', color: 'default' },
  running: { text: '生成中', color: 'processing' },
  done: { text: '已完成', color: 'success' },
  failed: { text: '失败', color: 'error' },
};

const busy = (t: DetailTable) => t.status === 'queued' || t.status === 'running';
/** The kind's name without its explanation: "未参保人员明细表（含原因…）" → "未参保人员明细表". */
const kindName = (k: DetailTableKind) => DETAIL_TABLE_KIND_LABELS[k].replace(/（.*）$/, '');
const KIND_NAMES = Object.fromEntries(DETAIL_TABLE_KINDS.map((k) => [k, kindName(k)])) as Record<DetailTableKind, string>;
const DETAIL_STATUSES = Object.keys(STATUS) as DetailTable['status'][];
const DETAIL_STATUS_TEXT = Object.fromEntries(DETAIL_STATUSES.map((s) => [s, STATUS[s].text])) as Record<DetailTable['status'], string>;
const fileUrl = (id: number) => `/api/statistics/detail-tables/${id}/file`;

/** Rows written of the total with the time left while a table is written (JobProgress); its state otherwise. */
function TableProgress({ t, size = 'default' }: { t: DetailTable; size?: 'small' | 'default' }) {
  if (t.status === 'running' || t.status === 'done') {
    return <JobProgress done={t.rowsWritten} total={t.rowsTotal > 0 ? t.rowsTotal : null} elapsedMs={t.elapsedMs} finished={t.status === 'done'} size={size} data-testid={`detail-progress-${t.id}`} />;
  }
  return (
    <Progress
      percent={0}
      status={t.status === 'failed' ? 'exception' : 'normal'}
      size={size === 'small' ? 'small' : undefined}
      format={() => (t.status === 'failed' ? '失败' : '排队中')}
      style={{ margin: 0, minWidth: size === 'small' ? 160 : 280 }}
    />
  );
}

export function DetailTablesPage() {
  const me = useUser();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { index, loading: orgsLoading } = useOrgs();
  const [params, setParams] = useSearchParams();
  const unitArg = unitParam(params);

  const [tables, setTables] = useState<DetailTable[]>([]);
  const [listLoading, setListLoading] = useState(true);
  const [kind, setKind] = useState<DetailTableKind>('uninsured');
  const [perStreet, setPerStreet] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [currentId, setCurrentId] = useState<number | null>(null);
  const [pollFailed, setPollFailed] = useState(false);
  const [pollTick, setPollTick] = useState(0);

  // The unit: the URL's, else the user's own (a city user of the agency: the city).
  const ownUnit = useMemo(() => {
    const mine = index.byId.get(me.orgUnit.id);
    if (mine && STAT_LEVELS.has(mine.level)) return mine.id;
    return [...index.byId.values()].find((n) => n.level === 'city')?.id;
  }, [index, me.orgUnit.id]);
  const orgUnitId = typeof unitArg === 'number' ? unitArg : ownUnit;
  const unit = orgUnitId === undefined ? undefined : index.byId.get(orgUnitId);
  const notFound = unitArg === 'bad' || (typeof unitArg === 'number' && !orgsLoading && index.byId.size > 0 && (!unit || !STAT_LEVELS.has(unit.level)));
  const hasChildren = !!unit?.children.some((c) => STAT_LEVELS.has(c.level));
  const childWord = unit?.level === 'street' ? '社区（村）' : unit?.level === 'city' ? '区' : '街道（镇）';
  const selectable = useMemo(() => (n: OrgSelectNode) => STAT_LEVELS.has(index.byId.get(n.value)?.level ?? ''), [index]);

  const load = useCallback(async () => {
    setListLoading(true);
    try {
      setTables((await api.get<Items<DetailTable>>('/api/statistics/detail-tables')).items);
      setPollFailed(false);
    } catch (err) {
      notifyError(err);
    } finally {
      setListLoading(false);
    }
  }, [notifyError]);
  useEffect(() => {
    void load();
  }, [load]);

  // Every table still being written is asked for its progress once a second.
  const finishedNotice = useRef(new Set<number>());
  const activeKey = tables
    .filter(busy)
    .map((t) => `${t.id}:${t.status}:${t.rowsWritten}:${t.rowsTotal}`)
    .join(',');
  useEffect(() => {
    if (!activeKey || pollFailed) return;
    let alive = true;
    const timer = setTimeout(() => {
      const ids = activeKey.split(',').map((k) => Number(k.split(':')[0]));
      Promise.all(ids.map((id) => api.get<DetailTable>(`/api/statistics/detail-tables/${id}`)))
        .then((fresh) => {
          if (!alive) return;
          setTables((prev) => prev.map((t) => fresh.find((f) => f.id === t.id) ?? t));
          for (const f of fresh) {
            if (f.status === 'done' && !finishedNotice.current.has(f.id)) {
              finishedNotice.current.add(f.id);
              void message.success(`明细表已生成：${f.fileName}`);
            }
          }
        })
        .catch((err: unknown) => {
          if (!alive) return;
          setPollFailed(true);
          notifyError(err);
        })
        .finally(() => {
          if (alive) setPollTick((n) => n + 1);
        });
    }, POLL_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [activeKey, pollTick, pollFailed, message, notifyError]);

  const setUnit = (id: number | undefined) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id === undefined) next.delete('orgUnitId');
        else next.set('orgUnitId', String(id));
        return next;
      },
      { replace: true },
    );
  };

  const generate = async () => {
    if (orgUnitId === undefined) return;
    setSubmitting(true);
    try {
      const t = await api.post<DetailTable>('/api/statistics/detail-tables', { orgUnitId, kind, perStreet: perStreet && hasChildren });
      setTables((prev) => [t, ...prev.filter((p) => p.id !== t.id)]);
      setCurrentId(t.id);
      setPollFailed(false);
    } catch (err) {
      notifyError(err);
    } finally {
      setSubmitting(false);
    }
  };

  if (notFound) {
    return (
      <div className="statistics-page">
        <StatisticsNav keepUnit={false} />
        <StatNotFound back="/statistics/detail-tables" />
      </div>
    );
  }

  const current = currentId === null ? undefined : tables.find((t) => t.id === currentId);

  return (
    <div className="statistics-page" data-testid="detail-tables-page">
      <StatisticsNav />
      <Card title="生成人员明细数据表">
        <Form layout="horizontal" labelCol={{ flex: '120px' }} style={{ maxWidth: 760 }} data-testid="detail-form">
          <Form.Item label="单位" required>
            <OrgTreeSelect id="detail-unit" aria-label="单位" value={orgUnitId} onChange={(id) => id !== undefined && setUnit(id)} selectable={selectable} style={{ maxWidth: 360 }} />
          </Form.Item>
          <Form.Item label="表格" required>
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as DetailTableKind)} data-testid="detail-kind">
              <Space orientation="vertical">
                {DETAIL_TABLE_KINDS.map((k) => (
                  <Radio key={k} value={k}>
                    {DETAIL_TABLE_KIND_LABELS[k]}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item label="分表" extra={hasChildren ? `每个${childWord}一个工作表` : unit ? `${unit.name}没有下级单位` : undefined}>
            <Checkbox checked={perStreet && hasChildren} disabled={!hasChildren} onChange={(e) => setPerStreet(e.target.checked)} data-testid="detail-per-street">
              按街道（下级单位）分表
            </Checkbox>
          </Form.Item>
          <Form.Item label=" " colon={false}>
            <Button type="primary" icon={<FileExcelOutlined />} loading={submitting} disabled={orgUnitId === undefined} onClick={() => void generate()} data-testid="detail-generate">
              生成
            </Button>
          </Form.Item>
        </Form>
        {current && (
          <div data-testid="detail-current" style={{ maxWidth: 760, paddingLeft: 120 }}>
            <Typography.Text>
              {current.fileName}：<Tag color={STATUS[current.status].color}>{STATUS[current.status].text}</Tag>
            </Typography.Text>
            <TableProgress t={current} />
            {current.status === 'done' && (
              <Button type="link" icon={<DownloadOutlined />} href={fileUrl(current.id)} download style={{ paddingLeft: 0 }} data-testid="detail-current-download">
                下载 {current.fileName}
              </Button>
            )}
            {current.status === 'failed' && <Alert type="error" showIcon title="生成失败" description={current.error ?? '未知原因'} />}
          </div>
        )}
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 13 }} data-testid="detail-audit-note">
          明细表的生成和下载均记入审计日志。身份证号、联系电话是否脱敏由您的角色决定（见列表中的标记）；表格在后台生成，离开本页不会中断，可稍后在下方列表中下载。
        </Typography.Paragraph>
      </Card>
      <Card title="我生成的明细表" size="small" extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => void load()}>刷新</Button>}>
        <DetailTableList tables={tables} loading={listLoading} />
      </Card>
    </div>
  );
}

function DetailTableList({ tables, loading }: { tables: DetailTable[]; loading: boolean }) {
  const columns: ColumnsType<DetailTable> = [
    { title: '单位', dataIndex: 'orgUnitName', width: 120, sorter: byText((t) => t.orgUnitName), ...textFilter(tables, (t) => t.orgUnitName) },
    { title: '表格', dataIndex: 'kind', width: 150, render: (k: DetailTableKind) => kindName(k), sorter: byText((t) => kindName(t.kind)), ...codeFilter(DETAIL_TABLE_KINDS, KIND_NAMES, (t: DetailTable) => t.kind) },
    { title: '按下级分表', dataIndex: 'perStreet', width: 96, align: 'center', render: (v: boolean) => (v ? '是' : '否') },
    {
      title: '身份证号、电话',
      dataIndex: 'masked',
      width: 116,
      render: (m: boolean) => (m ? <Tag color="blue">已脱敏</Tag> : <Tag>完整</Tag>),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 200,
      ...codeFilter(DETAIL_STATUSES, DETAIL_STATUS_TEXT, (t: DetailTable) => t.status),
      render: (s: DetailTable['status'], t) => (
        <Space orientation="vertical" size={2} style={{ width: '100%' }}>
          <Tag color={STATUS[s].color} data-testid={`detail-status-${t.id}`}>
            {STATUS[s].text}
          </Tag>
          {busy(t) && <TableProgress t={t} size="small" />}
          {s === 'failed' && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t.error ?? '未知原因'}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: '行数', dataIndex: 'rowsWritten', width: 80, align: 'right', render: (n: number, t) => (t.status === 'done' ? formatCount(n) : '—'), sorter: byNumber((t) => (t.status === 'done' ? t.rowsWritten : null)) },
    { title: '大小', dataIndex: 'sizeBytes', width: 80, align: 'right', render: (b: number | null) => (b === null ? '—' : formatSize(b)), sorter: byNumber((t) => t.sizeBytes) },
    {
      title: '生成 / 完成时间',
      dataIndex: 'createdAt',
      width: 150,
      sorter: byTime((t) => t.createdAt),
      render: (at: string, t) => (
        <span style={{ fontSize: 12, lineHeight: 1.6 }}>
          {formatTime(at)}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t.finishedAt ? formatTime(t.finishedAt) : '—'}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: 'SHA-256',
      dataIndex: 'sha256',
      width: 120,
      render: (h: string | null) =>
        h ? (
          <Tooltip title={<span style={{ wordBreak: 'break-all' }}>{h}</span>}>
            <Typography.Text code data-sha256={h}>
              {h.slice(0, 10)}…
            </Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_: unknown, t) =>
        t.status === 'done' ? (
          <Button size="small" icon={<DownloadOutlined />} href={fileUrl(t.id)} download data-testid={`detail-download-${t.id}`}>
            下载
          </Button>
        ) : null,
    },
  ];
  return (
    <Table<DetailTable>
      rowKey="id"
      size="small"
      data-testid="detail-tables"
      loading={loading && tables.length === 0}
      columns={columns}
      dataSource={tables}
      scroll={{ x: 1210 }}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: '还没有生成过明细表' }}
    />
  );
}
