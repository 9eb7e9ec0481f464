// Export cells are neutralised against formula injection (SPEC "Exports"): a cell that starts
// with = + - @, a tab or a carriage return is prefixed with an apostrophe, so spreadsheet programs
// show it as text instead of evaluating it. The prefix is reversible (issue 12, defect 5): a cell
// that already starts with apostrophes before such a character gets one more, and the import
// (domain/import-cells.ts restoreNeutralisedCell) removes exactly one — so an export re-imports
// byte for byte.
import { NEUTRALISED } from '../../domain/import-cells.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) || NEUTRALISED.test(value) ? `'${value}` : value;
}
