// The registration record (全民参保登记表) as data: one person, grouped into households. The form,
// the import header mapping, the export columns and the validation rules all read this list, so a
// field is added here once. SPEC §1 "Registration records" and "Fields and code tables in practice".
// Keys are camelCase; database columns are the same names in snake_case.
import { INSURANCE_TYPES, type CodeTableId, type InsuranceTypeCode } from './codes/index.js';

export type FieldKind = 'text' | 'name' | 'idNumber' | 'date' | 'yearMonth' | 'phone' | 'code';
export type FieldGroup = 'person' | 'household' | 'insurance' | 'survey';

export type InsuranceFieldKey = `ins${InsuranceTypeCode}${'Status' | 'Place' | 'Since'}`;

export type RegistrationKey =
  | 'idType'
  | 'idNumber'
  | 'name'
  | 'sex'
  | 'ethnicity'
  | 'birthDate'
  | 'relationToHead'
  | 'hukouType'
  | 'hukouAddress'
  | 'residenceAddress'
  | 'phone'
  | 'personCategory'
  | 'employer'
  | 'householdHeadName'
  | 'householdHeadIdNumber'
  | 'householdAddress'
  | InsuranceFieldKey
  | 'uninsuredReason'
  | 'uninsuredNote'
  | 'willingness'
  | 'guardianName'
  | 'guardianIdNumber'
  | 'guardianPhone'
  | 'surveyDate'
  | 'surveyorName'
  | 'remarks';

export type FieldDef = {
  key: RegistrationKey;
  /** What the form, the export header and the error messages call it. */
  label: string;
  /**
   * true: must be present. 'conditional': required only in some cases (see `condition`), checked by
   * the domain rules. Fields with `derivedFrom` are required but filled from that field when blank.
   */
  required: boolean | 'conditional';
  /** 'name' is text with the personal-name rule (2–30 characters, no digits). */
  kind: FieldKind;
  codeTable?: CodeTableId;
  /** In characters (code points). */
  maxLength?: number;
  /** Other header names for this column in imported spreadsheets (the label always matches too). */
  aliases: string[];
  group: FieldGroup;
  /** Filled from this field when left blank (sex and birth date from the citizen ID number). */
  derivedFrom?: RegistrationKey;
  /** When a 'conditional' field is required, for the form's hint. */
  condition?: string;
  /** Value assumed when blank. */
  defaultValue?: string;
};

export const ADDRESS_MAX = 200;
export const EMPLOYER_MAX = 100;
export const REMARKS_MAX = 500;
export const NOTE_MAX = 200;
export const PLACE_MAX = 100;
export const NAME_MAX = 30;
export const NAME_MIN = 2;

function insuranceFields(): FieldDef[] {
  const out: FieldDef[] = [];
  for (const t of INSURANCE_TYPES) {
    const { code, label: L, short: S } = t;
    out.push(
      {
        key: `ins${code}Status`,
        label: `${L}参保状态`,
        required: false,
        kind: 'code',
        codeTable: 'insuranceStatus',
        aliases: [L, S, `${S}状态`, `${S}参保状态`, `${L}状态`, `是否参加${L}`, `是否参加${S}`, `${S}是否参保`],
        group: 'insurance',
      },
      {
        key: `ins${code}Place`,
        label: `${L}参保地`,
        required: 'conditional',
        condition: '参保状态为正常参保、暂停参保或终止参保时必填',
        kind: 'text',
        maxLength: PLACE_MAX,
        aliases: [`${S}参保地`, `${S}参保地区`, `${L}参保地区`, `${S}参保地点`],
        group: 'insurance',
      },
      {
        key: `ins${code}Since`,
        label: `${L}参保年月`,
        required: false,
        kind: 'yearMonth',
        aliases: [`${S}参保年月`, `${S}参保时间`, `${L}参保时间`, `${S}起始年月`, `${L}起始年月`, `${S}参保日期`],
        group: 'insurance',
      },
    );
  }
  return out;
}

