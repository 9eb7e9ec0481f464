// 抽查数据 (SPEC §2): the spot checks of one district's assessment. An assessor draws a sample of the
// valid records (by count or by ratio, with an optional seed so that the draw can be repeated), marks
// each record correct or wrong, and the accuracy item 录入信息系统的数据应准确 follows from the errors.
// Anyone who sees the district may re-derive a sample from its seed (校验抽样) and print the sheet
// used to check the paper forms (抽查数据核对表).
import { CameraOutlined, CheckOutlined, CloseOutlined, ExportOutlined, FileExcelOutlined, PrinterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Radio, Select, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal, flushSync } from 'react-dom';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { spotCheckCreate, type spotCheckList, type spotCheckRecord, type spotCheckVerify, type SpotCheck } from '../../shared/api-assessment';
import { REGISTRATION_FIELDS } from '../../shared/registration';
import { ApiError, api, upload } from '../api/client';
import { formatScore, formatTime, todayShanghai } from '../common/format';
import { byNumber, byText, codeFilter, textFilter } from '../common/tableSort';
import { useNotifyError } from '../common/useNotifyError';
import { useOrgs } from '../common/useOrgs';
import { zodRule } from '../common/zodRule';
import './spotcheck-print.css';

type SpotCheckList = z.infer<typeof spotCheckList>;
type SpotCheckRecord = z.infer<typeof spotCheckRecord>;
type SpotCheckVerify = z.infer<typeof spotCheckVerify>;
type Result = SpotCheckRecord['result'];

const RESULT_LABELS: Record<Result, string> = { unchecked: '未核', correct: '正确', wrong: '错误' };
const RESULTS: readonly Result[] = ['unchecked', 'correct', 'wrong'];
const RESULT_COLORS: Record<Result, string> = { unchecked: 'default', correct: 'success', wrong: 'error' };
const METHOD_LABELS: Record<SpotCheck['method'], string> = { size: '按条数', ratio: '按比例' };

/** The field labels an assessor picks from when a record is wrong (stored as the label). */
const FIELD_OPTIONS = [...new Set(REGISTRATION_FIELDS.map((f) => f.label))].map((label) => ({ value: label, label }));
const FIELD_LABEL_BY_KEY = new Map<string, string>(REGISTRATION_FIELDS.map((f) => [f.key, f.label]));
/** A field as recorded: a label, or (should a client have sent one) a field key. */
const fieldText = (field: string | null) => (field ? (FIELD_LABEL_BY_KEY.get(field) ?? field) : '');

/** The body class that, in print, hides everything but the spot-check sheet (spotcheck-print.css). */
const PRINT_CLASS = 'spotcheck-printing';

type DrawValues = { method: 'size' | 'ratio'; size?: number | null; ratioPercent?: number | null; seed?: string };
type WrongValues = { field: string; problem: string };
type VerifyState = { loading: boolean; result?: SpotCheckVerify };

