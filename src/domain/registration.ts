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
  fieldDef,
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

// Computed once: the loop over ~50 fields runs for every imported row.
const FIELD_ORDER: ReadonlyMap<RegistrationKey, number> = new Map(REGISTRATION_FIELDS.map((f, i) => [f.key, i]));
// Not frozen: V8 copies a frozen object by spread several times slower. Module-private, never written.
const EMPTY_VALUES = Object.fromEntries(REGISTRATION_FIELDS.map((f) => [f.key, null])) as Readonly<NormalisedRecord>;
const REQUIRED_NOT_DERIVED = REGISTRATION_FIELDS.filter((f) => f.required === true && f.derivedFrom === undefined);

export function validateRegistration(
  input: Readonly<Record<string, string | null | undefined>>,
  opts: ValidateOptions,
): ValidationResult {
  const { today } = opts;
  const table = (id: CodeTableId): CodeTable => opts.codeTables?.[id] ?? CODE_TABLES[id];
  const values: NormalisedRecord = { ...EMPTY_VALUES };
  const errorByField = new Map<RegistrationKey, RegistrationError>();
  const notes: RegistrationNote[] = [];
  /** Fields whose value is normalised and passed its own checks. */
  const good = new Set<RegistrationKey>();

  const label = (key: RegistrationKey): string => fieldDef(key).label;
  const fail = (key: RegistrationKey, code: RegistrationErrorCode, detail: string): void => {
    if (errorByField.has(key)) return;
    errorByField.set(key, { field: key, code, message: `${label(key)}：${detail}` });
    good.delete(key);
  };
  const raw = (key: RegistrationKey): string => {
    const v = input[key];
    return v == null ? '' : v;
  };
  const ok = (key: RegistrationKey): string | null => (good.has(key) ? values[key] : null);

  // 1. Each field on its own.
  let parsedId: ParsedIdNumber | null = null;
  for (const f of REGISTRATION_FIELDS) {
    const r = raw(f.key);
    if (isBlank(r)) {
      if (f.defaultValue !== undefined) {
        values[f.key] = f.defaultValue;
        good.add(f.key);
      }
      continue;
    }
    const result = checkField(f, r, today, table, opts.regionCode);
    if ('error' in result) {
      values[f.key] = normaliseText(r); // kept as typed (trimmed) for the draft
      fail(f.key, result.error.code, result.error.detail);
      continue;
    }
    values[f.key] = result.value;
    good.add(f.key);
    if (f.kind === 'idNumber' && result.parsed) {
      if (f.key === 'idNumber') parsedId = result.parsed;
      if (result.parsed.convertedFrom15) {
        notes.push({
          field: f.key,
          code: 'CONVERTED_FROM_15',
          message: `${f.label}：15 位旧号码已换算为 18 位 ${result.parsed.idNumber}`,
        });
      }
    }
  }

  // 2. Mandatory fields (those derivable from the ID number are filled or checked in step 3).
  for (const f of REQUIRED_NOT_DERIVED) {
    if (values[f.key] === null) fail(f.key, 'REQUIRED', '不能为空');
  }

  // 3. Sex and birth date agree with the ID number, or are filled from it.
  if (parsedId) {
    const id = parsedId;
    if (values.sex === null) {
      values.sex = id.sex;
      good.add('sex');
      notes.push({ field: 'sex', code: 'DERIVED_FROM_ID_NUMBER', message: '性别：已按公民身份号码填写' });
    } else if (good.has('sex') && values.sex !== id.sex) {
      fail('sex', 'SEX_MISMATCH', `与公民身份号码不一致（号码第 17 位表示${id.sex === '1' ? '男' : '女'}）`);
    }
    const birthRaw = raw('birthDate');
    if (values.birthDate === null) {
      values.birthDate = id.birthDate;
      good.add('birthDate');
      notes.push({ field: 'birthDate', code: 'DERIVED_FROM_ID_NUMBER', message: '出生日期：已按公民身份号码填写' });
    } else if (good.has('birthDate') && values.birthDate !== id.birthDate) {
      fail('birthDate', 'BIRTH_DATE_MISMATCH', `与公民身份号码不一致（号码中的出生日期为 ${id.birthDate}）`);
    } else if (!good.has('birthDate')) {
      // A 出生年月 column ("1990.01") agreeing with the ID number: take the full date from the number.
      const ym = parseYearMonthInput(birthRaw);
      if (ym.ok && id.birthDate.startsWith(ym.value) && errorByField.get('birthDate')?.code === 'BAD_DATE') {
        errorByField.delete('birthDate');
        values.birthDate = id.birthDate;
        good.add('birthDate');
        notes.push({ field: 'birthDate', code: 'DERIVED_FROM_ID_NUMBER', message: '出生日期：已按公民身份号码补全日' });
      }
    }
  }
  const birthDate = ok('birthDate');

  // 4. Dates after the birth date.
  const surveyDate = ok('surveyDate');
  if (birthDate && surveyDate && surveyDate < birthDate) fail('surveyDate', 'BEFORE_BIRTH', `${surveyDate} 早于出生日期 ${birthDate}`);
  for (const k of INSURANCE_KEYS) {
    const since = ok(k.since);
    if (birthDate && since && since < birthDate.slice(0, 7)) {
      fail(k.since, 'BEFORE_BIRTH', `${since} 早于出生年月 ${birthDate.slice(0, 7)}`);
    }
  }

  // 5. The person's phone, or for a minor the guardian's name and phone.
  const minor = birthDate ? isMinor(birthDate, surveyDate ?? today) : null;
  if (minor === true) {
    if (values.guardianName === null) fail('guardianName', 'REQUIRED', `未满${String(MINOR_AGE)}周岁的，须填写监护人姓名`);
    if (values.guardianPhone === null) fail('guardianPhone', 'REQUIRED', `未满${String(MINOR_AGE)}周岁的，须填写监护人联系电话`);
  } else if (values.phone === null && (minor === false || values.guardianPhone === null)) {
    fail('phone', 'REQUIRED', `不能为空（未满${String(MINOR_AGE)}周岁的可改填监护人联系电话）`);
  }
  if (parsedId && ok('guardianIdNumber') === parsedId.idNumber) {
    fail('guardianIdNumber', 'GUARDIAN_IS_SELF', '不能与本人的公民身份号码相同');
  }

  // 6. Insurance: a 参保地 for every insured type; the uninsured give a reason and their willingness.
  let statusesKnown = true;
  for (const k of INSURANCE_KEYS) {
    const statusKey = k.status;
    if (values[statusKey] !== null && !good.has(statusKey)) statusesKnown = false;
    const status = ok(statusKey);
    const placeKey = k.place;
    if (status !== null && INSURED_STATUSES.has(status) && values[placeKey] === null) {
      fail(placeKey, 'REQUIRED', '已参保（含暂停、终止）的须填写参保地');
    }
  }
  // An unreadable status is reported on its own; whether the person is uninsured is then unknown.
  if (statusesKnown && isUninsured(values)) {
    if (values.uninsuredReason === null) fail('uninsuredReason', 'REQUIRED', '八个险种均未参保的，须填写未参保原因');
    if (values.willingness === null) fail('willingness', 'REQUIRED', '八个险种均未参保的，须填写参保意愿');
  }
  if (ok('uninsuredReason') === UNINSURED_REASON_OTHER && values.uninsuredNote === null) {
    fail('uninsuredNote', 'REQUIRED', '未参保原因为“其他”的，须说明具体原因');
  }

  // Errors keep what was typed; in form order.
  if (errorByField.size === 0) return { values, errors: [], notes, valid: true };
  const errors = [...errorByField.values()].sort((a, b) => (FIELD_ORDER.get(a.field) ?? 0) - (FIELD_ORDER.get(b.field) ?? 0));
  for (const e of errors) {
    const r = raw(e.field);
    if (!isBlank(r)) values[e.field] = normaliseText(r);
  }
  return { values, errors, notes, valid: errors.length === 0 };
}

