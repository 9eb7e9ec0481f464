// The one file of a multipart upload, received into DATA_DIR/uploads under a generated name (never
// the one sent). Refused with nothing kept: not multipart, no file, over the size (413). Whoever
// receives a file removes it when done; what a stopped server left behind is removed at start-up.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, invalidInput } from './errors.js';
import { assertNoNul } from './input-guard.js';

export type ReceivedFile = {
  /** Where it was written; the caller removes it when done. */
  path: string;
  /** The name it was sent with, without any directory part. */
  fileName: string;
  fields: Record<string, string>;
};

const uploadDir = (dataDir: string) => path.join(dataDir, 'uploads');

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Removes the temporary files a stopped server (a crash, a kill, a restart during an import) left
 * in the data directory — they hold residents' data: uploads being received or waiting for their
 * import (DATA_DIR/uploads), partial detail tables and partial copies of evidence files. Run at
 * start-up, before anything can be using them: one server per data directory. Returns how many.
 */
export function removeLeftoverTemporaryFiles(dataDir: string): number {
  const leftovers = entries(uploadDir(dataDir)).map((f) => path.join(uploadDir(dataDir), f));
  const detail = path.join(dataDir, 'detail-tables');
  for (const f of entries(detail)) if (f.endsWith('.partial')) leftovers.push(path.join(detail, f));
  const evidence = path.join(dataDir, 'evidence');
  for (const d of entries(evidence)) for (const f of entries(path.join(evidence, d))) if (f.endsWith('.partial')) leftovers.push(path.join(evidence, d, f));
  for (const f of leftovers) fs.rmSync(f, { force: true, recursive: true });
  return leftovers.length;
}

export async function receiveFile(
  req: FastifyRequest,
  dataDir: string,
  opts: { maxBytes: number; maxFields: number; tooLarge: string; noFile: string; defaultName: string },
): Promise<ReceivedFile> {
  if (!req.isMultipart()) throw invalidInput('请以 multipart/form-data 上传文件');
  const dir = uploadDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const stored = path.join(dir, `${Date.now()}-${randomBytes(8).toString('hex')}.upload`);
  const fields: Record<string, string> = {};
  let fileName: string | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: opts.maxBytes, files: 1, fields: opts.maxFields } })) {
      if (part.type === 'file') {
        fileName = path.basename(part.filename || opts.defaultName);
        await pipeline(part.file, fs.createWriteStream(stored));
        if (part.file.truncated) throw new AppError(413, 'PAYLOAD_TOO_LARGE', opts.tooLarge);
      } else fields[part.fieldname] = String(part.value);
    }
    if (!fileName) throw invalidInput(opts.noFile);
    assertNoNul({ body: { ...fields, fileName } });
    return { path: stored, fileName, fields };
  } catch (err) {
    fs.rmSync(stored, { force: true });
    throw err;
  }
}
