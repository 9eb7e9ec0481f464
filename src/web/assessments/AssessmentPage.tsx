// One district's assessment in a campaign (考核表, 附件2): the district fills its self-assessment
// (scores, notes, evidence per item) and submits it by the deadline; the city reviews it (assessed
// scores and comments), returns it with a reason or finalises it; a city admin reopens a final one or
// the submission window after the deadline. The server says what the caller may do (`can`); every
// write sends the version read, and a stale one (409) offers the current version.
import { ArrowLeftOutlined, FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Result, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { z } from 'zod';
import { ASSESSMENT_STATUS_LABELS, type Assessment, type EvidenceFile, type spotCheckList } from '../../shared/api-assessment';
import { formatScore } from '../../domain/score';
import { api, ApiError, errorMessage } from '../api/client';
import { formatTime } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { useCampaignData } from '../campaigns/contact';
import { AssessmentConflictModal, ReasonModal, WindowModal } from './AssessmentDialogs';
import { AssessmentPrint } from './AssessmentPrint';
import { SpotCheckPanel } from './SpotCheckPanel';
import { SystemEvidenceCard } from './SystemEvidenceCard';
import { AssessmentSheet, sumText, type Draft, type DraftEntry, type Effective, type ScoreKind } from './AssessmentSheet';
import { EvidencePreview } from './EvidenceCell';
import { ASSESSMENT_ACTION_COLORS, ASSESSMENT_ACTION_LABELS, ASSESSMENT_STATUS_COLORS, parseScoreText, type ParsedScore } from './labels';
import './assessment.css';

type Item = Assessment['categories'][number]['items'][number];
type SpotCheckList = z.infer<typeof spotCheckList>;

const itemsOf = (a: Assessment): Item[] => a.categories.flatMap((c) => c.items);

function toDraft(a: Assessment, kind: ScoreKind): Draft {
  const d: Draft = {};
  for (const i of itemsOf(a)) {
    const score = kind === 'self' ? i.selfScore : i.assessedScore;
    d[i.criterionId] = { score: score === null ? '' : formatScore(score), note: kind === 'self' ? i.selfNote : i.assessedComment };
  }
  return d;
}

function parseDraft(a: Assessment, d: Draft): Record<number, ParsedScore> {
  const out: Record<number, ParsedScore> = {};
  for (const i of itemsOf(a)) out[i.criterionId] = parseScoreText(d[i.criterionId]?.score ?? '', i.maxScore);
  return out;
}

/** The values in force: what is typed while the part is editable, else what is saved. */
function effectiveValues(a: Assessment, kind: ScoreKind, editing: boolean, d: Draft, parsed: Record<number, ParsedScore>): Record<number, Effective> {
  const out: Record<number, Effective> = {};
  for (const i of itemsOf(a)) {
    out[i.criterionId] = editing
      ? { score: parsed[i.criterionId]?.value ?? null, note: d[i.criterionId]?.note ?? '' }
      : kind === 'self'
        ? { score: i.selfScore, note: i.selfNote }
        : { score: i.assessedScore, note: i.assessedComment };
  }
  return out;
}

/** Typed values that differ from the saved ones (or cannot be saved). */
function isDirty(a: Assessment, kind: ScoreKind, d: Draft, parsed: Record<number, ParsedScore>): boolean {
  return itemsOf(a).some((i) => {
    const p = parsed[i.criterionId];
    const note = (d[i.criterionId]?.note ?? '').trim();
    if (p?.error) return true;
    return kind === 'self' ? p?.value !== i.selfScore || note !== i.selfNote : p?.value !== i.assessedScore || note !== i.assessedComment;
  });
}

function focusScoreOf(kind: ScoreKind, criterionId: number): void {
  const el = document.querySelector<HTMLInputElement>(`[data-testid="${kind}-score-${criterionId}"]`);
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}

function NotFoundResult() {
  return (
    <Result
      status="404"
      title="404"
      subTitle="考核表不存在，或您无权查看该单位的考核表。"
      data-testid="assessment-not-found"
      extra={
        <Link to="/assessments">
          <Button type="primary">返回考核评估</Button>
        </Link>
      }
    />
  );
}

export function AssessmentPage() {
  const params = useParams();
  const campaignId = Number(params.campaignId);
  const orgUnitId = Number(params.orgUnitId);
  if (!Number.isInteger(campaignId) || campaignId <= 0 || !Number.isInteger(orgUnitId) || orgUnitId <= 0) return <NotFoundResult />;
  return <AssessmentView key={`${campaignId}/${orgUnitId}`} campaignId={campaignId} orgUnitId={orgUnitId} />;
}

type Busy = null | 'saveSelf' | 'submit' | 'saveReview' | 'return' | 'finalize' | 'reopen' | 'window';

function AssessmentView({ campaignId, orgUnitId }: { campaignId: number; orgUnitId: number }) {
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const base = `/api/campaigns/${campaignId}/assessments/${orgUnitId}`;
  // Who receives the papers (seed 五（三）): the district sends its scorecard and evidence to them.
  const { contact } = useCampaignData(campaignId);

  const [a, setA] = useState<Assessment | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [selfDraft, setSelfDraft] = useState<Draft>({});
  const [reviewDraft, setReviewDraft] = useState<Draft>({});
  const [busy, setBusy] = useState<Busy>(null);
  const [conflict, setConflict] = useState<{ current: Assessment; which: ScoreKind } | null>(null);
  const [dialog, setDialog] = useState<null | 'return' | 'reopen' | 'window'>(null);
  const [preview, setPreview] = useState<EvidenceFile | null>(null);

  const apply = useCallback((next: Assessment) => {
    setA(next);
    setSelfDraft(toDraft(next, 'self'));
    setReviewDraft(toDraft(next, 'assessed'));
  }, []);

  // Once the city has drawn a spot check, the accuracy item's assessed score follows from it.
  const [spotChecks, setSpotChecks] = useState<SpotCheckList | null>(null);

  const load = useCallback(async () => {
    try {
      apply(await api.get<Assessment>(base));
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
      return;
    }
    try {
      setSpotChecks(await api.get<SpotCheckList>(`${base}/spot-checks`));
    } catch {
      setSpotChecks(null); // only a hint for the page: the server enforces the rule anyway
    }
  }, [apply, base]);

  useEffect(() => {
    void load();
  }, [load]);

  // A spot-check mark changes the accuracy item only: take its new score, keep what is being typed elsewhere.
  const refreshAfterSpotCheck = useCallback(async () => {
    try {
      const next = await api.get<Assessment>(base);
      setA(next);
      const fresh = toDraft(next, 'assessed');
      const accuracy = itemsOf(next).filter((i) => i.kind === 'accuracy').map((i) => i.criterionId);
      setReviewDraft((d) => {
        const out = { ...d };
        for (const id of accuracy) if (fresh[id]) out[id] = fresh[id];
        return out;
      });
      setSpotChecks(await api.get<SpotCheckList>(`${base}/spot-checks`));
    } catch {
      // the panel reports its own errors; the page keeps what it shows
    }
  }, [base]);

  const selfParsed = useMemo(() => (a ? parseDraft(a, selfDraft) : {}), [a, selfDraft]);
  const reviewParsed = useMemo(() => (a ? parseDraft(a, reviewDraft) : {}), [a, reviewDraft]);
  const editSelf = !!a?.can.editSelf;
  const review = !!a?.can.review;
  const selfValues = useMemo(() => (a ? effectiveValues(a, 'self', editSelf, selfDraft, selfParsed) : {}), [a, editSelf, selfDraft, selfParsed]);
  const assessedValues = useMemo(() => (a ? effectiveValues(a, 'assessed', review, reviewDraft, reviewParsed) : {}), [a, review, reviewDraft, reviewParsed]);
  const selfDirty = !!a && editSelf && isDirty(a, 'self', selfDraft, selfParsed);
  const reviewDirty = !!a && review && isDirty(a, 'assessed', reviewDraft, reviewParsed);
  const dirty = selfDirty || reviewDirty;

  // Leaving the page (closing the tab, reloading) with unsaved scores asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  /** Runs a write; the answer replaces the page's data. A stale version opens the conflict dialog. */
  const run = async (what: Busy, which: ScoreKind, done: string, fn: (cur: Assessment) => Promise<Assessment>): Promise<boolean> => {
    if (!a) return false;
    setBusy(what);
    try {
      apply(await fn(a));
      void message.success(done);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        const current = (err.details as { current?: Assessment } | undefined)?.current;
        if (current) setConflict({ current, which });
        else modal.warning({ title: '考核表已被他人修改', content: err.message, okText: '载入最新版本', onOk: () => load() });
      } else notifyError(err);
      return false;
    } finally {
      setBusy(null);
    }
  };

  /** Refuses (and points at the first problem) when a typed score is invalid or, if `complete`, missing. */
  const checkScores = (kind: ScoreKind, parsed: Record<number, ParsedScore>, draft: Draft, complete: boolean): boolean => {
    if (!a) return false;
    const name = kind === 'self' ? '自评分' : '考核分';
    const bad = itemsOf(a).filter((i) => parsed[i.criterionId]?.error);
    if (bad.length > 0) {
      void message.error(`有 ${bad.length} 项${name}填写有误，请改正标红的分数`);
      focusScoreOf(kind, bad[0]!.criterionId);
      return false;
    }
    if (complete) {
      const missing = itemsOf(a).filter((i) => (draft[i.criterionId]?.score ?? '').trim() === '');
      if (missing.length > 0) {
        void message.error(`还有 ${missing.length} 项未填写${name}`);
        focusScoreOf(kind, missing[0]!.criterionId);
        return false;
      }
    }
    return true;
  };

  const selfBody = (cur: Assessment) => ({
    items: itemsOf(cur).map((i) => ({ criterionId: i.criterionId, selfScore: selfParsed[i.criterionId]?.value ?? null, selfNote: (selfDraft[i.criterionId]?.note ?? '').trim() })),
    version: cur.version,
  });
  const reviewBody = (cur: Assessment) => ({
    items: itemsOf(cur).map((i) => ({
      criterionId: i.criterionId,
      assessedScore: reviewParsed[i.criterionId]?.value ?? null,
      assessedComment: (reviewDraft[i.criterionId]?.note ?? '').trim(),
    })),
    version: cur.version,
  });
  /** Saves the typed review first (when changed), so that nothing typed is lost by a transition. */
  const savedReview = async (cur: Assessment): Promise<Assessment> => {
    if (!reviewDirty) return cur;
    const saved = await api.put<Assessment>(`${base}/review`, reviewBody(cur));
    apply(saved);
    return saved;
  };

  const saveSelf = () => {
    if (busy || !checkScores('self', selfParsed, selfDraft, false)) return;
    void run('saveSelf', 'self', '自评草稿已保存', (cur) => api.put<Assessment>(`${base}/self`, selfBody(cur)));
  };

  const submitSelf = () => {
    if (busy || !checkScores('self', selfParsed, selfDraft, true)) return;
    modal.confirm({
      title: '提交自评？',
      content: '提交后本区不能再修改自评分、自评说明和佐证材料，由市社保经办机构进行考核评估（退回后才能再修改）。',
      okText: '确认提交',
      cancelText: '取消',
      onOk: () =>
        run('submit', 'self', '自评已提交', async (cur) => {
          const saved = await api.put<Assessment>(`${base}/self`, selfBody(cur));
          apply(saved);
          return api.post<Assessment>(`${base}/submit`, { version: saved.version });
        }),
    });
  };

  const saveReview = () => {
    if (busy || !checkScores('assessed', reviewParsed, reviewDraft, false)) return;
    void run('saveReview', 'assessed', '考核评分已保存', (cur) => api.put<Assessment>(`${base}/review`, reviewBody(cur)));
  };

  const returnToDistrict = (reason: string) => {
    if (!checkScores('assessed', reviewParsed, reviewDraft, false)) return Promise.resolve(false);
    return run('return', 'assessed', '已退回区里修改', async (cur) => {
      const v = await savedReview(cur);
      return api.post<Assessment>(`${base}/return`, { version: v.version, reason });
    });
  };

  const finalize = () => {
    if (busy || !checkScores('assessed', reviewParsed, reviewDraft, true)) return;
    const total = Object.values(assessedValues).reduce((s, v) => s + (v.score ?? 0), 0);
    modal.confirm({
      title: '完成考核？',
      content: `考核总分 ${formatScore(total)} 分。完成后考核分和考核意见将锁定，如需修改须由市级管理员重新开放（记录在案）。`,
      okText: '完成考核',
      cancelText: '取消',
      onOk: () =>
        run('finalize', 'assessed', '考核已完成', async (cur) => {
          const v = await savedReview(cur);
          return api.post<Assessment>(`${base}/finalize`, { version: v.version });
        }),
    });
  };

  const reopen = (reason: string) => run('reopen', 'assessed', '已重新开放考核', (cur) => api.post<Assessment>(`${base}/reopen`, { version: cur.version, reason }));
  const openWindow = (until: string, reason: string) =>
    run('window', 'self', `已开放补报至 ${until}`, (cur) => api.post<Assessment>(`${base}/window`, { until, reason, version: cur.version }));

  const onSelf = useCallback((id: number, patch: Partial<DraftEntry>) => setSelfDraft((d) => ({ ...d, [id]: { score: '', note: '', ...d[id], ...patch } })), []);
  const onReview = useCallback((id: number, patch: Partial<DraftEntry>) => setReviewDraft((d) => ({ ...d, [id]: { score: '', note: '', ...d[id], ...patch } })), []);

  // Evidence does not change the assessment's version: the list is updated in place.
  const onEvidenceAdded = useCallback((f: EvidenceFile) => {
    setA((cur) =>
      cur && {
        ...cur,
        categories: cur.categories.map((c) => ({ ...c, items: c.items.map((i) => (i.criterionId === f.criterionId ? { ...i, evidence: [...i.evidence, f] } : i)) })),
      },
    );
  }, []);
  const onEvidenceRemoved = useCallback((id: number) => {
    setA((cur) => cur && { ...cur, categories: cur.categories.map((c) => ({ ...c, items: c.items.map((i) => ({ ...i, evidence: i.evidence.filter((e) => e.id !== id) })) })) });
  }, []);

  if (!a) {
    if (loadError === null) return <Spin />;
    if (loadError instanceof ApiError && loadError.status === 404) return <NotFoundResult />;
    return <Result status="error" title="加载失败" subTitle={errorMessage(loadError)} extra={<Button onClick={() => void load()}>重试</Button>} />;
  }

  // Ctrl/⌘+Enter saves what this user edits.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    if (editSelf) saveSelf();
    else if (review) saveReview();
  };

  const selfTotal = Object.values(selfValues).reduce((s, v) => s + (v.score ?? 0), 0);
  const showAssessed = a.status !== 'draft';

  return (
    <div className="assessment-page">
      <div className="assessment-screen" onKeyDown={onKeyDown}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {a.status === 'returned' && (
            <Alert
              type="error"
              showIcon
              data-testid="return-reason"
              title="市社保经办机构已退回本考核表，请按以下意见修改后重新提交"
              description={<Typography.Text strong>退回原因：{a.returnReason ?? '（未注明）'}</Typography.Text>}
            />
          )}
          <Card
            title={
              <Space wrap>
                <Link to={`/assessments?campaign=${a.campaignId}`} aria-label="返回考核评估">
                  <ArrowLeftOutlined />
                </Link>
                <span>{a.orgUnitName} · 考核表</span>
                <Tag color={ASSESSMENT_STATUS_COLORS[a.status]} data-testid="assessment-status">
                  {ASSESSMENT_STATUS_LABELS[a.status]}
                </Tag>
                {dirty && <Tag color="orange">有未保存的修改</Tag>}
              </Space>
            }
            extra={
              <Space wrap>
                <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print">
                  打印考核表
                </Button>
                <Button icon={<FileExcelOutlined />} href={`${base}/scorecard.xlsx`} download data-testid="scorecard-xlsx">
                  导出 Excel
                </Button>
                {editSelf && (
                  <Button onClick={saveSelf} loading={busy === 'saveSelf'} disabled={busy !== null && busy !== 'saveSelf'} data-testid="save-self">
                    保存草稿
                  </Button>
                )}
                {a.can.submit && (
                  <Button type="primary" onClick={submitSelf} loading={busy === 'submit'} disabled={busy !== null && busy !== 'submit'} data-testid="submit-self">
                    提交自评
                  </Button>
                )}
                {review && (
                  <Button onClick={saveReview} loading={busy === 'saveReview'} disabled={busy !== null && busy !== 'saveReview'} data-testid="save-review">
                    保存评分
                  </Button>
                )}
                {a.can.returnToDistrict && (
                  <Button danger onClick={() => setDialog('return')} disabled={busy !== null} data-testid="return">
                    退回修改
                  </Button>
                )}
                {a.can.finalize && (
                  <Button type="primary" onClick={finalize} loading={busy === 'finalize'} disabled={busy !== null && busy !== 'finalize'} data-testid="finalize">
                    完成考核
                  </Button>
                )}
                {a.can.reopen && (
                  <Button onClick={() => setDialog('reopen')} disabled={busy !== null} data-testid="reopen">
                    重新开放
                  </Button>
                )}
                {a.can.reopenWindow && (
                  <Button onClick={() => setDialog('window')} disabled={busy !== null} data-testid="reopen-window">
                    开放补报
                  </Button>
                )}
              </Space>
            }
          >
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2, xl: 4 }}
              items={[
                { key: 'campaign', label: '考核批次', children: a.campaignName },
                { key: 'deadline', label: '自查自评截止', children: a.windowUntil ? `${a.deadline}（补报至 ${a.windowUntil}）` : a.deadline },
                { key: 'self', label: '自评总分', children: <strong data-testid="self-total-head">{formatScore(selfTotal)}</strong> },
                { key: 'assessed', label: '考核总分', children: showAssessed || review ? <strong data-testid="assessed-total-head">{sumText(itemsOf(a), assessedValues)}</strong> : '—' },
                { key: 'submitted', label: '提交时间', children: formatTime(a.submittedAt) },
                { key: 'finalized', label: '完成时间', children: formatTime(a.finalizedAt) },
                ...(contact ? [{ key: 'contact', label: '材料报送联系人', children: <span data-testid="submission-contact">{contact}</span> }] : []),
                ...(a.feeTier
                  ? [{ key: 'tier', label: '考核费用', children: <span data-testid="fee-tier">{`${a.feeTier.label}：按计发基数的 ${a.feeTier.percent}% 发放`}</span> }]
                  : []),
              ]}
            />
            {!editSelf && a.lockedReason && (
              <Alert type={a.status === 'final' ? 'success' : 'info'} showIcon title={a.lockedReason} data-testid="locked-reason" style={{ marginTop: 8 }} />
            )}
            {editSelf && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                每项得分在 0 至标准分之间，以 0.5 分为单位（可输入 4.5 或全角 ４．５）；按 Enter 跳到下一项，Ctrl+Enter 保存草稿。合计由系统计算。请在截止日期前提交自评。
              </Typography.Paragraph>
            )}
            {review && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                请对照自评分和佐证材料逐项填写考核分和考核意见；按 Enter 跳到下一项，Ctrl+Enter 保存评分。
              </Typography.Paragraph>
            )}
          </Card>
          <Card styles={{ body: { padding: 12 } }}>
            <AssessmentSheet
              assessment={a}
              editSelf={editSelf}
              review={review}
              selfDraft={selfDraft}
              reviewDraft={reviewDraft}
              selfParsed={selfParsed}
              reviewParsed={reviewParsed}
              selfValues={selfValues}
              assessedValues={assessedValues}
              onSelf={onSelf}
              onReview={onReview}
              uploadUrl={`${base}/evidence`}
              onEvidenceAdded={onEvidenceAdded}
              onEvidenceRemoved={onEvidenceRemoved}
              onPreview={setPreview}
              spotCheckErrors={spotChecks && spotChecks.items.length > 0 ? spotChecks.errors : null}
            />
          </Card>
          {a.status !== 'draft' && <SpotCheckPanel campaignId={a.campaignId} orgUnitId={a.orgUnitId} canDraw={review} onChanged={() => void refreshAfterSpotCheck()} />}
          <SystemEvidenceCard campaignId={a.campaignId} orgUnitId={a.orgUnitId} />
          <Card title="流程记录" size="small" data-testid="assessment-events">
            {a.events.length === 0 ? (
              <Typography.Text type="secondary">暂无流程记录（提交、退回、完成考核等操作将记录在此）。</Typography.Text>
            ) : (
              <Timeline
                items={a.events.map((e, n) => ({
                  key: n,
                  color: ASSESSMENT_ACTION_COLORS[e.action],
                  content: (
                    <div>
                      <Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text> {e.userName} <Typography.Text strong>{ASSESSMENT_ACTION_LABELS[e.action]}</Typography.Text>
                      {e.reason && <div className="event-reason">原因：{e.reason}</div>}
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Space>
      </div>
      <AssessmentPrint assessment={a} selfValues={selfValues} assessedValues={assessedValues} />
      <EvidencePreview file={preview} onClose={() => setPreview(null)} />
      <ReasonModal
        open={dialog === 'return'}
        title={`退回${a.orgUnitName}修改`}
        label="退回原因（区里将看到）"
        okText="退回"
        danger
        onOk={returnToDistrict}
        onClose={() => setDialog(null)}
      />
      <ReasonModal
        open={dialog === 'reopen'}
        title="重新开放已完成的考核"
        label="重新开放的原因（记入流程记录）"
        okText="重新开放"
        onOk={reopen}
        onClose={() => setDialog(null)}
      />
      <WindowModal open={dialog === 'window'} deadline={a.deadline} onOk={openWindow} onClose={() => setDialog(null)} />
      <AssessmentConflictModal
        current={conflict?.current ?? null}
        which={conflict?.which ?? 'self'}
        mine={conflict?.which === 'assessed' ? assessedValues : selfValues}
        onClose={() => setConflict(null)}
        onReload={() => {
          if (conflict) apply(conflict.current);
          setConflict(null);
        }}
      />
    </div>
  );
}
