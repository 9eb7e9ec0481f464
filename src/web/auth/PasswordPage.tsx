import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage, isSilentError } from '../api/client';
import { formatTime } from '../common/format';
import { useAuth } from './AuthContext';
import { checkPasswordShape, PASSWORD_POLICY_TEXT } from './passwordPolicy';

type Values = { oldPassword: string; newPassword: string; confirmPassword: string };

export function PasswordPage() {
  const { user, refresh } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const forced = user?.mustChangePassword ?? false;

  const onFinish = async (v: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      await api.post('/api/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      void message.success('密码已修改');
      form.resetFields();
      await refresh();
      navigate('/', { replace: true });
    } catch (err) {
      if (!isSilentError(err)) setError(errorMessage(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="修改密码" style={{ maxWidth: 560 }}>
      {forced && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="首次登录或密码已过期，请修改密码后继续"
        />
      )}
      <Alert
        type="info"
        style={{ marginBottom: 16 }}
        title="密码要求"
        description={
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {PASSWORD_POLICY_TEXT.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        }
      />
      {user && !forced && (
        <Typography.Paragraph type="secondary">当前密码有效期至 {formatTime(user.passwordExpiresAt)}</Typography.Paragraph>
      )}
      <Form form={form} name="changePassword" layout="vertical" onFinish={(v) => void onFinish(v)} autoComplete="off">
        <Form.Item label="原密码" name="oldPassword" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password autoFocus autoComplete="current-password" maxLength={256} />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="newPassword"
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: (_, value: string | undefined) => {
                const msg = value ? checkPasswordShape(value, user?.username ?? '') : null;
                return msg ? Promise.reject(new Error(msg)) : Promise.resolve();
              },
            },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                value && value === getFieldValue('oldPassword')
                  ? Promise.reject(new Error('新密码不能与原密码相同'))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirmPassword"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的新密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        {error && (
          <Form.Item>
            <Alert type="error" showIcon title={error} role="alert" />
          </Form.Item>
        )}
        <Form.Item style={{ marginBottom: 0 }}>
          <Button type="primary" htmlType="submit" loading={submitting}>
            确定
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
