// (b) 费用核算: the live computation (or why it cannot be made yet), the current fee sheet with every
// number and where it came from, its steps 核算 → 复核 → 审批 with who and when, the actions of the
// user's role, and the earlier (superseded) sheets. Approving warns when all districts' fees and
// site funds would exceed the special work fund, and goes on only when the admin confirms.
import { AuditOutlined, CalculatorOutlined, CheckOutlined, FileExcelOutlined, PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Collapse, Descriptions, Space, Steps, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { FEE_SHEET_STATUS_LABELS, type DistrictMoney, type FeeSheet } from '../../shared/api-fees';
import { api, ApiError } from '../api/client';
import { ReasonModal } from '../assessments/AssessmentDialogs';
import { formatScore, formatTime } from '../common/format';
import type { MoneyRights } from './DistrictMoneyPage';
import { FEE_SHEET_STATUS_COLORS, moneyPath, printPagePath, yuan } from './labels';
import { isStaleConflict, type MoneyWrite } from './useMoneyWrite';

type Computation = DistrictMoney['computation'];

function overFundWarningOf(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.code !== 'CONFLICT') return null;
  const w = (err.details as { overFundWarning?: unknown } | null | undefined)?.overFundWarning;
  return typeof w === 'string' && w ? w : null;
}

/** The live computation: what a new sheet would hold. */
function ComputationView({ c, campaignId, siteFundsFen }: { c: Computation; campaignId: number; siteFundsFen: number }) {
  if (!c.ready) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="computation-missing"
        title="暂不能核算考核费用"
        description={
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {c.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        }
      />
    );
  }
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 3 }}
      data-testid="computation"
      items={[
        { key: 'valid', label: '有效数据（冻结）', children: `${c.validCount ?? '—'} 人（冻结编号 #${c.snapshotId ?? '—'}）` },
        {
          key: 'score',
          label: '考核总分',
          children: (
            <Link to={`/assessments/${campaignId}/${c.orgUnitId}`}>
              {c.assessedTotal === null ? '—' : `${formatScore(c.assessedTotal)} 分`}
            </Link>
          ),
        },
        { key: 'tier', label: '档次', children: c.tier ? `${c.tier.label}，按计发基数的 ${c.tier.percent}%` : '—' },
        { key: 'rate', label: '入户调查基准费用', children: `${yuan(c.baseRateFen)}/人` },
        { key: 'base', label: '计发基数', children: yuan(c.feeBaseFen) },
        { key: 'fee', label: '考核费用', children: <strong data-testid="computation-fee">{yuan(c.feeFen)}</strong> },
        { key: 'capital', label: '考核费用（大写）', children: c.feeCapital ?? '—' },
        { key: 'site', label: '示范点经费（未撤销）', children: yuan(siteFundsFen) },
        { key: 'total', label: '合计', children: c.feeFen === null ? '—' : yuan(c.feeFen + siteFundsFen) },
      ]}
    />
  );
}

