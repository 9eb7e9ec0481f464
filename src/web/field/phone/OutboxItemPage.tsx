// One record saved on the phone: its state and what the server said. A conflict is settled here,
// field by field against the server's record (merged into it, kept as a second registration of the
// same person, or the server's record kept); a refused record is corrected and sent again.
import { Alert, App, Button, Card, Descriptions, Radio, Result, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { maskRegistrationRecord } from '../../../domain/masking';
import { REGISTRATION_KEYS, type RegistrationKey } from '../../../shared/registration';
import { formatTime } from '../../common/format';
import { displayValue, fieldLabel } from '../../registration/labels';
import { cleanValue } from '../../registration/registrationForm';
import { OUTBOX_STATE_LABELS, type OutboxItem } from './db';
import { shownIdNumber, STATE_COLORS } from './labels';
import { usePhone, usePhoneDb } from './PhoneContext';
import { formatKb } from './photo';

export function OutboxItemPage() {
  const clientId = useParams().clientId ?? '';
  const { outbox } = usePhone();
  const item = outbox.find((i) => i.clientId === clientId);
  if (!item) return <Result status="404" title="本机没有这条记录" extra={<Link to="/outbox">返回待上传</Link>} />;
  return <ItemView item={item} />;
}

function ItemView({ item }: { item: OutboxItem }) {
  const { db } = usePhoneDb();
  const { reloadOutbox } = usePhone();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const r = item.result;
  const photoUrl = useMemo(() => (item.photo ? URL.createObjectURL(item.photo) : null), [item.photo]);
  useEffect(() => () => void (photoUrl && URL.revokeObjectURL(photoUrl)), [photoUrl]);

  const remove = () =>
    modal.confirm({
      title: '删除本机记录？',
      content: `${item.values.name || '该记录'}尚未保存到服务器，删除后无法恢复。`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        await db.delete('outbox', item.clientId);
        await reloadOutbox();
        void message.success('已删除');
        navigate('/outbox', { replace: true });
      },
    });

  const editable = item.state === 'pending' || item.state === 'rejected';
  return (
    <>
      <Card size="small">
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {item.values.name || '（未填姓名）'}
          </Typography.Title>
          <Tag color={STATE_COLORS[item.state]} data-testid="item-state">
            {OUTBOX_STATE_LABELS[item.state]}
          </Tag>
        </Space>
        <Descriptions
          size="small"
          column={1}
          style={{ marginTop: 8 }}
          items={[
            { key: 'id', label: '身份证号', children: shownIdNumber(item.values.idNumber) },
            { key: 'c', label: '社区/村', children: item.communityName },
            { key: 't', label: '保存时间', children: formatTime(item.savedAt) },
            { key: 'v', label: '本机校验', children: item.localValid ? '通过' : '有问题（保存为无效数据）' },
            ...(r?.registrationId && item.state === 'uploaded' ? [{ key: 'r', label: '服务器记录', children: `编号 ${r.registrationId}${r.isValid === false ? '（无效数据）' : ''}` }] : []),
            { key: 'p', label: '登记表照片', children: item.photo ? `本机待上传（${formatKb(item.photo.size)}）` : item.photoUploaded ? '已上传' : '无' },
            ...(item.resolution ? [{ key: 's', label: '处理结果', children: item.resolution }] : []),
          ]}
        />
        {photoUrl && <img src={photoUrl} alt="纸质登记表照片" className="phone-photo" />}
        {item.lastError && <Alert type="warning" showIcon title={item.lastError} style={{ marginTop: 8 }} />}
      </Card>

      {item.state === 'rejected' && (
        <Alert
          type="error"
          showIcon
          data-testid="rejected-reasons"
          title={`服务器拒绝保存：${r?.message ?? '原因未知'}`}
          description={r?.errors?.length ? <ul style={{ paddingLeft: 18, margin: 0 }}>{r.errors.map((e) => <li key={e.field}>{e.message}</li>)}</ul> : '请修改后重新提交。'}
        />
      )}
      {item.state === 'uploaded' && r?.isValid === false && r.errors?.length ? (
        <Alert type="warning" showIcon title="已上传，但服务器判定为无效数据" description={<ul style={{ paddingLeft: 18, margin: 0 }}>{r.errors.map((e) => <li key={e.field}>{e.message}</li>)}</ul>} />
      ) : null}

      {item.state === 'conflict' && <ConflictResolver item={item} />}

      {editable && (
        <div className="phone-actions">
          <Button danger onClick={remove}>
            删除
          </Button>
          <Button type="primary" onClick={() => navigate(item.changes && item.registrationId !== undefined ? `/c/${item.orgUnitId}/p/${item.registrationId}?clientId=${item.clientId}` : `/c/${item.orgUnitId}/new?clientId=${item.clientId}`)} data-testid="edit-item">
            {item.state === 'rejected' ? '修改后重新提交' : '修改'}
          </Button>
        </div>
      )}
    </>
  );
}

type Choice = 'mine' | 'server';

