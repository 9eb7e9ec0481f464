// What a user does with the rows ticked in the registration list: export them (with the same
// masking and audit entry as the whole list's export) and, for entry roles, delete the ticked
// records that fail validation — after a confirmation that names how many, all or none.
import { DeleteOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { api, withQuery } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';
import { useTrackedExport } from '../common/useTrackedExport';
import type { Registration } from './types';

/** Rows ticked across pages (the server takes at most 500 at a time). */
export const MAX_SELECTED = 500;

export function BulkActions({ selected, canWrite, onClear, onDeleted }: { selected: readonly Registration[]; canWrite: boolean; onClear: () => void; onDeleted: () => void }) {
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const [deleting, setDeleting] = useState(false);
  const trackedExport = useTrackedExport(); // issue 14: the export's progress while the browser downloads it
  if (selected.length === 0) return null;
  const valid = selected.filter((r) => r.isValid).length;
  const ids = selected.map((r) => r.id).join(',');

  const confirmDelete = () => {
    modal.confirm({
      title: `删除所选的 ${selected.length} 条无效记录？`,
      content: '删除后这些记录不再计入统计，修改历史和审计日志仍保留。所选记录须全部可以删除，否则一条也不删除。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        setDeleting(true);
        try {
          const r = await api.post<{ deleted: number }>('/api/registrations/bulk-delete', { items: selected.map((x) => ({ id: x.id, version: x.version })) });
          message.success(`已删除 ${r.deleted} 条无效记录`);
          onDeleted();
        } catch (err) {
          notifyError(err);
        } finally {
          setDeleting(false);
        }
      },
    });
  };

  return (
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      data-testid="bulk-actions"
      title={
        <Space wrap>
          <span>已选 {selected.length} 条{selected.length >= MAX_SELECTED ? `（最多 ${MAX_SELECTED} 条）` : ''}</span>
          <Button size="small" icon={<FileExcelOutlined />} {...trackedExport(withQuery('/api/registrations/export', { format: 'xlsx', ids }))} download data-testid="export-selected">
            导出所选
          </Button>
          {canWrite && (
            <Tooltip title={valid > 0 ? `所选记录中有 ${valid} 条有效记录：批量删除只用于无效记录，有效记录请在详情页逐条删除` : undefined}>
              <Button size="small" danger icon={<DeleteOutlined />} disabled={valid > 0} loading={deleting} onClick={confirmDelete} data-testid="delete-selected">
                删除所选无效记录
              </Button>
            </Tooltip>
          )}
          <Button size="small" type="link" onClick={onClear}>
            取消选择
          </Button>
        </Space>
      }
    />
  );
}
