// (c) 示范点经费: extra working funds of the district's demonstration sites (seed 四（一）: "全民参保登记
// 工作示范点除入户调查基准费用外…发放一定工作经费"), an amount and a reason per street or community,
// entered by a city admin, shown separately from the fee; withdrawn with a reason, never deleted.
import { FlagOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { DistrictMoney, SiteFund } from '../../shared/api-fees';
import { api } from '../api/client';
import { ReasonModal } from '../assessments/AssessmentDialogs';
import { formatTime } from '../common/format';
import { toSelectTree } from '../common/orgTree';
import { byNumber, byText, byTime } from '../common/tableSort';
import { useOrgs } from '../common/useOrgs';
import type { MoneyRights } from './DistrictMoneyPage';
import { moneyPath, parseYuan, yuan } from './labels';
import type { MoneyWrite } from './useMoneyWrite';

type FormValues = { orgUnitId: number; amount: string; reason: string };

function AddSiteFundModal({ dm, open, onClose, onMoney, write }: { dm: DistrictMoney; open: boolean; onClose: () => void; onMoney: (m: DistrictMoney) => void; write: MoneyWrite }) {
  const { message, modal } = App.useApp();
  const { index, loading } = useOrgs();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only the district's own streets and communities.
  const treeData = useMemo(() => toSelectTree(index.byId.get(dm.districtId)?.children ?? []), [index, dm.districtId]);

  const submit = (v: FormValues) => {
    const amountFen = parseYuan(v.amount).fen;
    if (amountFen === null) return;
    const unit = index.byId.get(v.orgUnitId)?.name ?? '';
    modal.confirm({
      title: '发放示范点工作经费？',
      content: `${unit}：${yuan(amountFen)}。经费计入${dm.districtName}的核算表（已生成的核算表须重新核算）。`,
      okText: '确认',
      cancelText: '取消',
      onOk: async () => {
        setBusy(true);
        try {
          const r = await write(() => api.post<DistrictMoney>(`${moneyPath(dm.campaignId, dm.districtId)}/site-funds`, { orgUnitId: v.orgUnitId, amountFen, reason: v.reason.trim() }), setError);
          if (r) {
            onMoney(r);
            void message.success('示范点经费已录入');
            onClose();
          }
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Modal
      open={open}
      title={`录入示范点工作经费 · ${dm.districtName}`}
      okText="录入"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) setError(null);
      }}
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item label="示范点（街道/镇或社区/村）" name="orgUnitId" rules={[{ required: true, message: '请选择示范点' }]}>
          <TreeSelect<number>
            treeData={treeData}
            loading={loading}
            placeholder={`请选择${dm.districtName}的街道或社区`}
            showSearch={{ filterTreeNode: (input, node) => String((node as { title?: string }).title ?? '').includes(input.trim()) }}
            treeNodeLabelProp="title"
            listHeight={320}
            data-testid="site-fund-unit"
          />
        </Form.Item>
        <Form.Item
          label="金额"
          name="amount"
          rules={[
            { required: true, message: '请输入金额' },
            {
              validator: async (_r, v: string | null) => {
                const p = parseYuan(v);
                if (p.error) throw new Error(p.error);
                if (p.fen !== null && p.fen <= 0) throw new Error('金额须大于 0');
              },
            },
          ]}
        >
          <InputNumber<string> stringMode min="0" precision={2} suffix="元" style={{ width: 220 }} data-testid="site-fund-amount" />
        </Form.Item>
        <Form.Item
          label="发放理由"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写发放理由' },
            { min: 2, message: '请填写发放理由（至少 2 个字）' },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount data-testid="site-fund-reason" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

export function SiteFundsCard({ dm, rights, onMoney, write }: { dm: DistrictMoney; rights: MoneyRights; onMoney: (m: DistrictMoney) => void; write: MoneyWrite }) {
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<SiteFund | null>(null);
  const locked = dm.sheet?.status === 'approved';
  const editable = rights.cityAdmin && !locked;

  // The server lists the funds not withdrawn; withdrawn ones stay on the sheets that held them.
  const funds = dm.siteFunds;

  const revoke = async (reason: string): Promise<boolean> => {
    if (!revoking) return false;
    const r = await write(() => api.post<DistrictMoney>(`/api/site-funds/${revoking.id}/revoke`, { reason }));
    if (!r) return false;
    onMoney(r);
    void message.success('示范点经费已撤销');
    return true;
  };

  const columns: ColumnsType<SiteFund> = [
    { title: '示范点', dataIndex: 'orgUnitName', width: 200, sorter: byText((f) => f.orgUnitName) },
    { title: '金额（元）', dataIndex: 'amountFen', width: 140, align: 'right', render: (v: number) => yuan(v).replace(' 元', ''), sorter: byNumber((f) => f.amountFen) },
    { title: '发放理由', dataIndex: 'reason' },
    { title: '录入', key: 'created', width: 200, render: (_, f) => `${f.createdBy} ${formatTime(f.createdAt)}`, sorter: byTime((f) => f.createdAt) },
    {
      title: '状态',
      key: 'state',
      width: 180,
      filters: [
        { text: '有效', value: 'valid' },
        { text: '已撤销', value: 'revoked' },
      ],
      onFilter: (v, f) => (f.revokedAt ? 'revoked' : 'valid') === v,
      render: (_, f) =>
        f.revokedAt ? (
          <Space orientation="vertical" size={0}>
            <Tag>已撤销</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatTime(f.revokedAt)} {f.revokeReason}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="green">有效</Tag>
        ),
    },
    ...(editable
      ? [
          {
            title: '操作',
            key: 'action',
            width: 80,
            render: (_: unknown, f: SiteFund) =>
              !f.revokedAt && (
                <Button size="small" danger type="link" onClick={() => setRevoking(f)} aria-label={`撤销 ${f.orgUnitName} 的示范点经费`}>
                  撤销
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space>
          <FlagOutlined />
          <span>示范点经费</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            合计 {yuan(dm.siteFundsFen)}
          </Typography.Text>
        </Space>
      }
      extra={
        editable && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-site-fund">
            录入示范点经费
          </Button>
        )
      }
      data-testid="site-funds-card"
    >
      {locked && rights.cityAdmin && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title="核算表已审批，示范点经费随之锁定；如需调整，请先重新打开核算表。" />
      )}
      <Table<SiteFund>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={funds}
        pagination={false}
        locale={{ emptyText: '本区没有示范点经费' }}
        scroll={{ x: 800 }}
      />
      <AddSiteFundModal dm={dm} open={adding} onClose={() => setAdding(false)} onMoney={onMoney} write={write} />
      <ReasonModal
        open={revoking !== null}
        title={`撤销示范点经费：${revoking?.orgUnitName ?? ''} ${yuan(revoking?.amountFen)}`}
        label="撤销原因（记录在案）"
        okText="撤销"
        danger
        onOk={revoke}
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}
