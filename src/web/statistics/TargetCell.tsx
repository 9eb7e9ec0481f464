// 目标人数 of one unit, edited in place: the number and a pencil; InputNumber + 保存 while editing.
// Clearing asks first. The server decides who may write (city_admin; a district admin in their own
// district) and its refusal is shown as it says.
import { EditOutlined } from '@ant-design/icons';
import { App, Button, InputNumber, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';
import { formatCount } from './labels';

type Props = { orgUnitId: number; orgUnitName: string; target: number | null; fromChildren?: boolean; editable: boolean; onSaved: () => void };

export function TargetCell({ orgUnitId, orgUnitName, target, fromChildren = false, editable, onSaved }: Props) {
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<number | null>(target);
  const [saving, setSaving] = useState(false);

  const put = async (next: number | null) => {
    setSaving(true);
    try {
      await api.put(`/api/statistics/targets/${orgUnitId}`, { target: next });
      setEditing(false);
      void message.success(next === null ? `已清除${orgUnitName}的目标人数` : `${orgUnitName}的目标人数已设为 ${formatCount(next)} 人`);
      onSaved();
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(false);
    }
  };

  const save = () => {
    if (value === null) {
      modal.confirm({
        title: '清除目标人数？',
        content: `将清除${orgUnitName}的登记目标人数，登记率将不再计算（如下级单位有目标人数，则按下级合计）。`,
        okText: '清除',
        okButtonProps: { danger: true },
        cancelText: '取消',
        onOk: () => put(null),
      });
      return;
    }
    void put(value);
  };

  if (editing) {
    return (
      <Space.Compact size="small" data-testid={`target-editor-${orgUnitId}`}>
        <InputNumber<number>
          aria-label={`${orgUnitName}目标人数`}
          data-testid={`target-input-${orgUnitId}`}
          size="small"
          min={0}
          max={100_000_000}
          precision={0}
          value={value}
          placeholder="未设置"
          onChange={(v) => setValue(v ?? null)}
          onPressEnter={save}
          style={{ width: 110 }}
          autoFocus
        />
        <Button size="small" type="primary" loading={saving} onClick={save} data-testid={`target-save-${orgUnitId}`}>
          保存
        </Button>
        <Button size="small" onClick={() => setEditing(false)}>
          取消
        </Button>
      </Space.Compact>
    );
  }
  return (
    <Space size={4} style={{ justifyContent: 'flex-end', width: '100%' }}>
      <span data-testid={`target-${orgUnitId}`}>{target === null ? <Typography.Text type="secondary">未设置</Typography.Text> : formatCount(target)}</span>
      {fromChildren && (
        <Tooltip title="本单位未设目标，此为已设目标的下级单位之和；登记率只计这些下级单位的有效数据">
          <Typography.Text type="secondary">（下级合计）</Typography.Text>
        </Tooltip>
      )}
      {editable && (
        <Tooltip title="设置目标人数">
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            aria-label={`设置${orgUnitName}目标人数`}
            data-testid={`target-edit-${orgUnitId}`}
            onClick={() => {
              setValue(target);
              setEditing(true);
            }}
          />
        </Tooltip>
      )}
    </Space>
  );
}
