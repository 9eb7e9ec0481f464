import { FileExcelOutlined } from '@ant-design/icons';
// 工作量统计 (issue 7 item 4): for the unit in the URL (default: the user's own), every user who
// entered its records — entered, valid, valid rate, first and last day, entries after the campaign's
// data cutoff, spot-check errors, and (expanded) their entries per day — the surveyors named on the
// forms, and the entry timeline of everyone against the cutoff: the evidence for
// "在规定时间内完成全民参保登记数据录入工作". The server answers within the user's subtree only.
import { Alert, Button, Card, Col, Empty, Result, Row, Space, Spin, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { WorkStatistics } from '../../shared/api-statistics';
import { ApiError, errorMessage } from '../api/client';
import { EChart } from '../common/EChart';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import type { OrgSelectNode } from '../common/orgTree';
import { useOrgs } from '../common/useOrgs';
import { byNumber, byText, byTime, textFilter } from '../common/tableSort';
import { formatCount, formatPermille, formatShare } from './labels';
import { StatisticsNav, StatNotFound, unitParam } from './StatisticsNav';
import { useStatGet } from './useStatGet';
import { AFTER_COLOR, BEFORE_COLOR, CUTOFF_COLOR, timelineOption, userDaysOption } from './workCharts';
import './statistics.css';

type WorkUser = WorkStatistics['users'][number];
type WorkSurveyor = WorkStatistics['surveyors'][number];

const STAT_LEVELS = new Set(['city', 'district', 'street', 'community']);
const num = (v: number) => formatCount(v);

export function WorkStatisticsPage() {
  const [params, setParams] = useSearchParams();
  const { index } = useOrgs();
  const [tick, setTick] = useState(0);
  const unitArg = unitParam(params);
  const bad = unitArg === 'bad';
  const orgUnitId = bad ? undefined : unitArg;
  const work = useStatGet<WorkStatistics>(bad ? null : '/api/statistics/work', { orgUnitId }, tick);
  const selectable = useMemo(() => (n: OrgSelectNode) => STAT_LEVELS.has(index.byId.get(n.value)?.level ?? ''), [index]);

  if (bad || (work.error instanceof ApiError && work.error.status === 404)) {
    return (
      <div className="statistics-page">
        <StatisticsNav keepUnit={false} />
        <StatNotFound back="/statistics/work" />
      </div>
    );
  }

  const w = work.data;
  const setUnit = (id: number | undefined) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id === undefined) next.delete('orgUnitId');
      else next.set('orgUnitId', String(id));
      return next;
    });

  return (
    <div className="statistics-page" data-testid="work-page">
      <StatisticsNav />
      {work.error ? (
        <Result status="error" title="加载失败" subTitle={errorMessage(work.error)} extra={<Button onClick={() => setTick((t) => t + 1)}>重试</Button>} />
      ) : !w ? (
        <Spin />
      ) : (
        <>
          <Card
            title={<span data-testid="work-title">工作量统计 · {w.unit.orgUnitName}</span>}
            extra={
              <Space>
                <span>单位</span>
                <OrgTreeSelect id="work-unit" aria-label="单位" value={w.unit.orgUnitId} onChange={(id) => id !== undefined && setUnit(id)} selectable={selectable} style={{ width: 240 }} />
                <Button icon={<FileExcelOutlined />} href={`/api/statistics/work.xlsx?orgUnitId=${w.unit.orgUnitId}`} download data-testid="work-export">
                  导出 Excel
                </Button>
              </Space>
            }
          >
            <WorkSummary w={w} />
          </Card>
          <Card title="录入时间线（每日录入条数，按录入人员）" size="small" data-testid="work-timeline-card" extra={<CutoffHint cutoff={w.dataCutoff} />}>
            {w.users.length === 0 ? <Empty description="暂无录入记录" /> : <Timeline w={w} />}
          </Card>
          <Card title="录入人员工作量" size="small">
            <UsersTable key={w.unit.orgUnitId} w={w} loading={work.loading} />
          </Card>
          <Card title="采集人（登记表上填写的调查员）" size="small">
            <SurveyorsTable rows={w.surveyors} loading={work.loading} />
          </Card>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13, margin: 0 }} data-testid="work-notes">
            统计范围：{w.unit.orgUnitName}及其下级单位的登记记录（今日）。录入 = 该人员录入的记录数（含无效、重复）；有效 = 通过校验的记录；有效率 = 有效 ÷ 录入；有效数据 =
            有效且计入本单位的人数（不含他处已计入的重复）。截止日后录入的记录不计入本批次考核的有效数据。差错/抽查 = 市级抽查中抽到该人员录入的记录中的差错数 / 抽查数。
          </Typography.Paragraph>
        </>
      )}
    </div>
  );
}