/** Every number of a sheet and its source. */
export function FeeSheetFacts({ s, testId }: { s: FeeSheet; testId?: string }) {
  // Streets without a valid record are left out here (the printed sheet lists every street).
  const streets = s.units.filter((u) => u.level === 'street' && u.validCount > 0);
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      data-testid={testId}
      styles={{ label: { width: 220 } }}
      items={[
        { key: 'doc', label: '文书编号', children: <Typography.Text copyable>{s.docNumber}</Typography.Text> },
        {
          key: 'valid',
          label: '实际录入人数（有效数据）',
          children: (
            <>
              <strong>{s.validCount.toLocaleString('zh-CN')} 人</strong>
              <Typography.Text type="secondary">
                {' '}
                — 截至 {s.cutoff} 冻结的有效数据（冻结编号 #{s.snapshotId}）
                {streets.length > 0 && `；${streets.map((u) => `${u.orgUnitName} ${u.validCount}`).join('、')}`}
              </Typography.Text>
            </>
          ),
        },
        {
          key: 'score',
          label: '考核总分',
          children: (
            <>
              <strong>{formatScore(s.assessedTotal)} 分</strong>{' '}
              <Link to={`/assessments/${s.campaignId}/${s.districtId}`}>查看考核表</Link>
            </>
          ),
        },
        { key: 'tier', label: '档次及发放比例', children: `${s.tierLabel}，按计发基数的 ${s.tierPercent}% 发放` },
        { key: 'rate', label: '入户调查基准费用', children: `${yuan(s.baseRateFen)}/人` },
        { key: 'base', label: '计发基数', children: `${s.validCount} 人 × ${yuan(s.baseRateFen)} = ${yuan(s.feeBaseFen)}` },
        { key: 'fee', label: '考核费用', children: <strong data-testid="sheet-fee">{`${yuan(s.feeBaseFen)} × ${s.tierPercent}% = ${yuan(s.feeFen)}`}</strong> },
        {
          key: 'site',
          label: '示范点工作经费',
          children:
            s.siteFunds.length === 0 ? (
              '无'
            ) : (
              <div>
                {s.siteFunds.map((f) => (
                  <div key={f.id}>
                    {f.orgUnitName}：{yuan(f.amountFen)}
                    <Typography.Text type="secondary">（{f.reason}）</Typography.Text>
                  </div>
                ))}
                <div>
                  小计：<strong>{yuan(s.siteFundsFen)}</strong>
                </div>
              </div>
            ),
        },
        { key: 'total', label: '合计', children: <strong data-testid="sheet-total">{yuan(s.totalFen)}</strong> },
        { key: 'capital', label: '合计（人民币大写）', children: <span data-testid="sheet-capital">{s.totalCapital}</span> },
        ...(s.status === 'superseded'
          ? [{ key: 'superseded', label: '作废', children: `${formatTime(s.supersededAt)}${s.supersedeReason ? `，原因：${s.supersedeReason}` : ''}` }]
          : []),
      ]}
    />
  );
}

function SheetSteps({ s }: { s: FeeSheet }) {
  const current = s.status === 'computed' ? 1 : s.status === 'checked' ? 2 : 3;
  const who = (name: string | null, at: string | null) => (name ? `${name} ${formatTime(at)}` : '待办');
  return (
    <Steps
      size="small"
      current={s.status === 'approved' ? 3 : current}
      status={s.status === 'superseded' ? 'error' : undefined}
      data-testid="sheet-steps"
      items={[
        { title: '核算', content: who(s.computedBy, s.computedAt) },
        { title: '复核', content: who(s.checkedBy, s.checkedAt) },
        { title: '审批', content: who(s.approvedBy, s.approvedAt) },
      ]}
    />
  );
}

/** Where the sheet no longer matches the data it would be computed from now. */
function staleReasons(s: FeeSheet, c: Computation, siteFundsFen: number): string[] {
  const out: string[] = [];
  if (!c.ready) return out;
  if (c.snapshotId !== s.snapshotId || c.validCount !== s.validCount) out.push(`有效数据已重新冻结（现为 ${c.validCount ?? '—'} 人）`);
  if (c.assessedTotal !== s.assessedTotal) out.push(`考核总分已变为 ${c.assessedTotal === null ? '—' : formatScore(c.assessedTotal)} 分`);
  if (c.baseRateFen !== s.baseRateFen) out.push(`入户调查基准费用已变为 ${yuan(c.baseRateFen)}/人`);
  if (siteFundsFen !== s.siteFundsFen) out.push(`示范点经费已变为 ${yuan(siteFundsFen)}`);
  return out;
}

type Busy = null | 'compute' | 'check' | 'approve' | 'reopen';

