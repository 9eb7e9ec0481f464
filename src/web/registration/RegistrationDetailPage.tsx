// One registration record: every field grouped like the form, its status (valid, counted or a
// duplicate and where the person counts), who entered it, and every change (who, when, old → new).
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PictureOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Result, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { INSURANCE_TYPES } from '../../shared/codes/index';
import { insurancePlaceKey, insuranceSinceKey, insuranceStatusKey, type RegistrationKey } from '../../shared/registration';
import { isCityRole } from '../../shared/roles';
import { api, ApiError, errorMessage } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { formatTime } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';
import { useOrgs } from '../common/useOrgs';
import {
  canWriteRegistrations,
  displayValue,
  ENTRY_SOURCE_LABELS,
  FIELD_ORDER,
  fieldLabel,
  GUARDIAN_KEYS,
  HISTORY_ACTION_LABELS,
  HOUSEHOLD_KEYS,
  PERSON_KEYS,
  SURVEY_KEYS,
  UNINSURED_KEYS,
} from './labels';
import { countedElsewhereText, isDuplicate } from './StatusTags';
import { OtherRecords } from './OtherRecords';
import type { RegistrationDetail, RegistrationHistoryEntry } from './types';
import './registration.css';

export function RegistrationDetailPage() {
  const params = useParams();
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) return <Result status="404" title="404" subTitle="登记记录不存在。" />;
  return <Detail key={id} id={id} />;
}

function Detail({ id }: { id: number }) {
  const me = useUser();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const { index } = useOrgs();
  const [r, setR] = useState<RegistrationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let alive = true;
    api.get<RegistrationDetail>(`/api/registrations/${id}`).then(
      (x) => {
        if (alive) setR(x);
      },
      (err: unknown) => {
        if (alive) setError(err);
      },
    );
    return () => {
      alive = false;
    };
  }, [id, tick]);

  if (!r) {
    if (error instanceof ApiError && error.status === 404) return <Result status="404" title="404" subTitle="登记记录不存在、已删除或不在您的管辖范围内。" />;
    if (error) return <Result status="error" title="加载失败" subTitle={errorMessage(error)} />;
    return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  }

  const writer = canWriteRegistrations(me.role) && !r.masked;
  const v = (k: RegistrationKey) => displayValue(k, r.record[k]);
  const items = (keys: RegistrationKey[], span?: (k: RegistrationKey) => number | undefined) =>
    keys.map((k) => ({ key: k, label: fieldLabel(k), children: v(k), ...(span?.(k) ? { span: span(k) } : {}) }));

  const remove = () => {
    modal.confirm({
      title: '删除登记记录',
      content: '确定删除该登记记录吗？删除后不计入有效数据。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.delete(`/api/registrations/${r.id}?version=${r.version}`);
          void message.success('已删除');
          navigate('/registrations', { replace: true });
        } catch (err) {
          if (err instanceof ApiError && err.code === 'CONFLICT') {
            modal.warning({ title: '该记录已被他人修改', content: `${err.message}（已重新载入最新内容）`, okText: '确定' });
            setTick((t) => t + 1);
          } else notifyError(err);
        }
      },
    });
  };

  const c = r.countedElsewhere;
  // The counted record can be opened when its unit is in the user's tree (the server checks anyway).
  const canOpenCounted = !!c && (isCityRole(me.role) || [...index.byId.values()].some((u) => u.name === c.orgUnitName));
  const enteredBy = r.history.find((h) => h.action === 'create' || h.action === 'import');

  const insuranceRows = INSURANCE_TYPES.map((t) => ({
    key: t.code,
    label: t.label,
    status: v(insuranceStatusKey(t.code)),
    place: v(insurancePlaceKey(t.code)),
    since: v(insuranceSinceKey(t.code)),
  }));

  return (
    <div className="reg-detail">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card
          title={
            <Space wrap>
              <Link to="/registrations" aria-label="返回登记记录" className="no-print">
                <ArrowLeftOutlined />
              </Link>
              <span>全民参保登记表 · {r.record.name ?? '—'}</span>
              {r.isValid ? <Tag color="success">有效</Tag> : <Tag color="error">无效</Tag>}
              {r.isValid && r.isCounted && <Tag color="processing">计入有效数据</Tag>}
              {isDuplicate(r) && <Tag color="warning">重复</Tag>}
            </Space>
          }
          extra={
            <Space className="no-print" wrap>
              <Button icon={<PrinterOutlined />} href={`/registrations/${r.id}/print`} target="_blank" rel="noopener" data-testid="print-registration">
                打印登记表
              </Button>
              {writer && (
                <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/registrations/${r.id}/edit`)} data-testid="edit">
                  修改
                </Button>
              )}
              {writer && (
                <Button danger icon={<DeleteOutlined />} onClick={remove} data-testid="delete">
                  删除
                </Button>
              )}
            </Space>
          }
        >
          {!r.isValid && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              title={`该记录有 ${r.errors.length} 处问题，为无效数据，不计入有效数据${writer ? '，请修改后保存' : ''}：`}
              description={
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {r.errors.map((e) => (
                    <li key={e.field}>{e.message}</li>
                  ))}
                </ul>
              }
            />
          )}
          {isDuplicate(r) && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={
                <>
                  {countedElsewhereText(r)}
                  {c && `（录入于 ${formatTime(c.enteredAt)}）`}，本记录不重复计入有效数据。
                  {c && canOpenCounted && (
                    <Link to={`/registrations/${c.registrationId}`} className="no-print" style={{ marginLeft: 8 }}>
                      查看计入的记录
                    </Link>
                  )}
                </>
              }
            />
          )}
          {r.isValid && r.isCounted && (
            <Alert type="success" showIcon style={{ marginBottom: 12 }} title={`该人员在本记录计入有效数据${r.countedByCity ? '（由市级指定）' : ''}。`} />
          )}
          <OtherRecords r={r} isCityAdmin={me.role === 'city_admin'} onChanged={() => setTick((t) => t + 1)} />
          {r.masked && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="证件号码和电话按个人信息保护要求脱敏显示，出生日期只显示年份。" />}
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2, xl: 3 }}
            items={[
              { key: 'org', label: '登记社区/村', children: r.orgUnitName },
              { key: 'by', label: '录入人', children: enteredBy?.username ?? `用户 #${r.enteredBy}` },
              { key: 'at', label: '录入时间', children: formatTime(r.enteredAt) },
              { key: 'src', label: '录入方式', children: ENTRY_SOURCE_LABELS[r.entrySource] ?? r.entrySource },
              { key: 'upd', label: '最后修改', children: formatTime(r.updatedAt) },
              { key: 'no', label: '记录编号', children: `${r.id}（第 ${r.version + 1} 版）` },
              ...(r.hasPhoto
                ? [
                    {
                      key: 'photo',
                      label: '纸质登记表照片',
                      // The photo shows the full ID number: only roles that see the record unmasked may open it (the server checks).
                      children: r.masked ? (
                        <Typography.Text type="secondary">有（含完整证件号码，无权查看）</Typography.Text>
                      ) : (
                        <Button size="small" icon={<PictureOutlined />} href={`/api/registrations/${r.id}/photo`} target="_blank" rel="noopener" className="no-print" data-testid="registration-photo">
                          查看照片
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>

        <Section title="户信息">
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} items={items(HOUSEHOLD_KEYS)} />
        </Section>
        <Section title="个人信息">
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2, xl: 3 }}
            items={items(PERSON_KEYS)}
          />
        </Section>
        <Section title="参保情况">
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={insuranceRows}
            scroll={{ x: 520 }}
            columns={[
              { title: '险种', dataIndex: 'label', width: 200 },
              { title: '参保状态', dataIndex: 'status', width: 110 },
              { title: '参保地', dataIndex: 'place' },
              { title: '参保年月', dataIndex: 'since', width: 100 },
            ]}
          />
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }} items={items(UNINSURED_KEYS)} />
        </Section>
        {GUARDIAN_KEYS.some((k) => r.record[k]) && (
          <Section title="监护人">
            <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} items={items(GUARDIAN_KEYS)} />
          </Section>
        )}
        <Section title="调查信息">
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} items={items(SURVEY_KEYS)} />
        </Section>
        <Section title="修改记录" className="reg-history">
          <History entries={r.history} />
        </Section>
      </Space>
    </div>
  );
}

