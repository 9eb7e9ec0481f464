// 导入登记表: upload an .xlsx/.csv for a district, street or community; the server validates every
// row with the form's rules in the background and ends with a report (rows imported/updated/
// unchanged, each problem with its row and column). The upload goes through XMLHttpRequest to show
// its progress; then the page polls the import job for the rows the server has read.
import { ArrowLeftOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Form, Progress, Radio, Result, Row, Select, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { UploadFile } from 'antd/es/upload/interface';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { REGISTRATION_FIELD_BY_KEY, REGISTRATION_FIELDS, type RegistrationKey } from '../../shared/registration';
import type { OrgLevel } from '../api/types';
import { api, errorMessage, isSilentError, upload } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { OrgTreeSelect } from '../common/OrgTreeSelect';
import type { OrgSelectNode } from '../common/orgTree';
import { useOrgs } from '../common/useOrgs';
import type { ImportBatchSummary, ImportJob, ImportMode, ImportReject, ImportReport } from '../../shared/api-registration';
import { useItems } from '../common/useItems';
import { formatTime } from '../common/format';
import { byNumber, byText, byTime, codeFilter, textFilter } from '../common/tableSort';
import { JobProgress } from '../common/JobProgress';
import { downloadTemplate } from './importTemplate';

export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
const IMPORTABLE_LEVELS: readonly OrgLevel[] = ['district', 'street', 'community'];

export type { ImportReport } from '../../shared/api-registration';

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'processing'; job: ImportJob | null };

const POLL_MS = 700;

const JOB_STATUS_TEXT: Record<ImportJob['status'], string> = {
  queued: '排队中：服务器正在处理其他导入，完成后立即开始',
  checking: '正在逐行校验（全部无误才导入）',
  importing: '正在校验并写入',
  done: '已完成',
  failed: '失败',
  interrupted: '已中断（服务器在导入过程中停止，未写入任何数据，请重新导入）',
};

