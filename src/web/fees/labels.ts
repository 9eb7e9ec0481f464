// Labels, colours and small helpers of the fee pages (考核费用, 拨付, 分配). Money is integer fen;
// amounts are shown as "1,234.50 元" and typed in yuan (converted exactly by the domain's yuanToFen).
import type { Role } from '../../shared/roles';
import type { DisbursementStatus, FeeSheetStatus } from '../../shared/api-fees';
import { formatFen, yuanToFen } from '../../domain/fees';

export const FEE_SHEET_STATUS_COLORS: Record<FeeSheetStatus, string> = {
  computed: 'processing',
  checked: 'cyan',
  approved: 'success',
  superseded: 'default',
};

export const DISBURSEMENT_STATUS_COLORS: Record<DisbursementStatus, string> = {
  not_approved: 'default',
  approved: 'gold',
  partly_paid: 'processing',
  paid: 'success',
};

/** Short labels for narrow table cells (the full label is in the tooltip). */
export const FEE_SHEET_SHORT_LABELS: Record<FeeSheetStatus, string> = {
  computed: '待复核',
  checked: '待审批',
  approved: '已审批',
  superseded: '已作废',
};

/** Who may do what on the fee pages (the server checks again; this only hides buttons). */
export const FEE_COMPUTERS: readonly Role[] = ['city_admin', 'city_assessor'];
export const FEE_CHECKERS: readonly Role[] = ['city_admin', 'city_assessor'];

/** 123450 → '1,234.50 元'; null → '—'. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isSafeInteger(fen)) return '—';
  return `${formatFen(fen)} 元`;
}

/** 123450 → '1,234.50' (table cells whose column says 元). */
export function fenText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isSafeInteger(fen)) return '—';
  return formatFen(fen);
}

/** Yuan typed in an input (string mode) → fen; null for empty; a Chinese message when malformed. */
export function parseYuan(text: string | null | undefined): { fen: number | null; error: string | null } {
  if (text === null || text === undefined || text.trim() === '') return { fen: null, error: null };
  try {
    return { fen: yuanToFen(text), error: null };
  } catch (err) {
    return { fen: null, error: err instanceof Error ? err.message : '金额格式不正确' };
  }
}

/** fen → the yuan string an input shows: 123450 → '1234.50'. */
export function fenToYuanText(fen: number | null | undefined): string | null {
  if (fen === null || fen === undefined) return null;
  return formatFen(fen).replace(/,/g, '');
}

export const moneyPath = (campaignId: number, orgUnitId: number) => `/api/campaigns/${campaignId}/money/${orgUnitId}`;
export const districtPagePath = (campaignId: number, orgUnitId: number) => `/fees/${campaignId}/${orgUnitId}`;
export const printPagePath = (sheetId: number) => `/fees/sheets/${sheetId}/print`;
