// Labels and display helpers of registration records. Field labels and code tables are data
// (src/shared/registration.ts, src/shared/codes); only the words of the pages live here.
import { CODE_TABLES, labelOf } from '../../shared/codes/index';
import { REGISTRATION_FIELD_BY_KEY, REGISTRATION_FIELDS, type FieldDef, type RegistrationKey } from '../../shared/registration';
import type { RegistrationErrorCode } from '../../domain/registration';
import { isYearOnly } from '../../domain/masking';
import type { Role } from '../api/types';

/** Roles that enter and change registration records (the server enforces it too). */
import { REGISTRATION_WRITERS } from '../auth/roleGroups';
export { REGISTRATION_WRITERS };

export function canWriteRegistrations(role: Role): boolean {
  return REGISTRATION_WRITERS.includes(role);
}

/** Reasons a record is invalid, as the valid-count breakdown names them. */
export const ERROR_CODE_LABELS: Record<RegistrationErrorCode, string> = {
  REQUIRED: '必填项为空',
  TOO_LONG: '内容超长',
  BAD_CODE: '代码不在代码表中',
  BAD_DATE: '日期格式不正确',
  FUTURE_DATE: '日期晚于今天',
  DATE_TOO_EARLY: '日期过早',
  BEFORE_BIRTH: '日期早于出生日期',
  BAD_PHONE: '电话号码格式不正确',
  BAD_NAME: '姓名含非法字符',
  NAME_HAS_DIGITS: '姓名含数字',
  NAME_LENGTH: '姓名长度不正确',
  SCIENTIFIC_NOTATION: '身份证号被表格转为数字',
  BAD_LENGTH: '身份证号位数不正确',
  BAD_CHARS: '身份证号含非法字符',
  BAD_REGION: '身份证号地区码不正确',
  BAD_BIRTH_DATE: '身份证号出生日期不正确',
  FUTURE_BIRTH_DATE: '身份证号出生日期晚于今天',
  BAD_CHECK_DIGIT: '身份证号校验位不正确',
  SEX_MISMATCH: '性别与身份证号不符',
  BIRTH_DATE_MISMATCH: '出生日期与身份证号不符',
  GUARDIAN_IS_SELF: '监护人与本人证件号相同',
};

export function errorCodeLabel(code: string): string {
  return (ERROR_CODE_LABELS as Record<string, string | undefined>)[code] ?? code;
}

export const ENTRY_SOURCE_LABELS: Record<string, string> = { form: '表单录入', import: '批量导入', field: '手机采集' };
export const HISTORY_ACTION_LABELS: Record<string, string> = { create: '新增', update: '修改', delete: '删除', import: '导入更新', import_overwrite: '导入更新（覆盖姓名/出生日期/性别）' };

/** The form's sections, in order; each lists its fields. */
export const HOUSEHOLD_KEYS: RegistrationKey[] = ['householdHeadName', 'householdHeadIdNumber', 'householdAddress'];
export const PERSON_KEYS: RegistrationKey[] = [
  'idType',
  'idNumber',
  'name',
  'sex',
  'birthDate',
  'ethnicity',
  'relationToHead',
  'hukouType',
  'hukouAddress',
  'residenceAddress',
  'phone',
  'personCategory',
  'employer',
];
export const UNINSURED_KEYS: RegistrationKey[] = ['uninsuredReason', 'uninsuredNote', 'willingness'];
export const GUARDIAN_KEYS: RegistrationKey[] = ['guardianName', 'guardianIdNumber', 'guardianPhone'];
export const SURVEY_KEYS: RegistrationKey[] = ['surveyDate', 'surveyorName', 'remarks'];

export function def(key: RegistrationKey): FieldDef {
  const f = REGISTRATION_FIELD_BY_KEY.get(key);
  if (!f) throw new RangeError(`unknown registration field ${key}`);
  return f;
}

export function fieldLabel(key: string): string {
  return REGISTRATION_FIELD_BY_KEY.get(key as RegistrationKey)?.label ?? key;
}

/** A stored value as people read it: code fields show the code table's label. */
export function displayValue(key: string, value: string | null | undefined): string {
  if (value == null || value === '') return '—';
  const f = REGISTRATION_FIELD_BY_KEY.get(key as RegistrationKey);
  if (f?.codeTable) return labelOf(CODE_TABLES[f.codeTable], value) ?? value;
  // A masked record carries the year of birth only (the ID mask hides the date).
  if (key === 'birthDate' && isYearOnly(value)) return `${value}年`;
  return value;
}

/** "姓名：不能为空" → "不能为空" (under the field its label is already shown). */
export function stripLabel(key: RegistrationKey, message: string): string {
  const prefix = `${def(key).label}：`;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

export const FIELD_ORDER: ReadonlyMap<string, number> = new Map(REGISTRATION_FIELDS.map((f, i) => [f.key, i]));
