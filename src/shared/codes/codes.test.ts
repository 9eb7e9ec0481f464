import { describe, expect, it } from 'vitest';
import {
  CODE_TABLES,
  CODE_TABLE_IDS,
  ETHNICITY,
  HUKOU_TYPE,
  ID_TYPE,
  INSURANCE_STATUS,
  INSURANCE_TYPE,
  PERSON_CATEGORY,
  RELATION_TO_HEAD,
  SEX,
  UNINSURED_REASON,
  WILLINGNESS,
  codeOf,
  codesOf,
  isCodeTableId,
  labelOf,
  normaliseCodeText,
} from './index.js';

describe('code tables: the codes of SPEC §1', () => {
  it('sex GB/T 2261.1: 0 1 2 9', () => {
    expect(SEX.entries.map((e) => `${e.code}${e.label}`)).toEqual(['0未知的性别', '1男', '2女', '9未说明的性别']);
  });
  it('ethnicity GB 3304: 01 汉族 … 56 基诺族 in the standard order, then 97 and 98', () => {
    expect(ETHNICITY.entries).toHaveLength(58);
    expect(labelOf(ETHNICITY, '01')).toBe('汉族');
    expect(labelOf(ETHNICITY, '11')).toBe('满族');
    expect(labelOf(ETHNICITY, '36')).toBe('毛南族');
    expect(labelOf(ETHNICITY, '46')).toBe('德昂族');
    expect(labelOf(ETHNICITY, '56')).toBe('基诺族');
    expect(labelOf(ETHNICITY, '97')).toBe('其他');
    expect(labelOf(ETHNICITY, '98')).toBe('外国血统中国籍人士');
    expect(codesOf(ETHNICITY).slice(0, 56)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
  });
  it('relation to household head GB/T 4761: 01 本人 … 99 非亲属, no 98', () => {
    expect(labelOf(RELATION_TO_HEAD, '02')).toBe('户主');
    expect(labelOf(RELATION_TO_HEAD, '40')).toBe('孙子、孙女或外孙子、外孙女');
    expect(labelOf(RELATION_TO_HEAD, '97')).toBe('其他亲属');
    expect(labelOf(RELATION_TO_HEAD, '98')).toBeUndefined();
    expect(RELATION_TO_HEAD.entries).toHaveLength(2 + 3 + 6 * 10 + 18 + 1);
  });
  it('hukou type, person category, ID type, insurance type and status, survey tables', () => {
    expect(codesOf(HUKOU_TYPE)).toEqual(['10', '11', '12', '20', '21', '22', '30', '40', '50']);
    expect(codesOf(PERSON_CATEGORY)).toEqual(['11', '13', '17', '21', '24', '27', '31', '37', '51', '54', '70', '80', '90']);
    expect(codesOf(ID_TYPE)).toEqual(['01', '07']);
    expect(codesOf(INSURANCE_TYPE)).toEqual(['110', '120', '170', '210', '310', '390', '410', '510']);
    expect(codesOf(INSURANCE_STATUS)).toEqual(['0', '1', '2', '4']);
    expect(codesOf(UNINSURED_REASON)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '99']);
    expect(codesOf(WILLINGNESS)).toEqual(['1', '2', '3']);
  });
  it('every table has unique codes, and no label or alias means two codes', () => {
    for (const id of CODE_TABLE_IDS) {
      const t = CODE_TABLES[id];
      expect(t.id).toBe(id);
      const codes = codesOf(t);
      expect(new Set(codes).size, id).toBe(codes.length);
      const owner = new Map<string, string>();
      for (const e of t.entries) {
        for (const text of [e.label, ...(e.aliases ?? [])]) {
          const k = normaliseCodeText(text);
          const prev = owner.get(k);
          expect(prev === undefined || prev === e.code, `${id}: “${text}” is ${prev ?? ''} and ${e.code}`).toBe(true);
          owner.set(k, e.code);
        }
      }
    }
  });
  it('isCodeTableId knows the shipped tables', () => {
    expect(isCodeTableId('ethnicity')).toBe(true);
    expect(isCodeTableId('nation')).toBe(false);
  });
});

