// Export cells are neutralised against formula injection (SPEC "Exports"): a cell that starts
// with = + - @, a tab or a carriage return is prefixed with an apostrophe, so spreadsheet programs
// show it as text instead of evaluating it.
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