/** Key columns shown in the help card with a few of the header names accepted for them. */
const HELP_KEYS: RegistrationKey[] = ['idNumber', 'name', 'hukouType', 'residenceAddress', 'phone', 'personCategory', 'surveyDate'];

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function ImportPage() {
  const me = useUser();
  const { message } = App.useApp();
  const { index } = useOrgs();

  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(IMPORTABLE_LEVELS.includes(me.orgUnit.level) ? me.orgUnit.id : undefined);
  const [mode, setMode] = useState<ImportMode>('all');
  const [overwriteNames, setOverwriteNames] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<{ message: string; template?: boolean; missing?: string[] } | null>(null);
  /** The sheets of the last workbook sent (to choose another one), and the chosen one. */
  const [sheetsOf, setSheetsOf] = useState<{ fileName: string; names: string[] } | null>(null);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const [report, setReport] = useState<ImportReport | null>(null);
  const abort = useRef<AbortController | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      abort.current?.abort();
    };
  }, []);

  const unit = orgUnitId === undefined ? undefined : (index.byId.get(orgUnitId) ?? (orgUnitId === me.orgUnit.id ? me.orgUnit : undefined));
  const needsCommunityColumn = unit !== undefined && unit.level !== 'community';
  const busy = phase.kind !== 'idle';
  // The sheet choice belongs to the workbook it was read from (chosen again after a first import).
  const sheets = sheetsOf && file?.name === sheetsOf.fileName ? sheetsOf.names : [];

  const selectable = useMemo(() => (n: OrgSelectNode) => IMPORTABLE_LEVELS.includes(index.byId.get(n.value)?.level ?? 'city'), [index]);

  const fileList: UploadFile[] = file ? [{ uid: 'import-file', name: `${file.name}（${formatSize(file.size)}）`, status: 'done', size: file.size }] : [];

  const beforeUpload = (f: File) => {
    if (!/\.(xlsx|csv)$/i.test(f.name)) {
      void message.error('只能导入 .xlsx 或 .csv 文件（旧版 .xls 请先在 Excel 中另存为 .xlsx）');
      return Upload.LIST_IGNORE;
    }
    if (f.size > IMPORT_MAX_BYTES) {
      void message.error(`文件 ${formatSize(f.size)}，超过 200 MB 上限，请拆分后分批导入`);
      return Upload.LIST_IGNORE;
    }
    if (f.size === 0) {
      void message.error('文件是空的');
      return Upload.LIST_IGNORE;
    }
    setFile(f);
    setError(null);
    setReport(null);
    return false; // uploaded by start() below
  };

  const start = async () => {
    if (!file || orgUnitId === undefined) return;
    const form = new FormData();
    form.append('orgUnitId', String(orgUnitId));
    form.append('mode', mode);
    if (overwriteNames) form.append('overwriteNames', 'true');
    if (sheet && sheets.length > 1) form.append('sheet', sheet);
    form.append('file', file, file.name);
    const ctl = new AbortController();
    abort.current = ctl;
    setError(null);
    setReport(null);
    setPhase({ kind: 'uploading', percent: 0 });
    try {
      let job = await upload<ImportJob>('/api/registrations/imports', form, {
        signal: ctl.signal,
        onProgress: (loaded, total) => setPhase({ kind: 'uploading', percent: total ? Math.min(100, Math.floor((loaded / total) * 100)) : 0 }),
        onUploaded: () => setPhase({ kind: 'processing', job: null }),
      });
      // The server imports in the background; closing the page does not stop it.
      while (job.status !== 'done' && job.status !== 'failed' && job.status !== 'interrupted') {
        if (mounted.current) setPhase({ kind: 'processing', job });
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!mounted.current) return;
        job = await api.get<ImportJob>(`/api/registrations/import-jobs/${job.jobId}`);
      }
      if (job.status === 'failed' || !job.report) {
        setError(job.error ? { message: job.error.message, ...(job.error.template ? { template: true } : {}), ...(job.error.missing ? { missing: job.error.missing } : {}) } : { message: '导入失败' });
        return;
      }
      const r: ImportReport = job.report;
      setReport(r);
      setSheetsOf(r.sheet && r.sheet.all.length > 1 ? { fileName: file.name, names: r.sheet.all } : null);
      setSheet(r.sheet?.name);
      // Nothing was written: keep the file so that it can be sent again with the other mode.
      if (r.committed) setFile(null);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        if (mounted.current) void message.info('已取消上传');
      } else if (!isSilentError(err)) {
        setError({ message: errorMessage(err) });
      }
    } finally {
      if (abort.current === ctl) abort.current = null;
      if (mounted.current) setPhase({ kind: 'idle' });
    }
  };

  const cancel = () => {
    abort.current?.abort();
  };

  const reset = () => {
    setReport(null);
    setError(null);
    setFile(null);
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Card
            title="导入登记表"
            extra={
              <Space>
                <Button icon={<DownloadOutlined />} onClick={() => downloadTemplate(needsCommunityColumn)} data-testid="import-template">
                  下载导入模板
                </Button>
                <Link to="/registrations">
                  <ArrowLeftOutlined /> 返回登记记录
                </Link>
              </Space>
            }
          >
            <Form layout="vertical" disabled={busy} data-testid="import-form">
              <Form.Item label="导入到单位" required help={unit?.level === 'community' ? '文件中的人员都登记到这个社区（村）。' : undefined}>
                <OrgTreeSelect id="import-org" aria-label="导入到单位" value={orgUnitId} onChange={setOrgUnitId} selectable={selectable} placeholder="请选择区、街道或社区" style={{ maxWidth: 420 }} />
              </Form.Item>
              {needsCommunityColumn && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 16 }}
                  data-testid="community-column-hint"
                  title={`导入到“${unit.name}”时，文件须有“社区”列`}
                  description="每行填写所属社区（村）的名称或 12 位社区代码，例如 320411002001；名称重复时请填代码。"
                />
              )}
              <Form.Item label="导入方式" required>
                <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} data-testid="import-mode">
                  <Space orientation="vertical">
                    <Radio value="all">
                      全部无误才导入（推荐）
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        文件中只要有一行有问题就不导入任何数据，修改后重新导入整个文件。
                      </Typography.Text>
                    </Radio>
                    <Radio value="valid">
                      只导入无误的行
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        无误的行立即导入，有问题的行列入清单，修改后可只导入这些行。
                      </Typography.Text>
                    </Radio>
                  </Space>
                </Radio.Group>
              </Form.Item>
              <Form.Item help="文件中的公民身份号码已登记、但姓名、出生日期或性别与登记记录不同时，默认不更新并列入问题行；确需更正时才勾选，更正会记入该记录的修改历史。">
                <Checkbox checked={overwriteNames} onChange={(e) => setOverwriteNames(e.target.checked)} data-testid="import-overwrite-names">
                  允许覆盖姓名、出生日期、性别
                </Checkbox>
              </Form.Item>
              {sheets.length > 1 && (
                <Form.Item label="工作表" help="这个工作簿有多个工作表，可以选择要导入的一个后重新导入。">
                  <Select value={sheet} onChange={setSheet} options={sheets.map((n) => ({ value: n, label: n }))} style={{ maxWidth: 320 }} data-testid="import-sheet" />
                </Form.Item>
              )}
              <Form.Item label="登记表文件" required>
                <Upload.Dragger
                  accept=".xlsx,.csv"
                  maxCount={1}
                  multiple={false}
                  fileList={fileList}
                  beforeUpload={beforeUpload}
                  onRemove={() => {
                    setFile(null);
                    return true;
                  }}
                  data-testid="import-file"
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">点击或将文件拖到这里</p>
                  <p className="ant-upload-hint">支持 .xlsx 和 .csv，一次一个文件，不超过 200 MB</p>
                </Upload.Dragger>
              </Form.Item>
            </Form>
            {phase.kind === 'uploading' && (
              <div data-testid="import-progress" style={{ marginBottom: 16 }}>
                <Typography.Text>正在上传…</Typography.Text>
                <Progress percent={phase.percent} status="active" />
              </div>
            )}
            {phase.kind === 'processing' && (
              <div data-testid="import-processing" style={{ marginBottom: 16 }}>
                <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
                  {!(phase.job && phase.job.rowsRead > 0) && <Spin />}
                  <Typography.Text>
                    {phase.job ? JOB_STATUS_TEXT[phase.job.status] : '上传完成，服务器正在打开文件'}
                    …（大文件可能需要几分钟；关闭页面不会中断导入，结果见下方“最近的导入”）
                  </Typography.Text>
                </div>
                {phase.job && phase.job.rowsRead > 0 && (
                  <JobProgress
                    data-testid="import-job-progress"
                    label={phase.job.status === 'checking' ? '校验' : '导入'}
                    done={phase.job.rowsRead}
                    total={phase.job.rowsTotal ?? null}
                    estimated={phase.job.rowsTotalEstimated ?? false}
                    elapsedMs={phase.job.elapsedMs ?? null}
                  />
                )}
              </div>
            )}
            {error && (
              <Alert
                type="error"
                showIcon
                closable
                onClose={() => setError(null)}
                style={{ marginBottom: 16 }}
                title="导入失败"
                description={
                  <Space orientation="vertical" size={4}>
                    <span>{error.message}</span>
                    {error.template && (
                      <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadTemplate(needsCommunityColumn)} data-testid="import-error-template">
                        下载导入模板（含全部列名）
                      </Button>
                    )}
                  </Space>
                }
                data-testid="import-error"
              />
            )}
            <Space>
              <Button type="primary" icon={<UploadOutlined />} disabled={!file || orgUnitId === undefined} loading={busy} onClick={() => void start()} data-testid="import-start">
                开始导入
              </Button>
              {phase.kind === 'uploading' && <Button onClick={cancel}>取消上传</Button>}
            </Space>
          </Card>
          {report && <ImportResult report={report} onAgain={reset} fullRows={me.role !== 'viewer'} />}
          <RecentImports refreshKey={report?.batchId ?? 0} />
        </Space>
      </Col>
      <Col xs={24} xl={8}>
        <ImportHelp />
      </Col>
    </Row>
  );
}

