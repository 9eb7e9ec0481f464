// Archive/export of the audit log for a time range (SPEC: entries kept at least 180 days; issue 13):
// - .xlsx for reading (streamed, cells neutralised against formula injection);
// - signed JSON for keeping: the entries with their raw fields, hashes and MACs, and an HMAC of the
//   whole file with the audit key, checked offline by `canbao audit verify-archive FILE`.
// The export covers the contiguous run of entries from the first to the last one whose time falls
// in the range, so the hash chain can be checked inside the file.
import { createHmac } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AnyDb } from '../db/dialect.js';
import type { AuditLogRow } from '../db/schema.js';
import { neutraliseCell } from '../export/cells.js';
import { entryHash, namesForAudit } from './store.js';
import { macMatches } from './key.js';
import { auditEventLabel, auditObjectLabel } from '../../shared/audit-events.js';

export const ARCHIVE_FORMAT = 'canbao-audit-archive/1';
const SIGNATURE_MARK = ',"signature":"';
const PAGE = 2000;
const XLSX_CELL_MAX = 32_000; // Excel holds at most 32,767 characters in a cell

/** Half-open: fromIso ≤ at < beforeIso. */
export type ArchiveRange = { fromIso: string; beforeIso: string };

/** The ids of the first and last entries in the time range and how many entries lie between. */
export async function archiveSpan(db: AnyDb, r: ArchiveRange): Promise<{ firstId: number; lastId: number; count: number } | null> {
  const span = await db
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.min<number>('id').as('lo'), eb.fn.max<number>('id').as('hi')])
    .where('at', '>=', r.fromIso)
    .where('at', '<', r.beforeIso)
    .executeTakeFirst();
  if (!span || span.lo === null || span.hi === null) return null;
  const n = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '>=', Number(span.lo))
    .where('id', '<=', Number(span.hi))
    .executeTakeFirstOrThrow();
  return { firstId: Number(span.lo), lastId: Number(span.hi), count: Number(n.n) };
}

