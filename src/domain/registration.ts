// Validity of a registration record (有效数据). Seed 四（一）: "实际录入人数以录入有效数据为依据" —
// only a record that passes every rule here counts towards a district's valid count and so its fee.
// SPEC §1 "Valid record": citizen ID per GB 11643-1999, birth date and sex consistent with it, real
// dates not in the future, mandatory fields present, codes from the code tables, a phone of a
// valid shape. The field list and code tables are data (src/shared/registration.ts, src/shared/codes).
//
// One call returns the normalised values and every error (at most one per field, in form order),
// so a clerk fixes a row once, and notes for what was changed on the way (15 → 18 digits, sex and
// birth date filled from the ID number).
import {
  CODE_TABLES,
  INSURANCE_TYPES,
  INSURED_STATUSES,
  UNINSURED_REASON_OTHER,
  codeOf,
  type CodeTable,
  type CodeTableId,
} from '../shared/codes/index.js';
import {
  NAME_MAX,
  NAME_MIN,
  REGISTRATION_FIELDS,
  insurancePlaceKey,
  insuranceSinceKey,
  insuranceStatusKey,
  type FieldDef,
  type RegistrationKey,
  type RegistrationValues,
} from '../shared/registration.js';
import { EARLIEST_BIRTH_DATE, ageOn, parseIdNumber, type IdNumberError, type ParsedIdNumber } from './id-number.js';
import { validatePhone } from './phone.js';
import { parseDateInput, parseYearMonthInput } from './registration-dates.js';
import { toHalfWidth } from './text.js';

/**
 * Under this age (周岁, on the survey date) the guardian's name and phone replace the person's own
 * phone. 16 is the age from which 城乡居民基本养老保险 is open (国发〔2014〕8号 "年满16周岁（不含在校
 * 学生）") and from which a resident applies for their own ID card (居民身份证法 第九条).
 */
export const MINOR_AGE = 16;

/** 全民参保登记计划 started in 2014 (人社部发〔2014〕40号); no survey predates it. */
export const SURVEY_START_DATE = '2014-01-01';

export type NormalisedRecord = RegistrationValues;

const INSURANCE_KEYS = INSURANCE_TYPES.map((t) => ({ status: insuranceStatusKey(t.code), place: insurancePlaceKey(t.code), since: insuranceSinceKey(t.code) }));

export type RegistrationErrorCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'BAD_CODE'
  | 'BAD_DATE'
  | 'FUTURE_DATE'
  | 'DATE_TOO_EARLY'
  | 'BEFORE_BIRTH'
  | 'BAD_PHONE'
  | 'BAD_NAME'
  | 'NAME_HAS_DIGITS'
  | 'NAME_LENGTH'
  | Exclude<IdNumberError['code'], 'EMPTY'>
  | 'SEX_MISMATCH'
  | 'BIRTH_DATE_MISMATCH'
  | 'GUARDIAN_IS_SELF';

export type RegistrationError = { field: RegistrationKey; code: RegistrationErrorCode; message: string };

export type RegistrationNoteCode = 'CONVERTED_FROM_15' | 'DERIVED_FROM_ID_NUMBER' | 'DEFAULT_VALUE';
export type RegistrationNote = { field: RegistrationKey; code: RegistrationNoteCode; message: string };

export type ValidateOptions = {
  /** 'YYYY-MM-DD', Asia/Shanghai (todayInShanghai()). */
  today: string;
  /** Edited copies of the code tables (the city may edit 未参保原因); the shipped ones otherwise. */
  codeTables?: Partial<Record<CodeTableId, CodeTable>>;
  /** The entering unit's code (its first 6 digits name the district): used in the hint for ID numbers a spreadsheet turned into numbers. */
  regionCode?: string;
};

export type ValidationResult = {
  /**
   * Every field, null when blank. A field without an error holds its normalised value; a field with
   * an error keeps what was typed (trimmed), so saving a draft loses nothing.
   */
  values: NormalisedRecord;
  errors: RegistrationError[];
  notes: RegistrationNote[];
  valid: boolean;
};

/** Under 16 full years of age on `on` (both 'YYYY-MM-DD'): 15 years 364 days is a minor, the 16th birthday is not. */
export function isMinor(birthDate: string, on: string): boolean {
  return ageOn(birthDate, on) < MINOR_AGE;
}

