import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { errorMessage } from '../api/client';
import { useAuth } from './AuthContext';

type LoginValues = { username: string; password: string };

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
  const [form] = Form.useForm<LoginValues>();

  if (!loading && user) {
    return <Navigate to={user.mustChangePassword ? '/password' : targetAfterLogin(location.state)} replace />;
  }

  const onFinish = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    try {
      const u = await login(values.username.trim(), values.password);
      navigate(u.mustChangePassword ? '/password' : targetAfterLogin(location.state), { replace: true });
    } catch (err) {
      setError(errorMessage(err));
      form.setFieldValue('password', '');
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