type FieldCheck =
  | { value: string; parsed?: ParsedIdNumber }
  | { error: { code: RegistrationErrorCode; detail: string } };

const err = (code: RegistrationErrorCode, detail: string): FieldCheck => ({ error: { code, detail } });

function checkField(f: FieldDef, raw: string, today: string, table: (id: CodeTableId) => CodeTable, regionCode?: string): FieldCheck {
  switch (f.kind) {
    case 'text': {
      const v = normaliseText(raw);
      return tooLong(f, v) ?? { value: v };
    }
    case 'name': {
      // Most names: 2–30 common Chinese characters, nothing to normalise or question.
      if (SIMPLE_HAN_NAME.test(raw)) return { value: raw };
      const v = normaliseName(raw);
      const problem = checkName(v);
      return problem ? err(problem.code, problem.detail) : { value: v };
    }
    case 'idNumber': {
      const r = parseIdNumber(raw, { today, regionCode });
      if (!r.ok) {
        const code = r.error.code === 'EMPTY' ? 'REQUIRED' : r.error.code;
        return err(code, r.error.message.replace(/^公民身份号码(中的)?/, ''));
      }
      return { value: r.value.idNumber, parsed: r.value };
    }
    case 'phone': {
      const r = validatePhone(raw);
      if (!r.ok) return err('BAD_PHONE', r.message.replace(/^电话号码/, '').replace('：', '，'));
      return { value: r.value };
    }
    case 'code': {
      if (!f.codeTable) throw new Error(`field ${f.key} has no code table`);
      const t = table(f.codeTable);
      const code = codeOf(t, raw);
      if (code === undefined) return err('BAD_CODE', `“${normaliseText(raw)}”不在代码表中（${describeOptions(t)}）`);
      return { value: code };
    }
    case 'date': {
      const r = parseDateInput(raw);
      if (!r.ok) return err('BAD_DATE', r.message);
      const d = r.value;
      if (d > today) return err('FUTURE_DATE', `${d} 晚于今天（${today}）`);
      if (f.key === 'birthDate' && d < EARLIEST_BIRTH_DATE) return err('DATE_TOO_EARLY', `${d} 早于 1890 年，请核对`);
      if (f.key === 'surveyDate' && d < SURVEY_START_DATE) {
        return err('DATE_TOO_EARLY', `${d} 早于全民参保登记工作开始的 2014 年 1 月 1 日`);
      }
      return { value: d };
    }
    case 'yearMonth': {
      const r = parseYearMonthInput(raw);
      if (!r.ok) return err('BAD_DATE', r.message);
      if (r.value > today.slice(0, 7)) return err('FUTURE_DATE', `${r.value} 晚于本月（${today.slice(0, 7)}）`);
      return { value: r.value };
    }
  }
}

function tooLong(f: FieldDef, v: string): FieldCheck | null {
  // A string's code points never outnumber its UTF-16 units.
  if (f.maxLength === undefined || v.length <= f.maxLength) return null;
  const len = Array.from(v).length;
  if (f.maxLength !== undefined && len > f.maxLength) {
    return err('TOO_LONG', `不能超过 ${String(f.maxLength)} 个字，当前为 ${String(len)} 个字`);
  }
  return null;
}
