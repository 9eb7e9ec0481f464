import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ETHNICITY, HUKOU_TYPE, PERSON_CATEGORY, UNINSURED_REASON, WILLINGNESS } from '../shared/codes/index.js';
import type { RegistrationInput, RegistrationKey } from '../shared/registration.js';
import { checkDigit, isRealDate } from './id-number.js';
import {
  MINOR_AGE,
  SURVEY_START_DATE,
  isMinor,
  isUninsured,
  normaliseName,
  normaliseText,
  validateRegistration,
} from './registration.js';

const TODAY = '2016-06-01';
const makeId = (first17: string): string => first17 + checkDigit(first17);
/** Born 1980-03-15, male (17th digit 3). */
const ADULT_ID = makeId('32041119800315123');
/** An adult insured in 企业养老 and 居民医保, every mandatory field filled. */
const adult = (over: RegistrationInput = {}): RegistrationInput => ({
  idNumber: ADULT_ID,
  name: '张三',
  sex: '1',
  ethnicity: '01',
  birthDate: '1980-03-15',
  hukouType: '21',
  residenceAddress: '常州市新北区三井街道河海西路1号',
  phone: '13912345678',
  personCategory: '24',
  ins110Status: '1',
  ins110Place: '常州市新北区',
  ins110Since: '2005-07',
  surveyDate: '2016-05-03',
  surveyorName: '李四',
  ...over,
});
const run = (input: RegistrationInput, today = TODAY) => validateRegistration(input, { today });
const codesOf = (input: RegistrationInput, today = TODAY) => run(input, today).errors.map((e) => `${e.field}:${e.code}`);
const errorOf = (input: RegistrationInput, field: RegistrationKey, today = TODAY) =>
  run(input, today).errors.find((e) => e.field === field);

describe('a valid record', () => {
  it('validates with no errors and normalised values', () => {
    const r = run(adult({ sex: '男', ethnicity: '汉族', hukouType: '本地农业', personCategory: '工人', surveyDate: '2016/5/3', ins110Since: '2005年7月' }));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.values).toMatchObject({
      idType: '01',
      idNumber: ADULT_ID,
      sex: '1',
      ethnicity: '01',
      birthDate: '1980-03-15',
      hukouType: '21',
      personCategory: '24',
      surveyDate: '2016-05-03',
      ins110Status: '1',
      ins110Since: '2005-07',
      ins120Status: null,
      remarks: null,
    });
  });
  it('has every field in its values, null when blank', () => {
    const r = run(adult());
    expect(Object.keys(r.values)).toHaveLength(49);
    expect(r.values.guardianName).toBeNull();
  });
  it('validates again to itself (normalised values are a fixed point)', () => {
    const first = run(adult({ sex: '男', surveyDate: '20160503', phone: '139 1234 5678' }));
    const second = run(first.values);
    expect(second.errors).toEqual([]);
    expect(second.values).toEqual(first.values);
  });
});

describe('mandatory fields present', () => {
  for (const key of ['idNumber', 'name', 'hukouType', 'residenceAddress', 'personCategory', 'surveyDate'] as const) {
    it(`${key} is required`, () => {
      expect(codesOf(adult({ [key]: '' }))).toContain(`${key}:REQUIRED`);
      expect(codesOf(adult({ [key]: '   ' }))).toContain(`${key}:REQUIRED`);
      expect(codesOf(adult({ [key]: null }))).toContain(`${key}:REQUIRED`);
    });
  }
  it('the message names the field', () => {
    expect(errorOf(adult({ name: '' }), 'name')?.message).toBe('姓名：不能为空');
    expect(errorOf(adult({ idNumber: undefined }), 'idNumber')?.message).toBe('公民身份号码：不能为空');
  });
  it('idType defaults to 01 居民身份证; 07 户口簿 is accepted', () => {
    expect(run(adult()).values.idType).toBe('01');
    expect(run(adult({ idType: '户口簿' })).values.idType).toBe('07');
    expect(codesOf(adult({ idType: '护照' }))).toEqual(['idType:BAD_CODE']);
  });
});

