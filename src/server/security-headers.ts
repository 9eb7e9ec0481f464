// Security headers from a maintained plugin (@fastify/helmet): one CSP for the web app and the API,
// framing refused, no referrer to other sites, HSTS on an https deployment; API answers are never
// cached (personal data; the back button after logout shows nothing). Stored files and exports
// replace the CSP with a stricter one of their own (export/send.ts storedFileCsp).
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from './config.js';

/**
 * The web app's policy, checked against the Vite build in the browser (e2e, CSP violations fail
 * the tests): scripts only from the app's own files; styles from its files and inline, because
 * Ant Design's CSS-in-JS injects <style> elements at run time (no nonce can reach them from a static
 * index.html); images also data: and blob: (icons, previews); frames only the app's own stored-file
 * previews; ECharts draws on canvas and needs nothing more.
 */
export const APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Offices run the system over plain http on the intranet: upgrading would break every request.
  upgradeInsecureRequests: null,
};

/** Whether the deployment is known to be served over https (then HSTS is sent). */
function httpsDeployment(config: Config): boolean {
  return config.cookieSecure || (config.publicUrl?.startsWith('https:') ?? false);
}

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: httpsDeployment(config) ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // The default (same-origin) would also forbid nothing the app needs; kept explicit.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // The matched route, not the raw URL ('/%61pi/users' is routed to '/api/users').
    const url = request.routeOptions.url ?? request.url;
    // A route may say more (a photo of personal data: 'private, no-store'), never allow caching.
    const own = reply.getHeader('Cache-Control');
    if (url.startsWith('/api/') && !url.startsWith('/api/docs') && !(typeof own === 'string' && /\bno-store\b/.test(own))) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}

/**
 * Swagger UI (/api/docs) gets its own policy: no inline script either, but it injects a <style>
 * element (hence 'unsafe-inline' for styles, as for the app); @fastify/swagger-ui's own default
 * (staticCSP: true) lacks that and adds upgrade-insecure-requests.
 */
export const swaggerUiCsp = {
  staticCSP: "default-src 'self'; base-uri 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'",
};
