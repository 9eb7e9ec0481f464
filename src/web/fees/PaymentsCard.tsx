// (d) 拨付: the city pays the approved amount to the district's HR department (seed 四（三）1) and
// records each payment (date, amount, voucher, note, a scan of the voucher). Payments never exceed the
// approved amount (the server refuses, with a message shown next to the form); a mistaken entry is
// voided with a reason, never deleted.
import { PaperClipOutlined, PayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Space, Table, Tag, Typography, Upload } from 'antd';
import { keepEnterInDatePickers } from '../common/dateEnter';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { DISBURSEMENT_STATUS_LABELS, type DistrictMoney, type Payment } from '../../shared/api-fees';
import { api, errorMessage, isSilentError, upload } from '../api/client';
import { ReasonModal } from '../assessments/AssessmentDialogs';
import { formatSize } from '../assessments/labels';
import { formatTime, todayShanghai } from '../common/format';
import { HiddenSubmit } from '../common/HiddenSubmit';
import { byNumber, byText, byTime } from '../common/tableSort';
import type { MoneyRights } from './DistrictMoneyPage';
import { DISBURSEMENT_STATUS_COLORS, fenText, moneyPath, parseYuan, yuan } from './labels';
import type { MoneyWrite } from './useMoneyWrite';

type FormValues = { paidOn: Dayjs; amount: string; voucherNo: string; note?: string };

const ATTACHMENT_ACCEPT = 'image/png,image/jpeg,.png,.jpg,.jpeg,.pdf';
const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

