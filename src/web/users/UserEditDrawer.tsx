import { Alert, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { userUpdate } from '../../shared/api';
import type { Role } from '../../shared/roles';
import { api, ApiError, errorMessage, isSilentError } from '../api/client';
import type { User } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { HiddenSubmit } from '../common/HiddenSubmit';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { zodRule } from '../common/zodRule';
import { grantableRoles, roleOptions } from './userRoles';

type Values = { displayName: string; role: Role; orgUnitId: number; phone?: string };

const isMasked = (phone: string | null) => phone !== null && phone.includes('*');

export function UserEditDrawer({
  user,
  onClose,
  onSaved,
  onConflict,
}: {
  user: User | null;
  onClose: () => void;
  onSaved: (u: User) => void;
  onConflict: (message: string) => void;
}) {
  const me = useUser();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (user) {
      setError(null);
      form.resetFields();
      form.setFieldsValue({
        displayName: user.displayName,
        role: user.role,
        orgUnitId: user.orgUnitId,
        phone: isMasked(user.phone) ? '' : (user.phone ?? ''),
      });
    }
  }, [user, form]);

  const submit = async (v: Values) => {
    if (!user) return;
    // Send only what changed, with the version read (optimistic locking).
    const body: Record<string, unknown> = { version: user.version };
    if (v.displayName.trim() !== user.displayName) body.displayName = v.displayName.trim();
    if (v.role !== user.role) body.role = v.role;
    if (v.orgUnitId !== user.orgUnitId) body.orgUnitId = v.orgUnitId;
    const phone = (v.phone ?? '').trim();
    const oldPhone = isMasked(user.phone) ? '' : (user.phone ?? '');
    if (phone !== oldPhone && !(isMasked(user.phone) && phone === '')) body.phone = phone;
    if (Object.keys(body).length === 1) {
      onClose();
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const u = await api.patch<User>(`/api/users/${user.id}`, body);
      onSaved(u);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') onConflict(err.message);
      else if (!isSilentError(err)) setError(errorMessage(err));
    } finally {
      setSubmitting(false);
    }
  };

  const roles = grantableRoles(me.role);
  const roleChoices = user && !roles.includes(user.role) ? [...roles, user.role] : roles;

  return (
    <Drawer
      title={user ? `编辑用户：${user.username}` : '编辑用户'}
      open={user !== null}
      onClose={onClose}
      size={480}
      forceRender
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()}>
            保存
          </Button>
        </Space>
      }
    >
      <Form form={form} name="userEdit" layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, zodRule(userUpdate.shape.displayName)]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={roleOptions(roleChoices)} />
        </Form.Item>
        <Form.Item label="所属单位" name="orgUnitId" rules={[{ required: true, message: '请选择所属单位' }]}>
          <OrgTreeSelect />
        </Form.Item>
        <Form.Item
          label="电话"
          name="phone"
          rules={[zodRule(userUpdate.shape.phone)]}
          extra={user && isMasked(user.phone) ? `当前号码 ${user.phone ?? ''}（已脱敏），留空则不修改` : undefined}
        >
          <Input maxLength={20} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        <HiddenSubmit />
      </Form>
    </Drawer>
  );
}
