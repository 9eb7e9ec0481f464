import { REGISTRATION_FIELDS } from '../../shared/registration';

/** The import template: a CSV (UTF-8 with BOM, so Excel opens it correctly) whose only row is the header. */
export function downloadTemplate(withCommunity: boolean): void {
  const header = [...(withCommunity ? ['社区'] : []), ...REGISTRATION_FIELDS.map((f) => f.label)];
  const line = header.map((h) => (/[",\r\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(',');
  const blob = new Blob(['\ufeff' + line + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = '全民参保登记导入模板.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