export function FeeSheetCard({ dm, rights, reload, write }: { dm: DistrictMoney; rights: MoneyRights; reload: () => Promise<void>; write: MoneyWrite }) {
  const { message, modal } = App.useApp();
  const [busy, setBusy] = useState<Busy>(null);
  const [reopenOpen, setReopenOpen] = useState(false);
  const s = dm.sheet;
  const c = dm.computation;
  const stale = s && s.status !== 'superseded' ? staleReasons(s, c, dm.siteFundsFen) : [];

  const act = async (what: Busy, done: string, fn: () => Promise<FeeSheet>): Promise<boolean> => {
    setBusy(what);
    try {
      const r = await write(fn);
      if (!r) return false;
      void message.success(done);
      await reload();
      return true;
    } finally {
      setBusy(null);
    }
  };

  const compute = () => {
    const again = s !== null && s.status !== 'superseded';
    modal.confirm({
      title: again ? '重新核算考核费用？' : '核算考核费用？',
      content: again
        ? '将按当前冻结的有效数据、最终考核总分和示范点经费重新生成核算表，原核算表作废（保留记录），须重新复核和审批。'
        : `按冻结的有效数据 ${c.validCount ?? '—'} 人、考核总分 ${c.assessedTotal === null ? '—' : formatScore(c.assessedTotal)} 分生成核算表，考核费用 ${yuan(c.feeFen)}。`,
      okText: again ? '重新核算' : '核算',
      cancelText: '取消',
      onOk: () => act('compute', '已生成核算表，待复核', () => api.post<FeeSheet>(`${moneyPath(dm.campaignId, dm.districtId)}/compute`)),
    });
  };

  const check = () => {
    if (!s) return;
    modal.confirm({
      title: '复核核算表？',
      content: `确认已逐项核对：有效数据 ${s.validCount} 人，考核总分 ${formatScore(s.assessedTotal)} 分，合计 ${yuan(s.totalFen)}。`,
      okText: '复核通过',
      cancelText: '取消',
      onOk: () => act('check', '已复核，待审批', () => api.post<FeeSheet>(`/api/fee-sheets/${s.id}/check`, { version: s.version })),
    });
  };

  /** Approve; the server's over-fund warning is shown and, if the admin goes on, acknowledged. */
  const sendApprove = async (sheet: FeeSheet): Promise<boolean> => {
    setBusy('approve');
    try {
      try {
        await api.post<FeeSheet>(`/api/fee-sheets/${sheet.id}/approve`, { version: sheet.version });
      } catch (err) {
        const warning = overFundWarningOf(err);
        if (!warning || isStaleConflict(err)) {
          // the usual handling (stale version → reload; other errors → message)
          await write(() => Promise.reject(err));
          return false;
        }
        const goOn = await new Promise<boolean>((resolve) =>
          modal.confirm({
            title: '超出专项工作经费',
            content: (
              <div data-testid="over-fund-confirm">
                <Typography.Paragraph strong>{warning}</Typography.Paragraph>
                <Typography.Paragraph style={{ marginBottom: 0 }}>确认仍要审批吗？审批记录将注明已知悉超出专项工作经费。</Typography.Paragraph>
              </div>
            ),
            okText: '仍然审批',
            okButtonProps: { danger: true },
            cancelText: '取消',
            width: 520,
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          }),
        );
        if (!goOn) return false;
        const r = await write(() => api.post<FeeSheet>(`/api/fee-sheets/${sheet.id}/approve`, { version: sheet.version, acknowledgeOverFund: true }));
        if (!r) return false;
      }
      void message.success('已审批，金额已锁定');
      await reload();
      return true;
    } finally {
      setBusy(null);
    }
  };

  const approve = () => {
    if (!s) return;
    modal.confirm({
      title: '审批核算表？',
      content: `审批后 ${dm.districtName} 的考核费用和示范点经费合计 ${yuan(s.totalFen)}（${s.totalCapital}）锁定，作为拨付依据。需再次验证密码。`,
      okText: '审批',
      cancelText: '取消',
      onOk: () => {
        void sendApprove(s);
      },
    });
  };

  const reopen = (reason: string) =>
    s ? act('reopen', '已重新打开：原核算表作废，请重新核算', () => api.post<FeeSheet>(`/api/fee-sheets/${s.id}/reopen`, { version: s.version, reason })) : Promise.resolve(false);

  const noSheet = !s || s.status === 'superseded';
  const selfComputed = !!s && s.computedById === rights.userId;
  const disabled = busy !== null;

  return (
    <Card
      title={
        <Space>
          <CalculatorOutlined />
          <span>费用核算</span>
          {s && (
            <Tag color={FEE_SHEET_STATUS_COLORS[s.status]} data-testid="sheet-status">
              {FEE_SHEET_STATUS_LABELS[s.status]}
            </Tag>
          )}
        </Space>
      }
      extra={
        <Space wrap>
          {rights.cityStaff && noSheet && (
            <Tooltip title={c.ready ? undefined : c.missing.join('；')}>
              <Button type="primary" icon={<CalculatorOutlined />} onClick={compute} disabled={!c.ready || disabled} loading={busy === 'compute'} data-testid="compute">
                核算
              </Button>
            </Tooltip>
          )}
          {rights.cityStaff && s && (s.status === 'computed' || s.status === 'checked') && (
            <Button onClick={compute} disabled={!c.ready || disabled} loading={busy === 'compute'} data-testid="recompute">
              重新核算
            </Button>
          )}
          {rights.cityStaff && s?.status === 'computed' && (
            <Tooltip title={selfComputed ? '核算人不能复核自己核算的表，请由另一位市级用户复核' : undefined}>
              <Button type="primary" icon={<CheckOutlined />} onClick={check} disabled={selfComputed || disabled} loading={busy === 'check'} data-testid="check">
                复核
              </Button>
            </Tooltip>
          )}
          {rights.cityAdmin && s?.status === 'checked' && (
            <Button type="primary" icon={<AuditOutlined />} onClick={approve} disabled={disabled} loading={busy === 'approve'} data-testid="approve">
              审批
            </Button>
          )}
          {rights.cityAdmin && s?.status === 'approved' && (
            <Button danger icon={<RollbackOutlined />} onClick={() => setReopenOpen(true)} disabled={disabled} data-testid="reopen">
              重新打开
            </Button>
          )}
          {s && (
            <Button icon={<PrinterOutlined />} href={printPagePath(s.id)} target="_blank" rel="noopener" data-testid="print-sheet">
              打印核算表
            </Button>
          )}
          {s && (
            <Button icon={<FileExcelOutlined />} href={`/api/fee-sheets/${s.id}/xlsx`} download data-testid="sheet-xlsx">
              导出 Excel
            </Button>
          )}
        </Space>
      }
      data-testid="sheet-card"
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {noSheet && <ComputationView c={c} campaignId={dm.campaignId} siteFundsFen={dm.siteFundsFen} />}
        {noSheet && c.ready && (
          <Typography.Text type="secondary">尚未生成核算表。{rights.cityStaff ? '核算后由另一位市级用户复核，再由市级管理员审批。' : '由市社保经办机构核算、复核和审批。'}</Typography.Text>
        )}
        {s && s.status !== 'superseded' && (
          <>
            <SheetSteps s={s} />
            {stale.length > 0 && (
              <Alert
                type="warning"
                showIcon
                data-testid="sheet-stale"
                title={s.status === 'approved' ? '已审批的核算表与当前数据不一致' : '核算表与当前数据不一致，请重新核算'}
                description={stale.join('；')}
              />
            )}
            {!c.ready && s.status !== 'approved' && <Alert type="warning" showIcon title="当前不能重新核算" description={c.missing.join('；')} />}
            <FeeSheetFacts s={s} testId="sheet-facts" />
          </>
        )}
        {dm.earlierSheets.length > 0 && (
          <Collapse
            size="small"
            data-testid="earlier-sheets"
            items={[
              {
                key: 'earlier',
                label: `已作废的核算表（${dm.earlierSheets.length} 份）`,
                children: (
                  <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                    {dm.earlierSheets.map((e) => (
                      <div key={e.id}>
                        <Space wrap style={{ marginBottom: 6 }}>
                          <Tag color={FEE_SHEET_STATUS_COLORS[e.status]}>{FEE_SHEET_STATUS_LABELS[e.status]}</Tag>
                          <span>
                            {e.docNumber} · 核算于 {formatTime(e.computedAt)} · 合计 {yuan(e.totalFen)}
                          </span>
                          <a href={printPagePath(e.id)} target="_blank" rel="noopener">
                            查看打印版
                          </a>
                        </Space>
                        <FeeSheetFacts s={e} />
                      </div>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Space>
      <ReasonModal
        open={reopenOpen}
        title="重新打开已审批的核算表"
        label="重新打开的原因（原核算表作废，须重新核算、复核和审批）"
        okText="重新打开"
        danger
        onOk={reopen}
        onClose={() => setReopenOpen(false)}
      />
    </Card>
  );
}
