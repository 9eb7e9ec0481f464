import { Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { orgUnitCreate } from '../../shared/api';
import { ORG_LEVEL_LABELS, ORG_LEVELS, type OrgLevel } from '../../shared/roles';
import { api, errorMessage, isSilentError } from '../api/client';
import type { OrgUnit } from '../api/types';
import { HiddenSubmit } from '../common/HiddenSubmit';
import { zodRule } from '../common/zodRule';

/** The usual level of a new child unit. */
export const CHILD_LEVEL: Record<OrgLevel, OrgLevel | null> = {
  city: 'district',
  agency: 'agency',
  district: 'street',
  street: 'community',
  community: null,
};

type CreateValues = { code: string; name: string; level: OrgLevel };

export function OrgCreateModal({
  parent,
  open,
  onClose,
  onCreated,
}: {
  parent: OrgUnit;
  open: boolean;
  onClose: () => void;
  onCreated: (unit: OrgUnit) => void;
}) {
  const [form] = Form.useForm<CreateValues>();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ code: parent.code, name: '', level: CHILD_LEVEL[parent.level] ?? 'community' });
  }, [open, parent, form]);

  const submit = async (v: CreateValues) => {
    setSubmitting(true);
    try {
      const unit = await api.post<OrgUnit>('/api/orgs', { parentId: parent.id, code: v.code.trim(), name: v.name.trim(), level: v.level });
      onCreated(unit);
    } catch (err) {
      if (!isSilentError(err)) form.setFields([{ name: 'code', errors: [errorMessage(err)] }]);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title={`新增下级单位（上级：${parent.name}）`}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确定"
      cancelText="取消"
      confirmLoading={submitting}
      forceRender
      afterOpenChange={(o) => {
        if (o) (form.getFieldInstance('code') as HTMLInputElement | null)?.focus();
      }}
    >
      <Form form={form} name="orgCreate" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="代码" name="code" rules={[{ required: true, message: '请输入代码' }, zodRule(orgUnitCreate.shape.code)]}>
          <Input autoFocus maxLength={20} placeholder="如 320411001" />
        </Form.Item>
        <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入名称' }, zodRule(orgUnitCreate.shape.name)]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item label="层级" name="level" rules={[{ required: true, message: '请选择层级' }]}>
          <Select options={ORG_LEVELS.filter((l) => l !== 'city').map((l) => ({ value: l, label: ORG_LEVEL_LABELS[l] }))} />
        </Form.Item>
        <HiddenSubmit />
      </Form>
    </Modal>
  );
}

export function OrgRenameModal({
  unit,
  open,
  onClose,
  onRenamed,
}: {
  unit: OrgUnit;
  open: boolean;
  onClose: () => void;
  onRenamed: (unit: OrgUnit) => void;
}) {
  const [form] = Form.useForm<{ name: string }>();
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ name: unit.name });
  }, [open, unit, form]);

  const submit = async (v: { name: string }) => {
    setSubmitting(true);
    try {
      const u = await api.patch<OrgUnit>(`/api/orgs/${unit.id}`, { name: v.name.trim() });
      onRenamed(u);
    } catch (err) {
      if (!isSilentError(err)) form.setFields([{ name: 'name', errors: [errorMessage(err)] }]);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title={`重命名：${unit.name}`}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="确定"
      cancelText="取消"
      confirmLoading={submitting}
      forceRender
      afterOpenChange={(o) => {
        if (o) (form.getFieldInstance('name') as HTMLInputElement | null)?.focus();
      }}
    >
      <Form form={form} name="orgRename" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label="名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入名称' }, zodRule(orgUnitCreate.shape.name)]}>
          <Input autoFocus maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