export function SpotCheckPanel(props: { campaignId: number; orgUnitId: number; canDraw: boolean; onChanged?: () => void }) {
  const { campaignId, orgUnitId, canDraw, onChanged } = props;
  const base = `/api/campaigns/${campaignId}/assessments/${orgUnitId}/spot-checks`;
  const { message, modal } = App.useApp();
  const notifyError = useNotifyError();
  const { index } = useOrgs();
  const districtName = index.byId.get(orgUnitId)?.name ?? '';

  const [list, setList] = useState<SpotCheckList | null>(null);
  const [loading, setLoading] = useState(true);
  const [drawing, setDrawing] = useState(false);
  const [marking, setMarking] = useState<number | null>(null);
  const [verify, setVerify] = useState<Record<number, VerifyState>>({});
  const [wrongFor, setWrongFor] = useState<SpotCheckRecord | null>(null);
  const [printId, setPrintId] = useState<number | null>(null);
  const [drawForm] = Form.useForm<DrawValues>();
  const [wrongForm] = Form.useForm<WrongValues>();
  const method = Form.useWatch('method', drawForm) ?? 'size';

  // Only the latest request's answer is shown.
  const requestNo = useRef(0);
  const load = useCallback(async () => {
    const n = ++requestNo.current;
    setLoading(true);
    try {
      const r = await api.get<SpotCheckList>(base);
      if (n === requestNo.current) setList(r);
    } catch (err) {
      if (n === requestNo.current) {
        setList((l) => l ?? { items: [], errors: 0, accuracyScore: null });
        notifyError(err);
      }
    } finally {
      if (n === requestNo.current) setLoading(false);
    }
  }, [base, notifyError]);

  useEffect(() => {
    setVerify({});
    void load();
  }, [load]);

  const showList = (r: SpotCheckList) => {
    requestNo.current++;
    setList(r);
    setLoading(false);
  };

  // ---------- draw ----------
  const draw = async () => {
    let v: DrawValues;
    try {
      v = await drawForm.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    const seed = v.seed?.trim() || undefined;
    const body =
      v.method === 'size'
        ? { method: 'size' as const, size: v.size ?? undefined, seed }
        : { method: 'ratio' as const, ratioPercent: v.ratioPercent ?? undefined, seed };
    const how = v.method === 'size' ? `抽取 ${v.size} 条` : `按 ${v.ratioPercent}% 的比例抽取`;
    modal.confirm({
      title: '抽取样本',
      content: (
        <>
          <p>
            从{districtName || '本区'}截止日前的有效数据中{how}。
          </p>
          <p>{seed ? `使用种子 ${seed}。` : '种子由系统生成。'}抽取结果（种子、有效数据总数及样本）将被记录，可供被抽查单位校验。</p>
        </>
      ),
      okText: '抽取',
      cancelText: '取消',
      onOk: async () => {
        setDrawing(true);
        try {
          showList(await api.post<SpotCheckList>(base, body));
          void message.success('已抽取样本');
          drawForm.setFieldValue('seed', undefined);
          onChanged?.();
        } catch (err) {
          notifyError(err);
        } finally {
          setDrawing(false);
        }
      },
    });
  };

  // ---------- mark ----------
  const mark = async (rec: SpotCheckRecord, body: { result: 'correct' } | ({ result: 'wrong' } & WrongValues)): Promise<boolean> => {
    setMarking(rec.id);
    try {
      await api.put(`/api/spot-check-records/${rec.id}`, { ...body, version: rec.version });
      void message.success(`第 ${rec.seq} 条已标记为${RESULT_LABELS[body.result]}`);
      await load();
      onChanged?.();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        void message.warning(`第 ${rec.seq} 条已被他人标记，已刷新`);
        await load();
        onChanged?.();
        return true; // the dialog closes: what it edited has changed
      }
      notifyError(err);
      return false;
    } finally {
      setMarking(null);
    }
  };

  const openWrong = (rec: SpotCheckRecord) => {
    setWrongFor(rec);
    wrongForm.setFieldsValue({ field: rec.result === 'wrong' ? fieldText(rec.field) || undefined : undefined, problem: rec.result === 'wrong' ? (rec.problem ?? '') : '' } as WrongValues);
  };

  const submitWrong = async () => {
    if (!wrongFor) return;
    let v: WrongValues;
    try {
      v = await wrongForm.validateFields();
    } catch {
      return;
    }
    if (await mark(wrongFor, { result: 'wrong', field: v.field, problem: v.problem.trim() })) setWrongFor(null);
  };

  // ---------- verify, print ----------
  const runVerify = async (s: SpotCheck) => {
    setVerify((m) => ({ ...m, [s.id]: { loading: true } }));
    try {
      const result = await api.get<SpotCheckVerify>(`${base}/${s.id}/verify`);
      setVerify((m) => ({ ...m, [s.id]: { loading: false, result } }));
    } catch (err) {
      setVerify((m) => ({ ...m, [s.id]: { loading: false } }));
      notifyError(err);
    }
  };

  const print = (s: SpotCheck) => {
    // Render the sheet first, then print with everything else hidden (spotcheck-print.css).
    flushSync(() => setPrintId(s.id));
    const body = document.body;
    body.classList.add(PRINT_CLASS);
    const done = () => body.classList.remove(PRINT_CLASS);
    window.addEventListener('afterprint', done, { once: true });
    window.print();
  };
  useEffect(() => () => document.body.classList.remove(PRINT_CLASS), []);

  const printed = list?.items.find((s) => s.id === printId) ?? null;

  const uploadPhoto = async (r: SpotCheckRecord, file: File) => {
    if (file.size > 20 * 1024 * 1024) {
      void message.error('照片不能超过 20 MB');
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      await upload(`/api/spot-check-records/${r.id}/photo`, form);
      void message.success(`第 ${r.seq} 条的照片已上传`);
      await load();
    } catch (err) {
      notifyError(err);
    }
  };

  const columns: TableColumnsType<SpotCheckRecord> = [
    { title: '序号', dataIndex: 'seq', width: 76, align: 'right', sorter: byNumber((r) => r.seq) },
    { title: '姓名', dataIndex: 'name', width: 100, sorter: byText((r) => r.name) },
    { title: '身份证号', dataIndex: 'idNumber', width: 190, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: '社区', dataIndex: 'orgUnitName', width: 160, sorter: byText((r) => r.orgUnitName), ...textFilter(list?.items.flatMap((c) => c.records) ?? [], (r) => r.orgUnitName) },
    {
      title: '登记记录',
      key: 'link',
      width: 90,
      render: (_, r) => (
        <Link to={`/registrations/${r.registrationId}`} target="_blank" rel="noopener" aria-label={`查看第 ${r.seq} 条的登记记录`}>
          查看 <ExportOutlined />
        </Link>
      ),
    },
    {
      title: '核对结果',
      key: 'result',
      sorter: (a, b) => RESULTS.indexOf(a.result) - RESULTS.indexOf(b.result),
      ...codeFilter(RESULTS, RESULT_LABELS, (r: SpotCheckRecord) => r.result),
      render: (_, r) => (
        <>
          <Tag color={RESULT_COLORS[r.result]}>{RESULT_LABELS[r.result]}</Tag>
          {r.result === 'wrong' && (
            <Typography.Text type="danger">
              {fieldText(r.field)}：{r.problem}
            </Typography.Text>
          )}
          {r.checkedAt && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(r.checkedAt)}
              </Typography.Text>
            </div>
          )}
        </>
      ),
    },
    {
      title: '纸质表照片',
      key: 'photo',
      width: 150,
      render: (_, r) => (
        <Space size={4}>
          {r.hasPhoto && (
            <a href={`/api/spot-check-records/${r.id}/photo`} target="_blank" rel="noopener" aria-label={`第 ${r.seq} 条的照片`}>
              查看照片
            </a>
          )}
          {canDraw && (
            <Upload
              accept="image/*"
              showUploadList={false}
              customRequest={({ file }) => void uploadPhoto(r, file as File)}
              aria-label={`上传第 ${r.seq} 条的照片`}
            >
              <Button size="small" icon={<CameraOutlined />}>
                {r.hasPhoto ? '更换' : '上传'}
              </Button>
            </Upload>
          )}
        </Space>
      ),
    },
  ];
  if (canDraw) {
    columns.push({
      title: '标记',
      key: 'mark',
      width: 150,
      render: (_, r) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<CheckOutlined />}
            disabled={r.result === 'correct' || (marking !== null && marking !== r.id)}
            loading={marking === r.id}
            onClick={() => void mark(r, { result: 'correct' })}
            aria-label={`第 ${r.seq} 条正确`}
          >
            正确
          </Button>
          <Button
            size="small"
            danger
            icon={<CloseOutlined />}
            disabled={marking !== null}
            onClick={() => openWrong(r)}
            aria-label={`第 ${r.seq} 条错误`}
          >
            错误
          </Button>
        </Space>
      ),
    });
  }

  return (
    <Card
      title="抽查数据"
      data-testid="spot-check-panel"
      extra={
        list !== null &&
        list.items.length > 0 && (
          <Button icon={<FileExcelOutlined />} href={`${base}.xlsx`} download data-testid="spot-check-xlsx" title="全部抽查的样本与核对结果；导出记入审计日志">
            导出 Excel
          </Button>
        )
      }
    >
      {list === null ? (
        <Spin />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert
            type={list.accuracyScore === null ? 'info' : list.errors > 0 ? 'warning' : 'success'}
            showIcon
            data-testid="spot-check-accuracy"
            title={
              list.accuracyScore === null
                ? '录入信息系统的数据应准确：尚未抽查（每发现错误一例扣 0.5 分，扣完为止）'
                : `录入信息系统的数据应准确：发现错误 ${list.errors} 例，得分 ${formatScore(list.accuracyScore)}（每例扣 0.5 分，扣完为止）`
            }
          />

          {canDraw && (
            <Form<DrawValues> form={drawForm} layout="inline" initialValues={{ method: 'size' }} onFinish={() => void draw()} style={{ rowGap: 8 }} data-testid="spot-check-draw">
              <Form.Item name="method" label="抽取方式">
                <Radio.Group
                  optionType="button"
                  options={[
                    { label: '按条数', value: 'size' },
                    { label: '按比例', value: 'ratio' },
                  ]}
                />
              </Form.Item>
              {method === 'size' ? (
                <Form.Item name="size" label="抽取条数" rules={[{ required: true, message: '请填写抽取条数' }]}>
                  <InputNumber min={1} max={10_000} precision={0} suffix="条" style={{ width: 130 }} />
                </Form.Item>
              ) : (
                <Form.Item name="ratioPercent" label="抽取比例" rules={[{ required: true, message: '请填写抽取比例' }]}>
                  <InputNumber min={0.0001} max={100} precision={4} suffix="%" style={{ width: 150 }} />
                </Form.Item>
              )}
              <Form.Item name="seed" label="种子" extra="留空由系统生成；填写相同种子可重复抽取" rules={[zodRule(spotCheckCreate.shape.seed)]}>
                <Input allowClear placeholder="可选" maxLength={64} style={{ width: 220 }} />
              </Form.Item>
              <Form.Item>
                <Button type="primary" htmlType="submit" loading={drawing}>
                  抽取样本
                </Button>
              </Form.Item>
            </Form>
          )}

          {list.items.length === 0 ? (
            <Empty description={loading ? '加载中…' : '尚未抽查'} />
          ) : (
            list.items.map((s, i) => {
              const v = verify[s.id];
              return (
                <Card
                  key={s.id}
                  type="inner"
                  size="small"
                  title={`第 ${i + 1} 次抽查`}
                  data-testid="spot-check"
                  extra={
                    <Space wrap>
                      <Button size="small" icon={<SafetyCertificateOutlined />} loading={v?.loading} onClick={() => void runVerify(s)}>
                        校验抽样
                      </Button>
                      <Button size="small" icon={<PrinterOutlined />} onClick={() => print(s)}>
                        打印抽查表
                      </Button>
                    </Space>
                  }
                >
                  <Descriptions
                    size="small"
                    column={{ xs: 1, sm: 2, lg: 3 }}
                    items={[
                      {
                        key: 'seed',
                        label: '种子',
                        children: (
                          <Typography.Text code copyable={{ text: s.seed, tooltips: ['复制种子', '已复制'] }}>
                            {s.seed}
                          </Typography.Text>
                        ),
                      },
                      { key: 'population', label: '有效数据总数', children: `${s.population} 条` },
                      { key: 'size', label: '样本条数', children: `${s.records.length} 条（${METHOD_LABELS[s.method]}）` },
                      { key: 'by', label: '抽取人', children: s.drawnBy },
                      { key: 'at', label: '抽取时间', children: formatTime(s.drawnAt) },
                      {
                        key: 'progress',
                        label: '核对进度',
                        children: (
                          <>
                            已核 {s.checked} / {s.records.length} 条，
                            <Typography.Text type={s.errors > 0 ? 'danger' : undefined}>错误 {s.errors} 例</Typography.Text>
                          </>
                        ),
                      },
                      {
                        key: 'sha',
                        label: '有效数据校验值',
                        span: 'filled',
                        children: (
                          <Typography.Text type="secondary" copyable={{ text: s.populationSha256, tooltips: ['复制校验值', '已复制'] }} style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>
                            SHA-256 {s.populationSha256}
                          </Typography.Text>
                        ),
                      },
                    ]}
                  />
                  {v?.result && (
                    <Alert
                      style={{ margin: '8px 0' }}
                      type={v.result.matches ? 'success' : 'error'}
                      showIcon
                      data-testid="spot-check-verify"
                      title={v.result.message}
                      description={
                        v.result.matches ? undefined : (
                          <span style={{ fontSize: 12 }}>
                            现有效数据 {v.result.population} 条，校验值 <span style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{v.result.populationSha256}</span>
                          </span>
                        )
                      }
                    />
                  )}
                  <Table<SpotCheckRecord>
                    rowKey="id"
                    size="small"
                    style={{ marginTop: 8 }}
                    loading={loading}
                    columns={columns}
                    dataSource={s.records}
                    scroll={{ x: 'max-content' }}
                    pagination={{ defaultPageSize: 20, hideOnSinglePage: true, showSizeChanger: true, showTotal: (t) => `共 ${t} 条` }}
                  />
                </Card>
              );
            })
          )}
        </Space>
      )}

      <Modal
        open={wrongFor !== null}
        title={wrongFor ? `标记为错误：第 ${wrongFor.seq} 条 ${wrongFor.name}` : '标记为错误'}
        okText="标记为错误"
        okButtonProps={{ danger: true, loading: wrongFor !== null && marking === wrongFor.id }}
        cancelText="取消"
        onOk={() => void submitWrong()}
        onCancel={() => setWrongFor(null)}
        forceRender
      >
        <Form<WrongValues> form={wrongForm} layout="vertical">
          <Form.Item name="field" label="错误项目" rules={[{ required: true, message: '请选择出错的项目' }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={FIELD_OPTIONS} placeholder="选择登记表中出错的项目" />
          </Form.Item>
          <Form.Item
            name="problem"
            label="错误情况"
            rules={[
              { required: true, whitespace: true, message: '请填写错误情况' },
              { max: 500, message: '错误情况不能超过 500 字' },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder="如：与纸质登记表不符，纸质表为……" />
          </Form.Item>
        </Form>
      </Modal>

      {printed && createPortal(<SpotCheckSheet spotCheck={printed} districtName={districtName} />, document.body)}
    </Card>
  );
}

/** The sheet printed for checking the sample against the paper forms; hidden on screen. */
function SpotCheckSheet({ spotCheck: s, districtName }: { spotCheck: SpotCheck; districtName: string }) {
  return (
    <div className="spotcheck-sheet" data-testid="spot-check-sheet">
      <h1>抽查数据核对表</h1>
      <div className="spotcheck-meta">
        <span>
          被抽查单位：<strong>{districtName}</strong>
        </span>
        <span>种子：{s.seed}</span>
        <span>有效数据总数：{s.population} 条</span>
        <span>样本：{s.records.length} 条</span>
        <span>
          抽取：{s.drawnBy} {formatTime(s.drawnAt)}
        </span>
      </div>
      <div className="spotcheck-hash">有效数据校验值（SHA-256）：{s.populationSha256}</div>
      <table>
        <colgroup>
          <col style={{ width: '12mm' }} />
          <col style={{ width: '20mm' }} />
          <col style={{ width: '42mm' }} />
          <col style={{ width: '26mm' }} />
          <col style={{ width: '14mm' }} />
          <col style={{ width: '22mm' }} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th>序号</th>
            <th>姓名</th>
            <th>身份证号</th>
            <th>社区</th>
            <th>核对结果</th>
            <th>错误项目</th>
            <th>错误情况</th>
          </tr>
        </thead>
        <tbody>
          {s.records.map((r) => (
            <tr key={r.id}>
              <td className="num">{r.seq}</td>
              <td>{r.name}</td>
              <td className="mono">{r.idNumber}</td>
              <td>{r.orgUnitName}</td>
              <td>{r.result === 'unchecked' ? '' : RESULT_LABELS[r.result]}</td>
              <td>{r.result === 'wrong' ? fieldText(r.field) : ''}</td>
              <td>{r.result === 'wrong' ? r.problem : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="spotcheck-signatures">
        <span>抽查人：</span>
        <span>被抽查单位：</span>
        <span>日期：&emsp;&emsp;年&emsp;&emsp;月&emsp;&emsp;日</span>
      </div>
      <div className="spotcheck-footnote">打印日期 {todayShanghai()}</div>
    </div>
  );
}