describe('all errors at once', () => {
  it('reports every broken field in one call, in form order, one error per field', () => {
    const r = run({
      idNumber: makeId('32041119800315123').slice(0, 17) + '0',
      name: '张3',
      ethnicity: '火星族',
      residenceAddress: '',
      phone: '12345',
      personCategory: '工人',
      hukouType: '农业',
      ins390Status: '1',
      surveyDate: '2013-12-31',
      remarks: 'x'.repeat(501),
    });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'idNumber:BAD_CHECK_DIGIT',
      'name:NAME_HAS_DIGITS',
      'ethnicity:BAD_CODE',
      'residenceAddress:REQUIRED',
      'phone:BAD_PHONE',
      'ins390Place:REQUIRED',
      'surveyDate:DATE_TOO_EARLY',
      'remarks:TOO_LONG',
    ]);
  });
  it('a field with an error keeps what was typed', () => {
    const r = run(adult({ ethnicity: ' 火星族 ', surveyDate: '2016-02-30' }));
    expect(r.values.ethnicity).toBe('火星族');
    expect(r.values.surveyDate).toBe('2016-02-30');
  });
});

describe('citizen ID number (GB 11643-1999, via parseIdNumber)', () => {
  it('rejects a wrong check digit with the field label first', () => {
    const bad = ADULT_ID.slice(0, 17) + (ADULT_ID.endsWith('0') ? '1' : '0');
    const e = errorOf(adult({ idNumber: bad }), 'idNumber');
    expect(e?.code).toBe('BAD_CHECK_DIGIT');
    expect(e?.message.startsWith('公民身份号码：校验位不正确')).toBe(true);
  });
  it('says a number a spreadsheet turned into 3.20411E+17 was stored as a number', () => {
    const e = errorOf(adult({ idNumber: '3.20411E+17' }), 'idNumber');
    expect(e?.code).toBe('SCIENTIFIC_NOTATION');
    expect(e?.message).toContain('电子表格当作数字');
  });
  it('accepts a lowercase x, full-width digits and spaces', () => {
    const id = makeId('11010519491231002');
    expect(id.endsWith('X')).toBe(true);
    const r = run(adult({ idNumber: ` ${id.slice(0, 6)} ${id.slice(6, 17)}x`, sex: '', birthDate: '' }));
    expect(r.errors).toEqual([]);
    expect(r.values.idNumber).toBe(id);
  });
  it('converts a 15-digit number to 18 digits and notes it', () => {
    const r = run(adult({ idNumber: '320411800315123', sex: '', birthDate: '' }));
    expect(r.errors).toEqual([]);
    expect(r.values.idNumber).toBe(makeId('32041119800315123'));
    expect(r.notes.map((n) => n.code)).toContain('CONVERTED_FROM_15');
  });
  it('rejects bad region, bad length and letters', () => {
    expect(codesOf(adult({ idNumber: makeId('99041119800315123') }))).toContain('idNumber:BAD_REGION');
    expect(codesOf(adult({ idNumber: '3204111980' }))).toContain('idNumber:BAD_LENGTH');
    expect(codesOf(adult({ idNumber: '32041119800315A23X' }))).toContain('idNumber:BAD_CHARS');
  });
});