function AttachmentCell({ p, editable, onMoney }: { p: Payment; editable: boolean; onMoney: (m: DistrictMoney) => void }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const send = async (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    setBusy(true);
    try {
      onMoney(await upload<DistrictMoney>(`/api/payments/${p.id}/attachment`, form));
      void message.success(`已上传：${file.name}`);
    } catch (err) {
      if (!isSilentError(err)) void message.error(`${file.name}：${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size={2}>
      {p.attachment && (
        <a href={`/api/payments/${p.id}/attachment`} target="_blank" rel="noopener" data-testid={`payment-attachment-${p.id}`}>
          <PaperClipOutlined /> {p.attachment.fileName}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            {formatSize(p.attachment.sizeBytes)}
          </Typography.Text>
        </a>
      )}
      {!p.attachment && !editable && <Typography.Text type="secondary">—</Typography.Text>}
      {editable && !p.voidedAt && (
        <Upload
          accept={ATTACHMENT_ACCEPT}
          showUploadList={false}
          beforeUpload={(file) => {
            if (!/\.(png|jpe?g|pdf)$/i.test(file.name)) {
              void message.error(`${file.name}：凭证附件应为图片（JPG、PNG）或 PDF`);
              return Upload.LIST_IGNORE;
            }
            if (file.size === 0 || file.size > ATTACHMENT_MAX_BYTES) {
              void message.error(`${file.name}：文件为空或超过 20 MB`);
              return Upload.LIST_IGNORE;
            }
            void send(file);
            return false;
          }}
        >
          <Button size="small" icon={<UploadOutlined />} loading={busy} aria-label={`上传凭证附件：${p.voucherNo}`}>
            {p.attachment ? '更换' : '上传凭证'}
          </Button>
        </Upload>
      )}
    </Space>
  );
}

function PaymentForm({ dm, onMoney, write }: { dm: DistrictMoney; onMoney: (m: DistrictMoney) => void; write: MoneyWrite }) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = todayShanghai();
  const left = (dm.approvedFen ?? 0) - dm.paidFen;

  const submit = (v: FormValues) => {
    const amountFen = parseYuan(v.amount).fen;
    if (amountFen === null) return;
    const body = { paidOn: v.paidOn.format('YYYY-MM-DD'), amountFen, voucherNo: v.voucherNo.trim(), note: (v.note ?? '').trim() };
    modal.confirm({
      title: '登记拨付？',
      content: `${body.paidOn} 向${dm.districtName}人社部门拨付 ${yuan(amountFen)}，凭证号 ${body.voucherNo}。需再次验证密码。`,
      okText: '登记拨付',
      cancelText: '取消',
      onOk: async () => {
        setBusy(true);
        setError(null);
        try {
          const r = await write(() => api.post<DistrictMoney>(`${moneyPath(dm.campaignId, dm.districtId)}/payments`, body), setError);
          if (r) {
            onMoney(r);
            form.resetFields();
            void message.success('拨付已登记');
          }
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Form<FormValues> form={form} layout="inline" onFinish={submit} onKeyDown={keepEnterInDatePickers} className="payment-form" data-testid="payment-form" style={{ rowGap: 8 }}>
      <Form.Item label="拨付日期" name="paidOn" rules={[{ required: true, message: '请选择拨付日期' }]}>
        <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > today} style={{ width: 150 }} data-testid="payment-date" />
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
        <InputNumber<string> stringMode min="0" precision={2} suffix="元" placeholder={left > 0 ? `未拨付 ${fenText(left)}` : undefined} style={{ width: 200 }} data-testid="payment-amount" />
      </Form.Item>
      <Form.Item label="凭证号" name="voucherNo" rules={[{ required: true, whitespace: true, message: '请填写凭证号' }]}>
        <Input maxLength={60} style={{ width: 160 }} data-testid="payment-voucher" />
      </Form.Item>
      <Form.Item label="备注" name="note">
        <Input maxLength={500} style={{ width: 220 }} data-testid="payment-note" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="payment-submit">
          登记拨付
        </Button>
      </Form.Item>
      <HiddenSubmit />
      {error && <Alert type="error" showIcon title={error} style={{ width: '100%', marginTop: 8 }} data-testid="payment-error" closable={{ onClose: () => setError(null) }} />}
    </Form>
  );
}

export function PaymentsCard({ dm, rights, onMoney, write }: { dm: DistrictMoney; rights: MoneyRights; onMoney: (m: DistrictMoney) => void; write: MoneyWrite }) {
  const { message } = App.useApp();
  const [voiding, setVoiding] = useState<Payment | null>(null);
  const approved = dm.approvedFen;

  const voidPayment = async (reason: string): Promise<boolean> => {
    if (!voiding) return false;
    const r = await write(() => api.post<DistrictMoney>(`/api/payments/${voiding.id}/void`, { reason }));
    if (!r) return false;
    onMoney(r);
    void message.success('该笔拨付已作废');
    return true;
  };

  const columns: ColumnsType<Payment> = [
    { title: '拨付日期', dataIndex: 'paidOn', width: 116, sorter: byTime((p) => p.paidOn) },
    {
      title: '金额（元）',
      dataIndex: 'amountFen',
      width: 130,
      align: 'right',
      sorter: byNumber((p) => p.amountFen),
      render: (v: number, p) => (p.voidedAt ? <Typography.Text delete type="secondary">{fenText(v)}</Typography.Text> : fenText(v)),
    },
    { title: '凭证号', dataIndex: 'voucherNo', width: 140, sorter: byText((p) => p.voucherNo) },
    { title: '备注', dataIndex: 'note', render: (v: string) => v || '—' },
    { title: '凭证附件', key: 'attachment', width: 200, render: (_, p) => <AttachmentCell p={p} editable={rights.cityAdmin} onMoney={onMoney} /> },
    { title: '登记', key: 'created', width: 170, render: (_, p) => `${p.createdBy} ${formatTime(p.createdAt)}`, sorter: byTime((p) => p.createdAt) },
    {
      title: '状态',
      key: 'state',
      width: 170,
      filters: [
        { text: '有效', value: 'valid' },
        { text: '已作废', value: 'voided' },
      ],
      onFilter: (v, p) => (p.voidedAt ? 'voided' : 'valid') === v,
      render: (_, p) =>
        p.voidedAt ? (
          <Space orientation="vertical" size={0}>
            <Tag color="red">已作废</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatTime(p.voidedAt)} {p.voidReason}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="green">有效</Tag>
        ),
    },
    ...(rights.cityAdmin
      ? [
          {
            title: '操作',
            key: 'action',
            width: 70,
            render: (_: unknown, p: Payment) =>
              !p.voidedAt && (
                <Button size="small" type="link" danger onClick={() => setVoiding(p)} aria-label={`作废拨付 ${p.voucherNo}`}>
                  作废
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
          <PayCircleOutlined />
          <span>拨付</span>
          <Tag color={DISBURSEMENT_STATUS_COLORS[dm.disbursementStatus]} data-testid="disbursement-status">
            {DISBURSEMENT_STATUS_LABELS[dm.disbursementStatus]}
          </Tag>
        </Space>
      }
      data-testid="payments-card"
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'approved', label: '已审批金额', children: <strong data-testid="approved-amount">{approved === null ? '未审批' : yuan(approved)}</strong> },
            { key: 'paid', label: '已拨付', children: <span data-testid="paid-amount">{yuan(dm.paidFen)}</span> },
            { key: 'left', label: '未拨付', children: approved === null ? '—' : yuan(approved - dm.paidFen) },
          ]}
        />
        {rights.cityAdmin &&
          (approved === null ? (
            <Alert type="info" showIcon title="核算表审批后才能登记拨付。" />
          ) : (
            <PaymentForm dm={dm} onMoney={onMoney} write={write} />
          ))}
        <div data-testid="payments-table">
          <Table<Payment> size="small" rowKey="id" columns={columns} dataSource={dm.payments} pagination={false} locale={{ emptyText: '尚无拨付记录' }} scroll={{ x: 1000 }} />
        </div>
      </Space>
      <ReasonModal
        open={voiding !== null}
        title={`作废拨付：${voiding?.paidOn ?? ''} ${yuan(voiding?.amountFen)}（凭证号 ${voiding?.voucherNo ?? ''}）`}
        label="作废原因（记录在案，不删除）"
        okText="作废"
        danger
        onOk={voidPayment}
        onClose={() => setVoiding(null)}
      />
    </Card>
  );
}
