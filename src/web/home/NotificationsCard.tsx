// 待办与提醒 on the home page: self-assessments due or past their deadline, returned ones, and (for
// the city) submitted ones waiting to be assessed. Hidden when there is nothing to do.
import { ClockCircleOutlined, InboxOutlined, LockOutlined, WarningOutlined } from '@ant-design/icons';
import { Card, Typography } from 'antd';
import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { notificationList } from '../../shared/api-assessment';
import { api } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';

type NotificationList = z.infer<typeof notificationList>;
type Notification = NotificationList['items'][number];

const ICONS: Record<Notification['kind'], { icon: ReactNode; color: string; label: string }> = {
  due: { icon: <ClockCircleOutlined />, color: '#1677ff', label: '待提交' },
  returned: { icon: <WarningOutlined />, color: '#d48806', label: '被退回' },
  arrived: { icon: <InboxOutlined />, color: '#389e0d', label: '待考核' },
  locked: { icon: <LockOutlined />, color: '#595959', label: '已截止' },
};

export function NotificationsCard(props: { style?: CSSProperties }) {
  const notifyError = useNotifyError();
  const [items, setItems] = useState<Notification[]>([]);

  useEffect(() => {
    let alive = true;
    api
      .get<NotificationList>('/api/notifications')
      .then((r) => {
        if (alive) setItems(r.items);
      })
      .catch((err: unknown) => {
        if (alive) notifyError(err);
      });
    return () => {
      alive = false;
    };
  }, [notifyError]);

  if (items.length === 0) return null;
  return (
    <Card title="待办与提醒" size="small" style={props.style} data-testid="notifications-card">
      {items.map((item, i) => {
        const k = ICONS[item.kind];
        return (
          <div
            key={`${item.kind}-${item.link}-${i}`}
            data-testid="notification"
            style={{ display: 'flex', gap: 12, alignItems: 'flex-start', padding: '8px 0', borderTop: i === 0 ? undefined : '1px solid #f0f0f0' }}
          >
            <span style={{ color: k.color, fontSize: 18, lineHeight: '22px' }} role="img" aria-label={k.label} title={k.label}>
              {k.icon}
            </span>
            <div style={{ flex: 1, minWidth: 0 }}>
              <Link to={item.link}>
                <Typography.Text strong>{item.title}</Typography.Text>
              </Link>
              {item.detail && (
                <div>
                  <Typography.Text type="secondary">{item.detail}</Typography.Text>
                </div>
              )}
            </div>
            <Link to={item.link} style={{ whiteSpace: 'nowrap' }}>
              去处理
            </Link>
          </div>
        );
      })}
    </Card>
  );
}
