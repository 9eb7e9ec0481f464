// (e) 分配: how the district's HR department uses the money it received (seed 四（三）2: 宣传发动、入户
// 调查、数据录入、汇总分析, and per street). Two tables, each with its sum and what remains of the
// received amount, live and red when over; a split in proportion to each street's frozen valid count
// can be filled in. Only the district's own admin edits; the allocation can never exceed what was
// received (the server refuses too) and is saved with its version. The parent keys this card by the
// saved version, so a new version (this user's save, or a reload after someone else's) resets the draft.
import { ApartmentOutlined, BulbOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Input, InputNumber, Row, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { ALLOCATION_PURPOSES, ALLOCATION_PURPOSE_LABELS, type AllocationPurpose, type DistrictMoney } from '../../shared/api-fees';
import { ORG_LEVEL_LABELS, type OrgLevel } from '../../shared/roles';
import { api } from '../api/client';
import { formatTime } from '../common/format';
import { byNumber, byText } from '../common/tableSort';
import type { MoneyRights } from './DistrictMoneyPage';
import { fenText, fenToYuanText, moneyPath, parseYuan, yuan } from './labels';
import type { MoneyWrite } from './useMoneyWrite';

type Allocation = DistrictMoney['allocation'];
type PurposeDraft = Record<AllocationPurpose, { amount: string | null; note: string }>;
type UnitDraft = Record<number, string | null>;
type UnitRow = { orgUnitId: number; orgUnitName: string; level: string; validCount: number | null };

function purposeDraftOf(a: Allocation): PurposeDraft {
  const out = {} as PurposeDraft;
  for (const p of ALLOCATION_PURPOSES) {
    const saved = a.purposes.find((x) => x.purpose === p);
    out[p] = { amount: saved && saved.amountFen > 0 ? fenToYuanText(saved.amountFen) : null, note: saved?.note ?? '' };
  }
  return out;
}

function unitDraftOf(a: Allocation): UnitDraft {
  const out: UnitDraft = {};
  for (const u of a.units) out[u.orgUnitId] = u.amountFen > 0 ? fenToYuanText(u.amountFen) : null;
  return out;
}

/** The streets (and any community already allocated to) the unit table lists. */
function unitRowsOf(a: Allocation): UnitRow[] {
  const rows = new Map<number, UnitRow>();
  for (const s of a.suggestedUnits) rows.set(s.orgUnitId, { orgUnitId: s.orgUnitId, orgUnitName: s.orgUnitName, level: 'street', validCount: s.validCount });
  for (const u of a.units) if (!rows.has(u.orgUnitId)) rows.set(u.orgUnitId, { orgUnitId: u.orgUnitId, orgUnitName: u.orgUnitName, level: u.level, validCount: null });
  return [...rows.values()];
}

/** Sum of typed amounts in fen; null when one is malformed. */
function sumFen(values: Array<string | null>): { fen: number; bad: boolean } {
  let fen = 0;
  let bad = false;
  for (const v of values) {
    const p = parseYuan(v);
    if (p.error) bad = true;
    else fen += p.fen ?? 0;
  }
  return { fen, bad };
}

function Remaining({ received, sum, testId }: { received: number; sum: number; testId: string }) {
  const left = received - sum;
  return (
    <span className={left < 0 ? 'alloc-over' : undefined} data-testid={testId} data-over={left < 0 ? 'true' : 'false'}>
      合计 {yuan(sum)}，剩余 {yuan(left)}
      {left < 0 && `（超出已到位资金 ${yuan(-left)}）`}
    </span>
  );
}

export function AllocationCard({ dm, rights, onMoney, write }: { dm: DistrictMoney; rights: MoneyRights; onMoney: (m: DistrictMoney) => void; write: MoneyWrite }) {
  const { message, modal } = App.useApp();
  const a = dm.allocation;
  const editable = rights.districtAdmin;
  const [purposes, setPurposes] = useState<PurposeDraft>(() => purposeDraftOf(a));
  const [units, setUnits] = useState<UnitDraft>(() => unitDraftOf(a));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const unitRows = useMemo(() => unitRowsOf(a), [a]);
  const pSum = sumFen(ALLOCATION_PURPOSES.map((p) => purposes[p].amount));
  const uSum = sumFen(unitRows.map((u) => units[u.orgUnitId] ?? null));
  const received = a.receivedFen;
  const savedP = purposeDraftOf(a);
  const savedU = unitDraftOf(a);
  const dirty =
    ALLOCATION_PURPOSES.some((p) => (purposes[p].amount ?? '') !== (savedP[p].amount ?? '') || purposes[p].note.trim() !== savedP[p].note) ||
    unitRows.some((u) => (units[u.orgUnitId] ?? '') !== (savedU[u.orgUnitId] ?? ''));

  const suggest = () => {
    const next: UnitDraft = {};
    for (const s of a.suggestedUnits) next[s.orgUnitId] = s.amountFen > 0 ? fenToYuanText(s.amountFen) : null;
    setUnits(next);
    void message.info('已按各街道冻结的有效数据比例填入建议金额，请核对后保存');
  };

  const save = () => {
    setError(null);
    if (pSum.bad || uSum.bad) {
      setError('有金额格式不正确，请改正标红的金额（不超过两位小数的非负数）');
      return;
    }
    const over: string[] = [];
    if (pSum.fen > received) over.push(`按用途分配合计 ${yuan(pSum.fen)}`);
    if (uSum.fen > received) over.push(`按单位分配合计 ${yuan(uSum.fen)}`);
    if (over.length) {
      setError(`${over.join('、')}超过已拨付到位的 ${yuan(received)}，不能保存`);
      return;
    }
    const body = {
      version: a.version,
      purposes: ALLOCATION_PURPOSES.map((p) => ({ purpose: p, amountFen: parseYuan(purposes[p].amount).fen ?? 0, note: purposes[p].note.trim() })),
      units: unitRows.map((u) => ({ orgUnitId: u.orgUnitId, amountFen: parseYuan(units[u.orgUnitId]).fen ?? 0 })),
    };
    modal.confirm({
      title: '保存分配方案？',
      content: `按用途分配 ${yuan(pSum.fen)}，按单位分配 ${yuan(uSum.fen)}；已到位资金 ${yuan(received)}。`,
      okText: '保存',
      cancelText: '取消',
      onOk: async () => {
        setSaving(true);
        try {
          const r = await write(() => api.put<DistrictMoney>(`${moneyPath(dm.campaignId, dm.districtId)}/allocation`, body), setError);
          if (r) {
            onMoney(r);
            void message.success('分配方案已保存');
          }
        } finally {
          setSaving(false);
        }
      },
    });
  };

  const amountInput = (value: string | null, onChange: (v: string | null) => void, label: string, testId: string) => {
    const bad = !!parseYuan(value).error;
    return (
      <InputNumber<string>
        stringMode
        min="0"
        precision={2}
        value={value}
        onChange={onChange}
        status={bad ? 'error' : undefined}
        aria-label={label}
        data-testid={testId}
        suffix="元"
        style={{ width: '100%' }}
      />
    );
  };

  type PurposeRow = { purpose: AllocationPurpose };
  const purposeColumns: ColumnsType<PurposeRow> = [
    { title: '用途', key: 'label', width: 110, render: (_, r) => ALLOCATION_PURPOSE_LABELS[r.purpose] },
    {
      title: '金额（元）',
      key: 'amount',
      width: 180,
      align: 'right',
      render: (_, r) =>
        editable
          ? amountInput(purposes[r.purpose].amount, (v) => setPurposes((d) => ({ ...d, [r.purpose]: { ...d[r.purpose], amount: v } })), `${ALLOCATION_PURPOSE_LABELS[r.purpose]}金额`, `alloc-purpose-${r.purpose}`)
          : fenText(parseYuan(purposes[r.purpose].amount).fen ?? 0),
    },
    {
      title: '说明',
      key: 'note',
      render: (_, r) =>
        editable ? (
          <Input
            value={purposes[r.purpose].note}
            maxLength={200}
            aria-label={`${ALLOCATION_PURPOSE_LABELS[r.purpose]}说明`}
            onChange={(e) => setPurposes((d) => ({ ...d, [r.purpose]: { ...d[r.purpose], note: e.target.value } }))}
          />
        ) : (
          purposes[r.purpose].note || '—'
        ),
    },
  ];

  const unitColumns: ColumnsType<UnitRow> = [
    { title: '单位', dataIndex: 'orgUnitName', render: (n: string, r) => (r.level === 'street' ? n : `${n}（${ORG_LEVEL_LABELS[r.level as OrgLevel] ?? r.level}）`), sorter: byText((r) => r.orgUnitName) },
    { title: '有效数据', dataIndex: 'validCount', width: 106, align: 'right', render: (v: number | null) => (v === null ? '—' : `${v} 人`), sorter: byNumber((r) => r.validCount) },
    {
      title: '金额（元）',
      key: 'amount',
      width: 180,
      align: 'right',
      render: (_, r) =>
        editable
          ? amountInput(units[r.orgUnitId] ?? null, (v) => setUnits((d) => ({ ...d, [r.orgUnitId]: v })), `${r.orgUnitName}金额`, `alloc-unit-${r.orgUnitId}`)
          : fenText(parseYuan(units[r.orgUnitId] ?? null).fen ?? 0),
    },
  ];

  return (
    <Card
      title={
        <Space>
          <ApartmentOutlined />
          <span>分配</span>
          {dirty && editable && <Tag color="orange">有未保存的修改</Tag>}
        </Space>
      }
      extra={
        editable && (
          <Space>
            <Button icon={<BulbOutlined />} onClick={suggest} disabled={a.suggestedUnits.length === 0 || received === 0} data-testid="alloc-suggest">
              按有效数据比例建议
            </Button>
            <Button type="primary" icon={<SaveOutlined />} onClick={save} loading={saving} disabled={received === 0 && !dirty} data-testid="alloc-save">
              保存分配
            </Button>
          </Space>
        )
      }
      data-testid="allocation-card"
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text>
          已拨付到位资金：<strong data-testid="alloc-received">{yuan(received)}</strong>
          <Typography.Text type="secondary">
            {a.updatedAt ? ` · 最近保存：${a.updatedBy ?? ''} ${formatTime(a.updatedAt)}` : ' · 尚未保存分配方案'}
            {editable ? '' : '（由区人社部门填写）'}
          </Typography.Text>
        </Typography.Text>
        {received === 0 && <Alert type="info" showIcon title="市社保经办机构拨付后，区人社部门按用途和街道分配到位的资金。" />}
        {error && <Alert type="error" showIcon title={error} data-testid="alloc-error" closable={{ onClose: () => setError(null) }} />}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              按用途
            </Typography.Title>
            <div data-testid="alloc-purposes">
              <Table<PurposeRow>
                size="small"
                bordered
                rowKey="purpose"
                pagination={false}
                columns={purposeColumns}
                dataSource={ALLOCATION_PURPOSES.map((purpose) => ({ purpose }))}
                footer={() => <Remaining received={received} sum={pSum.fen} testId="alloc-purposes-remaining" />}
              />
            </div>
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              按街道（镇）
            </Typography.Title>
            <div data-testid="alloc-units">
              <Table<UnitRow>
                size="small"
                bordered
                rowKey="orgUnitId"
                pagination={false}
                columns={unitColumns}
                dataSource={unitRows}
                scroll={{ y: 400 }}
                locale={{ emptyText: '没有街道' }}
                footer={() => <Remaining received={received} sum={uSum.fen} testId="alloc-units-remaining" />}
              />
            </div>
          </Col>
        </Row>
      </Space>
    </Card>
  );
}
