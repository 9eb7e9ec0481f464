// Typed configuration from the environment, validated once at start (defaults are the shipped ones).
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../domain/password.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  CANBAO_DATA_DIR: z.string().default('./data'),
  CANBAO_ADMIN_PASSWORD: z.string().optional(),
  CANBAO_PG_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .optional(),
  /** The address printed in QR codes of documents (e.g. https://canbao.example.gov.cn); else the request's host. */
  CANBAO_PUBLIC_URL: z.string().url().optional(),
  CANBAO_COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  CANBAO_BODY_LIMIT: z.coerce.number().int().positive().default(1024 * 1024),
  /** Failed password/code checks per source and account name within the window before 429 (below the lock's 5). */
  CANBAO_AUTH_FAILS_PER_ACCOUNT: z.coerce.number().int().min(1).default(3),
  /** Failed checks per source over all names within the window before 429 (an office NAT shares one). */
  CANBAO_AUTH_FAILS_PER_SOURCE: z.coerce.number().int().min(1).default(50),
  CANBAO_AUTH_FAIL_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Reverse proxies whose X-Forwarded-For is believed: a hop count or a comma list of addresses/CIDRs; unset: none. */
  CANBAO_TRUST_PROXY: z
    .string()
    .regex(/^(\d+|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, '应为代理层数或以逗号分隔的代理地址（不接受 true）')
    .optional(),
  /** The audit log's MAC key (hex or base64, ≥ 32 bytes); else DATA_DIR/audit.key, created at first start. */
  CANBAO_AUDIT_KEY: z.string().trim().optional(),
  CANBAO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sqlitePath: string;
  pgSchema: string | undefined;
  adminPassword: string | undefined;
  cookieSecure: boolean;
  publicUrl: string | undefined;
  bodyLimit: number;
  logLevel: string;
  /** CANBAO_AUDIT_KEY as given (decoded by audit/key.ts); undefined → the key file in dataDir. */
  auditKey: string | undefined;
  passwordPolicy: PasswordPolicy;
  authThrottle: { perAccount: number; perSource: number; windowMinutes: number };
  /** Fastify's trustProxy: false unless configured (else anyone could pick their own address). */
  trustProxy: false | number | string[];
};

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined || value.trim() === '') return false;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  return value.split(',').map((v) => v.trim());
}

/** For Fastify's trustProxy: a hop count becomes "trust the n nearest hops". */
export function trustProxyOption(value: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`配置错误 (configuration error): ${msg}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.CANBAO_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    sqlitePath: path.join(dataDir, 'canbao.db'),
    pgSchema: e.CANBAO_PG_SCHEMA,
    adminPassword: e.CANBAO_ADMIN_PASSWORD,
    cookieSecure: e.CANBAO_COOKIE_SECURE === 'true',
    publicUrl: e.CANBAO_PUBLIC_URL,
    bodyLimit: e.CANBAO_BODY_LIMIT,
    logLevel: e.CANBAO_LOG_LEVEL,
    auditKey: e.CANBAO_AUDIT_KEY || undefined,
    passwordPolicy: DEFAULT_PASSWORD_POLICY,
    authThrottle: {
      perAccount: e.CANBAO_AUTH_FAILS_PER_ACCOUNT,
      perSource: e.CANBAO_AUTH_FAILS_PER_SOURCE,
      windowMinutes: e.CANBAO_AUTH_FAIL_WINDOW_MINUTES,
    },
    trustProxy: parseTrustProxy(e.CANBAO_TRUST_PROXY),
    ...overrides,
  };
}
