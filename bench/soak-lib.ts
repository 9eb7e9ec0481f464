// Soak helpers: the server under test as a real process (node dist/cli/main.js serve) on loopback,
// an HTTP client that keeps one session cookie per user, latency statistics.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export type Engine = 'sqlite' | 'postgres';
export const PG_URL = process.env.CANBAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ROOT = path.resolve(import.meta.dirname, '..');
export const INITIAL_ADMIN_PASSWORD = 'Soak#Init2016';
export const SOAK_PASSWORD = 'Soak#Pass2016x';

export const sleep = (ms: number) => new Promise<void>((res) => setTimeout(res, ms));
export const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

/** Where one engine's instance lives: the SQLite data dir, or a PostgreSQL schema. */
export type Instance = { engine: Engine; dataDir: string; pgSchema: string | null; port: number };

export function serverEnv(inst: Instance): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(inst.port),
    HOST: '127.0.0.1',
    CANBAO_DATA_DIR: inst.dataDir,
    CANBAO_ADMIN_PASSWORD: INITIAL_ADMIN_PASSWORD,
    CANBAO_LOG_LEVEL: 'warn',
    ...(inst.pgSchema ? { DATABASE_URL: PG_URL, CANBAO_PG_SCHEMA: inst.pgSchema } : {}),
  };
}

export type Server = { proc: ChildProcess; base: string; kill9(): Promise<void>; stop(): Promise<void> };

/** Starts the server from dist and waits until /api/health answers (or the process dies). */
export async function startServer(inst: Instance, timeoutMs = 90_000): Promise<Server> {
  const log = fs.openSync(path.join(inst.dataDir, 'server.log'), 'a');
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'serve'], { env: serverEnv(inst), stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited: number | string | null = null;
  const done = new Promise<void>((res) => proc.once('exit', (code, sig) => ((exited = code ?? sig ?? 'exit'), res())));
  const base = `http://127.0.0.1:${inst.port}`;
  const t0 = Date.now();
  for (;;) {
    if (exited !== null) throw new Error(`server exited (${exited}) before answering; see ${path.join(inst.dataDir, 'server.log')}`);
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - t0 > timeoutMs) {
      proc.kill('SIGKILL');
      throw new Error('server did not answer /api/health in time');
    }
    await sleep(100);
  }
  const waitExit = async () => {
    if (exited === null) await done;
  };
  return {
    proc,
    base,
    async kill9() {
      if (exited === null) proc.kill('SIGKILL');
      await waitExit();
    },
    async stop() {
      if (exited === null) proc.kill('SIGTERM');
      await Promise.race([waitExit(), sleep(10_000)]);
      if (exited === null) proc.kill('SIGKILL');
      await waitExit();
    },
  };
}

export type Res = { status: number; body: unknown; text: string; ms: number; error?: string };

/** One user's session over HTTP (logged in once; the cookie survives server restarts, sessions are rows). */
export class Client {
  cookie = '';
  base: string;
  constructor(
    base: string,
    readonly username: string,
    public password: string,
  ) {
    this.base = base;
  }

  async request(method: string, url: string, body?: unknown, opts: { timeoutMs?: number } = {}): Promise<Res> {
    const t = process.hrtime.bigint();
    try {
      const res = await fetch(this.base + url, {
        method,
        headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      return { status: res.status, body: parsed, text, ms: msSince(t) };
    } catch (err) {
      return { status: 0, body: null, text: '', ms: msSince(t), error: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err) };
    }
  }

  /** The request, which must answer 200 (or `ok`); throws otherwise. */
  async must<T = Record<string, unknown>>(method: string, url: string, body?: unknown, ok = [200]): Promise<T> {
    const r = await this.request(method, url, body);
    if (!ok.includes(r.status)) throw new Error(`${this.username}: ${method} ${url}: ${r.status} ${r.error ?? r.text.slice(0, 300)}`);
    return r.body as T;
  }

  /** Logs in (waiting out a per-IP login limit if one answers 429). */
  async login(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const t = process.hrtime.bigint();
      const res = await fetch(this.base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: this.username, password: this.password }) });
      const text = await res.text();
      void msSince(t);
      if (res.status === 429 && attempt < 10) {
        await sleep(1000 * Number(res.headers.get('retry-after') ?? 5));
        continue;
      }
      if (res.status !== 200) throw new Error(`login ${this.username}: ${res.status} ${text.slice(0, 200)}`);
      const sid = res.headers.getSetCookie().find((c) => c.startsWith('canbao_sid='));
      if (!sid) throw new Error(`login ${this.username}: no session cookie`);
      this.cookie = sid.split(';')[0]!;
      return;
    }
  }

  /** First login with a one-time password: change it (forced), then log in with the new one. */
  async firstLogin(newPassword: string): Promise<void> {
    await this.login();
    await this.must('POST', '/api/auth/password', { oldPassword: this.password, newPassword });
    this.password = newPassword;
    await this.login();
  }

  async reauth(): Promise<void> {
    await this.must('POST', '/api/auth/reauth', { password: this.password });
  }
}

export type Stats = { n: number; errors: number; p50: number; p95: number; p99: number; max: number; perSecond: number };

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

export function stats(samples: number[], errors: number, seconds: number): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, errors, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? 0), perSecond: r(seconds > 0 ? s.length / seconds : 0) };
}

/** A fixed-width text table. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].reduce((x, ch) => x + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  return cells.map((r, k) => r.map((c, i) => pad(c, width[i]!)).join('  ') + (k === 0 ? '\n' + width.map((w) => '-'.repeat(w)).join('  ') : '')).join('\n');
}

/** Multipart form of an import upload. */
export async function importForm(file: string, orgUnitId: number, mode: 'all' | 'valid'): Promise<FormData> {
  const form = new FormData();
  form.set('orgUnitId', String(orgUnitId));
  form.set('mode', mode);
  form.set('file', await fs.openAsBlob(file, { type: 'text/csv' }), path.basename(file));
  return form;
}
