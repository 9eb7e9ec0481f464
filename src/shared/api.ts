// HTTP contracts: one zod schema per request/response, used by the server's routes
// (validation + OpenAPI) and by the web app's client (types).
// Units: scores are integer tenths of a point, money is integer fen, times are ISO-8601 UTC strings,
// calendar dates are 'YYYY-MM-DD' (Asia/Shanghai).
import { z } from 'zod';
import { ROLES, ORG_LEVELS } from './roles.js';
import { ERROR_CODES } from './errors.js';

export const errorBody = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
});

/** Largest id a 32-bit integer column holds (PostgreSQL `integer`); larger ones can exist nowhere. */
export const MAX_ID = 2_147_483_647;
/** A database id in a body. Without the cap PostgreSQL fails on 9999999999 where SQLite just finds nothing. */
const dbId = z.number().int().positive().max(MAX_ID);
/** A database id in a path or query string. */
const dbIdCoerced = z.coerce.number().int().positive().max(MAX_ID);

export const idParam = z.object({ id: dbIdCoerced });
export const okBody = z.object({ ok: z.literal(true) });

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

// ---------- org units ----------
export const orgUnit = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  level: z.enum(ORG_LEVELS),
  parentId: z.number().int().nullable(),
});
export type OrgUnit = z.infer<typeof orgUnit>;
export const orgUnitList = z.object({ items: z.array(orgUnit) });
export const orgUnitCreate = z.strictObject({
  parentId: dbId,
  code: z.string().trim().regex(/^[0-9A-Za-z-]{2,20}$/, '代码应为 2–20 位数字或字母'),
  name: z.string().trim().min(1, '名称不能为空').max(60, '名称不能超过 60 个字'),
  level: z.enum(ORG_LEVELS),
});
export const orgUnitUpdate = z.strictObject({
  name: z.string().trim().min(1, '名称不能为空').max(60, '名称不能超过 60 个字'),
});

// ---------- auth ----------
export const sessionUser = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  orgUnit: orgUnit,
  mustChangePassword: z.boolean(),
  passwordExpiresAt: z.string(),
  totpEnabled: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUser>;
export const loginBody = z.strictObject({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
  totp: z.string().regex(/^\d{6}$/).optional(),
});
export const meResponse = z.object({ user: sessionUser });
export const changePasswordBody = z.strictObject({
  oldPassword: z.string().min(1, '请输入原密码').max(256),
  newPassword: z.string().min(1, '请输入新密码').max(256),
});
export const reauthBody = z.strictObject({ password: z.string().min(1, '请输入密码').max(256) });
export const reauthResponse = z.object({ elevatedUntil: z.string() });
export const sessionInfo = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const sessionList = z.object({ items: z.array(sessionInfo) });

// ---------- users ----------
export const user = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  phone: z.string().nullable(), // masked unless the viewer manages the user
  disabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof user>;
export const userListQuery = z.object({
  orgUnitId: dbIdCoerced.optional(),
  role: z.enum(ROLES).optional(),
  q: z.string().trim().max(64).optional(),
  includeDescendants: z.enum(['true', 'false']).optional(),
});
export const userList = z.object({ items: z.array(user) });
const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名应为 3–32 位字母、数字或 _ . -');
const phone = z
  .string()
  .trim()
  .max(20)
  .regex(/^[0-9+\- ]*$/, '电话号码格式不正确');
export const userCreate = z.strictObject({
  username,
  displayName: z.string().trim().min(1, '请输入姓名').max(40, '姓名不能超过 40 个字'),
  role: z.enum(ROLES),
  orgUnitId: dbId,
  phone: phone.optional(),
});
export const userCreateResponse = z.object({ user, initialPassword: z.string() });
export const userUpdate = z.strictObject({
  displayName: z.string().trim().min(1, '请输入姓名').max(40, '姓名不能超过 40 个字').optional(),
  role: z.enum(ROLES).optional(),
  orgUnitId: dbId.optional(),
  phone: phone.optional(),
  disabled: z.boolean().optional(),
  version: z.number().int().nonnegative(),
});
export const resetPasswordResponse = z.object({ temporaryPassword: z.string() });

// ---------- campaigns ----------
export const criterionInput = z.strictObject({
  id: dbId.optional(),
  text: z.string().trim().min(1, '考核标准不能为空').max(500),
  maxScore: z.number().int().positive().max(1000),
  kind: z.enum(['manual', 'accuracy']).default('manual'),
});
export const categoryInput = z.strictObject({
  id: dbId.optional(),
  name: z.string().trim().min(1, '考核项目不能为空').max(40),
  maxScore: z.number().int().positive().max(1000),
  criteria: z.array(criterionInput).min(1, '每个考核项目至少一条标准').max(50),
});
export const feeTier = z.strictObject({
  minScore: z.number().int().min(0).max(1000),
  percent: z.number().int().min(0).max(100),
  label: z.string().trim().min(1).max(40),
});
export const quotaInput = z.strictObject({ orgUnitId: dbId, quota: z.number().int().min(0).max(1000) });

export const campaignStatus = z.enum(['draft', 'active', 'closed']);
export const campaign = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  year: z.number().int(),
  status: campaignStatus,
  selfAssessmentDeadline: dateString,
  dataCutoff: dateString,
  nominationDeadline: dateString,
  baseRateFen: z.number().int(),
  totalScore: z.number().int(),
  awardTotal: z.number().int(),
  specialFundFen: z.number().int().nullable(),
  feeTiers: z.array(feeTier),
  categories: z.array(
    z.object({
      id: z.number().int(),
      seq: z.number().int(),
      name: z.string(),
      maxScore: z.number().int(),
      criteria: z.array(
        z.object({
          id: z.number().int(),
          seq: z.number().int(),
          text: z.string(),
          maxScore: z.number().int(),
          kind: z.enum(['manual', 'accuracy']),
        }),
      ),
    }),
  ),
  quotas: z.array(z.object({ orgUnitId: z.number().int(), orgUnitName: z.string(), quota: z.number().int() })),
  /** 申报条件 of the outstanding individuals (seed 五（一）), in order; a nomination answers each. */
  awardConditions: z.array(z.string()),
  /** Who receives the papers (seed 五（三） 联系人、电话); empty when not set. */
  contactName: z.string(),
  contactPhone: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Campaign = z.infer<typeof campaign>;