/** No insurance type has status 1, 2 or 4 (all blank or 0 未参保). */
export function isUninsured(values: Partial<Record<RegistrationKey, string | null | undefined>>): boolean {
  return INSURANCE_KEYS.every((k) => {
    const s = values[k.status];
    return s == null || s === '' || !INSURED_STATUSES.has(s);
  });
}

// ---------- text normalisation ----------

/**
 * Free text: full-width digits and letters → ASCII (Chinese punctuation is kept), every run of
 * whitespace (NBSP, U+3000 included) → one space, zero-width and other control characters
 * removed (they mean nothing in a record, and the import's row packing relies on their absence), trimmed.
 */
/** Anything normaliseText would change besides trimming. */
// eslint-disable-next-line no-control-regex -- control characters are what this rule removes
const NEEDS_NORMALISING = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u200b-\u200d\u2060\ufeff\u00a0\u3000\t\n\r\v\f\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u0000-\u001f\u007f]| {2}/;

export function normaliseText(raw: string): string {
  // Fast path: most cells need nothing but a trim (one scan instead of three replaces).
  if (!NEEDS_NORMALISING.test(raw)) return raw.trim();
  return raw
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    // eslint-disable-next-line no-control-regex -- control characters are what this rule removes
    .replace(/[\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000e-\u001f\u007f]/g, '')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

const HAN = /\p{Script=Han}/u;
const SIMPLE_HAN_NAME = new RegExp(`^[\u4e00-\u9fa5]{${String(NAME_MIN)},${String(NAME_MAX)}}$`);

/**
 * Personal names: middle-dot look-alikes (• ・ ‧ ∙ ･, and '.' between Chinese characters) → '·'
 * as in 阿卜杜拉·买买提; spaces removed from Chinese names (padding such as '张  三' is common in
 * spreadsheets), collapsed to one in Latin names; no spaces around '·'.
 */
export function normaliseName(raw: string): string {
  let s = normaliseText(toHalfWidth(raw)).replace(/[•・‧∙･\u2219]/g, '·');
  s = s.replace(/(\p{Script=Han})\s*\.\s*(?=\p{Script=Han})/gu, '$1·');
  s = s.replace(/\s*·\s*/g, '·');
  if (!/[A-Za-z\p{Script=Latin}]/u.test(s)) s = s.replace(/\s+/g, '');
  return s;
}

function checkName(name: string): { code: RegistrationErrorCode; detail: string } | null {
  if (/\d/.test(name)) return { code: 'NAME_HAS_DIGITS', detail: '不能含有数字' };
  const len = Array.from(name).length;
  if (len < NAME_MIN || len > NAME_MAX) {
    return { code: 'NAME_LENGTH', detail: `应为 ${String(NAME_MIN)} 至 ${String(NAME_MAX)} 个字，当前为 ${String(len)} 个字` };
  }
  if (!/^[\p{Script=Han}\p{Script=Latin}· ]+$/u.test(name) || /^·|·$|··/.test(name)) {
    return { code: 'BAD_NAME', detail: '只能由汉字、字母、间隔号“·”和空格组成' };
  }
  if (!HAN.test(name) && !/[A-Za-z\p{Script=Latin}]/u.test(name)) {
    return { code: 'BAD_NAME', detail: '只能由汉字、字母、间隔号“·”和空格组成' };
  }
  return null;
}

// ---------- the rules ----------

function describeOptions(table: CodeTable): string {
  if (table.entries.length > 15) return `请填写《${table.name}》代码表中的代码或名称`;
  return `可填：${table.entries.map((e) => `${e.code} ${e.label}`).join('、')}`;
}

const isBlank = (v: string | null | undefined): boolean => v == null || v === '' || normaliseText(v) === '';

// Everything below runs for every imported row: the rules work on arrays indexed by the field's
// position in REGISTRATION_FIELDS (no keyed property access, no per-call Map or Set), and the
// object API wraps them.
const FIELD_COUNT = REGISTRATION_FIELDS.length;
const indexOfField = (key: RegistrationKey): number => REGISTRATION_FIELDS.findIndex((f) => f.key === key);
const ID_NUMBER = indexOfField('idNumber');
const SEX = indexOfField('sex');
const BIRTH_DATE = indexOfField('birthDate');
const SURVEY_DATE = indexOfField('surveyDate');
const PHONE = indexOfField('phone');
const GUARDIAN_NAME = indexOfField('guardianName');
const GUARDIAN_PHONE = indexOfField('guardianPhone');
const GUARDIAN_ID_NUMBER = indexOfField('guardianIdNumber');
const UNINSURED_REASON = indexOfField('uninsuredReason');
const UNINSURED_NOTE = indexOfField('uninsuredNote');
const WILLINGNESS = indexOfField('willingness');
const INSURANCE_INDEXES = INSURANCE_KEYS.map((k) => ({ status: indexOfField(k.status), place: indexOfField(k.place), since: indexOfField(k.since) }));
const REQUIRED_NOT_DERIVED = REGISTRATION_FIELDS.flatMap((f, i) => (f.required === true && f.derivedFrom === undefined ? [i] : []));

/** A record's fields by position in REGISTRATION_FIELDS (what an import's row becomes). */
export type FieldArray = Array<string | null | undefined>;

export type RowValidation = {
  /** By position in REGISTRATION_FIELDS; null when blank (see ValidationResult.values). */
  values: Array<string | null>;
  /** In form order. */
  errors: RegistrationError[];
  notes: RegistrationNote[];
};

/** The field's position in REGISTRATION_FIELDS (for FieldArray). */
export function registrationFieldIndex(key: RegistrationKey): number {
  const i = indexOfField(key);
  if (i < 0) throw new RangeError(`unknown registration field ${key}`);
  return i;
}

/** A field's problem as the rules find it; the message is made from it once it is kept. */
class Failure {
  constructor(
    readonly code: RegistrationErrorCode,
    readonly detail: string,
  ) {}
}

/** The rules of validateRegistration on a record given by field position (the import's rows). */
export function validateRegistrationFields(input: Readonly<FieldArray>, opts: ValidateOptions): RowValidation {
  const { today } = opts;
  const values: Array<string | null> = new Array<string | null>(FIELD_COUNT).fill(null);
  const notes: RegistrationNote[] = [];
  /** Sparse, by field position; at most one error per field (the first found). */
  let errors = null as Array<RegistrationError | undefined> | null;
  const fail = (i: number, code: RegistrationErrorCode, detail: string): void => {
    errors ??= [];
    if (errors[i] !== undefined) return;
    const f = REGISTRATION_FIELDS[i]!;
    errors[i] = { field: f.key, code, message: `${f.label}：${detail}` };
  };
  /** The field holds a normalised value that passed its own checks. */
  const good = (i: number): boolean => values[i] !== null && (errors === null || errors[i] === undefined);
  const ok = (i: number): string | null => (good(i) ? values[i]! : null);

  // 1. Each field on its own.
  let parsedId: ParsedIdNumber | null = null;
  for (let i = 0; i < FIELD_COUNT; i++) {
    const f = REGISTRATION_FIELDS[i]!;
    const r = input[i];
    const text = r == null || r === '' ? '' : normaliseText(r);
    if (text === '') {
      if (f.defaultValue !== undefined) values[i] = f.defaultValue;
      continue;
    }
    if (f.kind === 'idNumber') {
      const p = parseIdNumber(r!, { today, regionCode: opts.regionCode });
      if (!p.ok) {
        values[i] = text; // kept as typed (trimmed) for the draft
        fail(i, p.error.code === 'EMPTY' ? 'REQUIRED' : p.error.code, p.error.message.replace(/^公民身份号码(中的)?/, ''));
        continue;
      }
      values[i] = p.value.idNumber;
      if (i === ID_NUMBER) parsedId = p.value;
      if (p.value.convertedFrom15) {
        notes.push({ field: f.key, code: 'CONVERTED_FROM_15', message: `${f.label}：15 位旧号码已换算为 18 位 ${p.value.idNumber}` });
      }
      continue;
    }
    const result = checkField(f, r!, text, today, opts.codeTables);
    if (result instanceof Failure) {
      values[i] = text;
      fail(i, result.code, result.detail);
      continue;
    }
    values[i] = result;
  }

  // 2. Mandatory fields (those derivable from the ID number are filled or checked in step 3).
  for (const i of REQUIRED_NOT_DERIVED) {
    if (values[i] === null) fail(i, 'REQUIRED', '不能为空');
  }

  // 3. Sex and birth date agree with the ID number, or are filled from it.
  if (parsedId) {
    const id = parsedId;
    if (values[SEX] === null) {
      values[SEX] = id.sex;
      notes.push({ field: 'sex', code: 'DERIVED_FROM_ID_NUMBER', message: '性别：已按公民身份号码填写' });
    } else if (good(SEX) && values[SEX] !== id.sex) {
      fail(SEX, 'SEX_MISMATCH', `与公民身份号码不一致（号码第 17 位表示${id.sex === '1' ? '男' : '女'}）`);
    }
    if (values[BIRTH_DATE] === null) {
      values[BIRTH_DATE] = id.birthDate;
      notes.push({ field: 'birthDate', code: 'DERIVED_FROM_ID_NUMBER', message: '出生日期：已按公民身份号码填写' });
    } else if (good(BIRTH_DATE) && values[BIRTH_DATE] !== id.birthDate) {
      fail(BIRTH_DATE, 'BIRTH_DATE_MISMATCH', `与公民身份号码不一致（号码中的出生日期为 ${id.birthDate}）`);
    } else if (!good(BIRTH_DATE)) {
      // A 出生年月 column ("1990.01") agreeing with the ID number: take the full date from the number.
      const ym = parseYearMonthInput(input[BIRTH_DATE] ?? '');
      if (ym.ok && id.birthDate.startsWith(ym.value) && errors?.[BIRTH_DATE]?.code === 'BAD_DATE') {
        errors[BIRTH_DATE] = undefined;
        values[BIRTH_DATE] = id.birthDate;
        notes.push({ field: 'birthDate', code: 'DERIVED_FROM_ID_NUMBER', message: '出生日期：已按公民身份号码补全日' });
      }
    }
  }
  const birthDate = ok(BIRTH_DATE);

  // 4. Dates after the birth date.
  const surveyDate = ok(SURVEY_DATE);
  if (birthDate && surveyDate && surveyDate < birthDate) fail(SURVEY_DATE, 'BEFORE_BIRTH', `${surveyDate} 早于出生日期 ${birthDate}`);
  for (const k of INSURANCE_INDEXES) {
    const since = ok(k.since);
    if (birthDate && since && since < birthDate.slice(0, 7)) fail(k.since, 'BEFORE_BIRTH', `${since} 早于出生年月 ${birthDate.slice(0, 7)}`);
  }

  // 5. The person's phone, or for a minor the guardian's name and phone.
  const minor = birthDate ? isMinor(birthDate, surveyDate ?? today) : null;
  if (minor === true) {
    if (values[GUARDIAN_NAME] === null) fail(GUARDIAN_NAME, 'REQUIRED', `未满${String(MINOR_AGE)}周岁的，须填写监护人姓名`);
    if (values[GUARDIAN_PHONE] === null) fail(GUARDIAN_PHONE, 'REQUIRED', `未满${String(MINOR_AGE)}周岁的，须填写监护人联系电话`);
  } else if (values[PHONE] === null && (minor === false || values[GUARDIAN_PHONE] === null)) {
    fail(PHONE, 'REQUIRED', `不能为空（未满${String(MINOR_AGE)}周岁的可改填监护人联系电话）`);
  }
  if (parsedId && ok(GUARDIAN_ID_NUMBER) === parsedId.idNumber) {
    fail(GUARDIAN_ID_NUMBER, 'GUARDIAN_IS_SELF', '不能与本人的公民身份号码相同');
  }

  // 6. Insurance: a 参保地 for every insured type; the uninsured give a reason and their willingness.
  let statusesKnown = true;
  let uninsured = true;
  for (const k of INSURANCE_INDEXES) {
    if (values[k.status] !== null && !good(k.status)) statusesKnown = false;
    const status = ok(k.status);
    if (status !== null && INSURED_STATUSES.has(status)) {
      uninsured = false;
      if (values[k.place] === null) fail(k.place, 'REQUIRED', '已参保（含暂停、终止）的须填写参保地');
    }
  }
  // An unreadable status is reported on its own; whether the person is uninsured is then unknown.
  if (statusesKnown && uninsured) {
    if (values[UNINSURED_REASON] === null) fail(UNINSURED_REASON, 'REQUIRED', '八个险种均未参保的，须填写未参保原因');
    if (values[WILLINGNESS] === null) fail(WILLINGNESS, 'REQUIRED', '八个险种均未参保的，须填写参保意愿');
  }
  if (ok(UNINSURED_REASON) === UNINSURED_REASON_OTHER && values[UNINSURED_NOTE] === null) {
    fail(UNINSURED_NOTE, 'REQUIRED', '未参保原因为“其他”的，须说明具体原因');
  }

  // Errors keep what was typed; in form order.
  if (errors === null) return { values, errors: [], notes };
  const list: RegistrationError[] = [];
  for (let i = 0; i < FIELD_COUNT; i++) {
    const e = errors[i];
    if (e === undefined) continue;
    list.push(e);
    const r = input[i];
    if (!isBlank(r)) values[i] = normaliseText(r!);
  }
  return { values, errors: list, notes };
}

export function validateRegistration(
  input: Readonly<Record<string, string | null | undefined>>,
  opts: ValidateOptions,
): ValidationResult {
  const fields: FieldArray = new Array<string | null | undefined>(FIELD_COUNT);
  for (let i = 0; i < FIELD_COUNT; i++) fields[i] = input[REGISTRATION_FIELDS[i]!.key];
  const r = validateRegistrationFields(fields, opts);
  const values = {} as NormalisedRecord;
  for (let i = 0; i < FIELD_COUNT; i++) values[REGISTRATION_FIELDS[i]!.key] = r.values[i]!;
  return { values, errors: r.errors, notes: r.notes, valid: r.errors.length === 0 };
}

/** A field's normalised value (`text` is the raw value through normaliseText), or its problem. ID numbers are checked by the caller. */
function checkField(f: FieldDef, raw: string, text: string, today: string, codeTables: ValidateOptions['codeTables']): string | Failure {
  switch (f.kind) {
    case 'text':
      return tooLong(f, text) ?? text;
    case 'name': {
      // Most names: 2–30 common Chinese characters, nothing to normalise or question.
      if (SIMPLE_HAN_NAME.test(raw)) return raw;
      const v = normaliseName(raw);
      const problem = checkName(v);
      return problem ? new Failure(problem.code, problem.detail) : v;
    }
    case 'idNumber':
      throw new Error('ID numbers are checked by validateRegistrationFields');
    case 'phone': {
      const r = validatePhone(raw);
      if (!r.ok) return new Failure('BAD_PHONE', r.message.replace(/^电话号码/, '').replace('：', '，'));
      return r.value;
    }
    case 'code': {
      if (!f.codeTable) throw new Error(`field ${f.key} has no code table`);
      const t = codeTables?.[f.codeTable] ?? CODE_TABLES[f.codeTable];
      const code = codeOf(t, raw);
      if (code === undefined) return new Failure('BAD_CODE', `“${text}”不在代码表中（${describeOptions(t)}）`);
      return code;
    }
    case 'date': {
      const r = parseDateInput(raw);
      if (!r.ok) return new Failure('BAD_DATE', r.message);
      const d = r.value;
      if (d > today) return new Failure('FUTURE_DATE', `${d} 晚于今天（${today}）`);
      if (f.key === 'birthDate' && d < EARLIEST_BIRTH_DATE) return new Failure('DATE_TOO_EARLY', `${d} 早于 1890 年，请核对`);
      if (f.key === 'surveyDate' && d < SURVEY_START_DATE) return new Failure('DATE_TOO_EARLY', `${d} 早于全民参保登记工作开始的 2014 年 1 月 1 日`);
      return d;
    }
    case 'yearMonth': {
      const r = parseYearMonthInput(raw);
      if (!r.ok) return new Failure('BAD_DATE', r.message);
      if (r.value > today.slice(0, 7)) return new Failure('FUTURE_DATE', `${r.value} 晚于本月（${today.slice(0, 7)}）`);
      return r.value;
    }
  }
}

function tooLong(f: FieldDef, v: string): Failure | null {
  // A string's code points never outnumber its UTF-16 units.
  if (f.maxLength === undefined || v.length <= f.maxLength) return null;
  const len = Array.from(v).length;
  return len > f.maxLength ? new Failure('TOO_LONG', `不能超过 ${String(f.maxLength)} 个字，当前为 ${String(len)} 个字`) : null;
}