const BATCH_STATUS: Record<ImportBatchSummary['status'], { text: string; color: string }> = {
  done: { text: '已导入', color: 'green' },
  rejected: { text: '未导入（有问题行）', color: 'red' },
  queued: { text: '排队中', color: 'default' },
  running: { text: '进行中', color: 'blue' },
  failed: { text: '失败（未写入）', color: 'red' },
  interrupted: { text: '已中断（未写入）', color: 'orange' },
};

const BATCH_STATUSES = Object.keys(BATCH_STATUS) as ImportBatchSummary['status'][];
const BATCH_STATUS_TEXT = Object.fromEntries(BATCH_STATUSES.map((s) => [s, BATCH_STATUS[s].text])) as Record<ImportBatchSummary['status'], string>;

/** The latest import batches in the user's scope, with the rejected rows to download. */
function RecentImports({ refreshKey }: { refreshKey: number }) {
  const { items, loading, reload } = useItems<ImportBatchSummary>('/api/registrations/imports');
  useEffect(() => {
    if (refreshKey) void reload();
  }, [refreshKey, reload]);
  const columns: ColumnsType<ImportBatchSummary> = [
    { title: '时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatTime(v), sorter: byTime((b) => b.createdAt) },
    { title: '文件', dataIndex: 'fileName', ellipsis: true, sorter: byText((b) => b.fileName) },
    { title: '单位', dataIndex: 'orgUnitName', width: 130, sorter: byText((b) => b.orgUnitName), ...textFilter(items, (b) => b.orgUnitName) },
    { title: '导入人', dataIndex: 'userName', width: 110, sorter: byText((b) => b.userName), ...textFilter(items, (b) => b.userName) },
    {
      title: '状态',
      dataIndex: 'status',
      width: 150,
      ...codeFilter(BATCH_STATUSES, BATCH_STATUS_TEXT, (b: ImportBatchSummary) => b.status),
      render: (v: ImportBatchSummary['status'], b) => (
        <Tag color={BATCH_STATUS[v].color} title={b.error ?? undefined} data-testid={`batch-status-${b.batchId}`}>
          {BATCH_STATUS[v].text}
        </Tag>
      ),
    },
    { title: '总行数', dataIndex: 'total', width: 96, align: 'right', sorter: byNumber((b) => b.total) },
    { title: '新增', dataIndex: 'imported', width: 80, align: 'right', sorter: byNumber((b) => b.imported) },
    { title: '更新', dataIndex: 'updated', width: 80, align: 'right', sorter: byNumber((b) => b.updated) },
    { title: '未变', dataIndex: 'unchanged', width: 80, align: 'right', sorter: byNumber((b) => b.unchanged) },
    {
      title: '问题行',
      dataIndex: 'rejected',
      width: 110,
      align: 'right',
      sorter: byNumber((b) => b.rejected),
      render: (v: number, b) =>
        v > 0 ? (
          <a href={`/api/registrations/imports/${b.batchId}/rejects.xlsx`} download title="下载问题行清单">
            {v} <FileExcelOutlined />
          </a>
        ) : (
          0
        ),
    },
  ];
  return (
    <Card title="最近的导入" size="small" data-testid="recent-imports" extra={<Button size="small" onClick={() => void reload()}>刷新</Button>}>
      <Table rowKey="batchId" size="small" loading={loading} columns={columns} dataSource={items} pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 1000 }} locale={{ emptyText: '还没有导入记录' }} />
    </Card>
  );
}

