// The scorecard laid out like 附件2 of the regulation: 考核项目 spans its items, then 考核标准 and 标准分,
// and a 合计 row computed from the items.
import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Campaign } from '../api/types';
import { formatScore } from '../common/format';
import { CRITERION_KIND_LABELS } from './labels';
import { scorecardSums } from './rules';

type Category = Campaign['categories'][number];
type Criterion = Category['criteria'][number];
type Row = { key: string; category: Category; criterion: Criterion; span: number };

function toRows(categories: readonly Category[]): Row[] {
  const rows: Row[] = [];
  for (const category of [...categories].sort((a, b) => a.seq - b.seq)) {
    const criteria = [...category.criteria].sort((a, b) => a.seq - b.seq);
    criteria.forEach((criterion, i) => {
      rows.push({ key: `${category.id}-${criterion.id}`, category, criterion, span: i === 0 ? criteria.length : 0 });
    });
  }
  return rows;
}

export function ScorecardTable({ categories }: { categories: Campaign['categories'] }) {
  const rows = toRows(categories);
  const { criteriaTotal } = scorecardSums(categories);

  const columns: ColumnsType<Row> = [
    {
      title: '考核项目',
      key: 'category',
      width: 140,
      align: 'center',
      onCell: (r) => ({ rowSpan: r.span }),
      render: (_, r) => (
        <div>
          <div style={{ fontWeight: 500 }}>{r.category.name}</div>
          <div>（{formatScore(r.category.maxScore)}分）</div>
        </div>
      ),
    },
    {
      title: '考核标准',
      key: 'text',
      render: (_, r) => (
        <>
          {r.criterion.text}
          {r.criterion.kind === 'accuracy' && (
            <Tag color="blue" style={{ marginInlineStart: 8 }}>
              {CRITERION_KIND_LABELS.accuracy}
            </Tag>
          )}
        </>
      ),
    },
    { title: '标准分', key: 'maxScore', width: 90, align: 'center', render: (_, r) => formatScore(r.criterion.maxScore) },
  ];

  return (
    <div data-testid="scorecard-table">
      <Table<Row>
        bordered
        size="middle"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={columns}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2} align="center">
              <strong>合计</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="center">
              <strong data-testid="scorecard-total">{formatScore(criteriaTotal)}</strong>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
    </div>
  );
}
