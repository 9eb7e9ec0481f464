import { describe, expect, it } from 'vitest';
import { REGISTRATION_FIELDS } from '../shared/registration.js';
import { fieldForHeader, findHeader, findHeaderRow, headerAliasIndex, mapHeader, normaliseHeader } from './import-headers.js';

describe('header names: aliases officials use', () => {
  it.each([
    ['身份证号', 'idNumber'],
    ['公民身份号码', 'idNumber'],
    ['身份证号码', 'idNumber'],
    ['证件号码', 'idNumber'],
    ['身份证', 'idNumber'],
    ['姓名', 'name'],
    ['性别', 'sex'],
    ['民族', 'ethnicity'],
    ['出生日期', 'birthDate'],
    ['出生年月日', 'birthDate'],
    ['联系电话', 'phone'],
    ['电话', 'phone'],
    ['手机', 'phone'],
    ['手机号码', 'phone'],
    ['联系方式', 'phone'],
    ['户籍地址', 'hukouAddress'],
    ['户籍所在地', 'hukouAddress'],
    ['户口所在地', 'hukouAddress'],
    ['常住地址', 'residenceAddress'],
    ['居住地址', 'residenceAddress'],
    ['现住址', 'residenceAddress'],
    ['与户主关系', 'relationToHead'],
    ['户口性质', 'hukouType'],
    ['户籍性质', 'hukouType'],
    ['个人身份', 'personCategory'],
    ['人员类别', 'personCategory'],
    ['就业状态', 'personCategory'],
    ['工作单位', 'employer'],
    ['就业单位', 'employer'],
    ['调查日期', 'surveyDate'],
    ['采集日期', 'surveyDate'],
    ['登记日期', 'surveyDate'],
    ['采集人', 'surveyorName'],
    ['调查员', 'surveyorName'],
    ['企业养老', 'ins110Status'],
    ['企业养老状态', 'ins110Status'],
    ['企业职工基本养老保险参保状态', 'ins110Status'],
    ['居民医保参保地', 'ins390Place'],
    ['失业保险参保年月', 'ins210Since'],
    ['户主身份证号', 'householdHeadIdNumber'],
    ['监护人电话', 'guardianPhone'],
    ['idNumber', 'idNumber'],
  ])('%s → %s', (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });
  it('every label and alias of REGISTRATION_FIELDS maps to its own field, none to two', () => {
    expect(() => headerAliasIndex()).not.toThrow();
    for (const f of REGISTRATION_FIELDS) {
      for (const a of [f.label, ...f.aliases]) expect(fieldForHeader(a), a).toBe(f.key);
    }
  });
  it('ignores spaces, full-width forms, *, （必填） marks, bracketed notes and Latin case', () => {
    expect(normaliseHeader(' *身份证号（必填） ')).toBe('身份证号');
    expect(fieldForHeader('* 姓 名')).toBe('name');
    expect(fieldForHeader('姓名(必填)')).toBe('name');
    expect(fieldForHeader('【必填】性别')).toBe('sex');
    expect(fieldForHeader('出生日期（YYYY-MM-DD）')).toBe('birthDate');
    expect(fieldForHeader('联系电话：')).toBe('phone');
    expect(fieldForHeader('※民族')).toBe('ethnicity');
    expect(fieldForHeader('IDNUMBER')).toBe('idNumber');
    expect(fieldForHeader('序号')).toBeNull();
    expect(fieldForHeader('')).toBeNull();
  });
});

describe('mapHeader', () => {
  it('maps each column, leaving unknown ones unmapped', () => {
    const m = mapHeader(['序号', '姓名', '身份证号', '性别', '户口性质', '现住址', '手机', '人员类别', '调查日期']);
    expect(m.columns.map((c) => c.field)).toEqual([null, 'name', 'idNumber', 'sex', 'hukouType', 'residenceAddress', 'phone', 'personCategory', 'surveyDate']);
    expect(m.columns[2]).toEqual({ index: 2, field: 'idNumber', header: '身份证号' });
    expect(m.missingRequired).toEqual([]);
    expect(m.duplicates).toEqual([]);
  });
  it('lists mandatory fields with no column; sex and birth date only when the ID number is missing too', () => {
    expect(mapHeader(['姓名', '身份证号']).missingRequired).toEqual(['hukouType', 'residenceAddress', 'personCategory', 'surveyDate']);
    expect(mapHeader(['姓名']).missingRequired).toEqual(['idNumber', 'sex', 'birthDate', 'hukouType', 'residenceAddress', 'personCategory', 'surveyDate']);
  });
  it('reads the first of two columns for the same field and reports the duplicate', () => {
    const m = mapHeader(['身份证号', '公民身份号码', '电话', '手机', '姓名']);
    expect(m.columns.map((c) => c.field)).toEqual(['idNumber', null, 'phone', null, 'name']);
    expect(m.duplicates).toEqual(['idNumber', 'phone']);
  });
});

