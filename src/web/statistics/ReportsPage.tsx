// 分析报告 (issue 7 item 6): a district's admin generates the draft (.docx from the district's
// figures), edits it, uploads the final version (Word or PDF; replaceable until submitted) and
// submits it to the city (报送: the time and the file's SHA-256 are recorded). The city generates a
// city-wide version comparing the districts and sees every district's report. Others read only.
import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, FileWordOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Progress, Space, Spin, Steps, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { ANALYSIS_REPORT_STATUS_LABELS, type AnalysisReport } from '../../shared/api-statistics';
import { isCityRole } from '../../shared/roles';
import { api, errorMessage, isSilentError, upload } from '../api/client';
import type { CampaignSummary, Items } from '../api/types';
import { useUser } from '../auth/AuthContext';
import { formatSize } from '../assessments/labels';
import { formatTime } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { downloadFile } from './download';
import { StatisticsNav, useCurrentCampaign } from './StatisticsNav';
import './statistics.css';

const STATUS_COLORS: Record<AnalysisReport['status'], string> = { none: 'default', uploaded: 'gold', submitted: 'success' };
const REPORT_ACCEPT = '.docx,.doc,.pdf';
const REPORT_NAME = /\.(docx?|pdf)$/i;
const REPORT_MAX_BYTES = 20 * 1024 * 1024;

const reportFileUrl = (id: number) => `/api/analysis-reports/${id}/file?download=1`;
const draftUrl = (orgUnitId?: number) => `/api/statistics/report.docx${orgUnitId === undefined ? '' : `?orgUnitId=${orgUnitId}`}`;

function StatusTag({ r, testId }: { r: AnalysisReport; testId?: string }) {
  return (
    <Tag color={STATUS_COLORS[r.status]} data-testid={testId}>
      {ANALYSIS_REPORT_STATUS_LABELS[r.status]}
    </Tag>
  );
}

function Sha({ hash, full }: { hash: string | null; full?: boolean }) {
  if (!hash) return <>—</>;
  if (full)
    return (
      <Typography.Text code copyable={{ text: hash, tooltips: ['复制', '已复制'] }} style={{ wordBreak: 'break-all' }} data-sha256={hash}>
        {hash}
      </Typography.Text>
    );
  return (
    <Tooltip title={<span style={{ wordBreak: 'break-all' }}>{hash}</span>}>
      <Typography.Text code data-sha256={hash}>
        {hash.slice(0, 12)}…
      </Typography.Text>
    </Tooltip>
  );
}

/** A button that fetches a generated .docx (a few seconds) and saves it. */
function DraftButton({ url, fallbackName, label, testId, primary }: { url: string; fallbackName: string; label: string; testId: string; primary?: boolean }) {
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const name = await downloadFile(url, fallbackName);
      void message.success(`已生成：${name}`);
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button type={primary ? 'primary' : 'default'} icon={<FileWordOutlined />} loading={busy} onClick={() => void run()} data-testid={testId}>
      {busy ? '正在生成…' : label}
    </Button>
  );
}

export function ReportsPage() {
  const me = useUser();
  const campaign = useCurrentCampaign();
  const notifyError = useNotifyError();
  const [items, setItems] = useState<AnalysisReport[] | null>(null);

  const load = useCallback(
    async (c: CampaignSummary) => {
      try {
        setItems((await api.get<Items<AnalysisReport>>(`/api/campaigns/${c.id}/analysis-reports`)).items);
      } catch (err) {
        setItems([]);
        notifyError(err);
      }
    },
    [notifyError],
  );
  useEffect(() => {
    if (campaign) void load(campaign);
  }, [campaign, load]);

  const city = isCityRole(me.role);
  const isDistrictAdmin = me.role === 'district_admin';
  const mine = isDistrictAdmin && items ? (items.find((r) => r.orgUnitId === me.orgUnit.id) ?? (items.length === 1 ? items[0] : undefined)) : undefined;

  return (
    <div className="statistics-page" data-testid="reports-page">
      <StatisticsNav />
      {campaign === undefined || (campaign && items === null) ? (
        <Spin />
      ) : campaign === null ? (
        <Alert type="info" showIcon title="没有进行中的考核批次：分析报告随考核批次报送。" />
      ) : (
        <>
          {isDistrictAdmin && mine && <DistrictReportCard campaign={campaign} report={mine} onChange={(r) => setItems((prev) => (prev ?? []).map((x) => (x.orgUnitId === r.orgUnitId ? r : x)))} reload={() => load(campaign)} />}
          {!(isDistrictAdmin && mine && items?.length === 1) && <ReportsTable campaign={campaign} items={items ?? []} city={city} />}
        </>
      )}
    </div>
  );
}