function Timeline({ w }: { w: WorkStatistics }) {
  const option = useMemo(() => timelineOption(w), [w]);
  if (!w.users.some((u) => u.days.length > 0)) return <Empty description="暂无数据：该范围内还没有录入记录" style={{ padding: 24 }} />;
  return <EChart option={option} height={340} title={`${w.unit.orgUnitName}每日录入条数`} data-testid="work-timeline" />;
}

function CutoffHint({ cutoff }: { cutoff: string | null }) {
  if (!cutoff) return <Typography.Text type="secondary">没有进行中的考核批次</Typography.Text>;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 13 }}>
      <span style={{ display: 'inline-block', width: 14, borderTop: `2px dashed ${CUTOFF_COLOR}`, verticalAlign: 'middle', marginRight: 4 }} />
      数据截止日 {cutoff}
    </Typography.Text>
  );
}

function WorkSummary({ w }: { w: WorkStatistics }) {
  const sum = (f: (u: WorkUser) => number) => w.users.reduce((a, u) => a + f(u), 0);
  const entered = sum((u) => u.entered);
  const valid = sum((u) => u.valid);
  const after = sum((u) => u.afterCutoff);
  const lastDay = w.users.map((u) => u.lastDay).filter((d): d is string => !!d).sort().pop();
  const surveyors = w.surveyors.filter((s) => s.name !== '（未填采集人）').length;
  return (
    <>
      <Row gutter={[16, 16]} data-testid="work-summary">
        <Col xs={12} md={8} xl={4}>
          <Statistic title="录入人员" value={w.users.length} suffix="人" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Statistic title="采集人" value={surveyors} suffix="人" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Statistic title="录入记录" value={entered} suffix="条" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Statistic title="有效率" value={formatShare(valid, entered)} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Statistic title="最近录入" value={lastDay ?? '—'} />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Statistic title="截止日后录入" value={after} suffix="条" styles={{ content: after > 0 ? { color: AFTER_COLOR } : undefined }} data-testid="work-after-total" />
        </Col>
      </Row>
      {w.dataCutoff && (
        <Alert
          style={{ marginTop: 16 }}
          type={after > 0 ? 'warning' : 'success'}
          showIcon
          data-testid="work-deadline"
          title={
            after > 0
              ? `数据截止日 ${w.dataCutoff} 之后录入 ${formatCount(after)} 条，这些记录不计入本批次考核的有效数据。`
              : lastDay
                ? `全部记录均在数据截止日 ${w.dataCutoff} 前（含当日）录入。`
                : `数据截止日 ${w.dataCutoff}。`
          }
        />
      )}
    </>
  );
}