describe('sex and birth date consistent with the ID number', () => {
  it('fills them from the ID number when blank, with a note', () => {
    const r = run(adult({ sex: '', birthDate: undefined }));
    expect(r.errors).toEqual([]);
    expect(r.values.sex).toBe('1');
    expect(r.values.birthDate).toBe('1980-03-15');
    expect(r.notes.filter((n) => n.code === 'DERIVED_FROM_ID_NUMBER').map((n) => n.field)).toEqual(['sex', 'birthDate']);
  });
  it('rejects a sex the ID number contradicts', () => {
    const e = errorOf(adult({ sex: '女' }), 'sex');
    expect(e?.code).toBe('SEX_MISMATCH');
    expect(e?.message).toBe('性别：与公民身份号码不一致（号码第 17 位表示男）');
    expect(codesOf(adult({ sex: '9' }))).toEqual(['sex:SEX_MISMATCH']);
  });
  it('rejects a birth date the ID number contradicts, whatever its format', () => {
    expect(codesOf(adult({ birthDate: '1980-03-16' }))).toEqual(['birthDate:BIRTH_DATE_MISMATCH']);
    expect(codesOf(adult({ birthDate: '1980年3月15日' }))).toEqual([]);
    expect(codesOf(adult({ birthDate: '29295' }))).toEqual([]); // Excel serial of 1980-03-15
  });
  it('completes a 出生年月 (year-month) that agrees with the ID number', () => {
    const r = run(adult({ birthDate: '1980.03' }));
    expect(r.errors).toEqual([]);
    expect(r.values.birthDate).toBe('1980-03-15');
    expect(codesOf(adult({ birthDate: '1980.04' }))).toEqual(['birthDate:BAD_DATE']);
  });
  it('without a valid ID number, sex and birth date are not demanded separately', () => {
    expect(codesOf(adult({ idNumber: '', sex: '', birthDate: '' }))).toEqual(['idNumber:REQUIRED']);
  });
  it('checks a birth date on its own when the ID number is unusable', () => {
    expect(codesOf(adult({ idNumber: '', birthDate: '1889-12-31' }))).toContain('birthDate:DATE_TOO_EARLY');
    expect(codesOf(adult({ idNumber: '', birthDate: '2016-06-02' }))).toContain('birthDate:FUTURE_DATE');
    expect(codesOf(adult({ idNumber: '', birthDate: '2016-06-01', surveyDate: '2016-06-01', phone: '', ins110Since: '', guardianName: '张大', guardianPhone: '13912345678' }))).toEqual(['idNumber:REQUIRED']);
  });
});

describe('dates real and not in the future', () => {
  it('survey date: today is accepted, tomorrow is not', () => {
    expect(codesOf(adult({ surveyDate: TODAY }))).toEqual([]);
    const e = errorOf(adult({ surveyDate: '2016-06-02' }), 'surveyDate');
    expect(e?.code).toBe('FUTURE_DATE');
    expect(e?.message).toBe('调查日期：2016-06-02 晚于今天（2016-06-01）');
  });
  it(`survey date: not before ${SURVEY_START_DATE} (全民参保登记 started 2014)`, () => {
    expect(codesOf(adult({ surveyDate: '2014-01-01' }))).toEqual([]);
    expect(codesOf(adult({ surveyDate: '2013-12-31' }))).toEqual(['surveyDate:DATE_TOO_EARLY']);
  });
  it('survey date: not before the birth date', () => {
    const baby = makeId('32041120160502123');
    const input = { idNumber: baby, sex: '', birthDate: '', phone: '', ins110Since: '', guardianName: '张大', guardianPhone: '13912345678' };
    expect(codesOf(adult({ ...input, surveyDate: '2016-05-02' }))).toEqual([]);
    expect(codesOf(adult({ ...input, surveyDate: '2016-05-01' }))).toEqual(['surveyDate:BEFORE_BIRTH']);
  });
  it('survey date: real dates only, in any accepted format incl. an Excel serial', () => {
    expect(codesOf(adult({ surveyDate: '2016-02-30' }))).toEqual(['surveyDate:BAD_DATE']);
    expect(run(adult({ surveyDate: '42493' })).values.surveyDate).toBe('2016-05-03');
    expect(run(adult({ surveyDate: '2016年5月3日' })).values.surveyDate).toBe('2016-05-03');
  });
  it('insurance since-when (YYYY-MM): this month is accepted, next month is not', () => {
    expect(codesOf(adult({ ins110Since: '2016-06' }))).toEqual([]);
    expect(codesOf(adult({ ins110Since: '2016-07' }))).toEqual(['ins110Since:FUTURE_DATE']);
  });
  it('insurance since-when: accepts YYYY/MM, YYYYMM, YYYY年MM月; rejects other text', () => {
    expect(run(adult({ ins110Since: '2005/7' })).values.ins110Since).toBe('2005-07');
    expect(run(adult({ ins110Since: '200507' })).values.ins110Since).toBe('2005-07');
    expect(run(adult({ ins110Since: '2005年07月' })).values.ins110Since).toBe('2005-07');
    expect(codesOf(adult({ ins110Since: '七月' }))).toEqual(['ins110Since:BAD_DATE']);
  });
  it('insurance since-when: not before the birth month', () => {
    expect(codesOf(adult({ ins110Since: '1980-03' }))).toEqual([]);
    expect(codesOf(adult({ ins110Since: '1980-02' }))).toEqual(['ins110Since:BEFORE_BIRTH']);
  });
});

