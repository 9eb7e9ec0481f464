// The entry form of a registration record (全民参保登记表), new or edit. Every rule is the domain's
// validateRegistration, run on each change exactly as the server runs it; a record with problems
// can still be saved (it is kept as 无效 with its reasons) after a confirmation.
import { ArrowLeftOutlined, SaveOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Grid, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { MINOR_AGE } from '../../domain/registration';
import { INSURANCE_TYPES, INSURED_STATUSES } from '../../shared/codes/index';
import { insuranceStatusKey, REGISTRATION_KEYS, type RegistrationKey } from '../../shared/registration';
import { api, ApiError } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { formatTime, todayShanghai } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { useOrgs } from '../common/useOrgs';
import { CommunitySelect } from './CommunitySelect';
import { ConflictModal } from './ConflictModal';
import { clearDraft, loadDraft, loadLastOrg, saveDraft, saveLastOrg } from './draft';
import { handleEnterKey, handleEnterKeyCapture } from './enterToNext';
import { FieldItem, fieldId, type FormValues } from './fields';
import { InsuranceTable } from './InsuranceTable';
import { blankValues, cleanValue, focusField, HOUSEHOLD_CARRY_KEYS, ProblemSummary, recordOf, sameValues, useRegistrationCtl, valuesOf } from './registrationForm';
import { GUARDIAN_KEYS, HOUSEHOLD_KEYS, PERSON_KEYS, SURVEY_KEYS } from './labels';
import type { Registration, RegistrationDetail } from './types';

export { HOUSEHOLD_CARRY_KEYS };

/** What "保存并录入同户下一人" carries over to the next form. */
export type NextPersonState = {
  prefill: { orgUnitId: number; values: Partial<FormValues> };
  saved: { id: number; name: string; isValid: boolean; problems: number };
};

export { blankValues, valuesOf };

const clean = cleanValue;

const PERSON_LAYOUT: Array<{ k: RegistrationKey; wide?: boolean }> = [
  { k: 'idType' },
  { k: 'idNumber' },
  { k: 'name' },
  { k: 'sex' },
  { k: 'birthDate' },
  { k: 'ethnicity' },
  { k: 'relationToHead' },
  { k: 'hukouType' },
  { k: 'phone' },
  { k: 'hukouAddress', wide: true },
  { k: 'residenceAddress', wide: true },
  { k: 'personCategory' },
  { k: 'employer', wide: true },
];

const colProps = (wide?: boolean) => (wide ? { xs: 24, md: 24, xl: 12 } : { xs: 24, md: 12, xl: 8 });
const HOUSEHOLD_COLS = { xs: 24, md: 12, xl: 6 };

type Props =
  | { mode: 'new'; prefill?: NextPersonState['prefill'] | undefined; saved?: NextPersonState['saved'] | undefined }
  | { mode: 'edit'; record: RegistrationDetail; onReload: () => void };

export function RegistrationEditor(props: Props) {
  const me = useUser();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const screens = Grid.useBreakpoint();
  const { index } = useOrgs();
  const containerRef = useRef<HTMLDivElement>(null);
  const today = useMemo(() => todayShanghai(), []);

  const edit = props.mode === 'edit' ? props.record : null;
  const draftKey = edit ? String(edit.id) : 'new';
  const prefill = props.mode === 'new' ? props.prefill : undefined;

  // The values the form starts from (and counts as "unchanged").
  const baseline = useMemo<FormValues>(() => {
    if (edit) return valuesOf(edit.record);
    const v = blankValues();
    v.idType = '01';
    v.surveyDate = today;
    v.surveyorName = me.displayName.slice(0, 30);
    if (prefill) Object.assign(v, prefill.values);
    return v;
  }, [edit, prefill, today, me.displayName]);

  // A draft left from an earlier visit is restored (drafts are removed on save, so after
  // "保存并录入同户下一人" one exists only if this next form was left unsaved).
  const [restored] = useState(() => {
    const d = loadDraft(me.id, draftKey);
    if (!d) return null;
    const values = { ...baseline };
    for (const k of REGISTRATION_KEYS) if (typeof d.values[k] === 'string') values[k] = d.values[k];
    if (sameValues(values, baseline)) return null;
    return { values, orgUnitId: d.orgUnitId, savedAt: d.savedAt, stale: !!edit && d.baseVersion !== undefined && d.baseVersion !== edit.version };
  });
  const [draftNotice, setDraftNotice] = useState(restored);
  const [values, setValues] = useState<FormValues>(() => restored?.values ?? baseline);
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(() => {
    if (edit) return edit.orgUnitId;
    return prefill?.orgUnitId ?? restored?.orgUnitId;
  });
  const [touched, setTouched] = useState<ReadonlySet<RegistrationKey>>(() => new Set());
  const [attempted, setAttempted] = useState(!!edit || !!restored);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Registration | null>(null);
  const savedRef = useRef(false);

  // Default community: the user's own when it is one, else the one last used.
  const isCommunity = useCallback((id: number | undefined) => id !== undefined && index.byId.get(id)?.level === 'community', [index]);
  useEffect(() => {
    if (edit || orgUnitId !== undefined || index.byId.size === 0) return;
    if (isCommunity(me.orgUnit.id)) setOrgUnitId(me.orgUnit.id);
    else {
      const last = loadLastOrg(me.id);
      if (isCommunity(last)) setOrgUnitId(last);
    }
  }, [edit, orgUnitId, index, isCommunity, me.orgUnit.id, me.id]);

  // Keep a draft while the form differs from where it started.
  const dirty = !sameValues(values, baseline);
  useEffect(() => {
    if (savedRef.current) return;
    const t = setTimeout(() => {
      if (savedRef.current) return;
      if (sameValues(values, baseline)) clearDraft(me.id, draftKey);
      else saveDraft(me.id, draftKey, { orgUnitId, values, baseVersion: edit?.version });
    }, 400);
    return () => clearTimeout(t);
  }, [values, baseline, orgUnitId, me.id, draftKey, edit?.version]);

  // A new form starts at its first empty field, in the order of the form: the community, the
  // household (filled for the next member of a household), then the person from the ID number on
  // (it fills sex and birth date).
  // Once the units are known (the default community is set from them), and only once.
  const latest = useRef({ values, orgUnitId });
  latest.current = { values, orgUnitId };
  const focused = useRef(false);
  const unitsKnown = index.byId.size > 0;
  useEffect(() => {
    if (edit || focused.current || !unitsKnown) return;
    const t = setTimeout(() => {
      focused.current = true;
      const { values: v, orgUnitId: unit } = latest.current;
      const key = [...HOUSEHOLD_KEYS, ...PERSON_KEYS.filter((k) => k !== 'idType')].find((k) => !v[k].trim());
      window.scrollTo(0, 0);
      document.getElementById(unit === undefined ? 'reg-orgUnit' : fieldId(key ?? 'idNumber'))?.focus();
    }, 50);
    return () => clearTimeout(t);
  }, [edit, unitsKnown]);

  const { check, showGuardian, showUninsured, showNote, ctl, errorOf, idExtra, derivedExtra } = useRegistrationCtl({ values, setValues, touched, setTouched, attempted, today });



  // ---------- saving ----------

  /** What members of one household share: the surveyor types only the person (the community goes with the state). */
  const householdPrefill = (): Partial<FormValues> => Object.fromEntries(HOUSEHOLD_CARRY_KEYS.map((k) => [k, values[k]]));

  const afterSave = (r: Registration, next: boolean) => {
    savedRef.current = true;
    clearDraft(me.id, draftKey);
    if (!edit) saveLastOrg(me.id, r.orgUnitId);
    const name = r.record.name ?? '';
    if (r.isValid) void message.success(`已保存：${name}（有效数据）`);
    else void message.warning(`已保存：${name}（无效数据，${r.errors.length} 处问题）`);
    if (next) {
      const state: NextPersonState = {
        prefill: { orgUnitId: r.orgUnitId, values: householdPrefill() },
        saved: { id: r.id, name, isValid: r.isValid, problems: r.errors.length },
      };
      navigate('/registrations/new', { state });
    } else {
      navigate(`/registrations/${r.id}`, { replace: !edit });
    }
  };

  const doSave = async (next: boolean) => {
    setSaving(true);
    try {
      if (edit) {
        const changed: Record<string, string | null> = {};
        for (const k of REGISTRATION_KEYS) {
          const v = clean(values[k]);
          if (v !== (edit.record[k] ?? null)) changed[k] = v;
        }
        if (Object.keys(changed).length === 0) {
          savedRef.current = true;
          clearDraft(me.id, draftKey);
          void message.info('内容没有变化');
          if (next) afterSave(edit, true);
          else navigate(`/registrations/${edit.id}`);
          return;
        }
        const r = await api.put<Registration>(`/api/registrations/${edit.id}`, { record: changed, version: edit.version });
        afterSave(r, next);
      } else {
        const r = await api.post<Registration>('/api/registrations', { orgUnitId, record: recordOf(values) });
        afterSave(r, next);
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        const current = (err.details as { current?: Registration } | undefined)?.current;
        if (current) setConflict(current);
        else modal.warning({ title: '该记录已被他人修改', content: err.message, okText: '重新载入', onOk: () => edit && reload() });
      } else notifyError(err);
    } finally {
      setSaving(false);
    }
  };

  const save = (next: boolean) => {
    if (saving) return;
    setAttempted(true);
    if (!edit && !isCommunity(orgUnitId)) {
      void message.error('请选择登记的社区/村');
      document.getElementById('reg-orgUnit')?.focus();
      return;
    }
    if (!values.idNumber.trim() || !values.name.trim()) {
      void message.error('公民身份号码和姓名为必填项，填写后才能保存');
      focusField(values.idNumber.trim() ? 'name' : 'idNumber');
      return;
    }
    const n = check.errors.length;
    if (n === 0) {
      void doSave(next);
      return;
    }
    modal.confirm({
      title: '保存为无效数据？',
      content: `该记录有 ${n} 处问题，保存后将标记为无效数据，确定保存吗？`,
      okText: '确定保存',
      cancelText: '返回修改',
      onOk: () => doSave(next),
      onCancel: () => {
        const first = check.errors[0];
        if (first) setTimeout(() => focusField(first.field), 0);
      },
    });
  };

  const reload = () => {
    savedRef.current = true;
    clearDraft(me.id, draftKey);
    setConflict(null);
    if (props.mode === 'edit') props.onReload();
  };

  const discardDraft = () => {
    clearDraft(me.id, draftKey);
    setValues(baseline);
    if (!edit) setOrgUnitId(prefill?.orgUnitId);
    setTouched(new Set());
    setAttempted(!!edit);
    setDraftNotice(null);
  };

  const copyPersonToHead = () => {
    setValues((prev) => ({
      ...prev,
      householdHeadName: prev.name,
      householdHeadIdNumber: prev.idNumber,
      householdAddress: prev.householdAddress || prev.residenceAddress,
    }));
  };

  // ---------- rendering ----------

  const title = edit ? `修改登记：${edit.record.name ?? ''}` : '新增登记';
  const saved = props.mode === 'new' ? props.saved : undefined;

  return (
    <div
      ref={containerRef}
      className="reg-form"
      data-testid="registration-form"
      onKeyDownCapture={(e) => handleEnterKeyCapture(e, containerRef.current)}
      onKeyDown={(e) => handleEnterKey(e, containerRef.current, () => save(false))}
    >
      <Form layout="vertical" component={false}>
        <Space orientation="vertical" size={screens.md ? 'middle' : 'small'} style={{ width: '100%' }}>
          <Card
            title={
              <Space>
                <Link to={edit ? `/registrations/${edit.id}` : '/registrations'} aria-label="返回">
                  <ArrowLeftOutlined />
                </Link>
                {title}
              </Space>
            }
            extra={
              screens.md ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  Enter 下一项 · Ctrl+Enter 保存
                </Typography.Text>
              ) : null
            }
          >
            {saved && (
              <Alert
                type={saved.isValid ? 'success' : 'warning'}
                showIcon
                closable
                style={{ marginBottom: 12 }}
                title={
                  <>
                    已保存 {saved.name}（{saved.isValid ? '有效数据' : `无效数据，${saved.problems} 处问题`}），请录入同户下一人。{' '}
                    <Link to={`/registrations/${saved.id}`}>查看刚保存的记录</Link>
                  </>
                }
              />
            )}
            {draftNotice && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="draft-notice"
                title={`已恢复 ${formatTime(draftNotice.savedAt)} 未保存的草稿${draftNotice.stale ? '（草稿之后该记录已被修改，请核对）' : ''}`}
                action={
                  <Button size="small" onClick={discardDraft}>
                    清除草稿
                  </Button>
                }
              />
            )}
            {edit ? (
              <Space wrap>
                <Typography.Text type="secondary">登记社区/村：</Typography.Text>
                <Typography.Text strong>{edit.orgUnitName}</Typography.Text>
              </Space>
            ) : (
              <Row gutter={16}>
                <Col xs={24} md={12} xl={8}>
                  <Form.Item
                    label="登记社区/村"
                    htmlFor="reg-orgUnit"
                    required
                    style={{ marginBottom: 0 }}
                    validateStatus={attempted && !isCommunity(orgUnitId) ? 'error' : undefined}
                    help={attempted && !isCommunity(orgUnitId) ? '请选择社区/村（只能选择社区或村一级）' : undefined}
                  >
                    <CommunitySelect
                      id="reg-orgUnit"
                      value={orgUnitId}
                      onChange={setOrgUnitId}
                      status={attempted && !isCommunity(orgUnitId) ? 'error' : undefined}
                    />
                  </Form.Item>
                </Col>
              </Row>
            )}
          </Card>

          <Card
            size="small"
            title="户信息"
            extra={
              <Button type="link" size="small" onClick={copyPersonToHead} tabIndex={-1}>
                本人为户主
              </Button>
            }
          >
            <Row gutter={16}>
              {HOUSEHOLD_KEYS.map((k) => (
                <Col key={k} {...(k === 'householdAddress' ? colProps(true) : HOUSEHOLD_COLS)}>
                  <FieldItem k={k} ctl={ctl} label={k === 'householdAddress' ? '家庭地址' : undefined} />
                </Col>
              ))}
            </Row>
          </Card>

          <Card size="small" title="个人信息">
            <Row gutter={16}>
              {PERSON_LAYOUT.map(({ k, wide }) => (
                <Col key={k} {...colProps(wide)}>
                  <FieldItem
                    k={k}
                    ctl={ctl}
                    label={k === 'personCategory' ? '个人身份/就业状态' : undefined}
                    extra={k === 'idNumber' ? idExtra : k === 'sex' || k === 'birthDate' ? derivedExtra(k) : undefined}
                  />
                </Col>
              ))}
            </Row>
          </Card>

          <Card size="small" title="参保情况">
            <InsuranceTable ctl={ctl} />
            {showUninsured && (
              <Row gutter={16} style={{ marginTop: 16 }}>
                <Col xs={24} md={12} xl={8}>
                  <FieldItem k="uninsuredReason" ctl={ctl} />
                </Col>
                {showNote && (
                  <Col xs={24} md={12} xl={8}>
                    <FieldItem k="uninsuredNote" ctl={ctl} />
                  </Col>
                )}
                <Col xs={24} md={12} xl={8}>
                  <FieldItem k="willingness" ctl={ctl} />
                </Col>
              </Row>
            )}
            {!showUninsured && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                已参保 {INSURANCE_TYPES.filter((t) => INSURED_STATUSES.has(values[insuranceStatusKey(t.code)])).length} 个险种；八个险种均未参保时须填写未参保原因和参保意愿。
              </Typography.Paragraph>
            )}
          </Card>

          {showGuardian && (
            <Card size="small" title={`监护人（未满${MINOR_AGE}周岁须填写）`} data-testid="guardian-card">
              <Row gutter={16}>
                {GUARDIAN_KEYS.map((k) => (
                  <Col key={k} xs={24} md={12} xl={8}>
                    <FieldItem k={k} ctl={ctl} />
                  </Col>
                ))}
              </Row>
            </Card>
          )}

          <Card size="small" title="调查信息">
            <Row gutter={16}>
              {SURVEY_KEYS.map((k) => (
                <Col key={k} {...(k === 'remarks' ? { xs: 24, md: 24, xl: 8 } : { xs: 24, md: 12, xl: 8 })}>
                  <FieldItem k={k} ctl={ctl} />
                </Col>
              ))}
            </Row>
          </Card>

          <ProblemSummary check={check} shown={(key) => errorOf(key) !== null} onPick={focusField} />

          <div
            className="reg-actions no-print"
            style={{
              position: 'sticky',
              bottom: 0,
              zIndex: 10,
              background: '#fff',
              padding: screens.md ? '12px 16px' : '8px',
              borderTop: '1px solid #f0f0f0',
              boxShadow: '0 -2px 8px rgba(0,0,0,0.06)',
              display: 'flex',
              gap: 8,
              flexWrap: 'wrap',
              alignItems: 'center',
            }}
          >
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => save(false)} data-enter-stop data-testid="save">
              保存
            </Button>
            <Button icon={<UsergroupAddOutlined />} disabled={saving} onClick={() => save(true)} data-testid="save-next">
              保存并录入同户下一人
            </Button>
            <Button onClick={() => navigate(edit ? `/registrations/${edit.id}` : '/registrations')} disabled={saving}>
              取消
            </Button>
            <span style={{ marginLeft: 'auto' }}>
              {check.valid ? (
                <Tag color="success">校验通过</Tag>
              ) : attempted || touched.size > 0 ? (
                <Tag color="warning">{check.errors.length} 处问题</Tag>
              ) : null}
              {dirty && <Typography.Text type="secondary" style={{ fontSize: 12 }}>草稿已自动保存在本机</Typography.Text>}
            </span>
          </div>
        </Space>
      </Form>
      <ConflictModal
        open={!!conflict}
        original={edit?.record ?? {}}
        mine={values}
        current={conflict}
        onReload={reload}
        onClose={() => setConflict(null)}
      />
    </div>
  );
}
