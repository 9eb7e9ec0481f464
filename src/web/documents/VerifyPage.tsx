// 文书核验 — the public page a printed document's QR code leads to (no login): whether the paper is the
// current version of the document (有效) or was replaced or withdrawn (已作废, with the date and the
// newer number), and what it certifies. Unknown numbers get a plain "not found".
import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import { Card, Descriptions, Result, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { DocumentVerification } from '../../shared/api-documents';
import { api, ApiError, errorMessage } from '../api/client';
import { formatTime } from '../common/format';
import './verify.css';

type State = { kind: 'loading' } | { kind: 'found'; v: DocumentVerification } | { kind: 'missing' } | { kind: 'error'; message: string };

export function VerifyPage() {
  const { docNumber = '' } = useParams();
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let alive = true;
    setState({ kind: 'loading' });
    document.title = `文书核验 · ${docNumber}`;
    api
      .get<DocumentVerification>(`/api/verify/${encodeURIComponent(docNumber)}`, undefined, { noAuthRedirect: true, noReauth: true })
      .then((v) => alive && setState({ kind: 'found', v }))
      .catch((err: unknown) => {
        if (!alive) return;
        // A malformed number is as unknown as a missing one.
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setState({ kind: 'missing' });
        else setState({ kind: 'error', message: errorMessage(err) });
      });
    return () => {
      alive = false;
    };
  }, [docNumber]);

  return (
    <div className="verify-page">
      <div className="verify-head">
        <div className="verify-org">常州市社会保险经办机构 · 全民参保登记</div>
        <h1>文书核验</h1>
      </div>
      <Card className="verify-card">
        {state.kind === 'loading' && (
          <div style={{ textAlign: 'center', padding: 40 }}>
            <Spin />
          </div>
        )}
        {state.kind === 'missing' && (
          <Result
            icon={<QuestionCircleFilled style={{ color: '#faad14' }} />}
            title="未找到该文书"
            subTitle={
              <>
                系统中没有编号为 <Typography.Text code>{docNumber}</Typography.Text> 的文书。请核对编号，或联系出具单位。
              </>
            }
            data-testid="verify-not-found"
          />
        )}
        {state.kind === 'error' && <Result status="error" title="暂时无法核验" subTitle={state.message} />}
        {state.kind === 'found' && <Verification v={state.v} />}
      </Card>
      <div className="verify-foot">
        本页面仅显示文书所证明的内容（个人信息已脱敏）。<Link to="/login">工作人员登录</Link>
      </div>
    </div>
  );
}

function Verification({ v }: { v: DocumentVerification }) {
  const valid = v.state === 'valid';
  return (
    <div data-testid="verify-result" data-state={v.state}>
      <div className={`verify-state ${valid ? 'ok' : 'bad'}`} data-testid="verify-state">
        {valid ? <CheckCircleFilled /> : <CloseCircleFilled />}
        <div>
          <div className="verify-state-title">{valid ? '有效：与系统记录一致' : '已作废：该文书已被取代或撤回'}</div>
          <div className="verify-state-sub">
            {valid
              ? '该编号是此文书的现行版本。请核对下列内容与纸质文书一致。'
              : `作废时间：${formatTime(v.supersededAt)}${v.supersededBy ? `；现行文书编号：${v.supersededBy}` : ''}。请勿以此纸质文书为依据。`}
          </div>
        </div>
      </div>
      <Descriptions
        bordered
        size="small"
        column={1}
        styles={{ label: { width: 120 } }}
        items={[
          { key: 'kind', label: '文书类型', children: v.kindLabel },
          { key: 'doc', label: '文书编号', children: <span data-testid="verify-doc-number">{v.docNumber}</span> },
          { key: 'issued', label: '出具时间', children: formatTime(v.issuedAt) },
          ...(v.supersededBy
            ? [{ key: 'newer', label: '现行文书编号', children: <Link to={`/verify/${encodeURIComponent(v.supersededBy)}`}>{v.supersededBy}</Link> }]
            : []),
          ...v.lines.map((l, i) => ({ key: `l${i}`, label: l.label, children: l.value })),
          {
            key: 'sha',
            label: '内容摘要',
            children: (
              <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                SHA-256 {v.contentSha256}
              </Typography.Text>
            ),
          },
        ]}
      />
    </div>
  );
}
