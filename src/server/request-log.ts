// What the request log keeps of a request. Fastify logs the URL, and a search by ID number puts the
// number in the query string (GET /api/registrations?q=320402198101011004, and the web page's own
// URL): the SPEC masks ID numbers and phones in logs too, so the URL is logged scrubbed.
import type { FastifyRequest } from 'fastify';
import { scrubText } from '../domain/masking.js';
import { toHalfWidth } from '../shared/text.js';

/** The URL as logged: decoded (full-width digits too), ID numbers 6 + 4, phones 3 + 4, long digit runs starred. */
export function urlForLog(url: string): string {
  let text = url;
  try {
    text = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: scrub the URL as sent
  }
  // "3204 0219 8101 0110 04" is searched as one number (stray spaces are normalised): log it as one.
  return scrubText(toHalfWidth(text).replace(/(?<=\d) +(?=[\dXx])/g, ''));
}

/** Fastify's `req` log serializer with the URL scrubbed (the other fields as Fastify's own). */
export function requestLogFields(req: FastifyRequest) {
  return { method: req.method, url: urlForLog(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
