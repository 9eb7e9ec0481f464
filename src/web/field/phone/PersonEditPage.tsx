// Updating a person already registered on the server, from the phone's cache: the surveyor types
// only what changed (the rest of the record stays as the server has it). The change waits in the
// outbox as an edit of that record's cached version; if the record was changed on the server
// meanwhile, it comes back as a conflict and is settled field by field.
import { App, Button, Card, Descriptions, Form, Result, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { validateRegistration } from '../../../domain/registration';
import type { RegistrationKey } from '../../../shared/registration';
import { todayShanghai } from '../../common/format';
import { FieldItem, type FieldCtl, type FormValues } from '../../registration/fields';
import { displayValue, stripLabel } from '../../registration/labels';
import { blankValues, cleanValue } from '../../registration/registrationForm';
import { newClientId, type OutboxItem } from './db';
import { usePhone, usePhoneDb } from './PhoneContext';

/** What a surveyor can update on a doorstep without the full record (none of it is masked in the cache). */
export const FIELD_EDIT_KEYS: readonly RegistrationKey[] = ['phone', 'residenceAddress', 'hukouType', 'personCategory', 'employer', 'remarks'];

export function PersonEditPage() {
  const params = useParams();
  const orgUnitId = Number(params.orgUnitId);
  const registrationId = Number(params.registrationId);
  const [search] = useSearchParams();
  const clientId = search.get('clientId');
  const { tasks, outbox, reloadOutbox, sync, online, session } = usePhone();
  const { db } = usePhoneDb();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const today = useMemo(() => todayShanghai(), []);
  const task = tasks.find((t) => t.orgUnitId === orgUnitId);
  const person = task?.persons.find((p) => p.id === registrationId);
  const existing = clientId ? outbox.find((i) => i.clientId === clientId) : undefined;
  const waiting = outbox.find((i) => i.registrationId === registrationId && i.state !== 'uploaded' && i.clientId !== clientId);

  const [values, setValues] = useState<FormValues>(blankValues);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (loaded) return;
    const v = blankValues();
    if (existing?.changes) for (const [k, val] of Object.entries(existing.changes)) if (k in v) v[k as RegistrationKey] = val ?? '';
    setValues(v);
    setLoaded(true);
  }, [existing, loaded]);

  // Only the typed fields are judged (a blank one means "unchanged", not "missing").
  const check = useMemo(() => validateRegistration(values, { today }), [values, today]);
  const ctl: FieldCtl = {
    values,
    today,
    set: (k, v) => setValues((prev) => ({ ...prev, [k]: v })),
    touch: () => undefined,
    errorOf: (k) => {
      if (!values[k].trim()) return null;
      const e = check.errors.find((x) => x.field === k && x.code !== 'REQUIRED');
      return e ? stripLabel(k, e.message) : null;
    },
    isRequired: () => false,
  };

  if (!task || !person) return <Result status="404" title="没有这名人员" subTitle="任务列表中没有该记录（可能已刷新或已删除）。" extra={<Link to={`/c/${orgUnitId}`}>返回社区</Link>} />;

  const save = async () => {
    const changes: Record<string, string | null> = {};
    for (const k of FIELD_EDIT_KEYS) {
      const v = cleanValue(values[k]);
      if (v !== null) changes[k] = v;
    }
    if (Object.keys(changes).length === 0) {
      void message.info('没有填写要修改的内容');
      return;
    }
    if (FIELD_EDIT_KEYS.some((k) => ctl.errorOf(k))) {
      void message.error('请先改正标红的项目');
      return;
    }
    const now = new Date().toISOString();
    const shown = blankValues();
    shown.name = person.name;
    shown.idNumber = person.idNumber;
    for (const [k, v] of Object.entries(changes)) shown[k as RegistrationKey] = v ?? '';
    const item: OutboxItem = {
      clientId: existing?.clientId ?? newClientId(),
      orgUnitId,
      communityName: task.name,
      householdKey: `registration:${registrationId}`,
      values: shown,
      localValid: true,
      state: 'pending',
      savedAt: existing?.savedAt ?? now,
      updatedAt: now,
      registrationId,
      baseVersion: existing?.baseVersion ?? person.version,
      changes,
      attempts: existing?.attempts ?? 0,
    };
    await db.put('outbox', item);
    await reloadOutbox();
    void message.success(`已保存到本机：${person.name} 的修改（待上传）`);
    if (online && session !== 'expired') void sync();
    navigate(`/c/${orgUnitId}`, { replace: true });
  };

  return (
    <>
      <Card size="small" title="已登记人员">
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'n', label: '姓名', children: person.name },
            { key: 'i', label: '身份证号', children: person.idNumber },
            { key: 'r', label: '与户主关系', children: displayValue('relationToHead', person.relationToHead) },
            { key: 'a', label: '常住地址', children: person.residenceAddress ?? '—' },
            { key: 'v', label: '状态', children: person.isValid ? '有效' : '无效' },
          ]}
        />
      </Card>
      {waiting && (
        <Typography.Paragraph type="warning" style={{ margin: 0 }}>
          本机已有该人员未上传的修改，再次保存将作为另一条修改上传。
        </Typography.Paragraph>
      )}
      <Card size="small" title="修改信息（只填要修改的项目，空白的保持不变）">
        <Form layout="vertical" component={false}>
          {FIELD_EDIT_KEYS.map((k) => (
            <FieldItem key={k} k={k} ctl={ctl} label={k === 'personCategory' ? '个人身份/就业状态' : undefined} />
          ))}
        </Form>
      </Card>
      <div className="phone-actions">
        <Button onClick={() => navigate(-1)}>取消</Button>
        <Button type="primary" onClick={() => void save()} data-testid="save-edit">
          保存修改
        </Button>
      </div>
    </>
  );
}
