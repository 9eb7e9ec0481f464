// The audit log's latest verification (issue 13 item 6): a red alert on the city admin's home page
// and on the audit page when the chain, a MAC or a recorded head does not check out; on the audit
// page also the good news (when it was checked and the latest recorded head).
import { Alert, Card } from 'antd';
import { useEffect, useState, type CSSProperties } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { AuditStatus } from '../api/types';
import { formatTimeSeconds } from '../common/format';
import { useNotifyError } from '../common/useNotifyError';

export function useAuditStatus(refreshKey = 0): AuditStatus | null {
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<AuditStatus | null>(null);
  useEffect(() => {
    let alive = true;
    api
      .get<AuditStatus>('/api/audit/status')
      .then((s) => {
        if (alive) setStatus(s);
      })
      .catch((err: unknown) => {
        if (alive) notifyError(err);
      });
    return () => {
      alive = false;
    };
  }, [notifyError, refreshKey]);
  return status;
}

function failureText(s: AuditStatus): string {
  return `${s.check?.reason ?? '校验未通过'}（校验时间 ${s.check ? formatTimeSeconds(s.check.checkedAt) : '—'}）`;
}

/** Home page (city admin): shown only when the latest verification failed. */
export function AuditAlertCard(props: { style?: CSSProperties }) {
  const status = useAuditStatus();
  if (!status?.check || status.check.ok) return null;
  return (
    <Card size="small" style={{ borderColor: '#ff4d4f', ...props.style }} data-testid="audit-alert-card">
      <Alert
        type="error"
        showIcon
        title="审计日志完整性校验失败：日志可能被篡改，请立即核查数据库访问记录"
        description={
          <>
            <div data-testid="audit-alert-reason">{failureText(status)}</div>
            <Link to="/audit">查看审计日志</Link>
          </>
        }
      />
    </Card>
  );
}

/** Audit page: the state of the latest verification, good or bad. */
export function AuditStatusLine(props: { refreshKey: number }) {
  const status = useAuditStatus(props.refreshKey);
  if (!status?.check) return null;
  const c = status.check;
  const head = status.lastHead ? `；最近锚点：${formatTimeSeconds(status.lastHead.at)}，共 ${status.lastHead.count} 条` : '';
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      type={c.ok ? 'info' : 'error'}
      data-testid="audit-status"
      title={
        c.ok
          ? `最近一次自动校验：日志完整（${formatTimeSeconds(c.checkedAt)}，${c.mode === 'full' ? '全量' : '增量'}校验，共 ${c.total} 条${head}）`
          : `审计日志完整性校验失败：${failureText(status)}`
      }
    />
  );
}
