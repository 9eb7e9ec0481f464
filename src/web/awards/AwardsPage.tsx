// 先进个人推荐 — a campaign's nominations of outstanding individuals (seed 五, 附件3): the quota of
// each unit the user sees, the forms visible to the user with what the user may do with each (the
// unit fills and submits its own, the city evaluates), and for the city admin the publication of
// the commendation list (表彰名单). A district's users see their own district only (the server filters).
import { DownOutlined, FileTextOutlined, NotificationOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Dropdown, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { NOMINATION_STATUS_LABELS, NOMINATION_STATUSES, type Nomination, type NominationList } from '../../shared/api-awards';
import { isCityRole } from '../../shared/roles';
import { api, errorMessage } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { daysUntil, formatTime } from '../common/format';
import { byText, byTime } from '../common/tableSort';
import { useOrgs } from '../common/useOrgs';
import { EvaluateModal } from './EvaluateModal';
import { EVALUATOR_ROLES, mayFillLevel, NOMINATION_STATUS_COLORS, type Quota } from './labels';
import { QuotaCards } from './QuotaCards';
import { CampaignSelect } from '../common/CampaignSelect';
import { useCampaignChoice } from '../common/useCampaignChoice';
import { useNominationActions } from './useNominationActions';
import './awards.css';

export function AwardsPage() {
  const user = useUser();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const { index } = useOrgs();
  const { campaigns, campaignId, choose } = useCampaignChoice('campaignId');
  const [list, setList] = useState<NominationList | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [evaluating, setEvaluating] = useState<Nomination | null>(null);
  const [publishing, setPublishing] = useState(false);

  const load = useCallback(async (id: number) => {
    setLoading(true);
    try {
      setList(await api.get<NominationList>(`/api/campaigns/${id}/nominations`));
      setError(null);
    } catch (err) {
      setList(null);
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    if (campaignId !== undefined) void load(campaignId);
  }, [campaignId, load]);

  // Any change moves the quotas too: read the list again.
  const reload = useCallback(() => {
    if (campaignId !== undefined) void load(campaignId);
  }, [campaignId, load]);
  const actions = useNominationActions({ onChanged: reload, reload });

  const evaluator = EVALUATOR_ROLES.includes(user.role);
  const city = isCityRole(user.role);
  const published = !!list?.publishedAt;
  const pastDeadline = list ? daysUntil(list.deadline) < 0 : false;
  /** Units whose forms this user fills (the server checks again). */
  const fillable = useMemo(() => (list?.quotas ?? []).filter((q) => mayFillLevel(user.role, index.byId.get(q.orgUnitId)?.level)), [list, user.role, index]);
  const fills = (n: Nomination) => fillable.some((q) => q.orgUnitId === n.orgUnitId);
  const quotaOf = (n: Nomination): Quota | undefined => list?.quotas.find((q) => q.orgUnitId === n.orgUnitId);
  const pending = (list?.items ?? []).filter((n) => n.status === 'submitted').length;
  const approved = (list?.items ?? []).filter((n) => n.status === 'approved').length;

  const newUrl = (orgUnitId: number) => `/awards/nominations/new?campaignId=${campaignId}&orgUnitId=${orgUnitId}`;
  const closedReason = published ? '表彰名单已发布，不能再推荐' : pastDeadline ? `推荐截止日期（${list?.deadline}）已过` : null;

  const publish = () => {
    if (campaignId === undefined || !list) return;
    modal.confirm({
      title: '发布表彰名单？',
      content: (
        <div data-testid="publish-confirm">
          <p>将评审通过的 {approved} 人列入表彰名单并发布。发布后各区可查看表彰名单，推荐和评审结果不能再修改。</p>
        </div>
      ),
      okText: '确认发布',
      cancelText: '取消',
      onOk: async () => {
        setPublishing(true);
        try {
          setList(await api.post<NominationList>(`/api/campaigns/${campaignId}/nominations/publish`));
          void message.success('表彰名单已发布');
        } catch (err) {
          actions.refused(err, '未能发布');
        } finally {
          setPublishing(false);
        }
      },
    });
  };

  const columns: ColumnsType<Nomination> = [
    {
      title: '推荐单位',
      dataIndex: 'orgUnitName',
      width: 120,
      sorter: byText((r) => r.orgUnitName),
      filters: (list?.quotas ?? []).map((q) => ({ text: q.orgUnitName, value: q.orgUnitId })),
      onFilter: (v, r) => r.orgUnitId === v,
    },
    {
      title: '姓名',
      dataIndex: 'name',
      width: 100,
      sorter: byText((r) => r.name),
      render: (name: string, r) => (
        <Link to={`/awards/nominations/${r.id}`} data-testid={`open-${r.id}`}>
          {name}
        </Link>
      ),
    },
    { title: '工作单位', dataIndex: 'workUnit', ellipsis: true, sorter: byText((r) => r.workUnit) },
    { title: '职务', dataIndex: 'position', width: 120, ellipsis: true, sorter: byText((r) => r.position) },
    {
      title: '状态',
      dataIndex: 'status',
      width: 140,
      sorter: (a, b) => NOMINATION_STATUSES.indexOf(a.status) - NOMINATION_STATUSES.indexOf(b.status),
      filters: NOMINATION_STATUSES.map((s) => ({ text: NOMINATION_STATUS_LABELS[s], value: s })),
      onFilter: (v, r) => r.status === v,
      render: (s: Nomination['status']) => (
        <Tag color={NOMINATION_STATUS_COLORS[s]} data-testid="nomination-status">
          {NOMINATION_STATUS_LABELS[s]}
        </Tag>
      ),
    },
    { title: '提交时间', dataIndex: 'submittedAt', width: 150, render: (v: string | null) => formatTime(v), sorter: byTime((r) => r.submittedAt) },
    {
      title: '市级评定',
      key: 'city',
      ellipsis: true,
      render: (_, r) =>
        r.cityOpinion ? (
          <Tooltip title={<span className="award-opinion-cell">{r.cityOpinion}</span>}>
            <span>
              {r.cityOpinionDate && <Typography.Text type="secondary">{r.cityOpinionDate} </Typography.Text>}
              {r.cityOpinion}
            </span>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    {
      title: '操作',
      key: 'action',
      width: 200,
      render: (_, r) => (
        <Space size={4} wrap>
          {r.status === 'draft' && fills(r) && !published ? (
            <>
              <Link to={`/awards/nominations/${r.id}`}>修改</Link>
              {!pastDeadline && (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => void actions.submit(r.name, quotaOf(r), async () => r)} data-testid={`submit-${r.id}`}>
                  提交
                </Button>
              )}
            </>
          ) : (
            <Link to={`/awards/nominations/${r.id}`}>查看</Link>
          )}
          {evaluator && r.status !== 'draft' && !published && (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setEvaluating(r)} data-testid={`evaluate-${r.id}`}>
              {r.status === 'submitted' ? '评审' : '修改评审'}
            </Button>
          )}
          <Link to={`/awards/nominations/${r.id}/print`} aria-label={`打印 ${r.name} 的申报表`}>
            打印
          </Link>
        </Space>
      ),
    },
  ];

  const addButton =
    fillable.length === 0 ? null : closedReason ? (
      <Tooltip title={closedReason}>
        <Button type="primary" icon={<PlusOutlined />} disabled>
          新增推荐
        </Button>
      </Tooltip>
    ) : fillable.length === 1 ? (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(newUrl(fillable[0]!.orgUnitId))} data-testid="new-nomination">
        新增推荐
      </Button>
    ) : (
      <Dropdown menu={{ items: fillable.map((q) => ({ key: String(q.orgUnitId), label: `${q.orgUnitName}（剩余 ${Math.max(0, q.quota - q.used)} 名）` })), onClick: ({ key }) => navigate(newUrl(Number(key))) }}>
        <Button type="primary" icon={<PlusOutlined />} data-testid="new-nomination">
          新增推荐 <DownOutlined />
        </Button>
      </Dropdown>
    );

  return (
    <Card
      title="先进个人推荐"
      extra={
        <Space wrap>
          <CampaignSelect campaigns={campaigns} campaignId={campaignId} onChange={choose} testId="award-campaign" width={300} />
          {addButton}
          {list && (city || published) && (
            <Link to={`/awards/commendation-list?campaignId=${campaignId}`} data-testid="commendation-link">
              <Button icon={<FileTextOutlined />}>表彰名单</Button>
            </Link>
          )}
          {list && user.role === 'city_admin' && !published && (
            <Tooltip title={pending > 0 ? `还有 ${pending} 份推荐表未评审，评审完毕后才能发布` : undefined}>
              <Button icon={<NotificationOutlined />} onClick={publish} loading={publishing} disabled={pending > 0} data-testid="publish">
                发布表彰名单
              </Button>
            </Tooltip>
          )}
        </Space>
      }
    >
      {campaigns !== null && campaigns.length === 0 && <Alert type="info" showIcon title="还没有已启用的考核批次。" />}
      {error && <Alert type="error" showIcon title="加载失败" description={error} style={{ marginBottom: 12 }} />}
      {list && (
        <>
          <Descriptions
            size="small"
            style={{ marginBottom: 12 }}
            column={{ xs: 1, md: 3 }}
            items={[
              {
                key: 'deadline',
                label: '推荐截止日期',
                children: (
                  <span data-testid="nomination-deadline">
                    {list.deadline}
                    {pastDeadline ? <Tag color="default" style={{ marginLeft: 8 }}>已截止</Tag> : <Typography.Text type="secondary">（还有 {daysUntil(list.deadline)} 天）</Typography.Text>}
                  </span>
                ),
              },
              {
                key: 'published',
                label: '表彰名单',
                children: (
                  <span data-testid="published-state">
                    {published ? <Tag color="success">已发布 {formatTime(list.publishedAt)}</Tag> : <Tag>未发布</Tag>}
                  </span>
                ),
              },
              {
                key: 'count',
                label: evaluator ? '待评审 / 已通过' : '推荐表',
                children: evaluator ? `${pending} 份 / ${approved} 人` : `${list.items.length} 份`,
              },
            ]}
          />
          <QuotaCards quotas={list.quotas} />
          {fillable.length > 0 && !closedReason && (
            <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
              推荐表先保存为草稿，提交后报送市社保经办机构评审；提交的推荐表占用本单位名额，草稿不占用。请在截止日期前提交。
            </Typography.Paragraph>
          )}
        </>
      )}
      <div data-testid="nominations-table">
        <Table<Nomination>
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={list?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: fillable.length > 0 ? '还没有推荐表，点击“新增推荐”填写' : '没有可查看的推荐表' }}
        />
      </div>
      <EvaluateModal nomination={evaluating} onOk={actions.evaluate} onClose={() => setEvaluating(null)} />
    </Card>
  );
}
