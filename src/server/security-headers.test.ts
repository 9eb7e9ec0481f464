// Security headers come from @fastify/helmet (issue 13): the app's CSP on pages and API answers,
// framing refused, nosniff, no referrer to other sites, API answers not cached; HSTS only when the
// deployment is known to be https; Swagger UI with its own CSP; no hand-written header hook left.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createTestEnv, testEngine, type TestEnv } from './testing/harness.js';

const directives = (csp: unknown) => new Map(String(csp).split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1)]));

describe(`security headers (${testEngine()})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv({ seed: false });
  });
  afterAll(async () => env?.close());

  it('pages and API answers carry the app CSP (scripts from the app only, no eval, no framing) and the other helmet headers', async () => {
    for (const url of ['/', '/statistics', '/api/health', '/api/no-such-thing']) {
      const res = await env.app.inject({ method: 'GET', url });
      const csp = directives(res.headers['content-security-policy']);
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]); // antd's CSS-in-JS <style> elements
      expect(csp.has('upgrade-insecure-requests')).toBe(false); // intranet deployments over http
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    expect((await env.app.inject({ method: 'GET', url: '/api/health' })).headers['cache-control']).toBe('no-store');
  });

  it('HSTS is sent once the deployment is https (secure cookies)', async () => {
    const { app } = await buildApp({ ctx: { ...env.ctx, config: { ...env.ctx.config, cookieSecure: true } }, webRoot: null });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/health' })).headers['strict-transport-security']).toMatch(/^max-age=31536000/);
    } finally {
      await app.close();
    }
  });

  it('Swagger UI has its own CSP: no inline script, inline styles allowed, no https upgrade', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('app.ts sets no security header by hand (helmet does)', () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, 'app.ts'), 'utf8');
    expect(source).not.toMatch(/Content-Security-Policy|X-Frame-Options|X-Content-Type-Options|Referrer-Policy/i);
  });
});
