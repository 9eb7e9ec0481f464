import { Alert, Modal, Typography } from 'antd';

export type Secret = { title: string; username: string; password: string };

/** Shows a generated password exactly once; it is never fetched again. */
export function SecretModal({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  return (
    <Modal
      title={secret?.title}
      open={secret !== null}
      onOk={onClose}
      onCancel={onClose}
      okText="我已记下"
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
    >
      {secret && (
        <>
          <p>
            用户名：<Typography.Text strong>{secret.username}</Typography.Text>
          </p>
          <p>
            密码：
            <Typography.Text code copyable={{ text: secret.password, tooltips: ['复制', '已复制'] }} data-testid="secret-password">
              {secret.password}
            </Typography.Text>
          </p>
          <Alert type="warning" showIcon title="请将初始密码当面交给用户，首次登录须修改密码" description="此密码只显示一次，关闭后无法再次查看。" />
        </>
      )}
    </Modal>
  );
}