function ImportResult({ report: r, onAgain, fullRows }: { report: ImportReport; onAgain: () => void; fullRows: boolean }) {
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    card.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [r]);
  const rows = useMemo(() => r.rejects.map((x, i) => ({ ...x, key: i })), [r.rejects]);
  const columns: ColumnsType<ImportReject & { key: number }> = [
    { title: '行号', dataIndex: 'row', width: 90, sorter: byNumber((x) => x.row) },
    { title: '列', dataIndex: 'column', width: 180, render: (v: string | null) => v ?? '—', sorter: byText((x) => x.column), ...textFilter(rows, (x) => x.column, '（整行）') },
    { title: '问题', dataIndex: 'message' },
  ];
  const title = r.committed
    ? `导入完成：共 ${r.total} 行，新增 ${r.imported}、更新 ${r.updated}、未变 ${r.unchanged}，问题行 ${r.rejected}`
    : `未导入：文件中有 ${r.rejected} 行存在问题，请修改后重新导入（或选择“只导入无误的行”）`;
  const status = !r.committed ? 'error' : r.rejected > 0 ? 'warning' : 'success';
  return (
    <Card ref={card} title={`导入结果 · ${r.fileName}`} data-testid="import-result">
      <Result
        status={status}
        title={<span data-testid="import-summary">{title}</span>}
        subTitle={r.committed && r.rejected > 0 ? '有问题的行没有导入：请按下面的清单修改这些行，再导入一次（已导入的行不会重复）。' : undefined}
        style={{ padding: '16px 0' }}
        extra={
          <Space wrap style={{ justifyContent: 'center' }}>
            {r.rejected > 0 && (
              <Button
                icon={<FileExcelOutlined />}
                href={`/api/registrations/imports/${r.batchId}/rejects.xlsx`}
                download
                data-testid="download-rejects"
                title={fullRows ? '文件中的原始行（原有各列），出错的单元格标红并有批注；改正后可直接重新导入这个文件' : undefined}
              >
                {fullRows ? '下载问题行（改正后可直接重新导入）' : '下载问题行清单'}
              </Button>
            )}
            <Link to="/registrations">
              <Button type={r.committed ? 'primary' : 'default'}>查看登记记录</Button>
            </Link>
            <Button onClick={onAgain}>导入其他文件</Button>
          </Space>
        }
      />
      {r.sheet && (
        <Alert
          type={r.sheet.candidates.length > 1 ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="import-sheet-read"
          title={`已读取工作表“${r.sheet.name}”`}
          description={
            r.sheet.candidates.length > 1
              ? `工作簿中有 ${r.sheet.candidates.length} 个工作表含登记表表头（${r.sheet.candidates.join('、')}），只读取了第一个。如需导入其他工作表，请在上方重新选择这个文件，再在出现的“工作表”中选择后导入。`
              : r.sheet.all.length > 1
                ? `工作簿共有 ${r.sheet.all.length} 个工作表（${r.sheet.all.join('、')}），其他工作表中没有登记表表头。`
                : undefined
          }
        />
      )}
      {rows.length > 0 && (
        <div data-testid="import-rejects">
          <Table
            size="small"
            dataSource={rows}
            columns={columns}
            pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (n) => `共 ${n} 个问题` }}
          />
        </div>
      )}
    </Card>
  );
}