describe('codes from the code tables', () => {
  it('accepts a code or a label', () => {
    expect(run(adult({ ethnicity: '回' })).values.ethnicity).toBe('03');
    expect(run(adult({ relationToHead: '户主' })).values.relationToHead).toBe('02');
    expect(run(adult({ hukouType: '居民户口' })).values.hukouType).toBe('50');
  });
  it('rejects anything else, listing the choices of a small table', () => {
    const e = errorOf(adult({ hukouType: '城市' }), 'hukouType');
    expect(e?.code).toBe('BAD_CODE');
    expect(e?.message).toContain('户口性质：“城市”不在代码表中');
    expect(e?.message).toContain('50 居民户');
    expect(errorOf(adult({ ethnicity: '99' }), 'ethnicity')?.message).toContain('请填写《民族》代码表中的代码或名称');
  });
  it('uses an edited table when one is given (the city edits 未参保原因)', () => {
    const edited = { ...UNINSURED_REASON, entries: [...UNINSURED_REASON.entries, { code: '10', label: '长期外出务工' }] };
    const input = adult({ ins110Status: '', ins110Place: '', ins110Since: '', uninsuredReason: '长期外出务工', willingness: '1' });
    expect(codesOf(input)).toEqual(['uninsuredReason:BAD_CODE']);
    const r = validateRegistration(input, { today: TODAY, codeTables: { uninsuredReason: edited } });
    expect(r.errors).toEqual([]);
    expect(r.values.uninsuredReason).toBe('10');
  });
});

describe('phone of a valid shape (validatePhone)', () => {
  it('accepts a mobile or a landline, normalised', () => {
    expect(run(adult({ phone: '139-1234-5678' })).values.phone).toBe('13912345678');
    expect(run(adult({ phone: '88112733' })).values.phone).toBe('88112733');
    expect(run(adult({ phone: '0519 8811 2733' })).values.phone).toBe('0519-88112733');
  });
  it('rejects other shapes with the field label', () => {
    const e = errorOf(adult({ phone: '1234' }), 'phone');
    expect(e?.code).toBe('BAD_PHONE');
    expect(e?.message.startsWith('联系电话：')).toBe(true);
    expect(codesOf(adult({ guardianPhone: '1234' }))).toEqual(['guardianPhone:BAD_PHONE']);
  });
  it('an adult must give a phone', () => {
    expect(codesOf(adult({ phone: '' }))).toEqual(['phone:REQUIRED']);
    expect(codesOf(adult({ phone: '', guardianName: '张大', guardianPhone: '13912345678' }))).toEqual(['phone:REQUIRED']);
  });
});

