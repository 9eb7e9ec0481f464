import { Alert, Button, Card, Form, Input, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { useNotifyError } from '../common/useNotifyError';
import { useAuth } from './AuthContext';

type Setup = { secret: string; otpauthUrl: string };

/** Enrol or remove the TOTP second factor (recommended for city roles). */
export function TotpCard() {
  const { user, refresh } = useAuth();
  const notifyError = useNotifyError();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ code: string }>();
  if (!user) return null;
  const cityRole = user.role === 'city_admin' || user.role === 'city_assessor';

  const start = async () => {
    setBusy(true);
    try {
      setSetup(await api.post<Setup>('/api/auth/totp/setup', {}));
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const enable = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      await api.post('/api/auth/totp/enable', { code });
      setSetup(null);
      form.resetFields();
      await refresh();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const disable = async () => {
    setBusy(true);
    try {
      await api.post('/api/auth/totp/disable', {});
      await refresh();
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="动态验证码（第二因素）" style={{ marginTop: 16 }} data-testid="totp-card">
      {user.totpEnabled ? (
        <Space orientation="vertical">
          <span>
            状态：<Tag color="green">已启用</Tag>登录时除密码外还须输入手机验证器上的 6 位动态验证码。
          </span>
          <Popconfirm title="停用后登录只需密码，确定停用吗？" okText="停用" cancelText="取消" onConfirm={() => void disable()}>
            <Button danger loading={busy}>
              停用动态验证码
            </Button>
          </Popconfirm>
        </Space>
      ) : setup ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>
            在手机验证器（如 Microsoft Authenticator、Google 身份验证器、阿里云 App 等支持 TOTP 的应用）中手动添加账户，输入以下密钥（基于时间，6 位，30 秒）：
          </Typography.Paragraph>
          <Typography.Text code copyable data-testid="totp-secret" style={{ fontSize: 16 }}>
            {setup.secret}
          </Typography.Text>
          <Typography.Text type="secondary" copyable={{ text: setup.otpauthUrl }}>
            或复制配置链接
          </Typography.Text>
          <Form form={form} name="totpEnable" layout="inline" onFinish={(v) => void enable(v)} style={{ marginTop: 8 }}>
            <Form.Item label="验证码" name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                启用
              </Button>
            </Form.Item>
          </Form>
        </Space>
      ) : (
        <Space orientation="vertical">
          {cityRole && <Alert type="info" showIcon title="市级管理员和考核员建议启用动态验证码，防止密码泄露后账号被冒用。" />}
          <span>
            状态：<Tag>未启用</Tag>
          </span>
          <Button onClick={() => void start()} loading={busy}>
            启用动态验证码
          </Button>
        </Space>
      )}
    </Card>
  );
}
