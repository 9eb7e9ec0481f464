// 名额分配 (seed 五（二）): per unit the quota, the nominations that count against it (submitted,
// approved or rejected — drafts do not) and what is left.
import { Card, Col, Progress, Row, Typography } from 'antd';
import type { Quota } from './labels';

export function QuotaCards({ quotas }: { quotas: Quota[] }) {
  if (quotas.length === 0) return null;
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="quota-cards">
      {quotas.map((q) => {
        const left = q.quota - q.used;
        return (
          <Col key={q.orgUnitId} xs={12} md={8} xl={6}>
            <Card size="small" data-testid={`quota-${q.orgUnitId}`} styles={{ body: { padding: '10px 14px' } }}>
              <Typography.Text strong>{q.orgUnitName}</Typography.Text>
              <div className="award-quota-figures">
                <span>
                  名额 <b>{q.quota}</b>
                </span>
                <span>
                  已推荐 <b>{q.used}</b>
                </span>
                <span>
                  剩余 <b className={left <= 0 ? 'award-quota-full' : undefined} data-testid="quota-left">{Math.max(0, left)}</b>
                </span>
              </div>
              <Progress aria-label={`${q.orgUnitName}名额使用情况`} percent={q.quota === 0 ? 100 : Math.round((q.used / q.quota) * 100)} showInfo={false} size="small" status={left < 0 ? 'exception' : left === 0 ? 'success' : 'normal'} />
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