describe('codeOf: code, label or alias', () => {
  it('accepts the code itself', () => {
    expect(codeOf(SEX, '1')).toBe('1');
    expect(codeOf(ETHNICITY, '01')).toBe('01');
  });
  it('accepts the label and aliases', () => {
    expect(codeOf(SEX, '男')).toBe('1');
    expect(codeOf(SEX, '女性')).toBe('2');
    expect(codeOf(ETHNICITY, '汉族')).toBe('01');
    expect(codeOf(HUKOU_TYPE, '居民户口')).toBe('50');
    expect(codeOf(INSURANCE_STATUS, '暂停')).toBe('2');
    expect(codeOf(INSURANCE_STATUS, '终止')).toBe('4');
    expect(codeOf(INSURANCE_TYPE, '居民医保')).toBe('390');
    expect(codeOf(INSURANCE_TYPE, '企业养老')).toBe('110');
  });
  it('accepts an ethnicity without 族 and the old names 毛难族 / 崩龙族', () => {
    expect(codeOf(ETHNICITY, '汉')).toBe('01');
    expect(codeOf(ETHNICITY, '维吾尔')).toBe('05');
    expect(codeOf(ETHNICITY, '土')).toBe('30');
    expect(codeOf(ETHNICITY, '土家')).toBe('15');
    expect(codeOf(ETHNICITY, '毛难族')).toBe('36');
    expect(codeOf(ETHNICITY, '崩龙族')).toBe('46');
  });
  it('trims, ignores inner spaces and reads full-width forms', () => {
    expect(codeOf(SEX, ' 男 ')).toBe('1');
    expect(codeOf(ETHNICITY, '汉 族')).toBe('01');
    expect(codeOf(ETHNICITY, '０１')).toBe('01');
    expect(codeOf(PERSON_CATEGORY, '退（离）休人员')).toBe('80');
    expect(codeOf(UNINSURED_REASON, '出国（境）')).toBe('05');
  });
  it('pads a code written without leading zeros, and drops extra ones, when all codes have one length', () => {
    expect(codeOf(ETHNICITY, '1')).toBe('01');
    expect(codeOf(RELATION_TO_HEAD, '2')).toBe('02');
    expect(codeOf(SEX, '01')).toBe('1');
    expect(codeOf(INSURANCE_STATUS, '00')).toBe('0');
  });
  it('rejects what is in no table', () => {
    expect(codeOf(SEX, '3')).toBeUndefined();
    expect(codeOf(SEX, '')).toBeUndefined();
    expect(codeOf(SEX, null)).toBeUndefined();
    expect(codeOf(ETHNICITY, '99')).toBeUndefined();
    expect(codeOf(ETHNICITY, '火星族')).toBeUndefined();
    expect(codeOf(ETHNICITY, '100')).toBeUndefined();
  });
  it('labelOf is undefined for an unknown or missing code', () => {
    expect(labelOf(SEX, '1')).toBe('男');
    expect(labelOf(SEX, '5')).toBeUndefined();
    expect(labelOf(SEX, null)).toBeUndefined();
  });
  it('every code and every label of every table maps back to its code', () => {
    for (const id of CODE_TABLE_IDS) {
      for (const e of CODE_TABLES[id].entries) {
        expect(codeOf(CODE_TABLES[id], e.code)).toBe(e.code);
        expect(codeOf(CODE_TABLES[id], e.label)).toBe(e.code);
        for (const a of e.aliases ?? []) expect(codeOf(CODE_TABLES[id], a)).toBe(e.code);
      }
    }
  });
  it('an edited copy of a table is indexed afresh', () => {
    const edited = { ...UNINSURED_REASON, entries: [...UNINSURED_REASON.entries, { code: '10', label: '长期外出务工' }] };
    expect(codeOf(edited, '长期外出务工')).toBe('10');
    expect(codeOf(UNINSURED_REASON, '长期外出务工')).toBeUndefined();
  });
});
