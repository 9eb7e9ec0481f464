import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { campaignCopy } from '../../shared/api';
import { api, errorMessage, isSilentError } from '../api/client';
import type { Campaign, CampaignSummary } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { formatTime } from '../common/format';
import { byNumber, byText, byTime, codeFilter } from '../common/tableSort';
import { HiddenSubmit } from '../common/HiddenSubmit';
import { useItems } from '../common/useItems';
import { zodRule } from '../common/zodRule';
import { CAMPAIGN_STATUS_COLORS, CAMPAIGN_STATUS_LABELS } from './labels';

const CAMPAIGN_STATUSES = Object.keys(CAMPAIGN_STATUS_LABELS) as CampaignSummary['status'][];

type CopyValues = { sourceId: number; code: string; name: string; year: number };

function CopyCampaignModal({
  open,
  campaigns,
  onClose,
  onCopied,
}: {
  open: boolean;
  campaigns: CampaignSummary[];
  onClose: () => void;
  onCopied: (c: Campaign) => void;
}) {
  const [form] = Form.useForm<CopyValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setError(null);
    const latest = [...campaigns].sort((a, b) => b.year - a.year || b.id - a.id)[0];
    if (latest) {
      const year = latest.year + 1;
      form.setFieldsValue({ sourceId: latest.id, year, code: String(year), name: latest.name.replace(String(latest.year), String(year)) });
    }
  }, [open, campaigns, form]);

  const submit = async (v: CopyValues) => {
    setSubmitting(true);
    setError(null);
    try {
      onCopied(await api.post<Campaign>('/api/campaigns', { sourceId: v.sourceId, code: v.code.trim(), name: v.name.trim(), year: v.year }));
    } catch (err) {
      if (!isSilentError(err)) setError(errorMessage(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal title="复制为新批次" open={open} onCancel={onClose} onOk={() => form.submit()} okText="确定" cancelText="取消" confirmLoading={submitting}
      forceRender
      afterOpenChange={(o) => {
        if (o) (form.getFieldInstance('code') as HTMLInputElement | null)?.focus();
      }}
    >
      <Form form={form} name="campaignCopy" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="复制来源" name="sourceId" rules={[{ required: true, message: '请选择要复制的批次' }]}>
          <Select options={campaigns.map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }))} />
        </Form.Item>
        <Form.Item label="批次代码" name="code" rules={[{ required: true, message: '请输入批次代码' }, zodRule(campaignCopy.shape.code)]}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item label="批次名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入批次名称' }, zodRule(campaignCopy.shape.name)]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item label="考核年度" name="year" rules={[{ required: true, message: '请输入考核年度' }]}>
          <InputNumber<number> min={2000} max={2100} precision={0} style={{ width: 160 }} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        <HiddenSubmit />
      </Form>
    </Modal>
  );
}

export function CampaignsPage() {
  const user = useUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { items, loading } = useItems<CampaignSummary>('/api/campaigns');
  const [copying, setCopying] = useState(false);


  return (
    <Card
      title="考核批次"
      extra={
        user.role === 'city_admin' && (
          <Button type="primary" icon={<CopyOutlined />} disabled={items.length === 0} onClick={() => setCopying(true)}>
            复制为新批次
          </Button>
        )
      }
    >
      <Table<CampaignSummary>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: '批次代码', dataIndex: 'code', sorter: byText((c) => c.code) },
          { title: '批次名称', dataIndex: 'name', render: (name: string, c) => <Link to={`/campaigns/${c.id}`}>{name}</Link>, sorter: byText((c) => c.name) },
          { title: '考核年度', dataIndex: 'year', sorter: byNumber((c) => c.year) },
          {
            title: '状态',
            dataIndex: 'status',
            ...codeFilter(CAMPAIGN_STATUSES, CAMPAIGN_STATUS_LABELS, (c: CampaignSummary) => c.status),
            render: (s: CampaignSummary['status']) => <Tag color={CAMPAIGN_STATUS_COLORS[s]}>{CAMPAIGN_STATUS_LABELS[s]}</Tag>,
          },
          { title: '自查自评截止', dataIndex: 'selfAssessmentDeadline', sorter: byTime((c) => c.selfAssessmentDeadline) },
          { title: '数据截止', dataIndex: 'dataCutoff', sorter: byTime((c) => c.dataCutoff) },
          { title: '最后修改', dataIndex: 'updatedAt', render: (v: string) => formatTime(v), sorter: byTime((c) => c.updatedAt) },
          {
            title: '操作',
            key: 'actions',
            render: (_, c) => (
              <Button type="link" size="small" onClick={() => navigate(`/campaigns/${c.id}`)}>
                查看
              </Button>
            ),
          },
        ]}
      />
      <CopyCampaignModal
        open={copying}
        campaigns={items}
        onClose={() => setCopying(false)}
        onCopied={(c) => {
          setCopying(false);
          void message.success(`已创建草稿批次：${c.name}`);
          navigate(`/campaigns/${c.id}`);
        }}
      />
    </Card>
  );
}
