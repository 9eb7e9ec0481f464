// Table types for Kysely. Portable subset: booleans are integers 0/1, times are ISO-8601 UTC text,
// JSON is text. The store layer converts to API shapes (numbers from pg's bigint strings, 0/1 → boolean).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface OrgUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  level: string;
  parent_id: number | null;
  /** Materialised path of ids, e.g. "/1/3/17/": subtree = path LIKE '/1/3/%'. */
  path: string;
  created_at: string;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  org_unit_id: number;
  phone: string | null;
  password_hash: string;
  password_changed_at: string;
  must_change_password: number;
  disabled: number;
  totp_secret: string | null;
  totp_pending: string | null;
  totp_last_step: number | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  created_at: string;
}

/** Failed logins are counted per user name, whether the account exists or not. */
export interface LoginThrottleTable {
  username: string;
  failures: number;
  locked_until: string | null;
  updated_at: string;
}

export interface SessionTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  elevated_until: string | null;
  ended_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface CampaignTable {
  id: Generated<number>;
  code: string;
  name: string;
  year: number;
  status: string;
  self_assessment_deadline: string;
  data_cutoff: string;
  nomination_deadline: string;
  base_rate_fen: number;
  total_score: number;
  award_total: number;
  special_fund_fen: number | null;
  fee_tiers: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ScorecardCategoryTable {
  id: Generated<number>;
  campaign_id: number;
  seq: number;
  name: string;
  max_score: number;
}

export interface ScorecardCriterionTable {
  id: Generated<number>;
  campaign_id: number;
  category_id: number;
  seq: number;
  text: string;
  max_score: number;
  kind: string;
}

export interface AwardQuotaTable {
  campaign_id: number;
  org_unit_id: number;
  quota: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  username: string | null;
  org_unit_id: number | null;
  event: string;
  object_type: string | null;
  object_id: string | null;
  success: number;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface Database {
  org_unit: OrgUnitTable;
  app_user: AppUserTable;
  password_history: PasswordHistoryTable;
  login_throttle: LoginThrottleTable;
  session: SessionTable;
  campaign: CampaignTable;
  scorecard_category: ScorecardCategoryTable;
  scorecard_criterion: ScorecardCriterionTable;
  award_quota: AwardQuotaTable;
  audit_log: AuditLogTable;
}

export type OrgUnitRow = Selectable<OrgUnitTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type NewAppUser = Insertable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type SessionRow = Selectable<SessionTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type Count = ColumnType<number | string | bigint>;
