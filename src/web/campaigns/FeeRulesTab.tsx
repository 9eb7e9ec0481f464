import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { campaignUpdate } from '../../shared/api';
import type { Campaign } from '../api/types';
import { fenToYuan, formatFen, formatScore, pointsToTenths, yuanToFen } from '../common/format';
import { sortTiers, tierRangeLabel, type FeeTier } from './rules';
import type { CampaignPatch } from './useCampaign';

type EditTier = FeeTier & { key: number };
let nextKey = 1;

function TiersTable({ tiers }: { tiers: readonly FeeTier[] }) {
  const sorted = sortTiers(tiers);
  return (
    <Table
      bordered
      size="small"
      pagination={false}
      rowKey={(t) => `${t.minScore}`}
      dataSource={sorted}
      style={{ maxWidth: 640 }}
      columns={[
        { title: '分数段', key: 'range', render: (_, _t, i) => tierRangeLabel(sorted, i) },
        { title: '发放比例', dataIndex: 'percent', render: (p: number) => `按计发基数的 ${p}%` },
        { title: '说明', dataIndex: 'label' },
      ]}
    />
  );
}

function FeeRulesView({ campaign }: { campaign: Campaign }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions
        bordered
        column={1}
        size="small"
        style={{ maxWidth: 640 }}
        items={[
          { key: 'rate', label: '入户调查基准费用', children: `${formatFen(campaign.baseRateFen)} 元/人` },
          { key: 'base', label: '计发基数', children: '各区实际录入有效数据人数 × 入户调查基准费用' },
          {
            key: 'fund',
            label: '专项工作经费',
            children: campaign.specialFundFen === null ? '未设定' : `${formatFen(campaign.specialFundFen)} 元`,
          },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        费用计算
      </Typography.Title>
      <TiersTable tiers={campaign.feeTiers} />
    </Space>
  );
}

function FeeRulesEditor({ campaign, onSave, onCancel }: { campaign: Campaign; onSave: (p: CampaignPatch) => Promise<boolean>; onCancel: () => void }) {
  const [rateYuan, setRateYuan] = useState<number | null>(fenToYuan(campaign.baseRateFen));
  const [fundYuan, setFundYuan] = useState<number | null>(campaign.specialFundFen === null ? null : fenToYuan(campaign.specialFundFen));
  const [tiers, setTiers] = useState<EditTier[]>(() => sortTiers(campaign.feeTiers).map((t) => ({ ...t, key: nextKey++ })));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const sorted = sortTiers(tiers);
  const duplicateMin = new Set(tiers.map((t) => t.minScore)).size !== tiers.length;
  const hasZero = tiers.some((t) => t.minScore === 0);
  const update = (key: number, patch: Partial<FeeTier>) => setTiers((ts) => ts.map((t) => (t.key === key ? { ...t, ...patch } : t)));

  const save = async () => {
    if (rateYuan === null) {
      setError('请输入入户调查基准费用');
      return;
    }
    if (duplicateMin) {
      setError('分数段的起始分不能重复');
      return;
    }
    const feeTiers = sorted.map(({ minScore, percent, label }) => ({ minScore, percent, label: label.trim() }));
    const patch: CampaignPatch = {
      baseRateFen: yuanToFen(rateYuan),
      specialFundFen: fundYuan === null ? null : yuanToFen(fundYuan),
      feeTiers,
    };
    const parsed = campaignUpdate.safeParse({ ...patch, version: campaign.version });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '填写不完整');
      return;
    }
    setError(null);
    setSaving(true);
    try {
      if (await onSave(patch)) onCancel();
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 760 }}>
      <Space wrap>
        <span>入户调查基准费用</span>
        <InputNumber<number> aria-label="入户调查基准费用" value={rateYuan} min={0} max={10000} step={0.5} precision={2} onChange={setRateYuan} suffix="元/人" style={{ width: 160 }} />
        <span style={{ marginInlineStart: 24 }}>专项工作经费</span>
        <InputNumber<number>
          aria-label="专项工作经费"
          value={fundYuan}
          min={0}
          precision={2}
          onChange={setFundYuan}
          suffix="元"
          placeholder="未设定"
          style={{ width: 200 }}
        />
      </Space>
      <Table<EditTier>
        bordered
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={sorted}
        columns={[
          {
            title: '起始分（含）',
            key: 'min',
            width: 150,
            render: (_, t) => (
              <InputNumber<number>
                aria-label="起始分"
                value={t.minScore / 10}
                min={0}
                max={100}
                step={0.5}
                precision={1}
                suffix="分"
                onChange={(v) => update(t.key, { minScore: pointsToTenths(v ?? 0) })}
              />
            ),
          },
          { title: '分数段', key: 'range', render: (_, _t, i) => tierRangeLabel(sorted, i) },
          {
            title: '发放比例',
            key: 'percent',
            width: 140,
            render: (_, t) => (
              <InputNumber<number> aria-label="发放比例" value={t.percent} min={0} max={100} precision={0} suffix="%" onChange={(v) => update(t.key, { percent: v ?? 0 })} />
            ),
          },
          {
            title: '说明',
            key: 'label',
            render: (_, t) => <Input aria-label="说明" value={t.label} maxLength={40} onChange={(e) => update(t.key, { label: e.target.value })} />,
          },
          {
            title: '',
            key: 'del',
            width: 50,
            render: (_, t) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label="删除分数段"
                disabled={tiers.length <= 1}
                onClick={() => setTiers((ts) => ts.filter((x) => x.key !== t.key))}
              />
            ),
          },
        ]}
      />
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        disabled={tiers.length >= 10}
        onClick={() => setTiers((ts) => [...ts, { key: nextKey++, minScore: 0, percent: 80, label: '' }])}
      >
        添加分数段
      </Button>
      {!hasZero && <Alert type="warning" showIcon title={`没有起始分为 0 的分数段：低于 ${formatScore(sorted.at(-1)?.minScore ?? 0)} 分的总分将没有对应的发放比例`} />}
      {duplicateMin && <Alert type="warning" showIcon title="分数段的起始分不能重复" />}
      {error && <Alert type="error" showIcon title={error} />}
      <Space>
        <Button type="primary" loading={saving} onClick={() => void save()}>
          保存
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Space>
    </Space>
  );
}

export function FeeRulesTab({ campaign, editable, onSave }: { campaign: Campaign; editable: boolean; onSave: (p: CampaignPatch) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  if (editing && editable) return <FeeRulesEditor campaign={campaign} onSave={onSave} onCancel={() => setEditing(false)} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {editable && (
        <Button type="primary" onClick={() => setEditing(true)}>
          编辑
        </Button>
      )}
      <FeeRulesView campaign={campaign} />
    </Space>
  );
}
