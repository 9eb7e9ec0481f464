// Labels, colours and small helpers of the assessment pages (考核评估).
import type { Assessment, AssessmentStatus } from '../../shared/api-assessment';
import { formatScore, parseScoreInput, validateScore } from '../../domain/score';

export const ASSESSMENT_STATUS_COLORS: Record<AssessmentStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  final: 'success',
};

export type AssessmentAction = Assessment['events'][number]['action'];

export const ASSESSMENT_ACTION_LABELS: Record<AssessmentAction, string> = {
  save: '保存',
  submit: '提交',
  return: '退回',
  review: '评分',
  finalize: '完成考核',
  reopen: '重新开放',
  window: '开放补报',
};

export const ASSESSMENT_ACTION_COLORS: Record<AssessmentAction, string> = {
  save: 'gray',
  submit: 'blue',
  return: 'red',
  review: 'gray',
  finalize: 'green',
  reopen: 'orange',
  window: 'orange',
};

/** Evidence accepted by the server (sniffed by content there): images, PDF, Office documents. */
export const EVIDENCE_ACCEPT = 'image/png,image/jpeg,image/gif,.png,.jpg,.jpeg,.gif,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx';
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
export const EVIDENCE_TYPES_TEXT = '图片（JPG、PNG、GIF）、PDF、Word、Excel、PowerPoint';
const EVIDENCE_NAME = /\.(png|jpe?g|gif|pdf|docx?|xlsx?|pptx?)$/i;

/** A quick check before uploading (the server checks the content again). */
export function evidenceProblem(file: { name: string; size: number }): string | null {
  if (!EVIDENCE_NAME.test(file.name)) return `不支持的文件类型：佐证材料应为${EVIDENCE_TYPES_TEXT}`;
  if (file.size === 0) return '文件为空';
  if (file.size > EVIDENCE_MAX_BYTES) return `文件 ${formatSize(file.size)}，超过 20 MB 上限`;
  return null;
}

export function evidenceUrl(id: number, download = false): string {
  return `/api/evidence/${id}${download ? '?download=1' : ''}`;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Tenths → '4.5'; null → '—'. */
export function showScore(tenths: number | null | undefined): string {
  return tenths === null || tenths === undefined ? '—' : formatScore(tenths);
}

export type ParsedScore = { value: number | null; error: string | null };

/** What was typed in a score box: '' is "not scored yet"; anything else must be a valid score. */
export function parseScoreText(text: string, maxScore: number): ParsedScore {
  if (text.trim() === '') return { value: null, error: null };
  const value = parseScoreInput(text);
  if (value === null) return { value: null, error: `请输入 0 至 ${formatScore(maxScore)} 之间的分数，如 4.5` };
  const v = validateScore(value, maxScore);
  return v.ok ? { value, error: null } : { value: null, error: v.message };
}
