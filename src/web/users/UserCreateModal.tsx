import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { userCreate } from '../../shared/api';
import type { Role } from '../../shared/roles';
import { api, errorMessage, isSilentError } from '../api/client';
import type { UserCreateResponse } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { HiddenSubmit } from '../common/HiddenSubmit';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import { zodRule } from '../common/zodRule';
import { grantableRoles, roleOptions } from './userRoles';

type Values = { username: string; displayName: string; role: Role; orgUnitId: number; phone?: string };

export function UserCreateModal({
  open,
  defaultOrgUnitId,
  onClose,
  onCreated,
}: {
  open: boolean;
  defaultOrgUnitId?: number;
  onClose: () => void;
  onCreated: (r: UserCreateResponse) => void;
}) {
  const me = useUser();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Cleared once closed, not while opening (a reset on opening races with the first keystrokes).
  useEffect(() => {
    if (open) {
      setError(null);
      form.setFieldsValue({ orgUnitId: defaultOrgUnitId ?? me.orgUnit.id });
    }
  }, [open, form, defaultOrgUnitId, me.orgUnit.id]);

  const submit = async (v: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const body = {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        orgUnitId: v.orgUnitId,
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      };
      const r = await api.post<UserCreateResponse>('/api/users', body);
      onCreated(r);
    } catch (err) {
      if (!isSilentError(err)) setError(errorMessage(err));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title="新建用户"
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确定"
      cancelText="取消"
      confirmLoading={submitting}
      forceRender
      afterClose={() => form.resetFields()}
      afterOpenChange={(o) => {
        if (o) (form.getFieldInstance('username') as HTMLInputElement | null)?.focus();
      }}
    >
      <Form form={form} name="userCreate" layout="vertical" onFinish={(v) => void submit(v)} autoComplete="off">
        <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }, zodRule(userCreate.shape.username)]}>
          <Input autoFocus maxLength={32} />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, zodRule(userCreate.shape.displayName)]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={roleOptions(grantableRoles(me.role))} placeholder="请选择角色" />
        </Form.Item>
        <Form.Item label="所属单位" name="orgUnitId" rules={[{ required: true, message: '请选择所属单位' }]}>
          <OrgTreeSelect />
        </Form.Item>
        <Form.Item label="电话" name="phone" rules={[zodRule(userCreate.shape.phone)]}>
          <Input maxLength={20} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        <HiddenSubmit />
      </Form>
    </Modal>
  );
}
