// (a) 有效数据冻结: the district's valid count frozen at the campaign's data cutoff, with its breakdown
// by street and community (entered, invalid, duplicates, valid). A city admin freezes it, and
// re-freezes it with a reason (the earlier result is kept and listed).
import { LockOutlined } from '@ant-design/icons';
import { App, Button, Card, Collapse, Descriptions, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import { ORG_LEVEL_LABELS, type OrgLevel } from '../../shared/roles';
import type { CountSnapshot, countSnapshotHistory } from '../../shared/api-fees';
import { api } from '../api/client';
import { ReasonModal } from '../assessments/AssessmentDialogs';
import { formatTime } from '../common/format';
import { byNumber, byText } from '../common/tableSort';
import { useApiGet } from '../common/useApiGet';
import { errorCodeLabel } from '../registration/labels';
import type { MoneyWrite } from './useMoneyWrite';

type History = z.infer<typeof countSnapshotHistory>;
type Unit = CountSnapshot['units'][number];
type UnitRow = Unit & { children?: UnitRow[] };

/** The flat breakdown as a tree under the district (streets, then their communities). */
export function unitTree(units: readonly Unit[]): UnitRow[] {
  const byId = new Map<number, UnitRow>(units.map((u) => [u.orgUnitId, { ...u }]));
  const roots: UnitRow[] = [];
  for (const u of units) {
    const node = byId.get(u.orgUnitId)!;
    const parent = u.parentId === null ? undefined : byId.get(u.parentId);
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

const levelLabel = (level: string) => ORG_LEVEL_LABELS[level as OrgLevel] ?? level;

export function SnapshotUnitsTable({ units, testId }: { units: readonly Unit[]; testId?: string }) {
  const tree = useMemo(() => unitTree(units), [units]);
  const columns: ColumnsType<UnitRow> = [
    // Sorting orders each level's units among themselves (the street's communities under it).
    { title: '单位', dataIndex: 'orgUnitName', render: (n: string, r) => (r.level === 'district' ? <strong>{n}</strong> : n), sorter: byText((r) => r.orgUnitName) },
    { title: '层级', dataIndex: 'level', width: 90, render: levelLabel },
    { title: '已录入', dataIndex: 'entered', width: 96, align: 'right', sorter: byNumber((r) => r.entered) },
    {
      title: '无效',
      dataIndex: 'invalid',
      width: 90,
      align: 'right',
      sorter: byNumber((r) => r.invalid),
      render: (v: number, r) =>
        v > 0 ? (
          <span title={r.invalidByReason.map((x) => `${errorCodeLabel(x.code)} ${x.count}`).join('，')} style={{ color: '#cf1322', cursor: 'help' }}>
            {v}
          </span>
        ) : (
          v
        ),
    },
    { title: '重复', dataIndex: 'duplicates', width: 90, align: 'right', sorter: byNumber((r) => r.duplicates) },
    { title: '有效数据', dataIndex: 'validCount', width: 106, align: 'right', render: (v: number) => <strong>{v}</strong>, sorter: byNumber((r) => r.validCount) },
  ];
  return (
    <div data-testid={testId}>
      <Table<UnitRow>
        size="small"
        bordered
        rowKey="orgUnitId"
        columns={columns}
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandedRowKeys: tree.map((r) => r.orgUnitId) }}
        scroll={{ y: 420 }}
      />
    </div>
  );
}

function SnapshotFacts({ s }: { s: CountSnapshot }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2, xl: 4 }}
      items={[
        { key: 'valid', label: '有效数据（计费依据）', children: <strong data-testid="snapshot-valid">{s.validCount.toLocaleString('zh-CN')} 人</strong> },
        { key: 'cutoff', label: '数据截止日', children: s.cutoff },
        { key: 'taken', label: '冻结时间', children: `${formatTime(s.takenAt)}（${s.takenBy}）` },
        { key: 'id', label: '冻结编号', children: `#${s.id}` },
        ...(s.reason ? [{ key: 'reason', label: '重新冻结原因', span: 4, children: s.reason }] : []),
      ]}
    />
  );
}

