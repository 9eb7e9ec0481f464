// The city's decision on a submitted nomination (市社保经办机构评定意见): approve or reject, with an
// opinion that is printed on the form. The person's answers to the 申报条件 and the deeds are shown
// above the decision, to evaluate against the conditions.
import { Descriptions, Form, Input, Modal, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Nomination } from '../../shared/api-awards';
import { ConditionAnswers } from './NominationReadOnly';
import type { EvaluateResult } from './useNominationActions';

type Values = { result: EvaluateResult; opinion: string };

export function EvaluateModal({ nomination: n, onOk, onClose }: { nomination: Nomination | null; onOk: (n: Nomination, result: EvaluateResult, opinion: string) => Promise<boolean>; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  // The form is cleared once the dialog has closed, never while it opens: a reset on opening raced
  // with the first click and lost it. A re-evaluation starts from the current decision.
  useEffect(() => {
    if (n && (n.status === 'approved' || n.status === 'rejected')) form.setFieldsValue({ result: n.status, opinion: n.cityOpinion ?? '' });
  }, [n, form]);
  const finish = async (v: Values) => {
    if (!n) return;
    setBusy(true);
    try {
      if (await onOk(n, v.result, v.opinion.trim())) onClose();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={n !== null}
      title={n ? `评审推荐表：${n.name}` : ''}
      okText="确定"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => form.resetFields()}
      forceRender
      width={640}
    >
      {n && (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 12 }}
          items={[
            { key: 'unit', label: '推荐单位', children: n.orgUnitName },
            { key: 'work', label: '工作单位', children: `${n.workUnit} · ${n.position}` },
          ]}
        />
      )}
      {n && n.conditions.length > 0 && (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text strong>申报条件及符合情况</Typography.Text>
          <ConditionAnswers conditions={n.conditions} testId="evaluate-conditions" />
        </div>
      )}
      {n && (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text strong>先进事迹概述</Typography.Text>
          <div className="award-deeds" data-testid="evaluate-deeds" style={{ maxHeight: 160, overflowY: 'auto', padding: '4px 8px', background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6 }}>
            {n.deeds}
          </div>
        </div>
      )}
      {n?.unitOpinion && (
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
          区人社部门推荐意见：{n.unitOpinion}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void finish(v)} data-testid="evaluate-form">
        <Form.Item label="评定结果" name="result" rules={[{ required: true, message: '请选择评定结果' }]}>
          <Radio.Group
            options={[
              { value: 'approved', label: '通过（列入表彰名单）' },
              { value: 'rejected', label: '不通过' },
            ]}
          />
        </Form.Item>
        <Form.Item
          label="市社保经办机构评定意见"
          name="opinion"
          rules={[
            { required: true, whitespace: true, message: '请填写评审意见' },
            { min: 2, message: '请填写评审意见（至少 2 个字）' },
            { max: 1000, message: '评审意见不能超过 1000 字' },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} showCount data-testid="evaluate-opinion" placeholder="如：同意评为全民参保登记工作先进个人。" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
