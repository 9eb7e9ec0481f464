// Per-source throttling of password and code checks (issue 13): a source (client IP, or the
// address a configured proxy reports) that keeps failing is slowed with 429 before the account's
// own lock-out is reached, so one machine cannot lock out `admin` in a few seconds. Only failures
// count: in an office behind one NAT, colleagues logging in successfully never slow each other.
// Counters live in memory (@fastify/rate-limit's store), per server process.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import type { AppCtx } from '../context.js';
import { AppError } from '../errors.js';

/** A wrong password or code, or an attempt on a locked name: counted against the source. */
export class CredentialFailure extends AppError {}

export type AuthThrottle = {
  /** Runs a check of credentials for `account` (a user name): 429 while the source is over its
   *  limits; a CredentialFailure thrown by `fn` is counted against the source and the source+account. */
  guard<T>(request: FastifyRequest, reply: FastifyReply, account: string, fn: () => Promise<T>): Promise<T>;
};

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

export function createAuthThrottle(app: FastifyInstance, ctx: AppCtx): AuthThrottle {
  const limits = ctx.config.authThrottle;
  const timeWindow = limits.windowMinutes * 60_000;
  const source = (req: FastifyRequest) => normalizeIP(req.ip);
  const accounts = new WeakMap<FastifyRequest, string>();
  const accountKey = (req: FastifyRequest) => `${source(req)}|${accounts.get(req) ?? ''}`;
  const perAccount: Limiter = app.createRateLimit({ max: limits.perAccount, timeWindow, keyGenerator: accountKey });
  const perSource: Limiter = app.createRateLimit({ max: limits.perSource, timeWindow, keyGenerator: source });

  /** Seconds until the source may try again, or 0. Reading never counts. */
  async function waitSeconds(req: FastifyRequest): Promise<number> {
    let wait = 0;
    for (const limiter of [perAccount, perSource]) {
      const r = await limiter(req, { increment: false });
      if (!r.isAllowed && r.remaining <= 0) wait = Math.max(wait, r.ttlInSeconds, 1);
    }
    return wait;
  }

  return {
    async guard(request, reply, account, fn) {
      accounts.set(request, account);
      const wait = await waitSeconds(request);
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        const minutes = Math.ceil(wait / 60);
        throw new AppError(429, 'TOO_MANY_ATTEMPTS', `尝试次数过多，请 ${minutes} 分钟后再试`, { retryAfterSeconds: wait });
      }
      try {
        return await fn();
      } catch (err) {
        if (err instanceof CredentialFailure) {
          await perAccount(request);
          await perSource(request);
        }
        throw err;
      }
    },
  };
}
