import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIdNumber } from './id-number.js';
import { SPREADSHEET_NUMBER_LIMIT } from './import-cells.js';
import { idCellFromSpreadsheetNumber, normaliseCell } from './import-headers.js';
import { validateRegistration } from './registration.js';

describe('normaliseCell: spreadsheet values to strings', () => {
  it('null and undefined are blank; strings are unchanged', () => {
    expect(normaliseCell(null)).toBe('');
    expect(normaliseCell(undefined)).toBe('');
    expect(normaliseCell(' 张三 ')).toBe(' 张三 ');
    expect(normaliseCell('320411198003151234')).toBe('320411198003151234');
  });
  it('ordinary numbers as JavaScript writes them (a mobile stored as a number survives)', () => {
    expect(normaliseCell(13912345678)).toBe('13912345678');
    expect(normaliseCell(42493)).toBe('42493');
    expect(normaliseCell(3.5)).toBe('3.5');
    expect(normaliseCell(320411800315123)).toBe('320411800315123'); // 15-digit legacy ID: still exact
    expect(normaliseCell(Number.NaN)).toBe('');
  });
  it('an 18-digit ID number stored as a number becomes the scientific form parseIdNumber rejects', () => {
    // What a reader hands over for the cell: a double, already 320411199001011260.
    const stored = Number('320411199001011234');
    expect(String(stored)).not.toBe('320411199001011234');
    const cell = normaliseCell(stored);
    expect(cell).toBe('3.20411199001011E+17');
    const r = parseIdNumber(cell, { today: '2016-06-01' });
    expect(!r.ok && r.error.code).toBe('SCIENTIFIC_NOTATION');
    const v = validateRegistration({ idNumber: cell }, { today: '2016-06-01' });
    expect(v.errors.find((e) => e.field === 'idNumber')?.message).toContain('已被电子表格当作数字处理');
  });
  it('every integer of 16 or more digits is flagged as stored-as-number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: BigInt(SPREADSHEET_NUMBER_LIMIT), max: 10n ** 19n }).map(Number), (n) => {
        const r = parseIdNumber(normaliseCell(n), { today: '2016-06-01' });
        expect(!r.ok && r.error.code).toBe('SCIENTIFIC_NOTATION');
      }),
    );
  });
  it('idCellFromSpreadsheetNumber writes Excel-style 15 significant digits', () => {
    expect(idCellFromSpreadsheetNumber(3.20411e17)).toBe('3.20411E+17');
    expect(idCellFromSpreadsheetNumber(1e18)).toBe('1E+18');
    expect(idCellFromSpreadsheetNumber(Infinity)).toBe('');
  });
  it('dates from their local date parts', () => {
    expect(normaliseCell(new Date(2016, 4, 3))).toBe('2016-05-03');
    expect(normaliseCell(new Date(2016, 4, 3, 23, 59))).toBe('2016-05-03');
    expect(normaliseCell(new Date(Number.NaN))).toBe('');
  });
  it('booleans as 是 / 否', () => {
    expect(normaliseCell(true)).toBe('是');
    expect(normaliseCell(false)).toBe('否');
  });
  it('rich text, formula results and hyperlinks as their text', () => {
    expect(normaliseCell({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三');
    expect(normaliseCell({ formula: 'A1', result: 42493 })).toBe('42493');
    expect(normaliseCell({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(normaliseCell({ error: '#N/A' })).toBe('');
    expect(normaliseCell({})).toBe('');
    expect(normaliseCell(10n)).toBe('10');
  });
});