describe(`minors under ${String(MINOR_AGE)}: guardian name and phone instead of their own phone`, () => {
  // Survey on 2016-06-01. Born 2000-06-02: 15 years 364 days. Born 2000-06-01: 16 that day.
  const child = makeId('32041120000602123');
  const sixteen = makeId('32041120000601123');
  const person = (id: string, over: RegistrationInput = {}) =>
    adult({ idNumber: id, sex: '', birthDate: '', surveyDate: '2016-06-01', phone: '', personCategory: '31', ins110Status: '', ins110Place: '', ins110Since: '', ins390Status: '1', ins390Place: '常州', ...over });
  it('isMinor: 15 years 364 days is a minor, the 16th birthday is not', () => {
    expect(isMinor('2000-06-02', '2016-06-01')).toBe(true);
    expect(isMinor('2000-06-01', '2016-06-01')).toBe(false);
    expect(isMinor('2000-02-29', '2016-02-28')).toBe(true);
    expect(isMinor('2000-02-29', '2016-02-29')).toBe(false);
  });
  it('at 15y364d the guardian name and phone are required, the own phone is not', () => {
    expect(codesOf(person(child))).toEqual(['guardianName:REQUIRED', 'guardianPhone:REQUIRED']);
    expect(codesOf(person(child, { guardianName: '张大', guardianPhone: '13912345678' }))).toEqual([]);
    expect(errorOf(person(child), 'guardianName')?.message).toBe('监护人姓名：未满16周岁的，须填写监护人姓名');
  });
  it('at 16 the own phone is required', () => {
    expect(codesOf(person(sixteen, { guardianName: '张大', guardianPhone: '13912345678' }))).toEqual(['phone:REQUIRED']);
    expect(codesOf(person(sixteen, { phone: '13912345678' }))).toEqual([]);
  });
  it('age is taken on the survey date, or today when the survey date is unusable', () => {
    expect(codesOf(person(child, { surveyDate: '2016-05-31' }))).toEqual(['guardianName:REQUIRED', 'guardianPhone:REQUIRED']);
    expect(codesOf(person(sixteen, { surveyDate: 'x' }))).toEqual(['phone:REQUIRED', 'surveyDate:BAD_DATE']);
  });
  it('a minor may also give their own phone; it must then be valid', () => {
    expect(codesOf(person(child, { phone: '1', guardianName: '张大', guardianPhone: '13912345678' }))).toEqual(['phone:BAD_PHONE']);
  });
  it('when the age is unknown (no usable ID or birth date) either phone will do', () => {
    expect(codesOf(person('', { guardianPhone: '13912345678' }))).toEqual(['idNumber:REQUIRED']);
    expect(codesOf(person(''))).toEqual(['idNumber:REQUIRED', 'phone:REQUIRED']);
  });
  it("the guardian's ID number is checked when given, and is not the child's own", () => {
    const g = { guardianName: '张大', guardianPhone: '13912345678' };
    expect(codesOf(person(child, { ...g, guardianIdNumber: ADULT_ID }))).toEqual([]);
    const bad = errorOf(person(child, { ...g, guardianIdNumber: '3.20411E+17' }), 'guardianIdNumber');
    expect(bad?.code).toBe('SCIENTIFIC_NOTATION');
    expect(bad?.message.startsWith('监护人公民身份号码：')).toBe(true);
    expect(codesOf(person(child, { ...g, guardianIdNumber: child }))).toEqual(['guardianIdNumber:GUARDIAN_IS_SELF']);
  });
});