async function* pages(db: AnyDb, span: { firstId: number; lastId: number }) {
  let after = span.firstId - 1;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', after).where('id', '<=', span.lastId).orderBy('id').limit(PAGE).execute();
    if (!rows.length) return;
    yield rows;
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** One entry as stored: every field the hash covers, as text exactly as hashed. */
export type ArchivedEntry = {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  orgUnitId: number | null;
  event: string;
  objectType: string | null;
  objectId: string | null;
  success: number;
  beforeJson: string | null;
  afterJson: string | null;
  ip: string | null;
  prevHash: string;
  hash: string;
  mac: string | null;
};

function archived(r: AuditLogRow): ArchivedEntry {
  return {
    id: Number(r.id),
    at: r.at,
    userId: r.user_id === null ? null : Number(r.user_id),
    username: r.username,
    orgUnitId: r.org_unit_id === null ? null : Number(r.org_unit_id),
    event: r.event,
    objectType: r.object_type,
    objectId: r.object_id,
    success: Number(r.success),
    beforeJson: r.before_json,
    afterJson: r.after_json,
    ip: r.ip,
    prevHash: r.prev_hash,
    hash: r.hash,
    mac: r.mac,
  };
}

async function write(out: PassThrough, text: string): Promise<void> {
  if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
}

/**
 * The signed JSON archive, streamed. The signature is the HMAC (audit key) of every byte of the
 * file before `,"signature":"`, so the file is checked exactly as it was written.
 */
export function exportAuditJson(db: AnyDb, key: Buffer, span: { firstId: number; lastId: number; count: number }, meta: { from: string; to: string; createdAt: string; createdBy: string | null }): Readable {
  const out = new PassThrough();
  const run = async () => {
    const hmac = createHmac('sha256', key);
    const emit = async (text: string) => {
      hmac.update(text);
      await write(out, text);
    };
    const head = { format: ARCHIVE_FORMAT, createdAt: meta.createdAt, createdBy: meta.createdBy, range: { from: meta.from, to: meta.to }, firstId: span.firstId, lastId: span.lastId };
    await emit(JSON.stringify(head).slice(0, -1) + ',"entries":[');
    let n = 0;
    for await (const rows of pages(db, span)) {
      let chunk = '';
      for (const r of rows) chunk += (n++ === 0 ? '\n' : ',\n') + JSON.stringify(archived(r));
      await emit(chunk);
    }
    await emit(`\n],"count":${n}`);
    out.end(`${SIGNATURE_MARK}${hmac.digest('hex')}"}\n`);
  };
  run().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

// The stored fields first (as hashed), then the ledger's reading of them: the person, the action and the object by name.
const XLSX_HEADER = ['编号', '时间（UTC）', '用户ID', '用户名', '单位ID', '事件', '对象类型', '对象编号', '结果', '变更前', '变更后', 'IP', '前一哈希', '哈希', '校验码（MAC）', '姓名', '操作', '对象'];

function xlsxCells(e: ArchivedEntry): Array<string | number | null> {
  const long = (v: string | null) => (v && v.length > XLSX_CELL_MAX ? `${v.slice(0, XLSX_CELL_MAX)}…（超长，完整内容见 JSON 归档）` : v);
  const text = (v: string | null) => (v === null ? null : neutraliseCell(v));
  return [
    e.id,
    e.at,
    e.userId,
    text(e.username),
    e.orgUnitId,
    text(e.event),
    text(e.objectType),
    text(e.objectId),
    e.success === 1 ? '成功' : '失败',
    text(long(e.beforeJson)),
    text(long(e.afterJson)),
    text(e.ip),
    e.prevHash,
    e.hash,
    e.mac,
  ];
}

/** The .xlsx export, streamed page by page in constant memory. */
export function exportAuditXlsx(db: AnyDb, span: { firstId: number; lastId: number }): Readable {
  const out = new PassThrough();
  const run = async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet('审计日志');
    ws.columns = XLSX_HEADER.map((h, i) => ({ header: h, width: i >= 9 ? 40 : 14 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for await (const rows of pages(db, span)) {
      const { people, objects } = await namesForAudit(db, rows);
      for (const r of rows) {
        const person = r.user_id === null ? null : (people.get(Number(r.user_id)) ?? null);
        const named = r.object_type && r.object_id ? objects.get(`${r.object_type}:${r.object_id}`) : undefined;
        const object = r.object_type ? `${auditObjectLabel(r.object_type)}${named ? `：${named}` : r.object_id ? ` #${r.object_id}` : ''}` : null;
        const ledger = [person, auditEventLabel(r.event), object].map((v) => (v === null ? null : neutraliseCell(v)));
        ws.addRow([...xlsxCells(archived(r)), ...ledger]).commit();
      }
      // let the zip take what the sheet wrote before reading the next page
      await new Promise((resolve) => setImmediate(resolve));
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    ws.commit();
    await wb.commit();
  };
  run().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

export type ArchiveCheck = { ok: boolean; entries: number; problems: string[] };

/** Checks a JSON archive offline: the file's signature, each entry's hash and MAC, and the chain between them. */
export function verifyAuditArchive(text: string, key: Buffer): ArchiveCheck {
  const problems: string[] = [];
  const at = text.lastIndexOf(SIGNATURE_MARK);
  if (at < 0) return { ok: false, entries: 0, problems: ['文件中没有签名（不是 canbao 审计日志归档，或已被截断）'] };
  const signature = /^([0-9a-f]{64})"\}\s*$/.exec(text.slice(at + SIGNATURE_MARK.length))?.[1];
  if (!macMatches(key, text.slice(0, at), signature)) {
    problems.push('文件签名不符：归档在导出后被改动，或所用审计密钥不是导出时的密钥');
  }
  let doc: { format?: unknown; entries?: unknown; count?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    return { ok: false, entries: 0, problems: [...problems, '文件不是有效的 JSON'] };
  }
  if (doc.format !== ARCHIVE_FORMAT) problems.push(`格式不是 ${ARCHIVE_FORMAT}`);
  const entries = Array.isArray(doc.entries) ? (doc.entries as ArchivedEntry[]) : [];
  if (doc.count !== entries.length) problems.push(`记录数不符：文件声明 ${String(doc.count)} 条，实有 ${entries.length} 条`);
  let prev: ArchivedEntry | null = null;
  for (const e of entries) {
    if (problems.length >= 20) break;
    const expected = entryHash(e.prevHash, {
      at: e.at,
      user_id: e.userId,
      username: e.username,
      org_unit_id: e.orgUnitId,
      event: e.event,
      object_type: e.objectType,
      object_id: e.objectId,
      success: e.success,
      before_json: e.beforeJson,
      after_json: e.afterJson,
      ip: e.ip,
    });
    if (expected !== e.hash) problems.push(`第 ${e.id} 号记录的内容与其哈希不符（记录被改动）`);
    else if (e.mac !== null && !macMatches(key, e.hash, e.mac)) problems.push(`第 ${e.id} 号记录的校验码（MAC）无效`);
    if (prev && e.prevHash !== prev.hash) problems.push(`第 ${e.id} 号记录与前一条（第 ${prev.id} 号）不相连（中间的记录被删除或改动）`);
    prev = e;
  }
  return { ok: problems.length === 0, entries: entries.length, problems };
}
