// The register of printed documents (文书): each printed calculation sheet and nomination form gets
// a document number and a QR code of its public verification page. A document certifies fixed
// content (label/value lines and the SHA-256 of the whole content); when the content changes a new
// number is issued and the old one is shown as superseded, pointing to the new one.
import { createHash, randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import type { Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { AppCtx } from '../context.js';
import type { AnyDb } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import type { DocumentKind, DocumentVerification, PrintedDocument } from '../../shared/api-documents.js';
import { DOCUMENT_KIND_LABELS } from '../../shared/api-documents.js';
import { FEE_SHEET_STATUS_LABELS, type FeeSheetStatus } from '../../shared/api-fees.js';
import { NOMINATION_STATUS_LABELS } from '../../shared/api-awards.js';
import { notFound } from '../errors.js';
import { nowIso } from '../clock.js';

export type DocLine = { label: string; value: string };

const PREFIX: Record<DocumentKind, string> = { fee_sheet: 'FS', nomination: 'TJ' };
// Crockford base32 without I, L, O, U: unambiguous when typed from paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** e.g. FS-2016-320411-7K3QXM: kind, campaign, unit, 30 random bits (not guessable from the others). */
export function newDocNumber(kind: DocumentKind, campaignCode: string, unitCode: string): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += ALPHABET[randomInt(ALPHABET.length)];
  const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return `${PREFIX[kind]}-${clean(campaignCode)}-${clean(unitCode)}-${tail}`;
}

export function contentHash(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Registers the document for this content: the current one when the content is unchanged,
 * else a new number (or `docNumber` when given) and the earlier ones of the object superseded.
 */
export async function issueDocument(
  trx: Transaction<Database>,
  input: { kind: DocumentKind; objectId: number; campaignId: number; orgUnitId: number; campaignCode: string; unitCode: string; lines: DocLine[]; content: unknown; issuedBy: number; docNumber?: string },
): Promise<{ docNumber: string; issuedAt: string }> {
  const sha = contentHash({ lines: input.lines, content: input.content });
  const current = await trx.selectFrom('printed_document').selectAll().where('kind', '=', input.kind).where('object_id', '=', input.objectId).where('superseded_at', 'is', null).execute();
  const same = current.find((d) => d.content_sha256 === sha);
  if (same) return { docNumber: same.doc_number, issuedAt: same.issued_at };
  const at = nowIso();
  const docNumber = input.docNumber ?? newDocNumber(input.kind, input.campaignCode, input.unitCode);
  await trx
    .insertInto('printed_document')
    .values({ doc_number: docNumber, kind: input.kind, object_id: input.objectId, campaign_id: input.campaignId, org_unit_id: input.orgUnitId, lines_json: JSON.stringify(input.lines), content_sha256: sha, issued_by: input.issuedBy, issued_at: at, superseded_at: null, superseded_by: null })
    .execute();
  if (current.length) await supersedeDocuments(trx, current.map((d) => d.doc_number), docNumber, at);
  return { docNumber, issuedAt: at };
}

/** Marks documents superseded (by `by` when a newer one replaces them). */
export async function supersedeDocuments(trx: AnyDb, docNumbers: string[], by: string | null, at = nowIso()): Promise<void> {
  if (!docNumbers.length) return;
  await trx.updateTable('printed_document').set({ superseded_at: at, superseded_by: by }).where('doc_number', 'in', docNumbers).where('superseded_at', 'is', null).execute();
}

/** Points documents already superseded without a successor (a reopened sheet) to the new one. */
export async function pointToSuccessor(trx: AnyDb, docNumbers: string[], by: string): Promise<void> {
  if (!docNumbers.length) return;
  await trx.updateTable('printed_document').set({ superseded_by: by }).where('doc_number', 'in', docNumbers).where('superseded_by', 'is', null).where('superseded_at', 'is not', null).execute();
}

/** The address printed in QR codes: CANBAO_PUBLIC_URL, else the address the request came to. */
export function baseUrlOf(ctx: AppCtx, req: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
}

export async function printedDocument(docNumber: string, issuedAt: string, kind: DocumentKind, baseUrl: string): Promise<PrintedDocument> {
  const verifyUrl = `${baseUrl.replace(/\/$/, '')}/verify/${encodeURIComponent(docNumber)}`;
  const qrSvg = await QRCode.toString(verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { docNumber, kind, issuedAt, verifyUrl, qrSvg };
}

export async function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
}

/** The public check of a document number: what it certifies, and whether it still stands. */
export async function verifyDocument(db: AnyDb, docNumber: string): Promise<DocumentVerification> {
  const d = await db.selectFrom('printed_document').selectAll().where('doc_number', '=', docNumber).executeTakeFirst();
  if (!d) throw notFound('未找到该文书编号，请核对编号；纸质文书可能是伪造的');
  const kind = d.kind as DocumentKind;
  const lines = JSON.parse(d.lines_json) as DocLine[];
  // The object's state as it is now (approved, evaluated…), beside what the paper certifies.
  if (kind === 'fee_sheet') {
    const s = await db.selectFrom('fee_sheet').select('status').where('id', '=', Number(d.object_id)).executeTakeFirst();
    if (s) lines.push({ label: '当前核算状态', value: FEE_SHEET_STATUS_LABELS[s.status as FeeSheetStatus] });
  } else {
    const n = await db.selectFrom('nomination').select('status').where('id', '=', Number(d.object_id)).executeTakeFirst();
    if (n) lines.push({ label: '当前状态', value: NOMINATION_STATUS_LABELS[n.status as keyof typeof NOMINATION_STATUS_LABELS] });
  }
  return {
    docNumber: d.doc_number,
    kind,
    kindLabel: DOCUMENT_KIND_LABELS[kind],
    issuedAt: d.issued_at,
    state: d.superseded_at ? 'superseded' : 'valid',
    supersededAt: d.superseded_at,
    supersededBy: d.superseded_by,
    lines,
    contentSha256: d.content_sha256,
  };
}