function UsersTable({ w, loading }: { w: WorkStatistics; loading: boolean }) {
  const cutoff = w.dataCutoff;
  // The column filters' choices: the 合计 row sums the users they leave (on every page).
  const [picked, setPicked] = useState<{ roleLabel?: readonly string[]; orgUnitName?: readonly string[] }>({});
  const columns: ColumnsType<WorkUser> = [
    { title: '录入人员', dataIndex: 'displayName', width: 110, sorter: byText((u) => u.displayName) },
    { title: '角色', dataIndex: 'roleLabel', width: 90, sorter: byText((u) => u.roleLabel), ...textFilter(w.users, (u) => u.roleLabel) },
    { title: '所在单位', dataIndex: 'orgUnitName', width: 130, ellipsis: true, sorter: byText((u) => u.orgUnitName), ...textFilter(w.users, (u) => u.orgUnitName) },
    { title: '录入', dataIndex: 'entered', width: 80, align: 'right', render: num, sorter: byNumber((u) => u.entered), defaultSortOrder: 'descend' },
    {
      title: <Tooltip title="录入条数中由调查员手机离线采集后上传的">手机采集</Tooltip>,
      dataIndex: 'fieldEntered',
      width: 90,
      align: 'right',
      render: num,
      sorter: byNumber((u) => u.fieldEntered),
    },
    { title: '有效', dataIndex: 'valid', width: 80, align: 'right', render: num, sorter: byNumber((u) => u.valid) },
    { title: '有效率', dataIndex: 'validPermille', width: 90, align: 'right', render: (p: number | null) => formatPermille(p), sorter: byNumber((u) => u.validPermille) },
    {
      title: <Tooltip title="有效且计入本单位（不含他处已计入的重复）">有效数据</Tooltip>,
      dataIndex: 'counted',
      width: 90,
      align: 'right',
      render: num,
      sorter: byNumber((u) => u.counted),
    },
    { title: '首次录入', dataIndex: 'firstDay', width: 100, render: (d: string | null) => d ?? '—', sorter: byTime((u) => u.firstDay) },
    { title: '最近录入', dataIndex: 'lastDay', width: 100, render: (d: string | null) => d ?? '—', sorter: byTime((u) => u.lastDay) },
    {
      title: '截止日后录入',
      dataIndex: 'afterCutoff',
      width: 124,
      align: 'right',
      render: (n: number, u) =>
        n > 0 ? (
          <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid={`work-after-${u.userId}`}>
            {formatCount(n)}
          </Tag>
        ) : (
          <span data-testid={`work-after-${u.userId}`}>0</span>
        ),
      sorter: byNumber((u) => u.afterCutoff),
    },
    {
      title: <Tooltip title="市级抽查中抽到该人员录入的记录：差错条数 / 抽查条数">差错/抽查</Tooltip>,
      key: 'spot',
      width: 96,
      align: 'right',
      sorter: (a, b) => a.spotWrong - b.spotWrong || a.spotChecked - b.spotChecked,
      render: (_: unknown, u) =>
        u.spotChecked === 0 ? (
          <Typography.Text type="secondary">未抽查</Typography.Text>
        ) : (
          <Typography.Text type={u.spotWrong > 0 ? 'danger' : undefined}>
            {u.spotWrong} / {u.spotChecked}
          </Typography.Text>
        ),
    },
  ];
  const keep = (choice: readonly string[] | undefined, v: string) => !choice?.length || choice.includes(v);
  const listed = w.users.filter((u) => keep(picked.roleLabel, u.roleLabel) && keep(picked.orgUnitName, u.orgUnitName));
  const narrowed = listed.length !== w.users.length;
  const total = (f: (u: WorkUser) => number) => listed.reduce((a, u) => a + f(u), 0);
  const entered = total((u) => u.entered);
  const valid = total((u) => u.valid);
  const after = total((u) => u.afterCutoff);
  const checked = total((u) => u.spotChecked);
  return (
    <Table<WorkUser>
      rowKey="userId"
      size="small"
      data-testid="work-users"
      loading={loading}
      columns={columns}
      dataSource={w.users}
      pagination={w.users.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      onChange={(_p, f) => setPicked({ roleLabel: f.roleLabel?.map(String), orgUnitName: f.orgUnitName?.map(String) })}
      locale={{ emptyText: '暂无录入记录' }}
      expandable={{
        expandRowByClick: false,
        rowExpandable: (u) => u.days.length > 0,
        expandedRowRender: (u) => <UserDays user={u} cutoff={cutoff} />,
      }}
      summary={() =>
        w.users.length > 1 ? (
          <Table.Summary fixed>
            <Table.Summary.Row className="stat-total-row" data-testid="work-users-total">
              <Table.Summary.Cell index={0} />
              <Table.Summary.Cell index={1}>
                合计（{listed.length} 人{narrowed ? `，共 ${w.users.length} 人` : ''}）
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
              <Table.Summary.Cell index={3} />
              <Table.Summary.Cell index={4} align="right">
                {num(entered)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {num(total((u) => u.fieldEntered))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {num(valid)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">
                {formatShare(valid, entered)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={8} align="right">
                {num(total((u) => u.counted))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={9} />
              <Table.Summary.Cell index={10} />
              <Table.Summary.Cell index={11} align="right">
                {num(after)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={12} align="right">
                {checked ? `${total((u) => u.spotWrong)} / ${checked}` : '—'}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        ) : undefined
      }
    />
  );
}

/** One user's entries per day, with the cutoff marked (the expanded row). */
function UserDays({ user, cutoff }: { user: WorkUser; cutoff: string | null }) {
  const option = useMemo(() => userDaysOption(user.days, cutoff), [user.days, cutoff]);
  const peak = user.days.reduce<WorkUser['days'][number] | null>((p, d) => (p === null || d.n > p.n ? d : p), null);
  return (
    <div style={{ padding: '4px 16px 8px' }} data-testid={`work-days-${user.userId}`}>
      <EChart option={option} height={170} title={`${user.displayName}每日录入条数`} data-testid={`work-days-chart-${user.userId}`} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {user.displayName}：{user.days.length} 天有录入
        {peak ? `，最多一天 ${formatCount(peak.n)} 条（${peak.day}）` : ''}。
        <Legend color={BEFORE_COLOR} /> 截止日及以前
        <Legend color={AFTER_COLOR} /> 截止日后{user.afterCutoff > 0 ? `（${formatCount(user.afterCutoff)} 条）` : ''}
      </Typography.Text>
    </div>
  );
}

function Legend({ color }: { color: string }) {
  return <span style={{ display: 'inline-block', width: 10, height: 10, background: color, verticalAlign: 'middle', margin: '0 4px 0 12px' }} />;
}

function SurveyorsTable({ rows, loading }: { rows: WorkSurveyor[]; loading: boolean }) {
  const sorted = useMemo(() => [...rows].sort((a, b) => b.entered - a.entered || a.name.localeCompare(b.name, 'zh-CN')), [rows]);
  const columns: ColumnsType<WorkSurveyor> = [
    {
      title: '采集人',
      dataIndex: 'name',
      sorter: byText((s) => s.name),
      render: (name: string) => (name === '（未填采集人）' ? <Typography.Text type="secondary">{name}</Typography.Text> : name),
    },
    { title: '登记人数', dataIndex: 'entered', width: 110, align: 'right', render: num, sorter: byNumber((s) => s.entered) },
    { title: '有效', dataIndex: 'valid', width: 110, align: 'right', render: num, sorter: byNumber((s) => s.valid) },
    { title: '有效率', key: 'rate', width: 110, align: 'right', render: (_: unknown, s) => formatShare(s.valid, s.entered), sorter: byNumber((s) => (s.entered ? s.valid / s.entered : null)) },
    { title: '有效数据', dataIndex: 'counted', width: 110, align: 'right', render: num, sorter: byNumber((s) => s.counted) },
  ];
  const total = (f: (s: WorkSurveyor) => number) => rows.reduce((a, s) => a + f(s), 0);
  return (
    <Table<WorkSurveyor>
      rowKey="name"
      size="small"
      data-testid="work-surveyors"
      loading={loading}
      columns={columns}
      dataSource={sorted}
      pagination={sorted.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      locale={{ emptyText: '暂无登记记录' }}
      summary={() =>
        rows.length > 1 ? (
          <Table.Summary>
            <Table.Summary.Row className="stat-total-row">
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {num(total((s) => s.entered))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {num(total((s) => s.valid))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {formatShare(
                  total((s) => s.valid),
                  total((s) => s.entered),
                )}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {num(total((s) => s.counted))}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        ) : undefined
      }
    />
  );
}
