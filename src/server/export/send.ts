// Sending files back: generated workbooks/documents as downloads, and stored files (evidence,
// attachments) inline or as downloads with safe headers.
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

const TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

/** A generated file as a download named `title.ext` (the ASCII fallback is `fallback.ext`). */
export function sendDownload(reply: FastifyReply, ext: keyof typeof TYPES, file: { buffer: Buffer; title: string }, fallback = 'canbao') {
  return reply
    .header('Content-Type', TYPES[ext])
    .header('Content-Disposition', `attachment; filename="${fallback}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${file.title}.${ext}`)}`)
    .send(file.buffer);
}

/**
 * A stored file (by SHA-256): images and PDF inline unless `download`, everything else as an
 * attachment. Only accepted kinds are ever stored (no HTML, no SVG); images also get a CSP that runs
 * nothing. PDF keeps none: a sandboxed document would not open in the browser's PDF viewer.
 */
export function sendStoredFile(reply: FastifyReply, body: Readable, f: { mime: string; sizeBytes: number; fileName: string; fallback: string }, download = false) {
  const inline = !download && (f.mime.startsWith('image/') || f.mime === 'application/pdf');
  if (f.mime.startsWith('image/')) reply.header('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'");
  return reply
    .header('Content-Type', f.mime)
    .header('Content-Length', String(f.sizeBytes))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${f.fallback}${path.extname(f.fileName).replace(/[^.a-zA-Z0-9]/g, '')}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
    .send(body);
}
