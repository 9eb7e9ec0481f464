// One district's money in a campaign: the frozen valid count, the fee sheet (核算 → 复核 → 审批),
// the demonstration-site funds, the payments (拨付) and the district's allocation (分配). Every
// section shows the server's numbers; the buttons follow the user's role (the server checks again).
// Another district's page answers 404 from the server and shows "not found", never the data.
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Result, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { DISBURSEMENT_STATUS_LABELS, FEE_SHEET_STATUS_LABELS, type DistrictMoney } from '../../shared/api-fees';
import { api, ApiError, errorMessage } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { AllocationCard } from './AllocationCard';
import { CountSnapshotCard } from './CountSnapshotCard';
import { FeeSheetCard } from './FeeSheetCard';
import { DISBURSEMENT_STATUS_COLORS, FEE_SHEET_STATUS_COLORS, moneyPath, yuan } from './labels';
import { PaymentsCard } from './PaymentsCard';
import { SiteFundsCard } from './SiteFundsCard';
import { useMoneyWrite } from './useMoneyWrite';
import './fees.css';

function NotFoundResult() {
  return (
    <Result
      status="404"
      title="404"
      subTitle="该区的考核费用不存在，或您无权查看。"
      data-testid="fees-not-found"
      extra={
        <Link to="/fees">
          <Button type="primary">返回考核费用</Button>
        </Link>
      }
    />
  );
}

export function DistrictMoneyPage() {
  const params = useParams();
  const campaignId = Number(params.campaignId);
  const orgUnitId = Number(params.orgUnitId);
  if (!Number.isInteger(campaignId) || campaignId <= 0 || !Number.isInteger(orgUnitId) || orgUnitId <= 0) return <NotFoundResult />;
  return <DistrictMoneyView key={`${campaignId}/${orgUnitId}`} campaignId={campaignId} orgUnitId={orgUnitId} />;
}

export type MoneyRights = {
  /** city_admin: freeze the count, site funds, approve, reopen, payments. */
  cityAdmin: boolean;
  /** city_admin or city_assessor: compute and check the fee sheet. */
  cityStaff: boolean;
  /** The district's own admin: edits the allocation. */
  districtAdmin: boolean;
  /** The user's id (the server refuses a check by the person who computed). */
  userId: number;
};

function DistrictMoneyView({ campaignId, orgUnitId }: { campaignId: number; orgUnitId: number }) {
  const { user } = useAuth();
  const [dm, setDm] = useState<DistrictMoney | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  // Bumped after each write, so that the count card reloads its own data too.
  const [tick, setTick] = useState(0);

  const load = useCallback(async () => {
    try {
      setDm(await api.get<DistrictMoney>(moneyPath(campaignId, orgUnitId)));
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [campaignId, orgUnitId]);

  useEffect(() => {
    void load();
  }, [load]);

  const reload = useCallback(async () => {
    setTick((t) => t + 1);
    await load();
  }, [load]);
  const write = useMoneyWrite(reload);

  if (!dm) {
    if (loadError === null) return <Spin />;
    if (loadError instanceof ApiError && loadError.status === 404) return <NotFoundResult />;
    return <Result status="error" title="加载失败" subTitle={errorMessage(loadError)} extra={<Button onClick={() => void load()}>重试</Button>} />;
  }

  const rights: MoneyRights = {
    cityAdmin: user?.role === 'city_admin',
    cityStaff: user?.role === 'city_admin' || user?.role === 'city_assessor',
    districtAdmin: user?.role === 'district_admin' && user.orgUnit.id === dm.districtId,
    userId: user?.id ?? 0,
  };
  const sheet = dm.sheet;
  // The district's own admin comes here to allocate: that section first for them.
  const allocation = <AllocationCard key={dm.allocation.version} dm={dm} rights={rights} onMoney={setDm} write={write} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} className="fees-district">
      <Card
        title={
          <Space wrap>
            <Link to={`/fees?campaign=${campaignId}`} aria-label="返回考核费用">
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="district-title">{dm.districtName} · 考核费用</span>
            {sheet ? (
              <Tag color={FEE_SHEET_STATUS_COLORS[sheet.status]} data-testid="sheet-status-tag">
                {FEE_SHEET_STATUS_LABELS[sheet.status]}
              </Tag>
            ) : (
              <Tag data-testid="sheet-status-tag">未核算</Tag>
            )}
            <Tag color={DISBURSEMENT_STATUS_COLORS[dm.disbursementStatus]} data-testid="disbursement-status-tag">
              {DISBURSEMENT_STATUS_LABELS[dm.disbursementStatus]}
            </Tag>
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3, xl: 5 }}
          items={[
            { key: 'campaign', label: '考核批次', children: dm.campaignName },
            { key: 'fee', label: '考核费用', children: yuan(sheet?.feeFen ?? dm.computation.feeFen) },
            { key: 'approved', label: '已审批', children: <span data-testid="approved-head">{yuan(dm.approvedFen)}</span> },
            { key: 'paid', label: '已拨付', children: <span data-testid="paid-head">{yuan(dm.paidFen)}</span> },
            { key: 'allocated', label: '已分配', children: `按用途 ${yuan(dm.allocation.purposesFen)}；按街道 ${yuan(dm.allocation.unitsFen)}` },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 13 }}>
          流程：冻结有效数据 → 核算考核费用 → 复核 → 审批（金额锁定）→ 市社保经办机构拨付至区人社部门 → 区人社部门分配使用。
        </Typography.Paragraph>
      </Card>
      {rights.districtAdmin && allocation}
      <CountSnapshotCard campaignId={campaignId} orgUnitId={orgUnitId} canFreeze={rights.cityAdmin} refreshKey={tick} onFrozen={reload} write={write} />
      <FeeSheetCard dm={dm} rights={rights} reload={reload} write={write} />
      <SiteFundsCard dm={dm} rights={rights} onMoney={setDm} write={write} />
      <PaymentsCard dm={dm} rights={rights} onMoney={setDm} write={write} />
      {!rights.districtAdmin && allocation}
    </Space>
  );
}
