// 待上传: every person saved on the phone with its state, the upload button and progress; records
// already on the server can be cleared from the phone.
import { Button, Empty, Segmented, Tag, Typography, App } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatTime } from '../../common/format';
import { clearUploaded, OUTBOX_STATE_LABELS, type OutboxState } from './db';
import { shownIdNumber, STATE_COLORS } from './labels';
import { usePhone, usePhoneDb } from './PhoneContext';
import { UploadCard } from './UploadCard';

type Filter = 'all' | OutboxState;

export function OutboxPage() {
  const { outbox, counts, reloadOutbox } = usePhone();
  const { db } = usePhoneDb();
  const { modal } = App.useApp();
  const [filter, setFilter] = useState<Filter>(() => (counts.conflict > 0 ? 'conflict' : 'all'));
  const shown = [...outbox].reverse().filter((i) => filter === 'all' || i.state === filter);

  const askClearUploaded = () =>
    modal.confirm({
      title: `从本机清除 ${counts.uploaded} 条已上传记录？`,
      content: '这些记录已在服务器上，清除只删除手机上的副本。',
      okText: '清除',
      cancelText: '取消',
      onOk: async () => {
        await clearUploaded(db);
        await reloadOutbox();
      },
    });

  return (
    <>
      <UploadCard />
      <Segmented<Filter>
        block
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: `全部 ${outbox.length}` },
          { value: 'pending', label: `待传 ${counts.pending}` },
          { value: 'conflict', label: `冲突 ${counts.conflict}` },
          { value: 'rejected', label: `拒绝 ${counts.rejected}` },
          { value: 'uploaded', label: `已传 ${counts.uploaded}` },
        ]}
      />
      {shown.length === 0 ? (
        <Empty description="没有记录" />
      ) : (
        shown.map((i) => (
          <Link key={i.clientId} to={`/outbox/${i.clientId}`} className="phone-row" data-testid="outbox-item">
            <div className="grow">
              <div>
                {i.values.name || '（未填姓名）'} <Typography.Text type="secondary">{shownIdNumber(i.values.idNumber)}</Typography.Text>
              </div>
              <div className="sub">
                {i.communityName} · 保存于 {formatTime(i.savedAt)}
                {i.resolution ? ` · ${i.resolution}` : ''}
                {i.lastError ? ` · ${i.lastError}` : ''}
              </div>
            </div>
            <Tag color={STATE_COLORS[i.state]} data-testid="outbox-state">
              {OUTBOX_STATE_LABELS[i.state]}
            </Tag>
          </Link>
        ))
      )}
      {counts.uploaded > 0 && (
        <Button onClick={askClearUploaded} block>
          清除已上传记录（{counts.uploaded}）
        </Button>
      )}
    </>
  );
}
