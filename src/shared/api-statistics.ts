// HTTP contracts of statistics (汇总分析, SPEC §5, issue 7): figures by org unit from the maintained
// statistics tables. Counts are persons (records); "counted" = valid and the one record of the
// person that counts (duplicates held elsewhere excluded).
import { z } from 'zod';
import { MAX_ID } from './api.js';

/** The dimensions the statistics break down by (the registration form's coded fields). */
export const STAT_DIMENSIONS = ['sex', 'category', 'hukou', 'age', 'reason', 'willing', 'ins110', 'ins120', 'ins170', 'ins210', 'ins310', 'ins390', 'ins410', 'ins510', 'error'] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];
export const STAT_DIMENSION_LABELS: Record<StatDimension, string> = {
  sex: '性别',
  category: '个人身份',
  hukou: '户口性质',
  age: '年龄段',
  reason: '未参保原因',
  willing: '参保意愿',
  ins110: '企业职工基本养老保险',
  ins120: '机关事业单位养老保险',
  ins170: '城乡居民基本养老保险',
  ins210: '失业保险',
  ins310: '职工基本医疗保险',
  ins390: '城乡居民基本医疗保险',
  ins410: '工伤保险',
  ins510: '生育保险',
  error: '无效原因（有问题的项目）',
};

/** Age bands (by year of birth against the year of the figures: 按出生年份计算). */
export const AGE_BANDS = [
  { code: '0-15', label: '15岁及以下', min: 0, max: 15 },
  { code: '16-29', label: '16—29岁', min: 16, max: 29 },
  { code: '30-44', label: '30—44岁', min: 30, max: 44 },
  { code: '45-59', label: '45—59岁', min: 45, max: 59 },
  { code: '60+', label: '60岁及以上', min: 60, max: 999 },
] as const;

export const STAT_MEASURES = ['registered', 'valid', 'counted'] as const;
export type StatMeasure = (typeof STAT_MEASURES)[number];
export const STAT_MEASURE_LABELS: Record<StatMeasure, string> = { registered: '登记人数', valid: '有效记录', counted: '有效数据（不含重复）' };

const figures = {
  registered: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Valid and counted: the valid count (有效数据). */
  counted: z.number().int(),
  /** Valid records of persons counted elsewhere (重复). */
  duplicates: z.number().int(),
  /** The unit's target population (登记目标人数): its own, else the sum of its targeted sub-units' (null: none). */
  target: z.number().int().nullable(),
  /** 'own': entered for this unit; 'children': summed from sub-units that have one. */
  targetSource: z.enum(['own', 'children']).nullable(),
  /** counted / target in permille — with a summed target, counted only in the targeted sub-units. */
  coveragePermille: z.number().int().nullable(),
};

export const statRow = z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), level: z.string(), ...figures });
export type StatRow = z.infer<typeof statRow>;

export const statisticsQuery = z.object({
  /** The unit whose children are the rows; default: the caller's own scope. */
  orgUnitId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  /** 'YYYY-MM-DD': records entered by the end of that day (Shanghai), in their current state. */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

export const statisticsOverview = z.object({
  unit: z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), level: z.string(), parentId: z.number().int().nullable() }),
  asOf: z.string().nullable(),
  rows: z.array(statRow),
  total: statRow,
});
export type StatisticsOverview = z.infer<typeof statisticsOverview>;

export const pivotQuery = statisticsQuery.extend({
  dim: z.enum(STAT_DIMENSIONS),
  measure: z.enum(STAT_MEASURES).default('counted'),
});

export const pivot = z.object({
  unit: statisticsOverview.shape.unit,
  dim: z.enum(STAT_DIMENSIONS),
  dimLabel: z.string(),
  measure: z.enum(STAT_MEASURES),
  /** The year the age bands were computed for (pass it to listFiltersOf). */
  year: z.number().int(),
  /** Records entered by the end of this day (in their current state); null: today. */
  asOf: z.string().nullable(),
  columns: z.array(z.object({ value: z.string(), label: z.string() })),
  rows: z.array(z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), level: z.string(), cells: z.array(z.number().int()), total: z.number().int() })),
  totals: z.array(z.number().int()),
  total: z.number().int(),
});
export type Pivot = z.infer<typeof pivot>;

export const progressQuery = statisticsQuery.omit({ asOf: true });
export const progress = z.object({
  unit: statisticsOverview.shape.unit,
  /** Per Shanghai day of entry: entered that day, and cumulative registered/counted. */
  days: z.array(z.object({ day: z.string(), entered: z.number().int(), registered: z.number().int(), counted: z.number().int() })),
  target: z.number().int().nullable(),
  dataCutoff: z.string().nullable(),
});

export const targetInput = z.strictObject({ target: z.number().int().nonnegative().max(100_000_000).nullable() });

