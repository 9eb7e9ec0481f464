// 我的任务: the communities assigned to the surveyor, with the target, what is registered and
// what is left, and what waits on the phone for each. Cached: offline it shows the last list.
import { ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Empty, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { formatTime } from '../../common/format';
import { usePhone } from './PhoneContext';
import { UploadCard } from './UploadCard';

/** Whether the app is kept on the phone (the service worker has cached it): then it opens offline. */
function useOfflineReady(): boolean | null {
  const [ready, setReady] = useState<boolean | null>(() => ('serviceWorker' in navigator ? false : null));
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    let alive = true;
    void navigator.serviceWorker.ready.then(() => alive && setReady(true));
    return () => {
      alive = false;
    };
  }, []);
  return ready;
}

export function TaskListPage() {
  const offlineReady = useOfflineReady();
  const { tasks, tasksFetchedAt, tasksLoading, refreshTasks, online, outbox, user } = usePhone();
  const waiting = new Map<number, number>();
  for (const i of outbox) if (i.state !== 'uploaded') waiting.set(i.orgUnitId, (waiting.get(i.orgUnitId) ?? 0) + 1);

  return (
    <>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <Typography.Text type="secondary" style={{ flex: 1 }}>
          调查员：{user?.displayName}
        </Typography.Text>
        {offlineReady === null ? (
          <Tag>此浏览器不支持离线使用</Tag>
        ) : (
          <Tag color={offlineReady ? 'success' : 'processing'} data-testid="offline-ready">
            {offlineReady ? '已可离线使用' : '正在准备离线使用…'}
          </Tag>
        )}
      </div>
      <UploadCard />
      <div style={{ display: 'flex', alignItems: 'center' }}>
        <Typography.Title level={5} style={{ flex: 1, margin: 0 }}>
          我的社区/村
        </Typography.Title>
        <Button size="small" icon={<ReloadOutlined />} loading={tasksLoading} disabled={!online} onClick={() => void refreshTasks()}>
          刷新
        </Button>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="tasks-fetched">
        {tasksFetchedAt ? `任务更新于 ${formatTime(tasksFetchedAt)}` : '尚未下载任务（需要联网）'}
      </Typography.Text>
      {tasks.length === 0 ? (
        <Empty description="尚未分配社区/村，请联系区管理员分配" />
      ) : (
        tasks.map((t) => {
          const left = t.target !== null ? Math.max(t.target - t.counted, 0) : null;
          const local = waiting.get(t.orgUnitId) ?? 0;
          return (
            <Link key={t.orgUnitId} to={`/c/${t.orgUnitId}`} className="phone-row" data-testid="task">
              <div className="grow">
                <div style={{ fontWeight: 600 }}>{t.name}</div>
                <div className="sub">
                  已登记 {t.registered} 人 · 有效 {t.valid} 人{t.target !== null ? ` · 目标 ${t.target} 人 · 尚差 ${left} 人` : ''}
                </div>
                {local > 0 && <div className="sub" style={{ color: '#ad4e00' }}>本机未上传 {local} 人</div>}
              </div>
              <RightOutlined />
            </Link>
          );
        })
      )}
    </>
  );
}
