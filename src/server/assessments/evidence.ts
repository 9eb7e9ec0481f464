// Evidence files (佐证材料) of an assessment item: images, PDF and Office documents, recognised by
// their content (never by the name), at most MAX_EVIDENCE_BYTES, stored once per content under
// DATA_DIR/evidence/ab/abcdef… (SHA-256) — the database row keeps the name, type and size.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppCtx } from '../context.js';
import { AppError, invalidInput } from '../errors.js';
import { receiveFile } from '../uploads.js';
import { ZipArchive } from '../zip-guard.js';

export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

/** The type of a file by its first bytes; null when not an accepted kind. */
export function sniffEvidence(head: Buffer, fileName: string): { mime: string; label: string } | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mime: 'image/png', label: 'PNG 图片' };
  if (starts(0xff, 0xd8, 0xff)) return { mime: 'image/jpeg', label: 'JPEG 图片' };
  if (starts(0x47, 0x49, 0x46, 0x38)) return { mime: 'image/gif', label: 'GIF 图片' };
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return { mime: 'application/pdf', label: 'PDF' };
  const ext = path.extname(fileName).toLowerCase();
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // Office Open XML is a zip: trust the extension only among the Office kinds.
    const ooxml: Record<string, string> = {
      '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    };
    return ooxml[ext] ? { mime: ooxml[ext], label: 'Office 文档' } : null;
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    const ole: Record<string, string> = { '.doc': 'application/msword', '.xls': 'application/vnd.ms-excel', '.ppt': 'application/vnd.ms-powerpoint' };
    return ole[ext] ? { mime: ole[ext], label: 'Office 文档' } : null;
  }
  return null;
}

export const EVIDENCE_TYPES_TEXT = '图片（JPG、PNG、GIF）、PDF 或 Office 文档（Word、Excel、PowerPoint）';

const OFFICE_ZIP_LIMITS = { maxInflatedBytes: 512 * 1024 * 1024, maxRatio: 200, maxEntries: 10_000 };

/**
 * An Office Open XML file (.docx/.xlsx/.pptx) is a zip: it is inflated once through the zip guard
 * (directory, real inflated sizes, no DOCTYPE), so that no zip bomb or broken archive is stored and
 * handed to the people who open it.
 */
async function checkOfficeZip(file: string): Promise<void> {
  const zip = await ZipArchive.open(file, OFFICE_ZIP_LIMITS);
  for (const name of zip.entries.keys()) for await (const _ of zip.read(name));
}

/** Where a stored file lives under DATA_DIR (backups list and restore files by this path). */
export function evidenceRelPath(sha256: string): string {
  return path.posix.join('evidence', sha256.slice(0, 2), sha256);
}

function blobPath(dataDir: string, sha256: string): string {
  return path.join(dataDir, evidenceRelPath(sha256));
}

/**
 * Moves an uploaded temporary file into the store: checks its type and size, hashes it, and keeps
 * one copy per content. Returns what the row needs.
 */
export async function storeEvidence(dataDir: string, tmpFile: string, fileName: string): Promise<{ sha256: string; mime: string; sizeBytes: number }> {
  const size = (await fs.promises.stat(tmpFile)).size;
  if (size === 0) throw invalidInput('文件为空');
  if (size > MAX_EVIDENCE_BYTES) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `佐证材料单个文件不能超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`);
  const fh = await fs.promises.open(tmpFile, 'r');
  const head = Buffer.alloc(16);
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  const kind = sniffEvidence(head, fileName);
  if (!kind) throw invalidInput(`不支持的文件类型：佐证材料应为${EVIDENCE_TYPES_TEXT}`);
  if (kind.mime.startsWith('application/vnd.openxmlformats')) await checkOfficeZip(tmpFile);
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(tmpFile)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  await keepBlob(dataDir, sha256, (partial) => fs.promises.copyFile(tmpFile, partial));
  return { sha256, mime: kind.mime, sizeBytes: size };
}

/** Writes a file under its hash unless that content is already stored. */
async function keepBlob(dataDir: string, sha256: string, write: (partial: string) => Promise<void>): Promise<void> {
  const target = blobPath(dataDir, sha256);
  if (fs.existsSync(target)) return;
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  // Write then rename: a crash never leaves a half-written file under the final name.
  const partial = `${target}.${process.pid}.partial`;
  await write(partial);
  await fs.promises.rename(partial, target);
}

/**
 * Keeps bytes received whole (a small raw upload, already checked by its caller) in the same
 * store, once per content; returns their SHA-256.
 */
export async function storeBytes(dataDir: string, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await keepBlob(dataDir, sha256, (partial) => fs.promises.writeFile(partial, bytes));
  return sha256;
}

export function evidenceStream(dataDir: string, sha256: string): fs.ReadStream {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad evidence hash');
  return fs.createReadStream(blobPath(dataDir, sha256));
}

/** The type of a stored file, from its first bytes (photos keep no row of their own). */
export async function storedMime(dataDir: string, sha256: string): Promise<string> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad evidence hash');
  const fh = await fs.promises.open(blobPath(dataDir, sha256), 'r');
  try {
    const head = Buffer.alloc(16);
    await fh.read(head, 0, 16, 0);
    return sniffEvidence(head, '')?.mime ?? 'application/octet-stream';
  } finally {
    await fh.close();
  }
}

/** One uploaded file (multipart field `file`, other fields into `fields`) checked and stored. */
export async function receiveEvidence(ctx: AppCtx, req: FastifyRequest, fields: Record<string, string>, defaultName = '佐证材料') {
  const file = await receiveFile(req, ctx.config.dataDir, {
    maxBytes: MAX_EVIDENCE_BYTES,
    maxFields: 5,
    tooLarge: `单个文件不能超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`,
    noFile: '请选择要上传的文件',
    defaultName,
  });
  try {
    Object.assign(fields, file.fields);
    return { fileName: file.fileName, ...(await storeEvidence(ctx.config.dataDir, file.path, file.fileName)) };
  } finally {
    fs.rmSync(file.path, { force: true });
  }
}