export const campaignSummary = campaign.pick({
  id: true,
  code: true,
  name: true,
  year: true,
  status: true,
  selfAssessmentDeadline: true,
  dataCutoff: true,
  updatedAt: true,
});
export const campaignList = z.object({ items: z.array(campaignSummary) });
export const campaignCopy = z.strictObject({
  sourceId: dbId,
  code: z.string().trim().regex(/^[0-9A-Za-z-]{2,20}$/, '批次代码应为 2–20 位数字或字母'),
  name: z.string().trim().min(1).max(80),
  year: z.number().int().min(2000).max(2100),
});
export const AWARD_CONDITIONS_MAX = 10;
export const awardConditionText = z.string().trim().min(1, '申报条件不能为空').max(200, '每条申报条件不能超过 200 字');
export const contactName = z.string().trim().max(30, '联系人不能超过 30 字');
export const contactPhone = z.string().trim().regex(/^$|^[0-9][0-9\- ]{4,18}[0-9](?:转[0-9]{1,6})?$/, '联系电话格式不正确，如 88112733 或 0519-88112733');
/** Full edit; rules (scorecard, rate, tiers, quotas, 申报条件) only while draft; dates and the contact any time. */
export const campaignUpdate = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  selfAssessmentDeadline: dateString.optional(),
  dataCutoff: dateString.optional(),
  nominationDeadline: dateString.optional(),
  baseRateFen: z.number().int().min(0).max(1_000_000).optional(),
  specialFundFen: z.number().int().min(0).nullable().optional(),
  totalScore: z.number().int().positive().max(10000).optional(),
  awardTotal: z.number().int().min(0).max(10000).optional(),
  feeTiers: z.array(feeTier).min(1).max(10).optional(),
  categories: z.array(categoryInput).min(1).max(20).optional(),
  quotas: z.array(quotaInput).max(100).optional(),
  awardConditions: z.array(awardConditionText).max(AWARD_CONDITIONS_MAX, `申报条件最多 ${AWARD_CONDITIONS_MAX} 条`).optional(),
  contactName: contactName.optional(),
  contactPhone: contactPhone.optional(),
  version: z.number().int().nonnegative(),
});
export const campaignTransition = z.strictObject({ status: campaignStatus, version: z.number().int().nonnegative() });

// ---------- audit ----------
export const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  orgUnitId: z.number().int().nullable(),
  event: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  success: z.boolean(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  hash: z.string(),
  /** The person behind the user name (the ledger's 姓名). */
  displayName: z.string().nullable().optional(),
  /** The object by its name: '新北区 2016年度考核表', a file name, a unit. */
  objectName: z.string().nullable().optional(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
/** 'YYYY-MM-DD' (a whole day in Asia/Shanghai) or an ISO date-time. */
const auditTime = z
  .string()
  .trim()
  .refine((v) => !Number.isNaN(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+08:00` : v)), '日期时间格式不正确，应为 YYYY-MM-DD 或 ISO 8601');
export const auditQuery = z.object({
  from: auditTime.optional(), // ISO date or datetime, inclusive
  to: auditTime.optional(),
  username: z.string().trim().max(64).optional(),
  event: z.string().trim().max(64).optional(),
  objectType: z.string().trim().max(64).optional(),
  success: z.enum(['true', 'false']).optional(),
  before: dbIdCoerced.optional(), // keyset cursor, newest first: entries with id < before
  after: dbIdCoerced.optional(), // keyset cursor, oldest first: entries with id > after
  order: z.enum(['desc', 'asc']).default('desc'), // by time (the id follows the time)
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditPage = z.object({ items: z.array(auditEntry), nextCursor: z.number().int().nullable() });
export const auditCheckCode = z.enum(['ok', 'chain_broken', 'mac_invalid', 'tail_missing', 'head_mismatch', 'heads_forged']);
/** One verification of the log: hash chain, MACs, recorded heads (issue 13 item 6). */
export const auditVerify = z.object({
  ok: z.boolean(),
  code: auditCheckCode,
  reason: z.string().nullable(),
  mode: z.enum(['full', 'incremental']),
  checked: z.number().int(),
  firstBadId: z.number().int().nullable(),
  checkedAt: z.string(),
  /** Entries in the chain up to where it was verified. */
  total: z.number().int(),
});
/** The latest verification (null before the first) and the latest head recorded outside the database. */
export const auditStatus = z.object({
  check: auditVerify.nullable(),
  lastHead: z.object({ at: z.string(), count: z.number().int(), lastId: z.number().int(), reason: z.string() }).nullable(),
});
/** Export of the log for a time range (city admin; logged): dates are whole Shanghai days; by default the last 180 days, as .xlsx. */
export const auditExportQuery = z.object({ from: auditTime.optional(), to: auditTime.optional(), format: z.enum(['xlsx', 'json']).default('xlsx') });

export const health = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  /** The audit log's latest verification; the reason names no entries (the route is public). */
  audit: z.object({ ok: z.boolean(), reason: z.string().nullable(), checkedAt: z.string().nullable() }),
});

// ---------- second factor (TOTP) ----------
export const totpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const totpCodeBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, '验证码应为 6 位数字') });
