// The person form on the phone: the same fields and the same validateRegistration as the desktop
// entry form, one column, kept as a draft on the phone while it is filled (an app restart loses
// nothing), saved into the outbox; "下一位" keeps the household's fields for the next member.
import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Result, Spin, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { maskRegistrationValue } from '../../../domain/masking';
import { MINOR_AGE } from '../../../domain/registration';
import type { RegistrationKey } from '../../../shared/registration';
import { todayShanghai } from '../../common/format';
import { handleEnterKey, handleEnterKeyCapture } from '../../registration/enterToNext';
import { FieldItem, type FormValues } from '../../registration/fields';
import { InsuranceTable } from '../../registration/InsuranceTable';
import { GUARDIAN_KEYS, HOUSEHOLD_KEYS, PERSON_KEYS, SURVEY_KEYS } from '../../registration/labels';
import { blankValues, focusField, HOUSEHOLD_CARRY_KEYS, ProblemSummary, sameValues, useRegistrationCtl } from '../../registration/registrationForm';
import { draftKeyOf, newClientId, type OutboxItem } from './db';
import { usePhone, usePhoneDb } from './PhoneContext';
import { compressPhoto, formatKb } from './photo';

type Start = { values: FormValues; baseline: FormValues; householdKey: string; photo?: Blob | undefined; item?: OutboxItem | undefined; restored: boolean };

export function PersonFormPage() {
  const orgUnitId = Number(useParams().orgUnitId);
  const [search] = useSearchParams();
  const { db, user } = usePhoneDb();
  const { tasks } = usePhone();
  const task = tasks.find((t) => t.orgUnitId === orgUnitId);
  const [start, setStart] = useState<Start | null>(null);
  const editId = search.get('clientId');
  const household = search.get('household');

  useEffect(() => {
    let alive = true;
    void (async () => {
      const fresh = blankValues();
      fresh.idType = '01';
      fresh.surveyDate = todayShanghai();
      fresh.surveyorName = user.displayName.slice(0, 30);
      let s: Start;
      const item = editId ? await db.get('outbox', editId) : undefined;
      if (item) s = { values: item.values, baseline: item.values, householdKey: item.householdKey, photo: item.photo, item, restored: false };
      else {
        const d = await db.get('drafts', draftKeyOf(orgUnitId));
        if (d && (!household || d.householdKey === household)) {
          // The household's fields the draft started from count as its baseline.
          const base = { ...fresh };
          for (const k of HOUSEHOLD_CARRY_KEYS) base[k] = d.values[k];
          s = { values: d.values, baseline: base, householdKey: d.householdKey, photo: d.photo, restored: true };
        } else s = { values: fresh, baseline: fresh, householdKey: household ?? newClientId(), restored: false };
      }
      if (alive) setStart(s);
    })();
    return () => {
      alive = false;
    };
  }, [db, orgUnitId, editId, household, user.displayName]);

  if (!task) return <Result status="404" title="不在您的任务中" subTitle="该社区/村未分配给您，或任务列表尚未下载。" />;
  if (!start) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  return <PersonForm key={`${start.householdKey}.${start.item?.clientId ?? ''}`} orgUnitId={orgUnitId} communityName={task.name} start={start} />;
}

