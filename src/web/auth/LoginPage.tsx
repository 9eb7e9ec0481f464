import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../api/client';
import { useAuth } from './AuthContext';

type LoginValues = { username: string; password: string; totp?: string };

function targetAfterLogin(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/login') return from;
  return '/';
}

export function LoginPage() {
  const { user, loading, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // Shown once the server says this account has a second factor (TOTP_REQUIRED), or that the name
  // is locked (ACCOUNT_LOCKED): a user with a second factor may unlock with password + code.
  const [needTotp, setNeedTotp] = useState(false);
  const [unlock, setUnlock] = useState(false);
  const [form] = Form.useForm<LoginValues>();

  if (!loading && user) {
    return <Navigate to={user.mustChangePassword ? '/password' : targetAfterLogin(location.state)} replace />;
  }

  const onFinish = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    try {
      const u = await login(values.username.trim(), values.password, needTotp && values.totp ? values.totp : undefined);
      navigate(u.mustChangePassword ? '/password' : targetAfterLogin(location.state), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
        // Keep the password: the next submit sends it with the code.
        setError(needTotp ? errorMessage(err) : null);
        setNeedTotp(true);
        setUnlock(false);
        form.setFieldValue('totp', '');
        setTimeout(() => document.getElementById('login-totp')?.focus(), 0);
        return;
      }
      // 429 (too many attempts from here) and 423 (locked) come with the waiting time in the message.
      setError(errorMessage(err));
      const locked = err instanceof ApiError && err.code === 'ACCOUNT_LOCKED';
      setNeedTotp(locked);
      setUnlock(locked);
      form.setFieldValue('password', '');
      form.setFieldValue('totp', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(180deg, #e6f0ff 0%, #f5f7fa 100%)',
        padding: 16,
      }}
    >
      <Card style={{ width: 400, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          全民参保登记考核系统
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          请使用本人账号登录
        </Typography.Paragraph>
        <Form form={form} name="login" layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} autoComplete="on">
          <Form.Item label="用户名" name="username" htmlFor="login-username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input id="login-username" prefix={<UserOutlined />} autoFocus autoComplete="username" maxLength={64} />
          </Form.Item>
          <Form.Item label="密码" name="password" htmlFor="login-password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="login-password" prefix={<LockOutlined />} autoComplete="current-password" maxLength={256} />
          </Form.Item>
          {needTotp && (
            <Form.Item
              label={unlock ? '动态验证码（解锁）' : '动态验证码'}
              name="totp"
              htmlFor="login-totp"
              extra={unlock ? '已启用动态验证码的用户：输入密码和手机验证器上的 6 位数字即可解锁登录' : '请输入手机验证器上显示的 6 位数字'}
              rules={[{ required: !unlock, pattern: /^\d{6}$/, message: '请输入 6 位数字验证码' }]}
            >
              <Input id="login-totp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          )}
          {error && (
            <Form.Item>
              <Alert type="error" showIcon title={error} role="alert" />
            </Form.Item>
          )}
          <Form.Item style={{ marginBottom: 0 }}>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              登录
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
