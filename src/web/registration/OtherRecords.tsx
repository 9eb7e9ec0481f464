import { Alert, App, Button, Input, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { formatTime } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import type { RegistrationDetail } from './types';

type Other = RegistrationDetail['otherRecords'][number];

/**
 * The person's other records in any district (SPEC §1: which one counts is visible to both
 * districts), and for the city admin the decision to count this record instead, with a reason.
 */
export function OtherRecords({ r, isCityAdmin, onChanged }: { r: RegistrationDetail; isCityAdmin: boolean; onChanged: () => void }) {
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  if (!r.otherRecords.length) return null;

  const choose = () => {
    let reason = '';
    modal.confirm({
      title: '改为以本记录计入有效数据',
      content: (
        <div>
          <p>同一人员只计入一次。确定后，本记录计入，原计入的记录不再计入。请说明理由（记入审计日志）：</p>
          <Input.TextArea id="count-reason" rows={3} maxLength={200} onChange={(e) => (reason = e.target.value)} />
        </div>
      ),
      okText: '确定',
      cancelText: '取消',
      onOk: async () => {
        if (reason.trim().length < 2) {
          message.error('请填写理由');
          throw new Error('reason required');
        }
        setBusy(true);
        try {
          await api.post(`/api/registrations/${r.id}/count`, { reason: reason.trim() });
          message.success('已改为以本记录计入');
          onChanged();
        } catch (err) {
          notifyError(err);
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      title={`该人员另有 ${r.otherRecords.length} 条登记记录`}
      description={
        <>
          <Table<Other>
            size="small"
            rowKey="registrationId"
            pagination={false}
            dataSource={r.otherRecords}
            columns={[
              { title: '区', dataIndex: 'districtName', render: (v: string | null) => v ?? '—' },
              { title: '社区/村', dataIndex: 'orgUnitName' },
              { title: '状态', key: 's', render: (_, o) => (o.isValid ? o.isCounted ? <Tag color="processing">计入</Tag> : <Tag color="warning">重复</Tag> : <Tag color="error">无效</Tag>) },
              { title: '录入时间', dataIndex: 'enteredAt', render: (v: string) => formatTime(v) },
              { title: '', key: 'open', render: (_, o) => (o.inScope ? <Link to={`/registrations/${o.registrationId}`}>查看</Link> : <span style={{ color: 'rgba(0, 0, 0, 0.6)' }}>他区记录</span>) },
            ]}
          />
          {isCityAdmin && r.isValid && !r.isCounted && (
            <Button className="no-print" style={{ marginTop: 8 }} loading={busy} onClick={choose}>
              改为以本记录计入
            </Button>
          )}
        </>
      }
    />
  );
}
