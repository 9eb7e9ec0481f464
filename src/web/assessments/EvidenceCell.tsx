// The 佐证材料 of one scorecard item: its files (name, size, SHA-256, who uploaded it) with a preview
// for images and PDF and a download for the rest; while the district may edit, upload (≤ 20 MB,
// images, PDF, Office) and delete (confirmed).
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { EvidenceFile } from '../../shared/api-assessment';
import { api, errorMessage, isSilentError, upload } from '../api/client';
import { formatTime } from '../common/format';
import { EVIDENCE_ACCEPT, evidenceProblem, evidenceUrl, formatSize } from './labels';
import { FileIcon, FilePreviewModal, previewKind } from '../common/FilePreviewModal';

export function EvidenceCell({
  files,
  criterionId,
  itemLabel,
  uploadUrl,
  editable,
  onAdded,
  onRemoved,
  onPreview,
}: {
  files: EvidenceFile[];
  criterionId: number;
  /** Short text of the item, for the accessible names. */
  itemLabel: string;
  uploadUrl: string;
  editable: boolean;
  onAdded: (f: EvidenceFile) => void;
  onRemoved: (id: number) => void;
  onPreview: (f: EvidenceFile) => void;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(0);

  const send = async (file: File) => {
    const form = new FormData();
    form.append('criterionId', String(criterionId));
    form.append('file', file, file.name);
    setUploading((n) => n + 1);
    try {
      onAdded(await upload<EvidenceFile>(uploadUrl, form));
      void message.success(`已上传：${file.name}`);
    } catch (err) {
      if (!isSilentError(err)) void message.error(`${file.name}：${errorMessage(err)}`);
    } finally {
      setUploading((n) => n - 1);
    }
  };

  const remove = async (f: EvidenceFile) => {
    try {
      await api.delete(`/api/evidence/${f.id}`);
      onRemoved(f.id);
      void message.success(`已删除：${f.fileName}`);
    } catch (err) {
      if (!isSilentError(err)) void message.error(errorMessage(err));
    }
  };

  return (
    <div className="evidence-cell" data-testid={`evidence-${criterionId}`}>
      {files.map((f) => (
        <div className="evidence-file" key={f.id} data-testid="evidence-file">
          <div className="evidence-name">
            <FileIcon mime={f.mime} />{' '}
            {previewKind(f.mime) ? (
              <a onClick={() => onPreview(f)} role="button" tabIndex={0} title="预览" onKeyDown={(e) => e.key === 'Enter' && onPreview(f)}>
                {f.fileName}
              </a>
            ) : (
              <a href={evidenceUrl(f.id, true)} download={f.fileName} title="下载">
                {f.fileName}
              </a>
            )}
            {editable && (
              <Popconfirm title={`删除佐证材料“${f.fileName}”？`} okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(f)}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`删除 ${f.fileName}`} />
              </Popconfirm>
            )}
          </div>
          <Typography.Text type="secondary" className="evidence-meta">
            {formatSize(f.sizeBytes)} ·{' '}
            <Tooltip title={<span style={{ wordBreak: 'break-all' }}>SHA-256：{f.sha256}</span>}>
              <span className="evidence-sha" data-sha256={f.sha256}>
                SHA-256 {f.sha256.slice(0, 10)}…
              </span>
            </Tooltip>
            <br />
            {f.uploadedBy} {formatTime(f.uploadedAt)}
          </Typography.Text>
        </div>
      ))}
      {!editable && files.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
      {editable && (
        <Space size={4} wrap>
          <Upload
            accept={EVIDENCE_ACCEPT}
            multiple
            showUploadList={false}
            beforeUpload={(file) => {
              const problem = evidenceProblem(file);
              if (problem) {
                void message.error(`${file.name}：${problem}`);
                return Upload.LIST_IGNORE;
              }
              void send(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading > 0} aria-label={`上传佐证材料：${itemLabel}`}>
              上传
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            图片、PDF、Office，≤ 20 MB
          </Typography.Text>
        </Space>
      )}
    </div>
  );
}

/** Images and PDF shown in the page (the file is served inline by /api/evidence/:id). */
export function EvidencePreview({ file, onClose }: { file: EvidenceFile | null; onClose: () => void }) {
  return (
    <FilePreviewModal
      file={file}
      title="佐证材料"
      url={(download) => evidenceUrl(file?.id ?? 0, download)}
      testId="evidence-preview"
      onClose={onClose}
      details={
        file && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {formatSize(file.sizeBytes)} · SHA-256：<span style={{ wordBreak: 'break-all' }}>{file.sha256}</span> · {file.uploadedBy} 上传于 {formatTime(file.uploadedAt)}
          </Typography.Paragraph>
        )
      }
    />
  );
}
