// 系统记录的工作: the work the system recorded for the user a nomination is linked to — records
// entered in the campaign's period, valid ones, and how the spot checks found them — to read beside
// the summary of deeds.
import { Card, Col, Descriptions, Row, Statistic, Typography } from 'antd';
import type { Nomination } from '../../shared/api-awards';
import { formatPermille } from './labels';

export function LinkedWorkCard({ work, pendingChange }: { work: Nomination['linkedWork']; /** The form links another user than the saved one. */ pendingChange: boolean }) {
  return (
    <Card size="small" title="系统记录的工作" data-testid="linked-work">
      {pendingChange && (
        <Typography.Paragraph type="warning" style={{ fontSize: 12 }}>
          关联用户已修改，保存后显示新关联用户的工作记录。
        </Typography.Paragraph>
      )}
      {work ? (
        <>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'user', label: '关联用户', children: `${work.displayName}（${work.roleLabel}）` },
              { key: 'unit', label: '所属单位', children: work.orgUnitName },
            ]}
          />
          <Row gutter={[12, 12]} style={{ marginTop: 8 }}>
            <Col span={12}>
              <Statistic title="录入登记" value={work.recordsEntered} suffix="条" />
            </Col>
            <Col span={12}>
              <Statistic title="有效数据" value={work.recordsValid} suffix="条" />
            </Col>
            <Col span={12}>
              <Statistic title="被抽查 / 错误" value={`${work.spotChecked} / ${work.spotWrong}`} suffix="条" />
            </Col>
            <Col span={12}>
              <Statistic title="抽查准确率" value={formatPermille(work.accuracyPermille)} styles={work.accuracyPermille !== null && work.accuracyPermille < 950 ? { content: { color: '#cf1322' } } : {}} />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
            本批次数据截止日前该用户录入的登记记录；准确率按市级抽查中已核对的记录计算。
          </Typography.Paragraph>
        </>
      ) : (
        <Typography.Text type="secondary">未关联系统用户。关联被推荐人本人的账号后，这里显示其在系统中录入的登记数据和抽查准确率，供评审参考。</Typography.Text>
      )}
    </Card>
  );
}