export const REGISTRATION_FIELDS: ReadonlyArray<FieldDef> = [
  {
    key: 'idType',
    label: '证件类型',
    required: false,
    defaultValue: '01',
    kind: 'code',
    codeTable: 'idType',
    aliases: ['证件种类', '证件名称'],
    group: 'person',
  },
  {
    key: 'idNumber',
    label: '公民身份号码',
    required: true,
    kind: 'idNumber',
    aliases: ['身份证号', '身份证号码', '证件号码', '身份证', '证件号', '社会保障号码', '社会保障号', '身份号码', '公民身份证号码'],
    group: 'person',
  },
  { key: 'name', label: '姓名', required: true, kind: 'name', maxLength: NAME_MAX, aliases: ['名字', '参保人姓名', '人员姓名'], group: 'person' },
  {
    key: 'sex',
    label: '性别',
    required: true,
    derivedFrom: 'idNumber',
    kind: 'code',
    codeTable: 'sex',
    aliases: [],
    group: 'person',
  },
  { key: 'ethnicity', label: '民族', required: false, kind: 'code', codeTable: 'ethnicity', aliases: [], group: 'person' },
  {
    key: 'birthDate',
    label: '出生日期',
    required: true,
    derivedFrom: 'idNumber',
    kind: 'date',
    aliases: ['出生年月日', '出生年月', '出生时间', '生日'],
    group: 'person',
  },
  {
    key: 'relationToHead',
    label: '与户主关系',
    required: false,
    kind: 'code',
    codeTable: 'relationToHead',
    aliases: ['与户主的关系', '家庭关系', '关系'],
    group: 'person',
  },
  { key: 'hukouType', label: '户口性质', required: true, kind: 'code', codeTable: 'hukouType', aliases: ['户籍性质', '户口类型', '户籍类型', '户口类别'], group: 'person' },
  {
    key: 'hukouAddress',
    label: '户籍地址',
    required: false,
    kind: 'text',
    maxLength: ADDRESS_MAX,
    aliases: ['户籍所在地', '户口所在地', '户籍地', '户口地址', '户籍住址'],
    group: 'person',
  },
  {
    key: 'residenceAddress',
    label: '常住地址',
    required: true,
    kind: 'text',
    maxLength: ADDRESS_MAX,
    aliases: ['居住地址', '现住址', '现居住地址', '常住地', '居住地', '实际居住地址', '家庭住址', '住址'],
    group: 'person',
  },
  {
    key: 'phone',
    label: '联系电话',
    required: 'conditional',
    condition: '未满16周岁的可不填，改填监护人姓名和联系电话',
    kind: 'phone',
    aliases: ['电话', '手机', '手机号码', '联系方式', '手机号', '电话号码', '联系号码', '本人电话'],
    group: 'person',
  },
  {
    key: 'personCategory',
    label: '个人身份',
    required: true,
    kind: 'code',
    codeTable: 'personCategory',
    aliases: ['人员类别', '就业状态', '人员身份', '就业情况', '身份'],
    group: 'person',
  },
  { key: 'employer', label: '工作单位', required: false, kind: 'text', maxLength: EMPLOYER_MAX, aliases: ['就业单位', '单位名称', '所在单位', '单位'], group: 'person' },
  { key: 'householdHeadName', label: '户主姓名', required: false, kind: 'name', maxLength: NAME_MAX, aliases: ['户主'], group: 'household' },
  {
    key: 'householdHeadIdNumber',
    label: '户主公民身份号码',
    required: false,
    kind: 'idNumber',
    aliases: ['户主身份证号', '户主身份证号码', '户主证件号码', '户主身份证'],
    group: 'household',
  },
  {
    key: 'householdAddress',
    label: '家庭地址',
    required: false,
    kind: 'text',
    maxLength: ADDRESS_MAX,
    aliases: ['户地址', '户主地址', '住户地址', '户址'],
    group: 'household',
  },
  ...insuranceFields(),
  {
    key: 'uninsuredReason',
    label: '未参保原因',
    required: 'conditional',
    condition: '八个险种均未参保时必填',
    kind: 'code',
    codeTable: 'uninsuredReason',
    aliases: ['未参保原因代码', '未参保理由'],
    group: 'insurance',
  },
  {
    key: 'uninsuredNote',
    label: '未参保原因说明',
    required: 'conditional',
    condition: '未参保原因为“其他”时必填',
    kind: 'text',
    maxLength: NOTE_MAX,
    aliases: ['其他原因说明', '原因说明', '未参保说明'],
    group: 'insurance',
  },
  {
    key: 'willingness',
    label: '参保意愿',
    required: 'conditional',
    condition: '八个险种均未参保时必填',
    kind: 'code',
    codeTable: 'willingness',
    aliases: ['是否愿意参保', '有无参保意愿', '参保意向'],
    group: 'insurance',
  },
  {
    key: 'guardianName',
    label: '监护人姓名',
    required: 'conditional',
    condition: '未满16周岁的必填',
    kind: 'name',
    maxLength: NAME_MAX,
    aliases: ['监护人'],
    group: 'person',
  },
  {
    key: 'guardianIdNumber',
    label: '监护人公民身份号码',
    required: false,
    kind: 'idNumber',
    aliases: ['监护人身份证号', '监护人身份证号码', '监护人证件号码'],
    group: 'person',
  },
  {
    key: 'guardianPhone',
    label: '监护人联系电话',
    required: 'conditional',
    condition: '未满16周岁的必填',
    kind: 'phone',
    aliases: ['监护人电话', '监护人手机', '监护人联系方式', '监护人手机号码'],
    group: 'person',
  },
  { key: 'surveyDate', label: '调查日期', required: true, kind: 'date', aliases: ['采集日期', '登记日期', '入户日期', '调查时间', '采集时间'], group: 'survey' },
  { key: 'surveyorName', label: '采集人', required: false, kind: 'text', maxLength: NAME_MAX, aliases: ['调查员', '调查人', '登记人', '采集员', '入户调查人'], group: 'survey' },
  { key: 'remarks', label: '备注', required: false, kind: 'text', maxLength: REMARKS_MAX, aliases: ['说明', '备注说明'], group: 'survey' },
];

