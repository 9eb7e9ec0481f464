// Sending files back: generated workbooks/documents as downloads, and stored files (evidence,
// payment vouchers, nomination attachments, spot-check photos, analysis reports) inline or as
// downloads with safe headers. Every Content-Disposition of the server is built here.
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

const TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
} as const;

/** The extension of each type the server stores or sends (stored uploads: see sniffEvidence). */
const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'application/msword': '.doc',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'text/csv': '.csv',
};

/** The extension a file of this type is offered with ('.bin' for a type the server does not know). */
export function extensionOf(mime: string): string {
  return EXTENSIONS[mime.split(';')[0]!.trim().toLowerCase()] ?? '.bin';
}

/** A name safe to put in a header: no control characters (CR, LF, NUL…), no path, at most 150 characters. */
function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').replace(/[\\/]/g, '_').trim();
  return [...flat].slice(0, 150).join('');
}

/** RFC 5987 ext-value: UTF-8, every byte outside attr-char percent-encoded (encodeURIComponent leaves ' ( ) * as is). */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The ASCII fallback `filename="…"`: letters, digits, '.', '-', '_' only (no quote, backslash, CR/LF can get in). */
function asciiFallback(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/_+/g, '_');
  const ext = path.extname(ascii);
  return /[A-Za-z0-9]/.test(ascii.slice(0, ascii.length - ext.length)) ? ascii : `download${ext}`;
}

/**
 * The one Content-Disposition builder (RFC 6266): `inline` or `attachment`, an ASCII `filename`
 * for old clients — `fallback` (e.g. 'evidence-7') with the name's extension, or the name with
 * every non-ASCII character replaced — and the real name, Chinese included, as RFC 5987 `filename*`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string, fallback?: string): string {
  const name = cleanName(fileName) || 'download';
  const ext = path.extname(name);
  const ascii = asciiFallback(fallback !== undefined ? `${cleanName(fallback)}${ext}` : name);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${rfc5987(name)}`;
}

/**
 * The name a stored upload is offered under: the uploaded name's stem with the extension of the
 * type detected from its content — `evil.html` stored as a PDF is offered as `evil.pdf`, never as
 * something a browser or the desktop would open as HTML.
 */
export function storedFileName(uploadedName: string, mime: string): string {
  const stem = cleanName(uploadedName).replace(/\.[^.]*$/, '').replace(/\.+$/, '').trim() || '文件';
  return `${stem}${extensionOf(mime)}`;
}

/**
 * The CSP of every stored file and export: it may not run or load anything, it may be framed only
 * by the app's own pages, and it is sandboxed (a unique origin: no cookies, no scripts, no access to
 * the application) — PDFs shown inline included: Chromium's PDF viewer (the browser the offices
 * use and the e2e tests drive) displays a sandboxed PDF, in the preview's iframe and in a tab of
 * its own alike (checked in e2e/assessment.test.ts); older Chromium versions did not, which is why
 * PDFs used to be left without a CSP.
 */
export const STORED_FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";

/** A generated file as a download named `title.ext` (the ASCII fallback is `fallback.ext`). */
export function sendDownload(reply: FastifyReply, ext: 'xlsx' | 'docx', file: { buffer: Buffer; title: string }, fallback = 'canbao') {
  return reply
    .header('Content-Type', TYPES[ext])
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', STORED_FILE_CSP)
    .header('Content-Disposition', contentDisposition('attachment', `${file.title}.${ext}`, fallback))
    .send(file.buffer);
}

/** Headers of a streamed export (the body is sent by the caller): .xlsx or .csv, always a download. */
export function exportHeaders(reply: FastifyReply, format: 'xlsx' | 'csv', title: string, fallback: string): FastifyReply {
  return reply
    .header('Content-Type', TYPES[format])
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', STORED_FILE_CSP)
    .header('Content-Disposition', contentDisposition('attachment', `${title}.${format}`, fallback));
}

/**
 * A stored file (by SHA-256): images and PDF inline unless `download`, everything else as an
 * attachment, under its name with the extension of its detected type. Only accepted kinds are ever
 * stored (no HTML, no SVG); `nosniff` keeps browsers to the declared type.
 */
export function sendStoredFile(reply: FastifyReply, body: Readable, f: { mime: string; sizeBytes?: number; fileName: string; fallback: string }, download = false) {
  const inline = !download && (f.mime.startsWith('image/') || f.mime === 'application/pdf');
  const name = storedFileName(f.fileName, f.mime);
  reply
    .header('Content-Type', f.mime)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', STORED_FILE_CSP)
    // Shown in the app's own preview (an iframe or an <img> of the same origin), nowhere else.
    .header('X-Frame-Options', 'SAMEORIGIN')
    .header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', name, f.fallback));
  if (f.sizeBytes !== undefined) reply.header('Content-Length', String(f.sizeBytes));
  return reply.send(body);
}
