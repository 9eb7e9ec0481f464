// 先进个人申报 of a campaign: the 申报条件 (seed 五（一）), which every nomination answers one by one,
// and the contact to whom districts send their papers (五（三） 联系人、电话). The conditions are rules:
// editable while the campaign is a draft; the contact may change any time (a person leaves).
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { AWARD_CONDITIONS_MAX, awardConditionText, contactName, contactPhone } from '../../shared/api';
import type { Campaign } from '../api/types';
import { zodRule } from '../common/zodRule';
import type { CampaignPatch } from './useCampaign';

type Save = (p: CampaignPatch) => Promise<boolean>;

/** The conditions as 五（一） lists them: numbered, one a line. */
export function ConditionList({ conditions }: { conditions: readonly string[] }) {
  if (!conditions.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未设定申报条件：推荐表不要求逐条填写符合情况" />;
  return (
    <ol className="award-condition-list" data-testid="award-conditions" style={{ margin: 0, paddingInlineStart: 24 }}>
      {conditions.map((c, i) => (
        <li key={i} style={{ lineHeight: 1.9 }}>
          {c}
        </li>
      ))}
    </ol>
  );
}

function ConditionsEditor({ campaign, onSave, onCancel }: { campaign: Campaign; onSave: Save; onCancel: () => void }) {
  const [form] = Form.useForm<{ conditions: string[] }>();
  const [saving, setSaving] = useState(false);
  const finish = async (v: { conditions?: string[] }) => {
    setSaving(true);
    try {
      if (await onSave({ awardConditions: (v.conditions ?? []).map((c) => c.trim()) })) onCancel();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form form={form} name="award-conditions" initialValues={{ conditions: campaign.awardConditions }} onFinish={(v) => void finish(v)} style={{ maxWidth: 760 }}>
      <Form.List name="conditions">
        {(fields, { add, remove, move }) => (
          <Space orientation="vertical" size="small" style={{ width: '100%' }}>
            {fields.map((f, i) => (
              <div key={f.key} style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }} data-testid={`condition-row-${i}`}>
                <span style={{ width: 24, lineHeight: '32px', flex: 'none', textAlign: 'right' }}>{i + 1}.</span>
                <Form.Item
                  name={f.name}
                  style={{ flex: 1, marginBottom: 0 }}
                  rules={[{ required: true, whitespace: true, message: '申报条件不能为空' }, zodRule(awardConditionText)]}
                >
                  <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={200} aria-label={`申报条件第 ${i + 1} 条`} data-testid={`condition-input-${i}`} />
                </Form.Item>
                <Button icon={<ArrowUpOutlined />} aria-label="上移" disabled={i === 0} onClick={() => move(i, i - 1)} />
                <Button icon={<ArrowDownOutlined />} aria-label="下移" disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} />
                <Button danger icon={<DeleteOutlined />} aria-label="删除" onClick={() => remove(f.name)} data-testid={`condition-remove-${i}`} />
              </div>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add('')} disabled={fields.length >= AWARD_CONDITIONS_MAX} data-testid="condition-add">
              添加申报条件
            </Button>
          </Space>
        )}
      </Form.List>
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="conditions-save">
          保存
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Space>
    </Form>
  );
}

function ContactEditor({ campaign, onSave, onCancel }: { campaign: Campaign; onSave: Save; onCancel: () => void }) {
  const [saving, setSaving] = useState(false);
  const finish = async (v: { contactName?: string; contactPhone?: string }) => {
    setSaving(true);
    try {
      if (await onSave({ contactName: (v.contactName ?? '').trim(), contactPhone: (v.contactPhone ?? '').trim() })) onCancel();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form name="submission-contact" layout="vertical" style={{ maxWidth: 400 }} initialValues={{ contactName: campaign.contactName, contactPhone: campaign.contactPhone }} onFinish={(v) => void finish(v)}>
      <Form.Item label="联系人" name="contactName" rules={[zodRule(contactName)]}>
        <Input maxLength={30} autoComplete="off" data-testid="contact-name" />
      </Form.Item>
      <Form.Item label="电话" name="contactPhone" rules={[zodRule(contactPhone)]} extra="如 88112733 或 0519-88112733">
        <Input maxLength={26} autoComplete="off" inputMode="tel" data-testid="contact-phone" />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="contact-save">
          保存
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Space>
    </Form>
  );
}

export function AwardConditionsTab({ campaign, rulesEditable, contactEditable, onSave }: { campaign: Campaign; rulesEditable: boolean; contactEditable: boolean; onSave: Save }) {
  const [editing, setEditing] = useState<null | 'conditions' | 'contact'>(null);
  const close = () => setEditing(null);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 800 }}>
      <Card
        size="small"
        title="申报条件（《考核办法》五（一））"
        extra={
          rulesEditable && editing !== 'conditions' ? (
            <Button type="primary" size="small" onClick={() => setEditing('conditions')} data-testid="conditions-edit">
              编辑
            </Button>
          ) : null
        }
      >
        {editing === 'conditions' && rulesEditable ? (
          <ConditionsEditor campaign={campaign} onSave={onSave} onCancel={close} />
        ) : (
          <Space orientation="vertical" size="small" style={{ width: '100%' }}>
            <ConditionList conditions={campaign.awardConditions} />
            <Typography.Text type="secondary">推荐表须逐条填写被推荐人符合各项申报条件的情况，全部填写后才能提交；评审时对照查看。</Typography.Text>
          </Space>
        )}
      </Card>
      <Card
        size="small"
        title="材料报送联系人（《考核办法》五（三））"
        extra={
          contactEditable && editing !== 'contact' ? (
            <Button type="primary" size="small" onClick={() => setEditing('contact')} data-testid="contact-edit">
              编辑
            </Button>
          ) : null
        }
      >
        {editing === 'contact' && contactEditable ? (
          <ContactEditor campaign={campaign} onSave={onSave} onCancel={close} />
        ) : (
          <Descriptions
            bordered
            size="small"
            column={1}
            styles={{ label: { width: 120 } }}
            data-testid="submission-contact"
            items={[
              { key: 'name', label: '联系人', children: campaign.contactName || '未设定' },
              { key: 'phone', label: '电话', children: campaign.contactPhone || '未设定' },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
