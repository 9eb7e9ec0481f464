import { Button, DatePicker, Descriptions, Form, Space } from 'antd';
import { keepEnterInDatePickers } from '../common/dateEnter';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Campaign } from '../api/types';
import { daysUntil } from '../common/format';
import type { CampaignPatch } from './useCampaign';

type Values = { selfAssessmentDeadline: Dayjs; dataCutoff: Dayjs; nominationDeadline: Dayjs };
const FMT = 'YYYY-MM-DD';

function withCountdown(date: string): string {
  const d = daysUntil(date);
  return d > 0 ? `${date}（还有 ${d} 天）` : d === 0 ? `${date}（今天）` : `${date}（已过）`;
}

export function ScheduleTab({ campaign, editable, onSave }: { campaign: Campaign; editable: boolean; onSave: (p: CampaignPatch) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();

  if (editing && editable) {
    const submit = async (v: Values) => {
      setSaving(true);
      try {
        const ok = await onSave({
          selfAssessmentDeadline: v.selfAssessmentDeadline.format(FMT),
          dataCutoff: v.dataCutoff.format(FMT),
          nominationDeadline: v.nominationDeadline.format(FMT),
        });
        if (ok) setEditing(false);
      } finally {
        setSaving(false);
      }
    };
    return (
      <Form
        form={form}
        name="schedule"
        layout="vertical"
        style={{ maxWidth: 400 }}
        initialValues={{
          selfAssessmentDeadline: dayjs(campaign.selfAssessmentDeadline),
          dataCutoff: dayjs(campaign.dataCutoff),
          nominationDeadline: dayjs(campaign.nominationDeadline),
        }}
        onFinish={(v) => void submit(v)}
        onKeyDown={keepEnterInDatePickers}
      >
        <Form.Item label="自查自评截止日期" name="selfAssessmentDeadline" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker format={FMT} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="数据截止日期" name="dataCutoff" rules={[{ required: true, message: '请选择日期' }]} extra="有效录入人数以此日期前录入的有效数据为依据">
          <DatePicker format={FMT} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label="先进个人申报截止日期" name="nominationDeadline" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker format={FMT} style={{ width: '100%' }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存
          </Button>
          <Button onClick={() => setEditing(false)}>取消</Button>
        </Space>
      </Form>
    );
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      {editable && (
        <Button type="primary" onClick={() => setEditing(true)}>
          编辑
        </Button>
      )}
      <Descriptions
        bordered
        column={1}
        size="small"
        items={[
          { key: 'self', label: '自查自评截止日期', children: withCountdown(campaign.selfAssessmentDeadline) },
          { key: 'cutoff', label: '数据截止日期', children: withCountdown(campaign.dataCutoff) },
          { key: 'nom', label: '先进个人申报截止日期', children: withCountdown(campaign.nominationDeadline) },
        ]}
      />
    </Space>
  );
}
