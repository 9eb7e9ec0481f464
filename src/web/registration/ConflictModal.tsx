// Someone saved the record after it was opened (409): show what they changed next to what this user
// changed, and let the user reload the current version.
import { Alert, Button, Modal, Table, Typography } from 'antd';
import { maskRegistrationRecord } from '../../domain/masking';
import { REGISTRATION_KEYS } from '../../shared/registration';
import { formatTime } from '../common/format';
import type { FormValues } from './fields';
import { displayValue, fieldLabel } from './labels';
import type { Registration } from './types';

/** How the server shows the record's values (masked when current.masked: the same rule as the server's). */
function asServerShows(record: Record<string, string | null>, masked: boolean): Record<string, string | null> {
  const present: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(record)) present[k] = v || null;
  return masked ? maskRegistrationRecord(present) : present;
}

type Row = { key: string; label: string; original: string; current: string; mine: string; theirs: boolean; ours: boolean };

export function ConflictModal({
  open,
  original,
  mine,
  current,
  onReload,
  onClose,
}: {
  open: boolean;
  original: Record<string, string | null>;
  mine: FormValues;
  current: Registration | null;
  onReload: () => void;
  onClose: () => void;
}) {
  const rows: Row[] = [];
  if (current) {
    const shown = asServerShows(original, current.masked);
    for (const k of REGISTRATION_KEYS) {
      const o = original[k] ?? null;
      const m = mine[k].trim() || null;
      const c = current.record[k] ?? null;
      const theirs = (shown[k] ?? null) !== c;
      const ours = m !== o;
      if (!theirs && !ours) continue;
      rows.push({
        key: k,
        label: fieldLabel(k),
        original: displayValue(k, shown[k] ?? null),
        current: displayValue(k, c),
        mine: displayValue(k, m),
        theirs,
        ours,
      });
    }
  }
  const mark = (text: string, on: boolean) => (on ? <Typography.Text mark>{text}</Typography.Text> : text);
  return (
    <Modal
      open={open}
      title="该记录已被他人修改"
      width={820}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          关闭
        </Button>,
        <Button key="reload" type="primary" onClick={onReload}>
          重新载入
        </Button>,
      ]}
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={`您打开此记录后，其他用户已保存了新的内容${current ? `（${formatTime(current.updatedAt)}）` : ''}，您的修改尚未保存。`}
        description="请对照下表：重新载入将显示最新内容（您的修改需再次录入）；关闭可继续查看您填写的内容。"
      />
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 640, y: 360 }}
        locale={{ emptyText: '没有字段差异' }}
        columns={[
          { title: '项目', dataIndex: 'label', width: 160 },
          { title: '打开时', dataIndex: 'original' },
          { title: '服务器当前', key: 'current', render: (_, r) => mark(r.current, r.theirs) },
          { title: '我的修改', key: 'mine', render: (_, r) => mark(r.mine, r.ours) },
        ]}
      />
      {current?.masked && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          服务器当前内容中的证件号码和电话按规定脱敏显示，出生日期只显示年份。
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
