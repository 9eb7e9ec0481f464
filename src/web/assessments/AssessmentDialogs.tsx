// The dialogs of the assessment page: a reason (退回修改, 重新开放), the reopened submission window
// (开放补报: until a date, with a reason), and the stale version (409: someone else saved first).
import { Alert, Button, DatePicker, Form, Input, Modal, Table, Typography } from 'antd';
import { keepEnterInDatePickers } from '../common/dateEnter';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { ASSESSMENT_STATUS_LABELS, type Assessment } from '../../shared/api-assessment';
import { todayShanghai } from '../common/format';
import { showScore } from './labels';
import type { Effective } from './AssessmentSheet';

const REASON_RULES = [
  { required: true, whitespace: true, message: '请填写原因' },
  { min: 2, message: '请填写原因（至少 2 个字）' },
  { max: 500, message: '原因不能超过 500 字' },
];

/** Asks for a reason; `onOk` returns true when the action succeeded (the dialog then closes). */
export function ReasonModal({
  open,
  title,
  label,
  okText,
  danger,
  onOk,
  onClose,
}: {
  open: boolean;
  title: string;
  label: string;
  okText: string;
  danger?: boolean;
  onOk: (reason: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { reason: string }) => {
    setBusy(true);
    try {
      if (await onOk(v.reason.trim())) onClose();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText="取消"
      okButtonProps={{ danger }}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      // Cleared once closed (not on opening, which raced with the first keystrokes and lost them).
      afterClose={() => form.resetFields()}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={label} name="reason" rules={REASON_RULES}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} showCount data-testid="reason-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function WindowModal({ open, deadline, onOk, onClose }: { open: boolean; deadline: string; onOk: (until: string, reason: string) => Promise<boolean>; onClose: () => void }) {
  const [form] = Form.useForm<{ until: Dayjs; reason: string }>();
  const [busy, setBusy] = useState(false);
  const today = todayShanghai();
  const submit = async (v: { until: Dayjs; reason: string }) => {
    setBusy(true);
    try {
      if (await onOk(v.until.format('YYYY-MM-DD'), v.reason.trim())) onClose();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title="开放补报" okText="开放补报" cancelText="取消" confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} afterClose={() => form.resetFields()} forceRender>
      <Typography.Paragraph type="secondary">
        自查自评截止日期（{deadline}）已过。开放补报后，该区可在补报期限内（含当日）填写并提交自评；开放的期限和原因记入流程记录。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} onKeyDown={keepEnterInDatePickers}>
        <Form.Item label="补报期限" name="until" rules={[{ required: true, message: '请选择补报期限' }]}>
          <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < today} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item label="开放原因" name="reason" rules={REASON_RULES}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type DiffRow = { key: string; text: string; what: string; current: string; mine: string };

/**
 * Someone saved the assessment after this page loaded it: show where the current version differs
 * from what this user typed, and offer to load the current version (this user's input is lost).
 */
export function AssessmentConflictModal({
  current,
  mine,
  which,
  onReload,
  onClose,
}: {
  current: Assessment | null;
  /** This user's typed values (of the part they edit). */
  mine: Record<number, Effective>;
  which: 'self' | 'assessed';
  onReload: () => void;
  onClose: () => void;
}) {
  const rows: DiffRow[] = [];
  if (current) {
    for (const i of current.categories.flatMap((c) => c.items)) {
      const m = mine[i.criterionId];
      if (!m) continue;
      const score = which === 'self' ? i.selfScore : i.assessedScore;
      const note = which === 'self' ? i.selfNote : i.assessedComment;
      const text = i.text.length > 24 ? `${i.text.slice(0, 24)}…` : i.text;
      if (score !== m.score) rows.push({ key: `${i.criterionId}s`, text, what: which === 'self' ? '自评分' : '考核分', current: showScore(score), mine: showScore(m.score) });
      if (note !== m.note.trim()) rows.push({ key: `${i.criterionId}n`, text, what: which === 'self' ? '自评说明' : '考核意见', current: note || '—', mine: m.note.trim() || '—' });
    }
  }
  return (
    <Modal
      open={current !== null}
      title="考核表已被他人修改"
      width={820}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          关闭
        </Button>,
        <Button key="reload" type="primary" onClick={onReload} data-testid="conflict-reload">
          载入最新版本
        </Button>,
      ]}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={`您打开此考核表后，其他用户已保存或提交了新的内容${current ? `（当前状态：${ASSESSMENT_STATUS_LABELS[current.status]}）` : ''}，您的操作没有执行。`}
        description="载入最新版本将显示服务器上的内容（您的修改需再次填写）；关闭可继续查看您填写的内容。"
      />
      <Table<DiffRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        scroll={{ y: 360 }}
        locale={{ emptyText: '评分和说明没有差异' }}
        columns={[
          { title: '考核标准', dataIndex: 'text' },
          { title: '项目', dataIndex: 'what', width: 90 },
          { title: '服务器当前', dataIndex: 'current', width: 150 },
          { title: '我的填写', dataIndex: 'mine', width: 150 },
        ]}
      />
    </Modal>
  );
}