describe('name: 2–30 characters, Chinese or letters, middle dot, spaces, no digits', () => {
  it('accepts Chinese names, transliterated names with ·, and Latin names', () => {
    for (const n of ['张三', '欧阳娜娜', '阿卜杜拉·买买提', 'John Smith', '𠮷野家']) expect(codesOf(adult({ name: n })), n).toEqual([]);
  });
  it('normalises padding spaces, dot look-alikes and full-width letters', () => {
    expect(normaliseName('张  三')).toBe('张三');
    expect(normaliseName('阿卜杜拉•买买提')).toBe('阿卜杜拉·买买提');
    expect(normaliseName('阿卜杜拉.买买提')).toBe('阿卜杜拉·买买提');
    expect(normaliseName('阿卜杜拉 · 买买提')).toBe('阿卜杜拉·买买提');
    expect(normaliseName(' John   Smith ')).toBe('John Smith');
    expect(normaliseName('Ｊｏｈｎ')).toBe('John');
    expect(run(adult({ name: '张 三' })).values.name).toBe('张三');
  });
  it('rejects digits', () => {
    expect(codesOf(adult({ name: '张三2' }))).toEqual(['name:NAME_HAS_DIGITS']);
  });
  it('rejects 1 character and 31 characters; accepts 2 and 30', () => {
    expect(codesOf(adult({ name: '张' }))).toEqual(['name:NAME_LENGTH']);
    expect(codesOf(adult({ name: '张三' }))).toEqual([]);
    expect(codesOf(adult({ name: '张'.repeat(30) }))).toEqual([]);
    expect(codesOf(adult({ name: '张'.repeat(31) }))).toEqual(['name:NAME_LENGTH']);
  });
  it('rejects punctuation, a leading or trailing dot, and other scripts', () => {
    for (const n of ['张三（小）', '·张三', '张三·', '张··三', '张三!', 'Иван']) expect(codesOf(adult({ name: n })), n).toEqual(['name:BAD_NAME']);
  });
  it('applies to the household head and the guardian too', () => {
    expect(codesOf(adult({ householdHeadName: '户主1' }))).toEqual(['householdHeadName:NAME_HAS_DIGITS']);
  });
  it('any 2–30 Han characters is a valid name', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }), { minLength: 2, maxLength: 30 }), (cps) => {
        expect(codesOf(adult({ name: String.fromCodePoint(...cps) }))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('insurance: 参保地 for the insured, reason and willingness for the uninsured', () => {
  const none = { ins110Status: '', ins110Place: '', ins110Since: '' };
  it('status 1, 2 or 4 needs the place; 0 does not', () => {
    for (const s of ['1', '2', '4', '暂停', '终止']) {
      expect(codesOf(adult({ ins210Status: s })), s).toEqual(['ins210Place:REQUIRED']);
    }
    expect(codesOf(adult({ ins210Status: '2', ins210Place: '外地' }))).toEqual([]);
    expect(codesOf(adult({ ins210Status: '0' }))).toEqual([]);
  });
  it('every type 0 or blank: uninsured, so reason and willingness are required', () => {
    expect(codesOf(adult(none))).toEqual(['uninsuredReason:REQUIRED', 'willingness:REQUIRED']);
    expect(codesOf(adult({ ...none, ins310Status: '未参保', ins390Status: '0' }))).toEqual(['uninsuredReason:REQUIRED', 'willingness:REQUIRED']);
    expect(codesOf(adult({ ...none, uninsuredReason: '在校学生', willingness: '愿意参保' }))).toEqual([]);
  });
  it('reason 99 其他 needs the note', () => {
    expect(codesOf(adult({ ...none, uninsuredReason: '99', willingness: '2' }))).toEqual(['uninsuredNote:REQUIRED']);
    expect(codesOf(adult({ ...none, uninsuredReason: '其他', willingness: '2', uninsuredNote: '长期在外' }))).toEqual([]);
  });
  it('an unreadable status is reported alone, without guessing that the person is uninsured', () => {
    expect(codesOf(adult({ ...none, ins110Status: '交了' }))).toEqual(['ins110Status:BAD_CODE']);
  });
  it('isUninsured: no status 1, 2 or 4', () => {
    expect(isUninsured({})).toBe(true);
    expect(isUninsured({ ins110Status: '0', ins390Status: null })).toBe(true);
    expect(isUninsured({ ins510Status: '4' })).toBe(false);
    expect(isUninsured({ ins390Status: '1' })).toBe(false);
  });
});

describe('lengths', () => {
  const cases: Array<[RegistrationKey, number]> = [
    ['residenceAddress', 200],
    ['hukouAddress', 200],
    ['householdAddress', 200],
    ['employer', 100],
    ['remarks', 500],
    ['ins110Place', 100],
  ];
  for (const [key, max] of cases) {
    it(`${key}: ${String(max)} characters accepted, ${String(max + 1)} rejected`, () => {
      expect(codesOf(adult({ [key]: '路'.repeat(max) }))).toEqual([]);
      expect(codesOf(adult({ [key]: '路'.repeat(max + 1) }))).toEqual([`${key}:TOO_LONG`]);
    });
  }
  it('counts characters, not UTF-16 units', () => {
    expect(codesOf(adult({ employer: '𠮷'.repeat(100) }))).toEqual([]);
  });
});

describe('text normalisation', () => {
  it('full-width digits and letters to ASCII, Chinese punctuation kept, spaces collapsed', () => {
    expect(normaliseText('  河海西路\u3000１２号，Ａ座 \u00a0 3楼 ')).toBe('河海西路 12号，A座 3楼');
    expect(normaliseText('a\u200bb')).toBe('ab');
    expect(normaliseText('a\u001fb\u001e\u0000c\u007f d')).toBe('abc d');
  });
});

describe('property: any well-formed record validates', () => {
  const ymd = fc
    .tuple(fc.integer({ min: 1900, max: 2016 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  const pick = (codes: readonly string[]) => fc.constantFrom(...codes);
  const record = fc
    .record({
      birth: ymd,
      seq: fc.integer({ min: 0, max: 999 }),
      survey: fc.integer({ min: 0, max: 880 }),
      name: fc.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }), { minLength: 2, maxLength: 4 }),
      ethnicity: pick(ETHNICITY.entries.map((e) => e.code)),
      hukouType: pick(HUKOU_TYPE.entries.map((e) => e.label)),
      personCategory: pick(PERSON_CATEGORY.entries.map((e) => e.code)),
      insured: fc.boolean(),
      reason: pick(UNINSURED_REASON.entries.map((e) => e.code)),
      willingness: pick(WILLINGNESS.entries.map((e) => e.label)),
      mobile: fc.stringMatching(/^1[3-9]\d{9}$/),
    })
    .map((g) => {
      const surveyDate = new Date(Date.UTC(2014, 0, 1) + g.survey * 86_400_000).toISOString().slice(0, 10);
      const birth = g.birth > surveyDate ? '2000-01-01' : g.birth;
      const idNumber = makeId(`320411${birth.replace(/-/g, '')}${String(g.seq).padStart(3, '0')}`);
      const minor = isMinor(birth, surveyDate);
      const input: RegistrationInput = {
        idNumber,
        name: String.fromCodePoint(...g.name),
        ethnicity: g.ethnicity,
        hukouType: g.hukouType,
        residenceAddress: '常州市新北区',
        personCategory: g.personCategory,
        surveyDate,
        phone: minor ? '' : g.mobile,
        guardianName: minor ? '张大' : '',
        guardianPhone: minor ? g.mobile : '',
      };
      if (g.insured) Object.assign(input, { ins390Status: '1', ins390Place: '常州' });
      else Object.assign(input, { uninsuredReason: g.reason, uninsuredNote: g.reason === '99' ? '说明' : '', willingness: g.willingness });
      return input;
    });
  it('generated valid records have no errors and keep their ID-derived fields', () => {
    fc.assert(
      fc.property(record, (input) => {
        const r = validateRegistration(input, { today: TODAY });
        expect(r.errors).toEqual([]);
        const id = input.idNumber ?? '';
        expect(r.values.birthDate?.replace(/-/g, '')).toBe(id.slice(6, 14));
        expect(isRealDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('normaliseText fast path', () => {
  it('gives exactly what the full normalisation gives, for any text', () => {
    const slow = (raw: string) =>
      raw
        .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
        // eslint-disable-next-line no-control-regex -- the rule under test removes control characters
        .replace(/[\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000e-\u001f\u007f]/g, '')
        .replace(/[\s\u00a0\u3000]+/g, ' ')
        .trim();
    const chars = fc.constantFrom('a', '张', ' ', '  ', '\t', '\u3000', '\u00a0', '１', 'Ａ', '\u200b', '\ufeff', '\n', '·', '-', '\u2003', '\u001f', '\u001e', '\u0007', '\u007f');
    fc.assert(fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), (s) => normaliseText(s) === slow(s)));
  });
});
