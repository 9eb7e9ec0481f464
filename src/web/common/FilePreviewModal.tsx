import { FileImageOutlined, FileOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Button, Modal } from 'antd';
import type { ReactNode } from 'react';

/** Images and PDF can be shown in the browser; other files are downloaded. */
export function previewKind(mime: string): 'image' | 'pdf' | null {
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'application/pdf') return 'pdf';
  return null;
}

/** The icon of a file by its type. */
export function FileIcon({ mime }: { mime: string }) {
  const kind = previewKind(mime);
  if (kind === 'image') return <FileImageOutlined />;
  if (kind === 'pdf') return <FilePdfOutlined />;
  return <FileOutlined />;
}

/**
 * A stored file (evidence, an attachment) shown in the page: images and PDF inline from `url()`,
 * with 在新窗口打开 / 下载 (`url(true)`) / 关闭. Test ids: `<testId>-image`, `<testId>-pdf`.
 */
export function FilePreviewModal(props: { file: { fileName: string; mime: string } | null; title: string; url: (download?: boolean) => string; testId: string; details?: ReactNode; onClose: () => void }) {
  const { file, url, onClose } = props;
  const kind = file ? previewKind(file.mime) : null;
  return (
    <Modal
      open={file !== null}
      title={file ? `${props.title}：${file.fileName}` : ''}
      width={kind === 'pdf' ? 960 : 760}
      onCancel={onClose}
      destroyOnHidden
      footer={
        file && [
          <Button key="open" href={url()} target="_blank" rel="noopener">
            在新窗口打开
          </Button>,
          // No name here: the server's Content-Disposition gives it, with the extension of the detected type.
          <Button key="download" href={url(true)} download>
            下载
          </Button>,
          <Button key="close" type="primary" onClick={onClose} data-testid="preview-close">
            关闭
          </Button>,
        ]
      }
    >
      {file && (
        <>
          {props.details}
          {kind === 'image' && (
            <div style={{ textAlign: 'center' }}>
              <img src={url()} alt={file.fileName} style={{ maxWidth: '100%', maxHeight: '70vh', imageRendering: 'auto' }} data-testid={`${props.testId}-image`} />
            </div>
          )}
          {kind === 'pdf' && <iframe src={url()} title={file.fileName} style={{ width: '100%', height: '70vh', border: '1px solid #f0f0f0' }} data-testid={`${props.testId}-pdf`} />}
        </>
      )}
    </Modal>
  );
}
