import type { CodeTable } from './table.js';

// 险种类型 AAE140 (人社部 社会保险业务代码) and 参保状态. SPEC §1: "for each insurance type whether
// insured, 参保地 and since when". The eight types of the registration form, with the short names
// officials write in spreadsheet headers and cells.
export const INSURANCE_TYPES = [
  { code: '110', label: '企业职工基本养老保险', short: '企业养老' },
  { code: '120', label: '机关事业单位养老保险', short: '机关养老' },
  { code: '170', label: '城乡居民基本养老保险', short: '居民养老' },
  { code: '210', label: '失业保险', short: '失业' },
  { code: '310', label: '职工基本医疗保险', short: '职工医保' },
  { code: '390', label: '城乡居民基本医疗保险', short: '居民医保' },
  { code: '410', label: '工伤保险', short: '工伤' },
  { code: '510', label: '生育保险', short: '生育' },
] as const;

export type InsuranceTypeCode = (typeof INSURANCE_TYPES)[number]['code'];

const EXTRA_ALIASES: Readonly<Record<InsuranceTypeCode, string[]>> = {
  '110': ['企业职工养老保险', '职工养老', '城镇职工基本养老保险'],
  '120': ['机关事业养老', '机关事业单位基本养老保险'],
  '170': ['城乡居民养老保险', '城乡居民养老', '居民养老保险'],
  '210': [],
  '310': ['职工医疗保险', '城镇职工基本医疗保险', '职工医疗'],
  '390': ['城乡居民医疗保险', '居民医疗保险', '城乡居民医保', '居民医疗'],
  '410': [],
  '510': [],
};

export const INSURANCE_TYPE: CodeTable = {
  id: 'insuranceType',
  name: '险种类型',
  standard: '人社部 社会保险业务代码 AAE140',
  entries: INSURANCE_TYPES.map((t) => ({ code: t.code, label: t.label, aliases: [t.short, ...EXTRA_ALIASES[t.code]] })),
};

/** 参保状态 (AAC008 1 正常参保, 2 暂停参保, 4 终止参保) plus 0 未参保 for the survey. */
export const INSURANCE_STATUS: CodeTable = {
  id: 'insuranceStatus',
  name: '参保状态',
  standard: '人社部 社会保险业务代码 AAC008',
  entries: [
    { code: '0', label: '未参保', aliases: ['未参加', '否', '无', '没有'] },
    { code: '1', label: '正常参保', aliases: ['正常', '参保', '已参保', '参保缴费', '正常缴费', '是', '有'] },
    { code: '2', label: '暂停参保', aliases: ['暂停', '暂停缴费', '中断', '断保'] },
    { code: '4', label: '终止参保', aliases: ['终止'] },
  ],
};

/** Statuses that mean the person has (or had) a record with a 参保地. */
export const INSURED_STATUSES: ReadonlySet<string> = new Set(['1', '2', '4']);