function ImportHelp() {
  const required = REGISTRATION_FIELDS.filter((f) => f.required === true && !f.derivedFrom).map((f) => f.label);
  const derived = REGISTRATION_FIELDS.filter((f) => f.derivedFrom).map((f) => f.label);
  return (
    <Card title="导入说明" size="small" data-testid="import-help">
      <Typography>
        <ul style={{ paddingInlineStart: 18, margin: 0 }}>
          <li>第一行可以是标题（如“常州市全民参保登记表”），表头在前 10 行内即可。</li>
          <li>
            必填列：{required.join('、')}。{derived.join('、')}可以不填，从身份证号自动生成。
          </li>
          <li>导入到区或街道时，另需“社区”列：填社区（村）名称或 12 位社区代码。</li>
          <li>
            列名可用常见写法，例如：
            <ul style={{ paddingInlineStart: 18 }}>
              {HELP_KEYS.map((k) => {
                const f = REGISTRATION_FIELD_BY_KEY.get(k);
                if (!f) return null;
                return (
                  <li key={k}>
                    {f.label}
                    {f.aliases.length > 0 && <Typography.Text type="secondary">（{f.aliases.slice(0, 3).join('、')}）</Typography.Text>}
                  </li>
                );
              })}
            </ul>
          </li>
          <li>
            身份证号必须是文本：数字格式的单元格会丢失后几位或变成科学计数法。<Typography.Text strong>请将身份证号列设置为“文本”格式</Typography.Text>后再填写。
          </li>
          <li>CSV 文件 GBK（Excel 默认）或 UTF-8 编码均可。</li>
          <li>同一文件重复导入不会产生重复记录：同一社区已有的人员会比对，内容相同则不变，不同则更新。</li>
        </ul>
      </Typography>
    </Card>
  );
}
