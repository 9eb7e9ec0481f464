import { Space, Tag } from 'antd';
import type { User } from '../api/types';

export function UserStatusTags({ user }: { user: Pick<User, 'disabled' | 'locked' | 'mustChangePassword'> }) {
  const tags = [];
  if (user.disabled) tags.push(<Tag key="disabled" color="default">已停用</Tag>);
  if (user.locked) tags.push(<Tag key="locked" color="red">已锁定</Tag>);
  if (user.mustChangePassword) tags.push(<Tag key="pwd" color="orange">待改密</Tag>);
  if (!tags.length) tags.push(<Tag key="ok" color="green">正常</Tag>);
  return <Space size={0} wrap>{tags}</Space>;
}
