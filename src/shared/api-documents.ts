// Printed documents (文书): every printed calculation sheet and nomination form carries a document
// number and a QR code of its verification page, so that a sealed paper copy can be checked
// against the system; a changed one is shown as superseded.
import { z } from 'zod';

export const DOCUMENT_KINDS = ['fee_sheet', 'nomination'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = { fee_sheet: '考核费用核算表', nomination: '先进个人申报表' };

/** What the print view needs: the number, the verification address and its QR code (SVG). */
export const printedDocument = z.object({
  docNumber: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  issuedAt: z.string(),
  verifyUrl: z.string(),
  qrSvg: z.string(),
});
export type PrintedDocument = z.infer<typeof printedDocument>;

export const docNumberParam = z.object({ docNumber: z.string().regex(/^[A-Z0-9-]{8,60}$/, '文书编号格式不正确') });

/** The public verification page: no personal data beyond what the paper shows, masked. */
export const documentVerification = z.object({
  docNumber: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  kindLabel: z.string(),
  issuedAt: z.string(),
  /** valid: this is the current version; superseded: the content changed or was withdrawn. */
  state: z.enum(['valid', 'superseded']),
  supersededAt: z.string().nullable(),
  /** The newer document that replaces it, when there is one. */
  supersededBy: z.string().nullable(),
  /** What the paper certifies, as label/value lines (Chinese), e.g. 单位, 核定金额, 姓名 (masked). */
  lines: z.array(z.object({ label: z.string(), value: z.string() })),
  /** SHA-256 of the certified content. */
  contentSha256: z.string(),
});
export type DocumentVerification = z.infer<typeof documentVerification>;
