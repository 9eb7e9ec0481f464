// One community: start a household, continue the unfinished form, the persons saved on this phone
// and those already registered on the server (masked, as cached).
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Input, Result, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { displayValue } from '../../registration/labels';
import { draftKeyOf, newClientId, OUTBOX_STATE_LABELS, type FormDraft } from './db';
import { shownIdNumber, STATE_COLORS } from './labels';
import { usePhone, usePhoneDb } from './PhoneContext';

export function CommunityPage() {
  const orgUnitId = Number(useParams().orgUnitId);
  const { tasks, outbox } = usePhone();
  const { db } = usePhoneDb();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const [draft, setDraft] = useState<FormDraft | null>(null);
  const [q, setQ] = useState('');
  const task = tasks.find((t) => t.orgUnitId === orgUnitId);

  useEffect(() => {
    void db.get('drafts', draftKeyOf(orgUnitId)).then((d) => setDraft(d ?? null));
  }, [db, orgUnitId]);

  const mine = useMemo(() => outbox.filter((i) => i.orgUnitId === orgUnitId).reverse(), [outbox, orgUnitId]);
  const persons = useMemo(() => {
    const s = q.trim();
    const all = task?.persons ?? [];
    return s ? all.filter((p) => p.name.includes(s) || p.idNumber.includes(s)) : all;
  }, [task, q]);

  const startHousehold = () => {
    const go = () => navigate(`/c/${orgUnitId}/new?household=${newClientId()}`);
    if (!draft) {
      go();
      return;
    }
    modal.confirm({
      title: '放弃未完成的登记？',
      content: `还有一份未保存的登记（${draft.values.name || '未填姓名'}）。开始新户将删除这份草稿。`,
      okText: '删除草稿，登记新户',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        await db.delete('drafts', draftKeyOf(orgUnitId));
        go();
      },
    });
  };

  if (!task) return <Result status="404" title="不在您的任务中" subTitle="该社区/村未分配给您，或任务列表尚未下载。" extra={<Link to="/">返回任务</Link>} />;

  return (
    <>
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="community-name">
        {task.name}
      </Typography.Title>
      <Typography.Text type="secondary">
        已登记 {task.registered} 人 · 有效 {task.valid} 人{task.target !== null ? ` · 目标 ${task.target} 人` : ''}
      </Typography.Text>
      {draft && (
        <Button size="large" block onClick={() => navigate(`/c/${orgUnitId}/new`)} data-testid="continue-draft">
          继续未完成的登记（{draft.values.name || '未填姓名'}）
        </Button>
      )}
      <Button type="primary" size="large" block icon={<PlusOutlined />} onClick={startHousehold} data-testid="new-household">
        登记新户
      </Button>

      <Card size="small" title={`本机记录（${mine.length}）`}>
        {mine.length === 0 ? (
          <Typography.Text type="secondary">本社区还没有在本机保存的记录。</Typography.Text>
        ) : (
          mine.map((i) => (
            <Link key={i.clientId} to={`/outbox/${i.clientId}`} className="phone-row" style={{ padding: '8px 0' }} data-testid="local-person">
              <div className="grow">
                <div>{i.values.name || '（未填姓名）'}</div>
                <div className="sub">{shownIdNumber(i.values.idNumber)}</div>
              </div>
              <Tag color={STATE_COLORS[i.state]}>{OUTBOX_STATE_LABELS[i.state]}</Tag>
            </Link>
          ))
        )}
      </Card>

      <Card size="small" title={`已登记（${task.persons.length}）`}>
        <Input.Search placeholder="按姓名或身份证号查找" allowClear value={q} onChange={(e) => setQ(e.target.value)} aria-label="查找已登记人员" style={{ marginBottom: 8 }} />
        {persons.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? '没有找到' : '尚无登记记录'} />
        ) : (
          persons.slice(0, 200).map((p) => (
            <Link key={p.id} to={`/c/${orgUnitId}/p/${p.id}`} className="phone-row" style={{ padding: '8px 0' }} data-testid="server-person">
              <div className="grow">
                <div>
                  {p.name} {p.relationToHead ? <Typography.Text type="secondary">（{displayValue('relationToHead', p.relationToHead)}）</Typography.Text> : null}
                </div>
                <div className="sub">{p.idNumber}</div>
              </div>
              <Tag color={p.isValid ? 'success' : 'default'}>{p.isValid ? '有效' : '无效'}</Tag>
            </Link>
          ))
        )}
        {persons.length > 200 && <Typography.Text type="secondary">仅显示前 200 人，请输入姓名查找。</Typography.Text>}
      </Card>
    </>
  );
}