/** The district admin's own report: draft, upload of the final version, submission. */
function DistrictReportCard({ campaign, report: r, onChange, reload }: { campaign: CampaignSummary; report: AnalysisReport; onChange: (r: AnalysisReport) => void; reload: () => Promise<void> }) {
  const { message, modal } = App.useApp();
  const [percent, setPercent] = useState<number | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const base = `/api/campaigns/${campaign.id}/analysis-reports/${r.orgUnitId}`;
  const submitted = r.status === 'submitted';

  const send = async (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    setPercent(0);
    try {
      const next = await upload<AnalysisReport>(`${base}/file`, form, {
        onProgress: (loaded, total) => setPercent(total ? Math.min(99, Math.floor((loaded * 100) / total)) : 0),
      });
      onChange(next);
      void message.success(`已上传定稿：${file.name}`);
    } catch (err) {
      if (!isSilentError(err)) void message.error(`${file.name}：${errorMessage(err)}`);
    } finally {
      setPercent(null);
    }
  };

  const submit = () => {
    modal.confirm({
      title: '报送分析报告？',
      okText: '报送',
      cancelText: '取消',
      width: 520,
      content: (
        <div data-testid="report-submit-confirm">
          <Typography.Paragraph>
            将定稿“<strong>{r.fileName}</strong>”作为{campaign.name}的分析报告报送市人社部门。
          </Typography.Paragraph>
          <Typography.Paragraph type="warning" style={{ marginBottom: 8 }}>
            报送后不能再替换或修改。系统将记录报送时间和文件的 SHA-256。
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
            SHA-256：{r.sha256}
          </Typography.Text>
        </div>
      ),
      onOk: async () => {
        setSubmitting(true);
        try {
          onChange(await api.post<AnalysisReport>(`${base}/submit`, { version: r.version }));
          void message.success('分析报告已报送');
        } catch (err) {
          if (!isSilentError(err)) void message.error(errorMessage(err));
          await reload(); // e.g. replaced meanwhile: show the current file before asking again
        } finally {
          setSubmitting(false);
        }
      },
    });
  };

  // Whether a draft was generated is not known here: without an upload, the first step is the current one.
  const current = r.status === 'none' ? 0 : r.status === 'uploaded' ? 2 : 3;
  return (
    <Card title={`${r.orgUnitName}全民参保登记工作分析报告`} data-testid="report-card" extra={<StatusTag r={r} testId="report-status" />}>
      <Steps
        size="small"
        current={current}
        style={{ marginBottom: 24 }}
        items={[
          { title: '生成初稿', content: '系统按本区统计数据生成 Word 初稿' },
          { title: '修改完善，上传定稿', content: r.uploadedAt ? `${r.uploadedBy ?? ''} ${formatTime(r.uploadedAt)}` : 'Word 或 PDF' },
          { title: '报送市人社部门', content: r.submittedAt ? `${r.submittedBy ?? ''} ${formatTime(r.submittedAt)}` : '报送后不能再修改' },
        ]}
      />
      {submitted && (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleOutlined />}
          style={{ marginBottom: 16 }}
          data-testid="report-submitted"
          title={`已于 ${formatTime(r.submittedAt)} 报送市人社部门`}
          description={`报送人：${r.submittedBy ?? '—'}；文件“${r.fileName ?? ''}”，SHA-256 ${r.sha256 ?? ''}`}
        />
      )}
      <Descriptions bordered size="small" column={1} styles={{ label: { width: 140 } }} data-testid="report-state">
        <Descriptions.Item label="状态">
          <StatusTag r={r} />
        </Descriptions.Item>
        <Descriptions.Item label="定稿文件">
          {r.id !== null && r.fileName ? (
            <a href={reportFileUrl(r.id)} download={r.fileName} data-testid="report-file">
              {r.fileName}
            </a>
          ) : (
            <Typography.Text type="secondary">尚未上传</Typography.Text>
          )}
          {r.sizeBytes !== null && <Typography.Text type="secondary"> （{formatSize(r.sizeBytes)}）</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label="上传">{r.uploadedAt ? `${r.uploadedBy ?? '—'}，${formatTime(r.uploadedAt)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label="SHA-256">
          <Sha hash={r.sha256} full />
        </Descriptions.Item>
        <Descriptions.Item label="报送">
          <span data-testid="report-submitted-at">{r.submittedAt ? `${r.submittedBy ?? '—'}，${formatTime(r.submittedAt)}` : '未报送'}</span>
        </Descriptions.Item>
      </Descriptions>
      <Space wrap style={{ marginTop: 16 }}>
        <DraftButton url={draftUrl(r.orgUnitId)} fallbackName={`${r.orgUnitName}全民参保登记工作分析报告（初稿）.docx`} label="生成初稿" testId="report-draft" primary={r.status === 'none'} />
        {!submitted && (
          <Upload
            accept={REPORT_ACCEPT}
            showUploadList={false}
            disabled={percent !== null}
            beforeUpload={(file) => {
              if (!REPORT_NAME.test(file.name)) void message.error(`${file.name}：分析报告应为 Word（.docx、.doc）或 PDF 文件`);
              else if (file.size === 0) void message.error(`${file.name}：文件为空`);
              else if (file.size > REPORT_MAX_BYTES) void message.error(`${file.name}：文件 ${formatSize(file.size)}，超过 20 MB 上限`);
              else void send(file);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<CloudUploadOutlined />} loading={percent !== null} type={r.status === 'none' ? 'default' : 'default'} data-testid="report-upload">
              {r.status === 'none' ? '上传定稿' : '替换定稿'}
            </Button>
          </Upload>
        )}
        {!submitted && (
          <Button type="primary" icon={<SendOutlined />} disabled={r.status !== 'uploaded' || percent !== null} loading={submitting} onClick={submit} data-testid="report-submit">
            报送
          </Button>
        )}
      </Space>
      {percent !== null && (
        <div style={{ maxWidth: 420, marginTop: 12 }} data-testid="report-upload-progress">
          <Typography.Text type="secondary">正在上传…</Typography.Text>
          <Progress percent={percent} status="active" />
        </div>
      )}
      <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 13 }}>
        初稿由系统根据截至今日的登记数据生成（工作开展情况、登记概况、各险种参保情况、未参保原因、参保意愿、各街道对比、存在问题和下一步工作），请核实、修改完善后上传定稿（Word 或
        PDF，不超过 20 MB）。报送前可替换定稿；报送后不能再修改。生成、上传和报送均记入审计日志。
      </Typography.Paragraph>
    </Card>
  );
}

/** Every district in the user's scope with its report; the city also generates the city-wide version. */
function ReportsTable({ campaign, items, city }: { campaign: CampaignSummary; items: AnalysisReport[]; city: boolean }) {
  const submittedCount = items.filter((r) => r.status === 'submitted').length;
  const columns: ColumnsType<AnalysisReport> = [
    { title: '区', dataIndex: 'orgUnitName', width: 90 },
    { title: '状态', dataIndex: 'status', width: 120, render: (_: unknown, r) => <StatusTag r={r} testId={`report-status-${r.orgUnitId}`} /> },
    {
      title: '报告文件',
      dataIndex: 'fileName',
      width: 300,
      render: (name: string | null, r) =>
        r.id !== null && name ? (
          <>
            <a href={reportFileUrl(r.id)} download={name} title={`下载 ${name}`} data-testid={`report-file-${r.orgUnitId}`}>
              {name}
            </a>
            {r.sizeBytes !== null && <Typography.Text type="secondary"> （{formatSize(r.sizeBytes)}）</Typography.Text>}
          </>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: '上传', key: 'uploaded', width: 150, render: (_: unknown, r) => <Who name={r.uploadedBy} at={r.uploadedAt} /> },
    {
      title: '报送时间',
      dataIndex: 'submittedAt',
      width: 150,
      render: (at: string | null, r) => (
        <span data-testid={`report-submitted-${r.orgUnitId}`}>
          <Who name={r.submittedBy} at={at} />
        </span>
      ),
    },
    { title: 'SHA-256', dataIndex: 'sha256', width: 140, render: (h: string | null) => <Sha hash={h} /> },
    {
      title: '操作',
      key: 'actions',
      width: city ? 200 : 90,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          {r.id !== null && (
            <Button size="small" icon={<DownloadOutlined />} href={reportFileUrl(r.id)} download={r.fileName ?? true}>
              下载
            </Button>
          )}
          {city && <DraftButtonSmall orgUnitId={r.orgUnitId} name={r.orgUnitName} />}
        </Space>
      ),
    },
  ];
  return (
    <Card
      title={`各区分析报告报送情况（${campaign.name}）`}
      data-testid="reports-table-card"
      extra={
        <Space>
          <Typography.Text type="secondary" data-testid="reports-submitted-count">
            已报送 {submittedCount} / {items.length}
          </Typography.Text>
          {city && <DraftButton url={draftUrl()} fallbackName="全市全民参保登记工作分析报告（初稿）.docx" label="生成全市对比报告" testId="report-city-draft" primary />}
        </Space>
      }
    >
      {items.length === 0 ? (
        <Empty description="您的管辖范围内没有需要报送分析报告的区" />
      ) : (
        <Table<AnalysisReport> rowKey="orgUnitId" size="small" data-testid="reports-table" columns={columns} dataSource={items} pagination={false} scroll={{ x: 1150 }} />
      )}
      {city && (
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 13 }}>
          全市对比报告按各区统计数据生成（Word），各区初稿可在“操作”中生成；各区定稿由区人社部门上传并报送，报送时间和文件 SHA-256 由系统记录。
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** A time over the name of who acted (a table cell). */
function Who({ name, at }: { name: string | null; at: string | null }) {
  if (!at) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span style={{ lineHeight: 1.5 }}>
      {formatTime(at)}
      {name && (
        <>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {name}
          </Typography.Text>
        </>
      )}
    </span>
  );
}

function DraftButtonSmall({ orgUnitId, name }: { orgUnitId: number; name: string }) {
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="small"
      icon={<FileWordOutlined />}
      loading={busy}
      onClick={() => {
        setBusy(true);
        downloadFile(draftUrl(orgUnitId), `${name}全民参保登记工作分析报告（初稿）.docx`)
          .catch(notifyError)
          .finally(() => setBusy(false));
      }}
    >
      该区初稿
    </Button>
  );
}
