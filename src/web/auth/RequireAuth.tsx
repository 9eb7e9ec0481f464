import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ROLE_LABELS } from '../../shared/roles';
import type { Role } from '../api/types';
import { useAuth } from './AuthContext';

/** Only logged-in users; a user who must change the password is kept on /password. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (!user) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (user.mustChangePassword && location.pathname !== '/password') {
    return <Navigate to="/password" replace />;
  }
  return <>{children}</>;
}

/** Pages for some roles only; others see 403 (the server enforces it anyway). */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useAuth();
  if (!user || !roles.includes(user.role)) return <Forbidden roles={roles} />;
  return <>{children}</>;
}

export function Forbidden({ roles }: { roles?: readonly Role[] }) {
  const { user } = useAuth();
  const who = roles?.length ? `此页面供${roles.map((r) => ROLE_LABELS[r]).join('、')}使用` : '您没有访问此页面的权限';
  return (
    <Result
      status="403"
      title="无权访问此页面"
      subTitle={user ? `${who}，您当前的角色是${ROLE_LABELS[user.role]}。` : `${who}。`}
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