function PersonForm({ orgUnitId, communityName, start }: { orgUnitId: number; communityName: string; start: Start }) {
  const { db } = usePhoneDb();
  const { tasks, outbox, reloadOutbox, sync, online, session } = usePhone();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const today = useMemo(() => todayShanghai(), []);
  const containerRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const [baseline, setBaseline] = useState(start.baseline);
  const [values, setValues] = useState<FormValues>(start.values);
  const [touched, setTouched] = useState<ReadonlySet<RegistrationKey>>(() => new Set());
  const [attempted, setAttempted] = useState(start.restored || !!start.item);
  const [photo, setPhoto] = useState<Blob | undefined>(start.photo);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [saving, setSaving] = useState(false);
  const [savedInHousehold, setSavedInHousehold] = useState<string[]>([]);
  const householdKey = start.householdKey;
  const editing = start.item;

  const { check, showGuardian, showUninsured, showNote, ctl, errorOf, idExtra, derivedExtra } = useRegistrationCtl({ values, setValues, touched, setTouched, attempted, today });

  const photoUrl = useMemo(() => (photo ? URL.createObjectURL(photo) : null), [photo]);
  useEffect(() => () => void (photoUrl && URL.revokeObjectURL(photoUrl)), [photoUrl]);

  // The form is kept on the phone while it differs from where it started (new persons only).
  const draftKey = draftKeyOf(orgUnitId);
  const savedRef = useRef(false);
  useEffect(() => {
    if (editing) return;
    const t = setTimeout(() => {
      if (savedRef.current) return;
      if (sameValues(values, baseline) && !photo) void db.delete('drafts', draftKey);
      else void db.put('drafts', { orgUnitId, householdKey, values, photo, savedAt: new Date().toISOString() }, draftKey);
    }, 300);
    return () => clearTimeout(t);
  }, [values, baseline, photo, db, draftKey, orgUnitId, householdKey, editing]);

  // Focus the first empty field of the person (the household's are carried from the last member);
  // a saved record opened again to correct it starts where the surveyor taps.
  useEffect(() => {
    if (editing) return;
    const t = setTimeout(() => {
      const key = [...HOUSEHOLD_KEYS, ...PERSON_KEYS.filter((k) => k !== 'idType')].find((k) => !values[k].trim());
      document.getElementById(`reg-${key ?? 'idNumber'}`)?.focus();
    }, 50);
    return () => clearTimeout(t);
    // only when a person's form starts (baseline changes then), not on every keystroke
  }, [baseline, editing]);

  const takePhoto = async (file: File | undefined) => {
    if (!file) return;
    setPhotoBusy(true);
    try {
      setPhoto(await compressPhoto(file));
    } catch (err) {
      void message.error(err instanceof Error ? err.message : '照片处理失败');
    } finally {
      setPhotoBusy(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const write = async (next: boolean) => {
    setSaving(true);
    try {
      const now = new Date().toISOString();
      const item: OutboxItem = {
        clientId: editing?.clientId ?? newClientId(),
        orgUnitId,
        communityName,
        householdKey,
        values,
        localValid: check.valid,
        state: 'pending',
        savedAt: editing?.savedAt ?? now,
        updatedAt: now,
        photo,
        photoUploaded: false,
        attempts: editing?.attempts ?? 0,
        ...(editing?.confirmDuplicate ? { confirmDuplicate: true } : {}),
      };
      savedRef.current = true;
      const tx = db.transaction(['outbox', 'drafts'], 'readwrite');
      await tx.objectStore('outbox').put(item);
      if (!editing) await tx.objectStore('drafts').delete(draftKey);
      await tx.done;
      await reloadOutbox();
      void message.success(`已保存到本机：${values.name.trim()}（待上传）`);
      if (online && session !== 'expired') void sync();
      if (next) {
        const carry = blankValues();
        carry.idType = '01';
        for (const k of HOUSEHOLD_CARRY_KEYS) carry[k] = values[k];
        setSavedInHousehold((s) => [...s, values.name.trim()]);
        savedRef.current = false;
        setBaseline(carry);
        setValues(carry);
        setPhoto(undefined);
        setTouched(new Set());
        setAttempted(false);
        window.scrollTo(0, 0);
      } else navigate(`/c/${orgUnitId}`, { replace: true });
    } catch (err) {
      savedRef.current = false;
      void message.error(`未能保存到本机：${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setSaving(false);
    }
  };

  const save = (next: boolean) => {
    if (saving) return;
    setAttempted(true);
    if (!values.idNumber.trim() || !values.name.trim()) {
      void message.error('公民身份号码和姓名为必填项，填写后才能保存');
      focusField(values.idNumber.trim() ? 'name' : 'idNumber');
      return;
    }
    const confirms: string[] = [];
    const id = (check.values.idNumber ?? values.idNumber).trim().toUpperCase();
    const local = outbox.find((i) => i.clientId !== editing?.clientId && i.values.idNumber.trim().toUpperCase() === id);
    if (local) confirms.push(`本机已保存过该身份证号（${local.values.name}，${local.communityName}）。`);
    const masked = maskRegistrationValue('idNumber', id);
    const known = tasks.flatMap((t) => t.persons.map((p) => ({ p, t }))).find(({ p }) => p.idNumber === masked && p.name === values.name.trim());
    if (known) confirms.push(`${known.t.name}已有登记记录：${known.p.name}（${known.p.idNumber}），可能是同一人。`);
    if (!check.valid) confirms.push(`该记录有 ${check.errors.length} 处问题，保存后为无效数据。`);
    if (confirms.length === 0) {
      void write(next);
      return;
    }
    modal.confirm({
      title: '仍要保存吗？',
      content: (
        <ul style={{ paddingLeft: 18, margin: 0 }}>
          {confirms.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ),
      okText: '仍然保存',
      cancelText: '返回修改',
      onOk: () => write(next),
      onCancel: () => {
        const first = check.errors[0];
        if (first) setTimeout(() => focusField(first.field), 0);
      },
    });
  };

  const copyPersonToHead = () =>
    setValues((prev) => ({ ...prev, householdHeadName: prev.name, householdHeadIdNumber: prev.idNumber, householdAddress: prev.householdAddress || prev.residenceAddress }));

  return (
    <div
      ref={containerRef}
      data-testid="phone-form"
      onKeyDownCapture={(e) => handleEnterKeyCapture(e, containerRef.current)}
      onKeyDown={(e) => handleEnterKey(e, containerRef.current, () => save(true))}
    >
      <Form layout="vertical" component={false}>
        <Typography.Text type="secondary">
          {communityName}
          {editing ? ' · 修改本机记录' : savedInHousehold.length > 0 ? ` · 本户已保存：${savedInHousehold.join('、')}` : ''}
        </Typography.Text>
        {start.restored && savedInHousehold.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }} data-testid="draft-restored">
            已恢复上次未保存的登记草稿。
          </Typography.Paragraph>
        )}
        <Card
          size="small"
          title="户信息"
          style={{ marginTop: 8 }}
          extra={
            <Button type="link" size="small" onClick={copyPersonToHead} tabIndex={-1}>
              本人为户主
            </Button>
          }
        >
          {HOUSEHOLD_KEYS.map((k) => (
            <FieldItem key={k} k={k} ctl={ctl} label={k === 'householdAddress' ? '家庭地址' : undefined} />
          ))}
        </Card>
        <Card size="small" title="个人信息" style={{ marginTop: 12 }}>
          {PERSON_KEYS.map((k) => (
            <FieldItem
              key={k}
              k={k}
              ctl={ctl}
              label={k === 'personCategory' ? '个人身份/就业状态' : undefined}
              extra={k === 'idNumber' ? idExtra : k === 'sex' || k === 'birthDate' ? derivedExtra(k) : undefined}
            />
          ))}
        </Card>
        <Card size="small" title="参保情况" style={{ marginTop: 12 }}>
          <InsuranceTable ctl={ctl} />
          {showUninsured && (
            <div style={{ marginTop: 12 }}>
              <FieldItem k="uninsuredReason" ctl={ctl} />
              {showNote && <FieldItem k="uninsuredNote" ctl={ctl} />}
              <FieldItem k="willingness" ctl={ctl} />
            </div>
          )}
        </Card>
        {showGuardian && (
          <Card size="small" title={`监护人（未满${MINOR_AGE}周岁须填写）`} style={{ marginTop: 12 }}>
            {GUARDIAN_KEYS.map((k) => (
              <FieldItem key={k} k={k} ctl={ctl} />
            ))}
          </Card>
        )}
        <Card size="small" title="调查信息" style={{ marginTop: 12 }}>
          {SURVEY_KEYS.map((k) => (
            <FieldItem key={k} k={k} ctl={ctl} />
          ))}
        </Card>
        <Card size="small" title="纸质登记表照片" style={{ marginTop: 12 }}>
          {photoUrl && <img src={photoUrl} alt="纸质登记表照片" className="phone-photo" data-testid="photo-preview" />}
          <input ref={fileRef} type="file" accept="image/*" capture="environment" hidden data-testid="photo-input" onChange={(e) => void takePhoto(e.target.files?.[0])} />
          <div style={{ display: 'flex', gap: 8, marginTop: photoUrl ? 8 : 0 }}>
            <Button icon={<CameraOutlined />} loading={photoBusy} onClick={() => fileRef.current?.click()} tabIndex={-1}>
              {photo ? '重新拍摄' : '拍摄签字的登记表'}
            </Button>
            {photo && (
              <Button danger icon={<DeleteOutlined />} onClick={() => setPhoto(undefined)} tabIndex={-1}>
                删除照片
              </Button>
            )}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {photo ? `已压缩为 ${formatKb(photo.size)}，随记录上传。` : '请居民在纸质登记表上签字后拍照，照片在手机上压缩后随记录上传。'}
          </Typography.Text>
        </Card>
        <div style={{ marginTop: 12 }}>
          <ProblemSummary check={check} shown={(key) => errorOf(key) !== null} onPick={focusField} />
        </div>
        <div className="phone-actions">
          {editing ? (
            <Button type="primary" loading={saving} onClick={() => save(false)} data-testid="save" data-enter-stop>
              保存修改
            </Button>
          ) : (
            <>
              <Button onClick={() => save(false)} disabled={saving} data-testid="save-done">
                保存，本户完成
              </Button>
              <Button type="primary" loading={saving} onClick={() => save(true)} data-testid="save-next" data-enter-stop>
                保存，录入下一位
              </Button>
            </>
          )}
        </div>
      </Form>
    </div>
  );
}
