// What a backup says about itself (manifest.json, the archive's last entry) and the facts read
// from the database copy: counts, the audit log's head and the stored files the rows reference.
// Stored files live under DATA_DIR in two folders: evidence/ (content-addressed: evidence,
// payment vouchers, nomination attachments, spot-check photos, analysis reports, photos of field
// records' paper forms) and detail-tables/ (finished person detail tables). DATA_DIR/uploads
// holds only temporary uploads and is never backed up.
import { z } from 'zod';
import { evidenceRelPath } from '../assessments/evidence.js';
import { detailTableRelPath } from '../statistics/detail-tables.js';

export const BACKUP_FORMAT = 'canbao-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const FILES_PREFIX = 'files/';
export const DB_ENTRY = { sqlite: 'database/canbao.db', postgres: 'database/canbao.pgdump' } as const;
/** The folders of DATA_DIR a restore replaces as a whole. */
export const STORED_DIRS = ['evidence', 'detail-tables'] as const;
/** A stored file's path relative to DATA_DIR, as written by the server (nothing else is accepted). */
export const STORED_PATH = /^(evidence\/[0-9a-f]{2}\/[0-9a-f]{64}|detail-tables\/detail-\d+\.xlsx)$/;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  engine: z.enum(['sqlite', 'postgres']),
  createdAt: z.string(),
  appVersion: z.string(),
  database: z.object({ entry: z.string(), size: count, sha256: sha, pgSchema: z.string().nullable() }),
  counts: z.object({ registrations: count, users: count, auditEntries: count }),
  audit: z.object({ entries: count, lastId: z.number().int().nullable(), lastHash: z.string().nullable() }),
  files: z.array(z.object({ path: z.string().regex(STORED_PATH), size: count, sha256: sha })),
  /** Files the database references that were not on disk when the backup was taken. */
  missing: z.array(z.string()),
});
export type Manifest = z.infer<typeof manifestSchema>;

export type Counts = Manifest['counts'];
export type AuditHead = Manifest['audit'];
export type SnapshotFacts = { counts: Counts; audit: AuditHead; referenced: string[] };

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

const REFERENCED_BLOBS = `
  select sha256 as h from evidence_file
  union select photo_sha256 from spot_check_record where photo_sha256 is not null
  union select attachment_sha256 from payment where attachment_sha256 is not null
  union select sha256 from nomination_attachment
  union select sha256 from analysis_report
  union select sha256 from field_photo`;

async function one(query: Query, sql: string): Promise<number> {
  const rows = await query(sql);
  return Number(rows[0]?.n ?? 0);
}

export async function readCounts(query: Query): Promise<Counts> {
  return {
    registrations: await one(query, 'select count(*) as n from registration'),
    users: await one(query, 'select count(*) as n from app_user'),
    auditEntries: await one(query, 'select count(*) as n from audit_log'),
  };
}

/** Counts, audit head and referenced files, read through one connection (one snapshot). */
export async function readFacts(query: Query): Promise<SnapshotFacts> {
  const counts = await readCounts(query);
  const last = (await query('select id, hash from audit_log order by id desc limit 1'))[0];
  const blobs = (await query(REFERENCED_BLOBS)).map((r) => String(r.h)).filter((h) => /^[0-9a-f]{64}$/.test(h));
  const tables = await query("select id from detail_table where status = 'done' order by id");
  return {
    counts,
    audit: { entries: counts.auditEntries, lastId: last ? Number(last.id) : null, lastHash: last ? String(last.hash) : null },
    referenced: [...blobs.sort().map(evidenceRelPath), ...tables.map((r) => detailTableRelPath(Number(r.id)))],
  };
}
