// What every stored-file response must carry (issue 13): a CSP that runs nothing, nosniff, and a
// Content-Disposition with the name under the extension of the detected type.
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export function expectStoredFileHeaders(res: LightMyRequestResponse, o: { disposition: 'inline' | 'attachment'; name: string; fallback: string; mime: string }): void {
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  expect(String(res.headers['content-type'])).toBe(o.mime);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toMatch(/^default-src 'none';/);
  expect(csp).toMatch(/; sandbox$/);
  const cd = String(res.headers['content-disposition']);
  expect(cd.split(';')[0]).toBe(o.disposition);
  expect(/filename="([^"]*)"/.exec(cd)?.[1]).toBe(o.fallback);
  expect(decodeURIComponent(/filename\*=UTF-8''([^;\s]*)/.exec(cd)?.[1] ?? '')).toBe(o.name);
}
