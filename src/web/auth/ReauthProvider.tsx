// The modal that asks for the password again before a high-value action. The API client calls
// requestReauth() when the server answers 403 REAUTH_REQUIRED and retries the request once on success.
import { Alert, Form, Input, Modal } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, errorMessage } from '../api/client';

type Pending = { resolve: () => void; reject: (err: unknown) => void };

let opener: (() => Promise<void>) | null = null;

/** Used by the API bridge: open the modal; resolves after a successful re-auth. */
export function requestReauth(): Promise<void> {
  if (!opener) return Promise.reject(new ApiError(403, 'REAUTH_CANCELLED', '需要再次验证密码'));
  return opener();
}

export function ReauthProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<Pending | null>(null);
  const [form] = Form.useForm<{ password: string }>();

  useEffect(() => {
    opener = () =>
      new Promise<void>((resolve, reject) => {
        pending.current = { resolve, reject };
        setError(null);
        form.resetFields();
        setOpen(true);
      });
    return () => {
      opener = null;
    };
  }, [form]);

  const submit = useCallback(async () => {
    let values: { password: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await api.post('/api/auth/reauth', { password: values.password }, { noReauth: true });
      setOpen(false);
      form.resetFields();
      pending.current?.resolve();
      pending.current = null;
    } catch (err) {
      setError(errorMessage(err));
      form.setFieldValue('password', '');
      if (err instanceof ApiError && (err.status === 401 || err.code === 'ACCOUNT_LOCKED')) {
        // The session is gone or the account got locked: give up on the original action.
        setOpen(false);
        pending.current?.reject(err);
        pending.current = null;
      }
    } finally {
      setSubmitting(false);
    }
  }, [form]);

  const cancel = useCallback(() => {
    setOpen(false);
    form.resetFields();
    pending.current?.reject(new ApiError(403, 'REAUTH_CANCELLED', '已取消操作'));
    pending.current = null;
  }, [form]);

  return (
    <>
      {children}
      <Modal
        title="安全验证"
        open={open}
        onOk={() => void submit()}
        onCancel={cancel}
        okText="确定"
        cancelText="取消"
        confirmLoading={submitting}
        forceRender
        zIndex={2000}
        afterOpenChange={(o) => {
          if (o) (form.getFieldInstance('password') as HTMLInputElement | null)?.focus();
        }}
        mask={{ closable: false }}
      >
        <p>请再次输入密码以确认此操作</p>
        <Form form={form} name="reauth" layout="vertical" onFinish={() => void submit()} autoComplete="off">
          <Form.Item label="密码" name="password" htmlFor="reauth-password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="reauth-password" autoFocus autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </>
  );
}
