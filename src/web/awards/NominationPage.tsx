// One nomination (先进个人申报表, 附件3): a unit fills it by keyboard (Enter moves to the next field,
// Ctrl+Enter saves the draft), attaches 事迹材料 and submits it within its quota by the deadline;
// once submitted it is read-only, with the city's decision when there is one. The city evaluates it
// here too. Every write sends the version read; a stale one (409) loads the current form.
import { ArrowLeftOutlined, AuditOutlined, PrinterOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Form, Grid, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { NOMINATION_STATUS_LABELS, type Nomination, type NominationList } from '../../shared/api-awards';
import { api, ApiError, errorMessage } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { useApiGet } from '../common/useApiGet';
import { useCampaignChoice } from '../common/useCampaignChoice';
import { daysUntil, formatTime } from '../common/format';
import { useOrgs } from '../common/useOrgs';
import { handleEnterKey, handleEnterKeyCapture } from '../registration/enterToNext';
import { AttachmentsCard } from './AttachmentsCard';
import { EvaluateModal } from './EvaluateModal';
import { EVALUATOR_ROLES, chineseDate, mayFillLevel, NOMINATION_STATUS_COLORS, quotaText } from './labels';
import { LinkedWorkCard } from './LinkedWorkCard';
import { bodyOf, NominationFields, unansweredConditions, valuesOf, type LinkableUser, type NominationValues } from './NominationFields';
import { useCampaignData } from '../campaigns/contact';
import { NominationReadOnly } from './NominationReadOnly';
import { useNominationActions } from './useNominationActions';
import './awards.css';

/** A nomination that does not exist or is another unit's (the server answers 404 for both). */
export function NotFoundResult() {
  return (
    <Result
      status="404"
      title="404"
      subTitle="推荐表不存在，或您无权查看该单位的推荐表。"
      data-testid="nomination-not-found"
      extra={
        <Link to="/awards">
          <Button type="primary">返回先进个人推荐</Button>
        </Link>
      }
    />
  );
}

const positiveInt = (v: string | null | undefined): number | null => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
};

/** /awards/nominations/new?campaignId=&orgUnitId= — opened without them (a bookmark), see NewNominationTarget. */
export function NominationNewPage() {
  const [params] = useSearchParams();
  const campaignId = positiveInt(params.get('campaignId'));
  const orgUnitId = positiveInt(params.get('orgUnitId'));
  if (campaignId === null || orgUnitId === null) return <NewNominationTarget />;
  return <NominationScreen key={`new-${campaignId}-${orgUnitId}`} campaignId={campaignId} orgUnitId={orgUnitId} initial={null} />;
}

/**
 * A new nomination without its campaign or unit in the URL: the current campaign and the one unit
 * the user fills for are taken (the URL is completed, so a refresh keeps them); with several units
 * the user picks one.
 */
function NewNominationTarget() {
  const user = useUser();
  const navigate = useNavigate();
  const { campaigns, campaignId } = useCampaignChoice('campaignId');
  const { index, loading: orgsLoading } = useOrgs();
  const { data: list, loading } = useApiGet<NominationList>(campaignId ? `/api/campaigns/${campaignId}/nominations` : null);
  const units = useMemo(() => (orgsLoading ? [] : (list?.quotas ?? []).filter((q) => mayFillLevel(user.role, index.byId.get(q.orgUnitId)?.level))), [list, index, orgsLoading, user.role]);
  const urlOf = useCallback((orgUnitId: number) => `/awards/nominations/new?campaignId=${campaignId}&orgUnitId=${orgUnitId}`, [campaignId]);
  const only = units.length === 1 ? units[0]!.orgUnitId : null;
  useEffect(() => {
    if (only !== null) navigate(urlOf(only), { replace: true });
  }, [only, urlOf, navigate]);
  const back = (
    <Link to="/awards">
      <Button type="primary">返回先进个人推荐</Button>
    </Link>
  );
  if (campaigns?.length === 0) return <Result status="info" title="尚无已开始的考核批次" subTitle="考核批次开始后才能填写先进个人推荐表。" extra={back} />;
  if (campaignId && !loading && !list) return <Result status="error" title="加载失败" subTitle="推荐情况未能读取，请稍后重试。" extra={back} />;
  if (list && !orgsLoading && units.length === 0) return <Result status="info" title="没有可填写推荐表的单位" subTitle="本考核批次中没有由您填写推荐表的单位（区级推荐表由区级管理员填写，市社保推荐表由市级管理员填写）。" extra={back} />;
  if (units.length > 1) {
    return (
      <Card title="新建先进个人推荐表：选择推荐单位">
        <Space direction="vertical">
          {units.map((u) => (
            <Link key={u.orgUnitId} to={urlOf(u.orgUnitId)}>
              {u.orgUnitName}（{quotaText(u)}）
            </Link>
          ))}
        </Space>
      </Card>
    );
  }
  return <Spin />;
}

