import { describe, expect, it } from 'vitest';
import { CODE_TABLES, INSURANCE_TYPES } from './codes/index.js';
import { REGISTRATION_FIELDS, REGISTRATION_KEYS, fieldDef, isRegistrationKey } from './registration.js';

describe('REGISTRATION_FIELDS: the field list as data', () => {
  it('has every field of the brief, once, in form order', () => {
    expect(new Set(REGISTRATION_KEYS).size).toBe(REGISTRATION_KEYS.length);
    expect(REGISTRATION_KEYS.slice(0, 16)).toEqual([
      'idType', 'idNumber', 'name', 'sex', 'ethnicity', 'birthDate', 'relationToHead', 'hukouType', 'hukouAddress',
      'residenceAddress', 'phone', 'personCategory', 'employer', 'householdHeadName', 'householdHeadIdNumber',
      'householdAddress',
    ]);
    expect(REGISTRATION_KEYS.slice(-9)).toEqual([
      'uninsuredReason', 'uninsuredNote', 'willingness', 'guardianName', 'guardianIdNumber', 'guardianPhone',
      'surveyDate', 'surveyorName', 'remarks',
    ]);
    expect(REGISTRATION_FIELDS).toHaveLength(16 + 24 + 9);
  });
  it('generates status, place and since-when for each of the 8 insurance types', () => {
    for (const t of INSURANCE_TYPES) {
      const status = fieldDef(`ins${t.code}Status`);
      expect(status.label).toBe(`${t.label}参保状态`);
      expect(status.codeTable).toBe('insuranceStatus');
      expect(status.aliases).toContain(t.short);
      expect(status.aliases).toContain(`${t.short}状态`);
      expect(fieldDef(`ins${t.code}Place`).kind).toBe('text');
      expect(fieldDef(`ins${t.code}Since`).kind).toBe('yearMonth');
    }
    expect(fieldDef('ins110Status').label).toBe('企业职工基本养老保险参保状态');
  });
  it('marks the mandatory fields of SPEC §1', () => {
    const required = REGISTRATION_FIELDS.filter((f) => f.required === true).map((f) => f.key);
    expect(required).toEqual(['idNumber', 'name', 'sex', 'birthDate', 'hukouType', 'residenceAddress', 'personCategory', 'surveyDate']);
    expect(fieldDef('phone').required).toBe('conditional');
    expect(fieldDef('sex').derivedFrom).toBe('idNumber');
    expect(fieldDef('birthDate').derivedFrom).toBe('idNumber');
  });
  it('code fields name a shipped table; lengths as the brief says', () => {
    for (const f of REGISTRATION_FIELDS) {
      expect(f.kind === 'code', f.key).toBe(f.codeTable !== undefined);
      if (f.codeTable) expect(CODE_TABLES[f.codeTable]).toBeDefined();
    }
    expect(fieldDef('residenceAddress').maxLength).toBe(200);
    expect(fieldDef('hukouAddress').maxLength).toBe(200);
    expect(fieldDef('employer').maxLength).toBe(100);
    expect(fieldDef('remarks').maxLength).toBe(500);
  });
  it('carries the header names officials use', () => {
    const has = (key: Parameters<typeof fieldDef>[0], ...names: string[]) => {
      const f = fieldDef(key);
      for (const n of names) expect([f.label, ...f.aliases], `${key} ${n}`).toContain(n);
    };
    has('idNumber', '身份证号', '公民身份号码', '身份证号码', '证件号码', '身份证');
    has('name', '姓名');
    has('sex', '性别');
    has('ethnicity', '民族');
    has('birthDate', '出生日期', '出生年月日');
    has('phone', '联系电话', '电话', '手机', '手机号码', '联系方式');
    has('hukouAddress', '户籍地址', '户籍所在地', '户口所在地');
    has('residenceAddress', '常住地址', '居住地址', '现住址');
    has('relationToHead', '与户主关系');
    has('hukouType', '户口性质', '户籍性质');
    has('personCategory', '个人身份', '人员类别', '就业状态');
    has('employer', '工作单位', '就业单位');
    has('surveyDate', '调查日期', '采集日期', '登记日期');
    has('surveyorName', '采集人', '调查员');
  });
  it('isRegistrationKey and fieldDef reject unknown keys', () => {
    expect(isRegistrationKey('ins390Since')).toBe(true);
    expect(isRegistrationKey('ins999Since')).toBe(false);
    expect(() => fieldDef('nope' as never)).toThrow(RangeError);
  });
});