/**
 * The registration-list filters that select exactly the records of a pivot cell (the web opens the
 * list with them; a test checks the list's count equals the cell). `year`: the figures' year.
 */
export function listFiltersOf(dim: StatDimension, value: string, measure: StatMeasure, year: number, asOf?: string | null): Record<string, string> {
  const f: Record<string, string> = asOf ? { enteredTo: asOf } : {};
  if (dim === 'error') {
    f.valid = 'false';
    f.errorField = value;
    return f;
  }
  if (measure === 'valid') f.valid = 'true';
  if (measure === 'counted') {
    f.valid = 'true';
    f.duplicate = 'false';
  }
  const code = value === '' ? 'none' : value;
  if (dim === 'age') {
    const band = AGE_BANDS.find((b) => b.code === value);
    if (!band) f.birthUnknown = 'true';
    else {
      f.birthYearFrom = String(year - Math.min(band.max, year - 1850));
      f.birthYearTo = String(year - band.min);
    }
  } else if (dim.startsWith('ins')) {
    f.insType = dim.slice(3);
    f.insStatus = code;
  } else {
    const keys: Partial<Record<StatDimension, string>> = { sex: 'sex', category: 'personCategory', hukou: 'hukouType', reason: 'uninsuredReason', willing: 'willingness' };
    const key = keys[dim];
    if (key) f[key] = code;
  }
  return f;
}

/** Work statistics (issue 7 item 4): per clerk/surveyor who entered, and per surveyor named on the forms. */
export const workStatistics = z.object({
  unit: statisticsOverview.shape.unit,
  /** The active campaign's data cutoff: entries after it do not count for the campaign. */
  dataCutoff: z.string().nullable(),
  users: z.array(
    z.object({
      userId: z.number().int(),
      displayName: z.string(),
      roleLabel: z.string(),
      orgUnitName: z.string(),
      entered: z.number().int(),
      /** Of entered: uploaded from a surveyor's phone (entry_source 'field', 手机采集). */
      fieldEntered: z.number().int(),
      valid: z.number().int(),
      counted: z.number().int(),
      /** valid / entered in permille. */
      validPermille: z.number().int().nullable(),
      firstDay: z.string().nullable(),
      lastDay: z.string().nullable(),
      /** Entered after the data cutoff. */
      afterCutoff: z.number().int(),
      spotChecked: z.number().int(),
      spotWrong: z.number().int(),
      days: z.array(z.object({ day: z.string(), n: z.number().int() })),
    }),
  ),
  surveyors: z.array(z.object({ name: z.string(), entered: z.number().int(), valid: z.number().int(), counted: z.number().int() })),
});
export type WorkStatistics = z.infer<typeof workStatistics>;

// ---------- person detail tables (人员明细数据表) ----------
export const DETAIL_TABLE_KINDS = ['all', 'insured', 'uninsured'] as const;
export type DetailTableKind = (typeof DETAIL_TABLE_KINDS)[number];
export const DETAIL_TABLE_KIND_LABELS: Record<DetailTableKind, string> = { all: '全部登记人员明细表', insured: '已参保人员明细表', uninsured: '未参保人员明细表（含原因、意愿，供社区跟进）' };
export const detailTableInput = z.strictObject({
  orgUnitId: z.number().int().positive().max(MAX_ID),
  kind: z.enum(DETAIL_TABLE_KINDS),
  /** One sheet per street (a district) or per community (a street). */
  perStreet: z.boolean().default(false),
});
export const detailTable = z.object({
  id: z.number().int(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  kind: z.enum(DETAIL_TABLE_KINDS),
  perStreet: z.boolean(),
  masked: z.boolean(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  rowsTotal: z.number().int(),
  rowsWritten: z.number().int(),
  /** While it is written: when the writing began, and the milliseconds since, measured by the server (issue 14: time left). */
  startedAt: z.string().nullable(),
  elapsedMs: z.number().int().nullable(),
  fileName: z.string(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type DetailTable = z.infer<typeof detailTable>;

// ---------- analysis reports (分析报告) ----------
export const analysisReportQuery = z.object({ orgUnitId: z.coerce.number().int().positive().max(MAX_ID).optional() });
export const analysisReport = z.object({
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  /** none: nothing uploaded yet; uploaded: a final version uploaded, not yet submitted; submitted: 已报送. */
  status: z.enum(['none', 'uploaded', 'submitted']),
  id: z.number().int().nullable(),
  fileName: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  uploadedBy: z.string().nullable(),
  uploadedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  version: z.number().int(),
});
export type AnalysisReport = z.infer<typeof analysisReport>;
export const analysisReportList = z.object({ items: z.array(analysisReport) });
export const ANALYSIS_REPORT_STATUS_LABELS: Record<AnalysisReport['status'], string> = { none: '未上传', uploaded: '已上传，未报送', submitted: '已报送' };
