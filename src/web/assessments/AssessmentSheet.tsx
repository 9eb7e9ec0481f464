// The scorecard on screen in the layout of 附件2: 考核项目 (with its 分值) spans its items and their
// 小计 row; then 考核内容与标准, 标准分, 自评分, 自评说明, 佐证材料, 考核分, 考核意见; a 合计 row.
// Scores are typed as text ('4.5', '４．５') and checked with the domain's rules as the user types;
// subtotals and the total are computed, never typed. Enter moves to the next row's score.
import { Input, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { KeyboardEvent } from 'react';
import type { Assessment, AssessmentItem, EvidenceFile } from '../../shared/api-assessment';
import { formatScore } from '../../domain/score';
import { EvidenceCell } from './EvidenceCell';
import { showScore, type ParsedScore } from './labels';

type Category = Assessment['categories'][number];
export type DraftEntry = { score: string; note: string };
export type Draft = Record<number, DraftEntry>;
export type ScoreKind = 'self' | 'assessed';

/** The values shown (and printed, and summed): typed ones while editing, else the saved ones. */
export type Effective = { score: number | null; note: string };

type Row =
  | { key: string; type: 'item'; category: Category; item: AssessmentItem; index: number; span: number }
  | { key: string; type: 'subtotal'; category: Category };

function toRows(categories: readonly Category[]): Row[] {
  const rows: Row[] = [];
  let index = 0;
  for (const category of categories) {
    category.items.forEach((item, i) => {
      rows.push({ key: `i${item.criterionId}`, type: 'item', category, item, index: index++, span: i === 0 ? category.items.length + 1 : 0 });
    });
    rows.push({ key: `c${category.id}`, type: 'subtotal', category });
  }
  return rows;
}

export const ACCURACY_NOTE = '按抽查结果自动计算：每发现一例错误扣 0.5 分';

/** Focus the first score box of this kind after row `index` (rows without one are skipped). */
function focusScoreAfter(kind: ScoreKind, index: number): boolean {
  const boxes = Array.from(document.querySelectorAll<HTMLInputElement>(`input[data-score-kind="${kind}"]`));
  const next = boxes.find((el) => Number(el.dataset.index) > index);
  if (!next) return false;
  next.focus();
  next.select();
  return true;
}

function enterToNextScore(e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>, kind: ScoreKind, index: number): void {
  if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.keyCode === 229 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  if (!focusScoreAfter(kind, index)) e.currentTarget.blur();
}

export type SheetProps = {
  assessment: Assessment;
  editSelf: boolean;
  review: boolean;
  selfDraft: Draft;
  reviewDraft: Draft;
  selfParsed: Record<number, ParsedScore>;
  reviewParsed: Record<number, ParsedScore>;
  selfValues: Record<number, Effective>;
  assessedValues: Record<number, Effective>;
  onSelf: (criterionId: number, patch: Partial<DraftEntry>) => void;
  onReview: (criterionId: number, patch: Partial<DraftEntry>) => void;
  uploadUrl: string;
  onEvidenceAdded: (f: EvidenceFile) => void;
  onEvidenceRemoved: (id: number) => void;
  onPreview: (f: EvidenceFile) => void;
  /** Errors found by the spot checks, when there are any: the accuracy item is then not typed. */
  spotCheckErrors: number | null;
};

/** Σ of the effective scores of a category's items. */
export function categorySum(category: Category, values: Record<number, Effective>): number {
  return category.items.reduce((s, i) => s + (values[i.criterionId]?.score ?? 0), 0);
}

/** A sum, or '—' while none of the items has a score (nothing assessed yet is not 0 points). */
export function sumText(items: readonly AssessmentItem[], values: Record<number, Effective>): string {
  const scores = items.map((i) => values[i.criterionId]?.score ?? null).filter((v): v is number => v !== null);
  return scores.length === 0 ? '—' : formatScore(scores.reduce((s, v) => s + v, 0));
}

function short(text: string): string {
  return text.length > 16 ? `${text.slice(0, 16)}…` : text;
}

function ScoreBox({
  kind,
  item,
  index,
  text,
  parsed,
  onChange,
}: {
  kind: ScoreKind;
  item: AssessmentItem;
  index: number;
  text: string;
  parsed: ParsedScore | undefined;
  onChange: (text: string) => void;
}) {
  // '4.' is on its way to '4.5': no error until there is something to judge.
  const error = parsed?.error && !/[.．。]$/.test(text.trim()) ? parsed.error : null;
  const label = `${kind === 'self' ? '自评分' : '考核分'}：${short(item.text)}`;
  return (
    <div>
      <Input
        size="small"
        value={text}
        inputMode="decimal"
        autoComplete="off"
        placeholder={`0–${formatScore(item.maxScore)}`}
        status={error ? 'error' : undefined}
        style={{ width: 76 }}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        data-score-kind={kind}
        data-index={index}
        data-testid={`${kind}-score-${item.criterionId}`}
        onChange={(e) => onChange(e.target.value)}
        onFocus={(e) => e.currentTarget.select()}
        onKeyDown={(e) => enterToNextScore(e, kind, index)}
      />
      {error && (
        <div className="score-error" role="alert" data-testid={`${kind}-score-error-${item.criterionId}`}>
          {error}
        </div>
      )}
    </div>
  );
}

function NoteBox({ kind, item, index, text, onChange }: { kind: ScoreKind; item: AssessmentItem; index: number; text: string; onChange: (text: string) => void }) {
  return (
    <Input.TextArea
      size="small"
      value={text}
      maxLength={1000}
      autoSize={{ minRows: 1, maxRows: 5 }}
      placeholder={kind === 'self' ? '自评说明' : '考核意见'}
      aria-label={`${kind === 'self' ? '自评说明' : '考核意见'}：${short(item.text)}`}
      data-testid={`${kind}-note-${item.criterionId}`}
      onChange={(e) => onChange(e.target.value)}
      // Enter goes on to the next row's score, as after a score; Shift+Enter starts a new line.
      onKeyDown={(e) => enterToNextScore(e, kind, index)}
    />
  );
}

function NoteText({ text }: { text: string }) {
  return text ? <span className="sheet-note">{text}</span> : <Typography.Text type="secondary">—</Typography.Text>;
}

export function AssessmentSheet(p: SheetProps) {
  const a = p.assessment;
  const rows = toRows(a.categories);
  const selfTotal = a.categories.reduce((s, c) => s + categorySum(c, p.selfValues), 0);
  const allItems = a.categories.flatMap((c) => c.items);
  const maxTotal = a.categories.reduce((s, c) => s + c.maxScore, 0);
  // Before the district submits, nobody has assessed anything yet: the 考核分 columns stay blank.
  const showAssessed = a.status !== 'draft';
  const evidenceCount = allItems.reduce((n, i) => n + i.evidence.length, 0);

  // Widths that fit the content area at 1440 px (sider and card padding taken) in every mode, so the
  // inputs of whoever is working — the district's 自评分/自评说明, the assessor's 考核分/考核意见 —
  // are in view without scrolling sideways. On a narrower screen the table scrolls, and the
  // assessor's two columns stay fixed at its right edge.
  const reviewFixed = p.review ? ('right' as const) : undefined;
  const columns: ColumnsType<Row> = [
    {
      title: '考核项目',
      key: 'category',
      width: 88,
      align: 'center',
      onCell: (r) => ({ rowSpan: r.type === 'item' ? r.span : 0 }),
      render: (_, r) => (
        <div>
          <div style={{ fontWeight: 500 }}>{r.category.name}</div>
          <div>（{formatScore(r.category.maxScore)}分）</div>
        </div>
      ),
    },
    {
      title: '考核内容与标准',
      key: 'text',
      width: 240,
      render: (_, r) =>
        r.type === 'subtotal' ? (
          <strong>小计</strong>
        ) : (
          <>
            {r.item.text}
            {r.item.kind === 'accuracy' && (
              <div className="accuracy-note">
                <Tag color="blue">抽查计分</Tag>
                {ACCURACY_NOTE}
              </div>
            )}
          </>
        ),
    },
    {
      title: '标准分',
      key: 'max',
      width: 60,
      align: 'center',
      render: (_, r) => (r.type === 'subtotal' ? <strong>{formatScore(r.category.maxScore)}</strong> : formatScore(r.item.maxScore)),
    },
    {
      title: '自评分',
      key: 'self',
      width: p.editSelf ? 120 : 72,
      align: 'center',
      render: (_, r) => {
        if (r.type === 'subtotal') {
          return <strong data-testid={`self-subtotal-${r.category.id}`}>{formatScore(categorySum(r.category, p.selfValues))}</strong>;
        }
        const id = r.item.criterionId;
        if (!p.editSelf) return showScore(p.selfValues[id]?.score);
        return <ScoreBox kind="self" item={r.item} index={r.index} text={p.selfDraft[id]?.score ?? ''} parsed={p.selfParsed[id]} onChange={(score) => p.onSelf(id, { score })} />;
      },
    },
    {
      title: '自评说明',
      key: 'selfNote',
      width: p.editSelf ? 180 : 150,
      render: (_, r) => {
        if (r.type === 'subtotal') return null;
        const id = r.item.criterionId;
        if (!p.editSelf) return <NoteText text={p.selfValues[id]?.note ?? ''} />;
        return <NoteBox kind="self" item={r.item} index={r.index} text={p.selfDraft[id]?.note ?? ''} onChange={(note) => p.onSelf(id, { note })} />;
      },
    },
    {
      title: '佐证材料',
      key: 'evidence',
      width: 200,
      render: (_, r) => {
        if (r.type === 'subtotal') {
          const n = r.category.items.reduce((s, i) => s + i.evidence.length, 0);
          return <Typography.Text type="secondary">{n} 个文件</Typography.Text>;
        }
        return (
          <EvidenceCell
            files={r.item.evidence}
            criterionId={r.item.criterionId}
            itemLabel={short(r.item.text)}
            uploadUrl={p.uploadUrl}
            editable={p.editSelf}
            onAdded={p.onEvidenceAdded}
            onRemoved={p.onEvidenceRemoved}
            onPreview={p.onPreview}
          />
        );
      },
    },
    {
      title: '考核分',
      key: 'assessed',
      width: p.review ? 100 : 72,
      fixed: reviewFixed,
      align: 'center',
      render: (_, r) => {
        if (r.type === 'subtotal') {
          return showAssessed || p.review ? <strong data-testid={`assessed-subtotal-${r.category.id}`}>{sumText(r.category.items, p.assessedValues)}</strong> : null;
        }
        const id = r.item.criterionId;
        if (!p.review) return showAssessed ? showScore(p.assessedValues[id]?.score) : '—';
        if (r.item.kind === 'accuracy' && p.spotCheckErrors !== null) {
          return (
            <span title="由抽查结果自动计算，不能手工修改" data-testid={`assessed-score-auto-${id}`}>
              {showScore(r.item.assessedScore)}
              <div className="accuracy-note">抽查发现 {p.spotCheckErrors} 例错误</div>
            </span>
          );
        }
        return <ScoreBox kind="assessed" item={r.item} index={r.index} text={p.reviewDraft[id]?.score ?? ''} parsed={p.reviewParsed[id]} onChange={(score) => p.onReview(id, { score })} />;
      },
    },
    {
      title: '考核意见',
      key: 'comment',
      width: p.review ? 200 : 160,
      fixed: reviewFixed,
      render: (_, r) => {
        if (r.type === 'subtotal') return null;
        const id = r.item.criterionId;
        if (!p.review) return <NoteText text={p.assessedValues[id]?.note ?? ''} />;
        return <NoteBox kind="assessed" item={r.item} index={r.index} text={p.reviewDraft[id]?.note ?? ''} onChange={(note) => p.onReview(id, { note })} />;
      },
    },
  ];

  return (
    <div className="assessment-sheet" data-testid="assessment-sheet">
      <Table<Row>
        bordered
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={columns}
        scroll={{ x: columns.reduce((sum, c) => sum + Number(c.width ?? 0), 0) }}
        rowClassName={(r) => (r.type === 'subtotal' ? 'sheet-subtotal' : '')}
        summary={() => (
          <Table.Summary.Row className="sheet-total">
            <Table.Summary.Cell index={0} colSpan={2} align="center">
              <strong>合计</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="center">
              <strong>{formatScore(maxTotal)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="center">
              <strong data-testid="self-total">{formatScore(selfTotal)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} />
            <Table.Summary.Cell index={5}>
              <Typography.Text type="secondary">共 {evidenceCount} 个文件</Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={6} align="center">
              {(showAssessed || p.review) && <strong data-testid="assessed-total">{sumText(allItems, p.assessedValues)}</strong>}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} />
          </Table.Summary.Row>
        )}
      />
    </div>
  );
}
