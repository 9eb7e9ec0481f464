// The one file of a multipart upload, received into DATA_DIR/uploads under a generated name (never
// the one sent). Refused with nothing kept: not multipart, no file, over the size (413).
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

export async function receiveFile(
  req: FastifyRequest,
  dataDir: string,
  opts: { maxBytes: number; maxFields: number; tooLarge: string; noFile: string; defaultName: string },
): Promise<ReceivedFile> {
  if (!req.isMultipart()) throw invalidInput('请以 multipart/form-data 上传文件');
  const dir = path.join(dataDir, 'uploads');
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
