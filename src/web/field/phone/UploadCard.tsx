// The outbox at a glance: how many records wait, conflict or were refused, the upload button and
// the running upload's progress (the shared JobProgress: done of total, percent, time left).
import { CloudUploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Tag, Typography } from 'antd';
import { JobProgress } from '../../common/JobProgress';
import { formatTime } from '../../common/format';
import { OUTBOX_STATE_LABELS } from './db';
import { STATE_COLORS } from './labels';
import { usePhone } from './PhoneContext';

export function UploadCard() {
  const { counts, syncing, progress, online, session, sync, lastSync } = usePhone();
  const { message } = App.useApp();

  const upload = async () => {
    const r = await sync();
    if (!r) return;
    if (r.stopped) void message.warning(r.message ?? '上传中断');
    else if (r.uploaded + r.conflicts + r.rejected === 0) void message.info('没有待上传的记录');
    else void message.success(`上传完成：成功 ${r.uploaded} 条${r.conflicts ? `，冲突 ${r.conflicts} 条` : ''}${r.rejected ? `，被拒绝 ${r.rejected} 条` : ''}`);
  };

  return (
    <Card size="small" data-testid="upload-card">
      <Space wrap size={[6, 6]}>
        {(['pending', 'conflict', 'rejected', 'uploaded'] as const).map((state) => (
          <Tag key={state} color={counts[state] ? STATE_COLORS[state] : 'default'} data-testid={`count-${state}`}>
            {OUTBOX_STATE_LABELS[state]} {counts[state]}
          </Tag>
        ))}
      </Space>
      {syncing && progress && (
        <div style={{ marginTop: 8 }}>
          <JobProgress label="上传" size="small" done={progress.done} total={progress.total} elapsedMs={progress.elapsedMs} data-testid="upload-progress" />
        </div>
      )}
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 8 }}>
        <Typography.Text type="secondary" style={{ flex: 1, fontSize: 12 }}>
          {lastSync ? `上次上传 ${formatTime(lastSync.at)}${lastSync.stopped ? `（${lastSync.message ?? '中断'}）` : ''}` : online ? '网络恢复或保存后自动上传' : '离线：网络恢复后自动上传'}
        </Typography.Text>
        <Button type="primary" icon={<CloudUploadOutlined />} loading={syncing} disabled={!online || session === 'expired' || counts.pending === 0} onClick={() => void upload()} data-testid="upload-now">
          立即上传
        </Button>
      </div>
    </Card>
  );
}
