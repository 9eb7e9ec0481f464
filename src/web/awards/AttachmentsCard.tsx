// 事迹材料: files attached to a nomination (images, PDF, Office; ≤ 20 MB, the server checks the
// content). Uploaded and deleted while the form is a draft of the user's unit; images and PDF are
// previewed in the page, other files downloaded.
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Progress, Space, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { Nomination } from '../../shared/api-awards';
import { api, errorMessage, isSilentError, upload } from '../api/client';
import { formatTime } from '../common/format';
import { EVIDENCE_ACCEPT, evidenceProblem, formatSize } from '../assessments/labels';
import { FileIcon, FilePreviewModal, previewKind } from '../common/FilePreviewModal';
import { attachmentUrl } from './labels';

type Attachment = Nomination['attachments'][number];

export function AttachmentsCard({
  nomination: n,
  editable,
  onChanged,
}: {
  /** null: the form is not saved yet. */
  nomination: Nomination | null;
  editable: boolean;
  onChanged: (n: Nomination) => void;
}) {
  const { message } = App.useApp();
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [preview, setPreview] = useState<Attachment | null>(null);
  const files = n?.attachments ?? [];

  const send = async (file: File) => {
    if (!n) return;
    const form = new FormData();
    form.append('file', file, file.name);
    const key = `${file.name}-${file.size}-${Date.now()}`;
    setProgress((p) => ({ ...p, [key]: 0 }));
    try {
      onChanged(await upload<Nomination>(`/api/nominations/${n.id}/attachments`, form, { onProgress: (loaded, total) => setProgress((p) => ({ ...p, [key]: Math.round((loaded / total) * 100) })) }));
      void message.success(`已上传：${file.name}`);
    } catch (err) {
      if (!isSilentError(err)) void message.error(`${file.name}：${errorMessage(err)}`);
    } finally {
      setProgress((p) => {
        const { [key]: _, ...rest } = p;
        return rest;
      });
    }
  };

  const remove = async (f: Attachment) => {
    try {
      onChanged(await api.delete<Nomination>(`/api/nomination-attachments/${f.id}`));
      void message.success(`已删除：${f.fileName}`);
    } catch (err) {
      if (!isSilentError(err)) void message.error(errorMessage(err));
    }
  };

  const uploads = Object.values(progress);

  return (
    <Card size="small" title="事迹材料" data-testid="attachments" extra={<Typography.Text type="secondary">{files.length} 个文件</Typography.Text>}>
      {files.map((f) => (
        <div className="award-attachment" key={f.id} data-testid="attachment">
          <FileIcon mime={f.mime} />
          <div className="award-attachment-name">
            {previewKind(f.mime) ? (
              <a onClick={() => setPreview(f)} role="button" tabIndex={0} title="预览" onKeyDown={(e) => e.key === 'Enter' && setPreview(f)}>
                {f.fileName}
              </a>
            ) : (
              <a href={attachmentUrl(f.id, true)} download={f.fileName} title="下载">
                {f.fileName}
              </a>
            )}
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatSize(f.sizeBytes)} ·{' '}
              <Tooltip title={<span style={{ wordBreak: 'break-all' }}>SHA-256：{f.sha256}</span>}>
                <span data-sha256={f.sha256} style={{ cursor: 'help' }}>
                  SHA-256 {f.sha256.slice(0, 10)}…
                </span>
              </Tooltip>{' '}
              · {formatTime(f.uploadedAt)}
            </Typography.Text>
          </div>
          {editable && (
            <Popconfirm title={`删除事迹材料“${f.fileName}”？`} okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(f)}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`删除 ${f.fileName}`} />
            </Popconfirm>
          )}
        </div>
      ))}
      {files.length === 0 && !editable && <Typography.Text type="secondary">未附事迹材料</Typography.Text>}
      {uploads.map((pct, i) => (
        <Progress key={i} percent={pct} size="small" status="active" />
      ))}
      {editable &&
        (n ? (
          <Space orientation="vertical" size={4} style={{ marginTop: files.length ? 8 : 0 }}>
            <Upload
              accept={EVIDENCE_ACCEPT}
              multiple
              showUploadList={false}
              beforeUpload={(file) => {
                const problem = evidenceProblem(file);
                if (problem) {
                  void message.error(`${file.name}：${problem.replace('佐证材料', '事迹材料')}`);
                  return Upload.LIST_IGNORE;
                }
                void send(file);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={uploads.length > 0} data-testid="attachment-upload">
                上传事迹材料
              </Button>
            </Upload>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              图片、PDF、Word、Excel、PowerPoint，每个不超过 20 MB；文字过多时可作为附纸上传。
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">保存草稿后可上传事迹材料。</Typography.Text>
        ))}
      <FilePreviewModal file={preview} title="事迹材料" url={(download) => attachmentUrl(preview?.id ?? 0, download)} testId="attachment-preview" onClose={() => setPreview(null)} />
    </Card>
  );
}