/** The conflict of a record with the server's: each differing field chosen from the phone or the server. */
function ConflictResolver({ item }: { item: OutboxItem }) {
  const { db } = usePhoneDb();
  const { reloadOutbox, sync, online, session } = usePhone();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const r = item.result;
  const server = r?.server;
  const others = r?.otherRecords ?? [];

  // What differs: the phone's values compared as the server shows them (masked fields masked alike).
  const rows = useMemo(() => {
    if (!server) return [];
    // An edit compares what it changes; a new record, every field.
    const keys = item.changes ? (Object.keys(item.changes) as RegistrationKey[]) : REGISTRATION_KEYS;
    const mine: Record<string, string | null> = {};
    for (const k of keys) mine[k] = item.changes ? (item.changes[k] ?? null) : cleanValue(item.values[k]);
    const shownMine = server.masked ? maskRegistrationRecord(mine) : mine;
    return keys.filter((k) => (shownMine[k] ?? '') !== (server.record[k] ?? '')).map((k) => ({
      key: k,
      mine: mine[k] ?? '',
      mineShown: shownMine[k] ?? '',
      server: server.record[k] ?? '',
    }));
  }, [server, item.values, item.changes]);

  const [choice, setChoice] = useState<Record<string, Choice>>(() => Object.fromEntries(rows.map((row) => [row.key, row.mine ? 'mine' : 'server'])));

  const settle = async (patch: Partial<OutboxItem>, done: string, upload: boolean) => {
    const next: OutboxItem = { ...item, ...patch, updatedAt: new Date().toISOString() };
    await db.put('outbox', next);
    await reloadOutbox();
    void message.success(done);
    if (upload && online && session !== 'expired') void sync();
    navigate('/outbox', { replace: true });
  };

  const merge = () => {
    if (!server) return;
    const changes: Record<string, string | null> = {};
    for (const row of rows) if (choice[row.key] === 'mine') changes[row.key] = row.mine === '' ? null : row.mine;
    if (Object.keys(changes).length === 0) {
      keepServer();
      return;
    }
    void settle(
      { state: 'pending', registrationId: server.id, baseVersion: server.version, orgUnitId: server.orgUnitId, changes, confirmDuplicate: undefined, resolution: `合并到服务器记录（${Object.keys(changes).length} 项取本机）` },
      '已合并，等待上传',
      true,
    );
  };

  const keepServer = () =>
    modal.confirm({
      title: '采用服务器记录？',
      content: '本机记录不再上传（照片也不上传），服务器上的记录保持不变。',
      okText: '采用服务器记录',
      cancelText: '取消',
      onOk: () => settle({ state: 'uploaded', photo: undefined, resolution: '采用服务器记录，本机记录未上传' }, '已采用服务器记录', false),
    });

  const keepBoth = () =>
    modal.confirm({
      title: '仍然登记？',
      content: '服务器上已有该身份证号的登记记录。仍然登记将保存为同一人的重复登记（只计一次有效数据）。',
      okText: '仍然登记',
      cancelText: '取消',
      onOk: () => settle({ state: 'pending', confirmDuplicate: true, resolution: '确认仍然登记（重复登记）' }, '已确认，等待上传', true),
    });

  const isNew = item.registrationId === undefined;
  return (
    <Card size="small" title="冲突处理" data-testid="conflict">
      <Alert type="warning" showIcon title={r?.message ?? '与服务器上的记录冲突'} style={{ marginBottom: 8 }} />
      {others.length > 0 && (
        <ul style={{ paddingLeft: 18, marginTop: 0 }} data-testid="other-records">
          {others.map((o) => (
            <li key={o.registrationId}>
              {o.districtName ?? ''}
              {o.orgUnitName} · {formatTime(o.enteredAt)} 登记 · {o.isValid ? (o.isCounted ? '有效、计入' : '有效') : '无效'}
            </li>
          ))}
        </ul>
      )}
      {server ? (
        rows.length === 0 ? (
          <Typography.Paragraph>本机记录与服务器记录内容相同。</Typography.Paragraph>
        ) : (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              以下 {rows.length} 项不同，请逐项选择保留哪一方（服务器记录按您的权限脱敏显示）：
            </Typography.Paragraph>
            <Table
              size="small"
              pagination={false}
              rowKey="key"
              dataSource={rows}
              columns={[
                { title: '项目', dataIndex: 'key', width: 84, render: (k: RegistrationKey) => fieldLabel(k) },
                {
                  title: '保留',
                  key: 'pick',
                  render: (_, row) => (
                    <Radio.Group
                      value={choice[row.key]}
                      onChange={(e) => setChoice((c) => ({ ...c, [row.key]: e.target.value as Choice }))}
                      aria-label={`${fieldLabel(row.key)}保留哪一方`}
                      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                    >
                      <Radio value="mine" data-testid={`pick-mine-${row.key}`}>
                        本机：{displayValue(row.key, row.mineShown) || '（空）'}
                      </Radio>
                      <Radio value="server" data-testid={`pick-server-${row.key}`}>
                        服务器：{displayValue(row.key, row.server) || '（空）'}
                      </Radio>
                    </Radio.Group>
                  ),
                },
              ]}
            />
          </>
        )
      ) : (
        <Typography.Paragraph>该身份证号已在您无权查看的单位登记。可确认仍然登记（重复登记只计一次），或放弃本机记录。</Typography.Paragraph>
      )}
      <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
        {server && (
          <Button type="primary" block onClick={merge} data-testid="resolve-merge">
            按所选合并到服务器记录
          </Button>
        )}
        {server && (
          <Button block onClick={keepServer} data-testid="resolve-server">
            采用服务器记录，不上传本机记录
          </Button>
        )}
        {isNew && (
          <Button block onClick={keepBoth} data-testid="resolve-duplicate">
            仍然登记（同一人重复登记）
          </Button>
        )}
        {!server && (
          <Button block danger onClick={keepServer} data-testid="resolve-drop">
            放弃本机记录
          </Button>
        )}
      </Space>
    </Card>
  );
}