/** /awards/nominations/:id */
export function NominationDetailPage() {
  const id = positiveInt(useParams().id);
  const [n, setN] = useState<Nomination | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    if (id === null) return;
    try {
      setN(await api.get<Nomination>(`/api/nominations/${id}`));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [id]);
  useEffect(() => {
    setN(null);
    setError(null);
    void load();
  }, [load]);
  if (id === null) return <NotFoundResult />;
  if (!n) {
    if (error === null) return <Spin />;
    if (error instanceof ApiError && error.status === 404) return <NotFoundResult />;
    return <Result status="error" title="加载失败" subTitle={errorMessage(error)} extra={<Button onClick={() => void load()}>重试</Button>} />;
  }
  return <NominationScreen key={n.id} campaignId={n.campaignId} orgUnitId={n.orgUnitId} initial={n} />;
}

type Busy = null | 'save' | 'submit';

function NominationScreen({ campaignId, orgUnitId, initial }: { campaignId: number; orgUnitId: number; initial: Nomination | null }) {
  const user = useUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const { index, loading: orgsLoading } = useOrgs();
  const [form] = Form.useForm<NominationValues>();
  const containerRef = useRef<HTMLDivElement>(null);
  const [n, setN] = useState<Nomination | null>(initial);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [evaluating, setEvaluating] = useState<Nomination | null>(null);
  const [listKey, setListKey] = useState(0);
  /** A new form saved on the way to a submission that was then refused. */
  const createdRef = useRef<Nomination | null>(null);
  const linkedUserId = Form.useWatch('linkedUserId', form);

  const { data: list } = useApiGet<NominationList>(`/api/campaigns/${campaignId}/nominations`, undefined, listKey);
  // The campaign's 申报条件 (a saved form carries its own, with the answers) and the contact (五（三）).
  const { campaign, contact } = useCampaignData(campaignId);
  const conditions = n ? n.conditions.map((c) => c.text) : (campaign?.awardConditions ?? null);
  const conditionCount = conditions?.length ?? 0;
  const quota = list?.quotas.find((q) => q.orgUnitId === orgUnitId);
  const published = !!list?.publishedAt;
  const pastDeadline = list ? daysUntil(list.deadline) < 0 : false;
  const unit = index.byId.get(orgUnitId);
  const fills = mayFillLevel(user.role, unit?.level);
  const editable = fills && !published && (n === null || n.status === 'draft');
  const evaluator = EVALUATOR_ROLES.includes(user.role);
  const unitName = n?.orgUnitName ?? quota?.orgUnitName ?? unit?.name ?? '';

  const { data: linkableData, loading: linkableLoading } = useApiGet<LinkableUser[]>(
    editable ? `/api/campaigns/${campaignId}/nominations/linkable-users` : null,
    { orgUnitId },
  );
  const linkable = useMemo(() => linkableData ?? [], [linkableData]);

  /** A new state of the form from the server; `resetFields` replaces what is typed. */
  const apply = useCallback(
    (next: Nomination, resetFields = true) => {
      if (initial === null) {
        // A new form became a saved one: continue on its own page.
        navigate(`/awards/nominations/${next.id}`, { replace: true });
        return;
      }
      setN(next);
      if (resetFields) {
        form.setFieldsValue(valuesOf(next));
        setDirty(false);
      }
      setListKey((k) => k + 1);
    },
    [form, initial, navigate],
  );
  const reload = useCallback(() => {
    if (!n) return;
    api.get<Nomination>(`/api/nominations/${n.id}`).then(
      (next) => apply(next),
      () => undefined,
    );
  }, [apply, n]);
  const actions = useNominationActions({ onChanged: apply, reload });

  // Leaving the page (closing the tab, reloading) with unsaved input asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const onValuesChange = () => setDirty(JSON.stringify(bodyOf(form.getFieldsValue(true) as NominationValues)) !== JSON.stringify(bodyOf(valuesOf(n, conditionCount))));

  /** Checks the form and points at the first problem; the values when fine. */
  const checked = async (): Promise<NominationValues | null> => {
    try {
      return await form.validateFields();
    } catch {
      void message.error('表单中有未填写或填写有误的项目，请改正标红的项目');
      const first = containerRef.current?.querySelector<HTMLElement>('.ant-form-item-has-error input, .ant-form-item-has-error textarea');
      first?.focus();
      return null;
    }
  };

  /** Saves the typed values (creates the form when new); the saved form, or null when refused. */
  const persist = async (values: NominationValues): Promise<Nomination> => {
    const body = bodyOf(values);
    if (!n) return api.post<Nomination>(`/api/campaigns/${campaignId}/nominations`, { orgUnitId, ...body });
    return api.put<Nomination>(`/api/nominations/${n.id}`, { ...body, version: n.version });
  };

  const save = async () => {
    if (busy || !editable) return;
    const values = await checked();
    if (!values) return;
    setBusy('save');
    try {
      const saved = await persist(values);
      void message.success(n ? '推荐表已保存' : '推荐表已保存为草稿');
      apply(saved);
    } catch (err) {
      actions.refused(err, '未能保存');
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    if (busy || !editable) return;
    const values = await checked();
    if (!values) return;
    // A draft may leave a condition open; a submission answers each one (the server checks it again).
    const open = unansweredConditions(values, conditionCount);
    if (open.length) {
      form.setFields(open.map((i) => ({ name: ['conditionAnswers', i], errors: ['请填写被推荐人符合本条申报条件的情况'] })));
      void message.error(`请逐条填写符合申报条件的情况后再提交（第 ${open.map((i) => i + 1).join('、')} 条未填写）`);
      containerRef.current?.querySelector<HTMLElement>(`[data-testid="field-condition-${open[0]}"]`)?.focus();
      return;
    }
    setBusy('submit');
    try {
      const done = await actions.submit(values.name.trim(), quota, async () => {
        // Nothing typed is lost: a changed (or new) form is saved first.
        if (n && !dirty) return n;
        const saved = await persist(values);
        if (n) {
          setN(saved);
          form.setFieldsValue(valuesOf(saved));
          setDirty(false);
        } else createdRef.current = saved;
        return saved;
      });
      // Saved as a draft but not submitted: continue on its own page (saving again would make a second one).
      if (!done && createdRef.current) navigate(`/awards/nominations/${createdRef.current.id}`, { replace: true });
    } finally {
      setBusy(null);
    }
  };

  if (orgsLoading && !unit) return <Spin />;
  if (initial === null && (!fills || (list && !quota))) {
    return (
      <Result
        status="403"
        title="不能填写推荐表"
        subTitle={list && !quota ? '该单位在本批次没有先进个人名额。' : '只有本单位可以填写推荐表：区人社部门由区级管理员填写，市社保由市级管理员填写。'}
        extra={
          <Link to="/awards">
            <Button type="primary">返回先进个人推荐</Button>
          </Link>
        }
      />
    );
  }

  const status = n?.status ?? 'draft';
  const pendingLinkChange = editable && !!n && (linkedUserId ?? null) !== n.linkedUserId;

  return (
    <div
      ref={containerRef}
      className="award-form-page"
      data-testid="nomination-page"
      onKeyDownCapture={(e) => editable && handleEnterKeyCapture(e, containerRef.current)}
      onKeyDown={(e) => editable && handleEnterKey(e, containerRef.current, () => void save())}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Card
              title={
                <Space wrap>
                  <Link to={`/awards?campaignId=${campaignId}`} aria-label="返回先进个人推荐">
                    <ArrowLeftOutlined />
                  </Link>
                  <span>{n ? `先进个人申报表：${n.name}` : '新增先进个人推荐'}</span>
                  <Tag color={NOMINATION_STATUS_COLORS[status]} data-testid="nomination-status">
                    {NOMINATION_STATUS_LABELS[status]}
                  </Tag>
                  {dirty && <Tag color="orange">有未保存的修改</Tag>}
                </Space>
              }
              extra={
                editable && screens.md ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    Enter 下一项 · Ctrl+Enter 保存
                  </Typography.Text>
                ) : null
              }
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                style={{ marginBottom: 12 }}
                items={[
                  { key: 'unit', label: '推荐单位', children: <span data-testid="nomination-unit">{unitName}</span> },
                  { key: 'quota', label: '名额', children: quota ? <span data-testid="nomination-quota">{quotaText(quota)}</span> : '—' },
                  { key: 'deadline', label: '推荐截止日期', children: list ? `${list.deadline}${pastDeadline ? '（已截止）' : ''}` : '—' },
                  { key: 'submitted', label: '提交时间', children: formatTime(n?.submittedAt) },
                  ...(contact ? [{ key: 'contact', label: '材料报送联系人', span: 'filled' as const, children: <span data-testid="submission-contact">{contact}</span> }] : []),
                ]}
              />
              {n && status !== 'draft' && (
                <Alert
                  type={status === 'approved' ? 'success' : status === 'rejected' ? 'warning' : 'info'}
                  showIcon
                  style={{ marginBottom: 12 }}
                  data-testid="locked-reason"
                  title={
                    status === 'submitted'
                      ? `推荐表已于 ${formatTime(n.submittedAt)} 提交，等待市社保经办机构评审；提交后不能再修改。`
                      : status === 'approved'
                        ? '市社保经办机构评审通过。'
                        : '市社保经办机构评审未通过。'
                  }
                />
              )}
              {n && status === 'draft' && !editable && (
                <Alert type="info" showIcon style={{ marginBottom: 12 }} title={published ? '表彰名单已发布，草稿不能再修改或提交。' : '草稿，推荐单位尚未提交。'} />
              )}
              {editable && pastDeadline && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`推荐截止日期（${list?.deadline}）已过，不能再提交。`} />}
              {editable ? (
                conditions === null ? (
                  <Spin />
                ) : (
                  <Form form={form} layout="vertical" component={false} initialValues={valuesOf(n, conditionCount)} onValuesChange={onValuesChange}>
                    <NominationFields linkable={linkable} linkableLoading={linkableLoading} conditions={conditions} />
                  </Form>
                )
              ) : (
                n && <NominationReadOnly nomination={n} />
              )}
            </Card>
            <div className="award-actions" style={{ position: 'sticky', bottom: 0, zIndex: 10, background: '#fff', padding: '12px 16px', borderTop: '1px solid #f0f0f0', boxShadow: '0 -2px 8px rgba(0,0,0,0.06)', display: 'flex', gap: 8, flexWrap: 'wrap' }}>
              {editable && (
                <Button type={dirty || !n ? 'primary' : 'default'} icon={<SaveOutlined />} loading={busy === 'save'} disabled={busy !== null && busy !== 'save'} onClick={() => void save()} data-enter-stop data-testid="save">
                  保存草稿
                </Button>
              )}
              {editable && !pastDeadline && (
                <Button type={dirty || !n ? 'default' : 'primary'} icon={<SendOutlined />} loading={busy === 'submit'} disabled={busy !== null && busy !== 'submit'} onClick={() => void submit()} data-testid="submit">
                  提交推荐
                </Button>
              )}
              {n && evaluator && status !== 'draft' && !published && (
                <Button type="primary" icon={<AuditOutlined />} onClick={() => setEvaluating(n)} data-testid="evaluate">
                  {status === 'submitted' ? '评审' : '修改评审'}
                </Button>
              )}
              {n && (
                <Button icon={<PrinterOutlined />} onClick={() => navigate(`/awards/nominations/${n.id}/print`)} disabled={dirty} title={dirty ? '请先保存，再打印' : undefined} data-testid="print">
                  打印申报表
                </Button>
              )}
              <Link to={`/awards?campaignId=${campaignId}`}>
                <Button>返回列表</Button>
              </Link>
            </div>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {n && status !== 'draft' && (
              <Card size="small" title="市社保经办机构评定意见" data-testid="city-opinion">
                {n.cityOpinion ? (
                  <>
                    <Tag color={NOMINATION_STATUS_COLORS[status]}>{NOMINATION_STATUS_LABELS[status]}</Tag>
                    <div className="award-deeds" style={{ marginTop: 8 }}>
                      {n.cityOpinion}
                    </div>
                    {n.cityOpinionDate && (
                      <div style={{ textAlign: 'right', marginTop: 4 }}>
                        <Typography.Text type="secondary">{chineseDate(n.cityOpinionDate)}</Typography.Text>
                      </div>
                    )}
                  </>
                ) : (
                  <Typography.Text type="secondary">尚未评审。</Typography.Text>
                )}
              </Card>
            )}
            <LinkedWorkCard work={n?.linkedWork ?? null} pendingChange={pendingLinkChange} />
            {/* An attachment changes the form's version but not what is typed. */}
            <AttachmentsCard nomination={n} editable={editable} onChanged={(next) => apply(next, false)} />
          </Space>
        </Col>
      </Row>
      <EvaluateModal nomination={evaluating} onOk={actions.evaluate} onClose={() => setEvaluating(null)} />
    </div>
  );
}