function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <Card size="small" title={title} className={`reg-section ${className ?? ''}`}>
      {children}
    </Card>
  );
}

function History({ entries }: { entries: RegistrationHistoryEntry[] }) {
  if (!entries.length) return <Typography.Text type="secondary">暂无记录</Typography.Text>;
  const ordered = [...entries].reverse();
  return (
    <Timeline
      titleSpan="150px"
      items={ordered.map((h) => {
        const changes = Object.entries(h.changes).sort((a, b) => (FIELD_ORDER.get(a[0]) ?? 999) - (FIELD_ORDER.get(b[0]) ?? 999));
        const who = h.username ?? (h.userId !== null ? `用户 #${h.userId}` : '系统');
        const list = (
          <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
            {changes.map(([k, [o, n]]) => (
              <li key={k}>
                {fieldLabel(k)}：
                {h.action === 'create' ? (
                  displayValue(k, n)
                ) : (
                  <>
                    <Typography.Text delete type="secondary">
                      {displayValue(k, o)}
                    </Typography.Text>{' '}
                    → {displayValue(k, n)}
                  </>
                )}
              </li>
            ))}
          </ul>
        );
        return {
          key: h.id,
          color: h.action === 'delete' ? 'red' : h.action === 'create' ? 'green' : 'blue',
          title: formatTime(h.at),
          content: (
            <div>
              <Typography.Text strong>
                {who} {HISTORY_ACTION_LABELS[h.action] ?? h.action}
              </Typography.Text>
              {changes.length === 0 ? (
                h.action === 'update' ? (
                  <Typography.Text type="secondary">（内容未变化）</Typography.Text>
                ) : null
              ) : h.action === 'create' ? (
                <details>
                  <summary style={{ cursor: 'pointer', color: '#1677ff' }}>填写了 {changes.length} 项</summary>
                  {list}
                </details>
              ) : (
                list
              )}
            </div>
          ),
        };
      })}
    />
  );
}
