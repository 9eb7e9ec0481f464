import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import type { Campaign } from '../api/types';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { useOrgs } from '../common/useOrgs';
import type { CampaignPatch } from './useCampaign';

type Quota = Campaign['quotas'][number];

function QuotaSummary({ sum, awardTotal }: { sum: number; awardTotal: number }) {
  return sum === awardTotal ? null : (
    <Alert type="warning" showIcon title={`各单位名额合计 ${sum} 名，与评选总名额 ${awardTotal} 名不一致`} />
  );
}

function QuotasEditor({ campaign, onSave, onCancel }: { campaign: Campaign; onSave: (p: CampaignPatch) => Promise<boolean>; onCancel: () => void }) {
  const { index } = useOrgs();
  const [rows, setRows] = useState<Quota[]>(campaign.quotas);
  const [awardTotal, setAwardTotal] = useState<number>(campaign.awardTotal);
  const [adding, setAdding] = useState<number | undefined>();
  const [saving, setSaving] = useState(false);
  const sum = rows.reduce((s, r) => s + r.quota, 0);

  const add = () => {
    if (adding === undefined || rows.some((r) => r.orgUnitId === adding)) return;
    const unit = index.byId.get(adding);
    setRows((rs) => [...rs, { orgUnitId: adding, orgUnitName: unit?.name ?? String(adding), quota: 0 }]);
    setAdding(undefined);
  };

  const save = async () => {
    setSaving(true);
    try {
      if (await onSave({ quotas: rows.map((r) => ({ orgUnitId: r.orgUnitId, quota: r.quota })), awardTotal })) onCancel();
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Space>
        <span>评选先进个人总名额</span>
        <InputNumber<number> aria-label="评选总名额" value={awardTotal} min={0} max={10000} precision={0} suffix="名" onChange={(v) => setAwardTotal(v ?? 0)} />
      </Space>
      <Table<Quota>
        bordered
        size="small"
        rowKey="orgUnitId"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '地区/单位', dataIndex: 'orgUnitName' },
          {
            title: '人数',
            key: 'quota',
            width: 160,
            render: (_, r) => (
              <InputNumber<number>
                aria-label={`${r.orgUnitName}名额`}
                value={r.quota}
                min={0}
                max={1000}
                precision={0}
                onChange={(v) => setRows((rs) => rs.map((x) => (x.orgUnitId === r.orgUnitId ? { ...x, quota: v ?? 0 } : x)))}
              />
            ),
          },
          {
            title: '',
            key: 'del',
            width: 50,
            render: (_, r) => (
              <Button type="text" danger icon={<DeleteOutlined />} aria-label="删除" onClick={() => setRows((rs) => rs.filter((x) => x.orgUnitId !== r.orgUnitId))} />
            ),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
            <Table.Summary.Cell index={1} colSpan={2}>
              {sum} / {awardTotal}
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <Space.Compact style={{ width: '100%' }}>
        <OrgTreeSelect aria-label="选择要分配名额的单位" value={adding} onChange={setAdding} placeholder="选择要分配名额的单位" allowClear />
        <Button icon={<PlusOutlined />} onClick={add} disabled={adding === undefined}>
          添加单位
        </Button>
      </Space.Compact>
      <QuotaSummary sum={sum} awardTotal={awardTotal} />
      <Space>
        <Button type="primary" loading={saving} onClick={() => void save()}>
          保存
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Space>
    </Space>
  );
}

export function QuotasTab({ campaign, editable, onSave }: { campaign: Campaign; editable: boolean; onSave: (p: CampaignPatch) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  if (editing && editable) return <QuotasEditor campaign={campaign} onSave={onSave} onCancel={() => setEditing(false)} />;
  const sum = campaign.quotas.reduce((s, r) => s + r.quota, 0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      {editable && (
        <Button type="primary" onClick={() => setEditing(true)}>
          编辑
        </Button>
      )}
      <Typography.Text>
        评选全民参保登记工作先进个人 <strong>{campaign.awardTotal}</strong> 名，名额分配如下：
      </Typography.Text>
      <Table<Quota>
        bordered
        size="small"
        rowKey="orgUnitId"
        pagination={false}
        dataSource={campaign.quotas}
        columns={[
          { title: '地区/单位', dataIndex: 'orgUnitName' },
          { title: '人数', dataIndex: 'quota', width: 120, align: 'center' },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <strong>合计</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="center">
              <strong data-testid="quota-total">{sum}</strong>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <QuotaSummary sum={sum} awardTotal={campaign.awardTotal} />
    </Space>
  );
}
