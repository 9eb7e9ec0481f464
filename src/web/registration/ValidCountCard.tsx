// The valid count of a unit (有效数据, the fee basis) and how it is made up, optionally as of a day.
import { Card, Col, DatePicker, Row, Space, Spin, Statistic, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { todayShanghai } from '../common/format';
import { useApiGet } from '../common/useApiGet';
import { errorCodeLabel } from './labels';
import type { ValidCount } from './types';

export function ValidCountCard({ orgUnitId, unitName, refreshKey }: { orgUnitId: number | undefined; unitName: string; refreshKey: number }) {
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const { data, loading } = useApiGet<ValidCount>(orgUnitId ? '/api/registrations/valid-count' : null, { orgUnitId, asOf: asOf ? asOf.format('YYYY-MM-DD') : undefined }, refreshKey);

  const today = todayShanghai();
  return (
    <Card
      size="small"
      data-testid="valid-count"
      title={
        <Space wrap>
          <span>{unitName || '本单位'} 登记数据汇总</span>
          {loading && <Spin size="small" />}
        </Space>
      }
      extra={
        <Space>
          <Typography.Text type="secondary">截至日期</Typography.Text>
          <DatePicker
            aria-label="截至日期"
            value={asOf}
            onChange={(d) => setAsOf(d)}
            placeholder="当前"
            allowClear
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            style={{ width: 140 }}
          />
        </Space>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title="已录入" value={data?.entered ?? '—'} suffix={data ? '条' : undefined} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title="无效" value={data?.invalid ?? '—'} suffix={data ? '条' : undefined} styles={{ content: { color: data?.invalid ? '#cf1322' : undefined } }} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={
              <Tooltip title="有效但同一人已在其他记录中计入，不重复计算">
                <span style={{ cursor: 'help' }}>重复</span>
              </Tooltip>
            }
            value={data?.duplicates ?? '—'}
            suffix={data ? '条' : undefined}
            styles={{ content: { color: data?.duplicates ? '#d48806' : undefined } }}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={<strong>有效数据（计费依据）</strong>}
            value={data?.validCount ?? '—'}
            suffix={data ? '人' : undefined}
            styles={{ content: { color: '#389e0d', fontWeight: 600 } }}
          />
        </Col>
      </Row>
      {data && (
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 13 }}>
          有效数据 = 已录入 {data.entered} − 无效 {data.invalid} − 重复 {data.duplicates} = {data.validCount} 人
          {data.asOf ? `（截至 ${data.asOf} 录入的记录）` : '（当前）'}
          {data.invalidByReason.length > 0 && (
            <>
              。无效原因：
              {data.invalidByReason.map((r) => (
                <Tag key={r.code} style={{ marginInlineEnd: 4 }}>
                  {errorCodeLabel(r.code)} {r.count}
                </Tag>
              ))}
            </>
          )}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