describe('findHeaderRow: a title row above the header is common', () => {
  it('finds the header under a title and a blank row', () => {
    const rows = [
      ['常州市全民参保登记表（新北区）'],
      [],
      ['填报单位：三井街道', '', '', '2016年5月'],
      ['序号', '姓名', '公民身份号码', '性别', '民族'],
      ['1', '张三', '320411198003151234', '男', '汉'],
    ];
    expect(findHeaderRow(rows)).toBe(3);
  });
  it('row 0 when the header is first', () => {
    expect(findHeaderRow([['姓名', '身份证号', '性别'], ['张三', '1', '男']])).toBe(0);
  });
  it('needs the ID number and at least 3 known fields', () => {
    expect(findHeaderRow([['姓名', '性别', '民族', '电话']])).toBe(-1);
    expect(findHeaderRow([['姓名', '身份证号']])).toBe(-1);
    expect(findHeaderRow([['姓名', '身份证号', '电话']])).toBe(0);
    expect(findHeaderRow([])).toBe(-1);
  });
  it('scans only the first maxScan rows', () => {
    const rows = [...Array.from({ length: 10 }, () => ['说明']), ['姓名', '身份证号', '性别']];
    expect(findHeaderRow(rows)).toBe(-1);
    expect(findHeaderRow(rows, 11)).toBe(10);
  });
});

describe('findHeader: one or two header rows (issue 12, defect 3)', () => {
  const upper = ['序号', '姓名', '公民身份号码', '户口性质', '常住地址', '联系电话', '个人身份', '城乡居民基本医疗保险', '', '', '企业养老', '', '备注'];
  const lower = ['', '', '', '', '', '', '', '参保状态', '参保地', '参保年月', '状态', '参保地', ''];
  const fieldsOf = (names: string[]) => mapHeader(names).columns.map((c) => c.field);

  it('groups over their sub-columns: the ID number in the upper row (merged down)', () => {
    const found = findHeader([['常州市全民参保登记表'], upper, lower, ['1', '张三', '320411198001010019']]);
    expect(found).toMatchObject({ start: 1, depth: 2 });
    expect(fieldsOf(found!.names)).toEqual([null, 'name', 'idNumber', 'hukouType', 'residenceAddress', 'phone', 'personCategory', 'ins390Status', 'ins390Place', 'ins390Since', 'ins110Status', 'ins110Place', 'remarks']);
    expect(found!.names[8]).toBe('城乡居民基本医疗保险/参保地');
  });

  it('the ID number in the lower row, under a group such as 基本信息', () => {
    const top = ['基本信息', '', '', '居民医保', ''];
    const bottom = ['姓名', '身份证号', '联系电话', '参保状态', '参保地'];
    const found = findHeader([top, bottom]);
    expect(found).toMatchObject({ start: 0, depth: 2 });
    expect(fieldsOf(found!.names)).toEqual(['name', 'idNumber', 'phone', 'ins390Status', 'ins390Place']);
  });

  it('blank header cells and a one-row header: one row deep, blank columns unmapped', () => {
    const row = ['姓名', '', '公民身份号码', '', '联系电话'];
    const found = findHeader([row, ['张三', 'x', '320411198001010019', '', '13912345678']]);
    expect(found).toEqual({ start: 0, depth: 1, names: row });
    expect(fieldsOf(row)).toEqual(['name', null, 'idNumber', null, 'phone']);
  });

  it('a data row below a one-row header is not taken for sub-columns', () => {
    const header = ['姓名', '公民身份号码', '城乡居民基本医疗保险', '城乡居民基本医疗保险参保地'];
    expect(findHeader([header, ['张三', '320411198001010019', '正常参保', '常州']])).toMatchObject({ start: 0, depth: 1 });
  });

  it('a sparse header row (holes where a reader skipped cells) maps one column per index', () => {
    const sparse: string[] = [];
    sparse[0] = '姓名';
    sparse[2] = '公民身份号码';
    sparse[3] = '联系电话';
    const m = mapHeader(sparse);
    expect(m.columns.map((c) => c.field)).toEqual(['name', null, 'idNumber', 'phone']);
  });

  it('no header: null', () => {
    expect(findHeader([['填表说明'], ['1. 请用黑色签字笔填写'], ['2. 身份证号请设置为文本格式']])).toBeNull();
  });
});