export function CountSnapshotCard({
  campaignId,
  orgUnitId,
  canFreeze,
  refreshKey,
  onFrozen,
  write,
}: {
  campaignId: number;
  orgUnitId: number;
  canFreeze: boolean;
  refreshKey: number;
  onFrozen: () => Promise<void>;
  write: MoneyWrite;
}) {
  const { message, modal } = App.useApp();
  const url = `/api/campaigns/${campaignId}/count-snapshots/${orgUnitId}`;
  const [localTick, setLocalTick] = useState(0);
  const { data, loading } = useApiGet<History>(url, undefined, `${refreshKey}/${localTick}`);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = data?.current ?? null;

  const freeze = async (reason?: string): Promise<boolean> => {
    setBusy(true);
    try {
      const r = await write(() => api.post<CountSnapshot>(url, reason ? { reason } : {}));
      if (!r) return false;
      void message.success(`已冻结有效数据 ${r.validCount} 人（截至 ${r.cutoff}）`);
      setLocalTick((t) => t + 1);
      await onFrozen();
      return true;
    } finally {
      setBusy(false);
    }
  };

  const askFreeze = () =>
    modal.confirm({
      title: '冻结有效数据？',
      content: '按数据截止日统计本区（含各街道、社区）的有效数据并冻结，作为计发基数的依据。此后修改登记记录不影响已冻结的结果。',
      okText: '冻结',
      cancelText: '取消',
      onOk: () => freeze(),
    });

  return (
    <Card
      title={
        <Space>
          <LockOutlined />
          <span>有效数据冻结</span>
          {current ? <Tag color="success">已冻结</Tag> : <Tag>未冻结</Tag>}
          {loading && <Spin size="small" />}
        </Space>
      }
      extra={
        canFreeze &&
        data &&
        (current ? (
          <Button onClick={() => setReasonOpen(true)} loading={busy} data-testid="refreeze">
            重新冻结
          </Button>
        ) : (
          <Button type="primary" onClick={askFreeze} loading={busy} data-testid="freeze">
            冻结
          </Button>
        ))
      }
      data-testid="snapshot-card"
    >
      {!current ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={canFreeze ? '有效数据尚未冻结。冻结后按截止日的有效数据计算考核费用。' : '有效数据尚未冻结，须由市级管理员冻结。'}
        />
      ) : (
        <Space orientation="vertical" size="small" style={{ width: '100%' }}>
          <SnapshotFacts s={current} />
          <SnapshotUnitsTable units={current.units} testId="snapshot-units" />
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            有效数据 = 已录入 − 无效 − 重复（同一人只计一次）；数据截止日之后录入或修改的记录不计入。
          </Typography.Text>
        </Space>
      )}
      {data && data.earlier.length > 0 && (
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'earlier',
              label: `历次冻结（${data.earlier.length} 次，已被取代）`,
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {data.earlier.map((s) => (
                    <Descriptions
                      key={s.id}
                      size="small"
                      bordered
                      column={{ xs: 1, md: 3 }}
                      items={[
                        { key: 'id', label: '冻结编号', children: `#${s.id}` },
                        { key: 'valid', label: '有效数据', children: `${s.validCount} 人` },
                        { key: 'taken', label: '冻结', children: `${formatTime(s.takenAt)}（${s.takenBy}）` },
                        { key: 'superseded', label: '被取代', children: formatTime(s.supersededAt) },
                        { key: 'reason', label: '原因', span: 2, children: s.reason ?? '首次冻结' },
                      ]}
                    />
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
      <ReasonModal
        open={reasonOpen}
        title="重新冻结有效数据"
        label="重新冻结的原因（原冻结结果将保留并记入审计日志）"
        okText="重新冻结"
        onOk={(reason) => freeze(reason)}
        onClose={() => setReasonOpen(false)}
      />
    </Card>
  );
}