export const REGISTRATION_FIELD_BY_KEY: ReadonlyMap<RegistrationKey, FieldDef> = new Map(
  REGISTRATION_FIELDS.map((f) => [f.key, f]),
);

export function fieldDef(key: RegistrationKey): FieldDef {
  const f = REGISTRATION_FIELD_BY_KEY.get(key);
  if (!f) throw new RangeError(`unknown registration field ${key}`);
  return f;
}

export const REGISTRATION_KEYS: ReadonlyArray<RegistrationKey> = REGISTRATION_FIELDS.map((f) => f.key);

export function isRegistrationKey(key: string): key is RegistrationKey {
  return REGISTRATION_FIELD_BY_KEY.has(key as RegistrationKey);
}

/** The record as entered: any field may be blank or missing. */
export type RegistrationInput = { [K in RegistrationKey]?: string | null };

/**
 * The record after validation: every key present; null when blank. Codes are table codes,
 * dates 'YYYY-MM-DD', year-months 'YYYY-MM', phones as validatePhone normalises them,
 * ID numbers 18 characters with an upper-case X.
 */
export type RegistrationValues = { [K in RegistrationKey]: string | null };

export const insuranceStatusKey = (t: InsuranceTypeCode): InsuranceFieldKey => `ins${t}Status`;
export const insurancePlaceKey = (t: InsuranceTypeCode): InsuranceFieldKey => `ins${t}Place`;
export const insuranceSinceKey = (t: InsuranceTypeCode): InsuranceFieldKey => `ins${t}Since`;
