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
  nominations_published_at: string | null;
  fee_tiers: string;
  /** 申报条件 (seed 五（一）) as a JSON array of strings; rules, frozen once active. */
  award_conditions: Generated<string>;
  /** 材料报送联系人 and telephone (seed 五（三）); editable any time. */
  contact_name: Generated<string>;
  contact_phone: Generated<string>;
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
  /** HMAC-SHA256 of `hash` with the audit key (migration 011); NULL for entries written before it. */
  mac: string | null;
}

export interface HouseholdTable {
  id: Generated<number>;
  org_unit_id: number;
  head_name: string | null;
  head_id_number: string | null;
  address: string | null;
  phone: string | null;
  created_at: string;
}

export interface ImportBatchTable {
  id: Generated<number>;
  org_unit_id: number;
  user_id: number;
  file_name: string;
  file_sha256: string;
  mode: string;
  status: string;
  rows_total: number;
  rows_imported: number;
  rows_rejected: number;
  rows_unchanged: number;
  /** Records the file changed (rows_imported: the new ones). */
  rows_updated: Generated<number>;
  /** An .xlsx: the worksheet that was read. */
  sheet_name: string | null;
  rejects_json: string | null;
  created_at: string;
  finished_at: string | null;
  /** The background job that ran it (the page finds the outcome by it after a restart). */
  job_id: string | null;
  /** A failed import: what its user was told. */
  error_code: string | null;
  error_message: string | null;
}

export interface ImportProblemRowTable {
  batch_id: number;
  /** The file's row (1-based). */
  row_no: number;
  /** 1: a row above the data (title, header). */
  is_header: number;
  /** The row's cells as read, JSON array of strings. */
  cells_json: string;
}

export interface RegistrationTable {
  id: Generated<number>;
  org_unit_id: number;
  org_path: string;
  district_id: number | null;
  household_id: number | null;
  id_type: string;
  id_number: string;
  name: string;
  sex: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  relation_to_head: string | null;
  hukou_type: string | null;
  hukou_address: string | null;
  residence_address: string | null;
  phone: string | null;
  person_category: string | null;
  employer: string | null;
  ins_110_status: string | null;
  ins_110_place: string | null;
  ins_110_since: string | null;
  ins_120_status: string | null;
  ins_120_place: string | null;
  ins_120_since: string | null;
  ins_170_status: string | null;
  ins_170_place: string | null;
  ins_170_since: string | null;
  ins_210_status: string | null;
  ins_210_place: string | null;
  ins_210_since: string | null;
  ins_310_status: string | null;
  ins_310_place: string | null;
  ins_310_since: string | null;
  ins_390_status: string | null;
  ins_390_place: string | null;
  ins_390_since: string | null;
  ins_410_status: string | null;
  ins_410_place: string | null;
  ins_410_since: string | null;
  ins_510_status: string | null;
  ins_510_place: string | null;
  ins_510_since: string | null;
  uninsured_reason: string | null;
  uninsured_note: string | null;
  willingness: string | null;
  guardian_name: string | null;
  guardian_id_number: string | null;
  guardian_phone: string | null;
  survey_date: string | null;
  surveyor_name: string | null;
  remarks: string | null;
  is_valid: number;
  errors_json: string | null;
  is_counted: number;
  /** Generated: 1 when counted, else NULL; unique with id_number (migration 004). Never written. */
  counted_key: ColumnType<number | null, never, never>;
  counted_by_city: number;
  entered_by: number;
  entered_at: string;
  entry_source: string;
  import_batch_id: number | null;
  updated_at: string;
  deleted_at: string | null;
  version: number;
}

export interface RegistrationHistoryTable {
  id: Generated<number>;
  registration_id: number;
  at: string;
  user_id: number | null;
  action: string;
  changes_json: string;
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
  household: HouseholdTable;
  import_batch: ImportBatchTable;
  import_problem_row: ImportProblemRowTable;
  registration: RegistrationTable;
  registration_history: RegistrationHistoryTable;
  assessment: AssessmentTable;
  assessment_item: AssessmentItemTable;
  assessment_event: AssessmentEventTable;
  evidence_file: EvidenceFileTable;
  spot_check: SpotCheckTable;
  spot_check_record: SpotCheckRecordTable;
  count_snapshot: CountSnapshotTable;
  count_snapshot_unit: CountSnapshotUnitTable;
  nomination: NominationTable;
  site_fund: SiteFundTable;
  fee_sheet: FeeSheetTable;
  payment: PaymentTable;
  allocation: AllocationTable;
  allocation_line: AllocationLineTable;
  nomination_attachment: NominationAttachmentTable;
  printed_document: PrintedDocumentTable;
  stat_daily: StatDailyTable;
  stat_dim: StatDimTable;
  stat_control: StatControlTable;
  population_target: PopulationTargetTable;
  surveyor_assignment: SurveyorAssignmentTable;
  field_upload: FieldUploadTable;
  field_photo: FieldPhotoTable;
  detail_table: DetailTableTable;
  analysis_report: AnalysisReportTable;
}

export type OrgUnitRow = Selectable<OrgUnitTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type NewAppUser = Insertable<AppUserTable>;
export type AppUserUpdate = Updateable<AppUserTable>;
export type SessionRow = Selectable<SessionTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type Count = ColumnType<number | string | bigint>;
export type RegistrationRow = Selectable<RegistrationTable>;
export type NewRegistration = Insertable<RegistrationTable>;
export type AssessmentRow = Selectable<AssessmentTable>;

export interface AssessmentTable {
  id: Generated<number>;
  campaign_id: number;
  org_unit_id: number;
  status: string;
  window_until: string | null;
  submitted_at: string | null;
  submitted_by: number | null;
  return_reason: string | null;
  finalized_at: string | null;
  finalized_by: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AssessmentItemTable {
  id: Generated<number>;
  assessment_id: number;
  criterion_id: number;
  self_score: number | null;
  self_note: string;
  assessed_score: number | null;
  assessed_comment: string;
  updated_at: string;
}

export interface AssessmentEventTable {
  id: Generated<number>;
  assessment_id: number;
  at: string;
  user_id: number;
  action: string;
  reason: string | null;
}

export interface EvidenceFileTable {
  id: Generated<number>;
  assessment_id: number;
  criterion_id: number;
  sha256: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  uploaded_by: number;
  uploaded_at: string;
  deleted_at: string | null;
}

export interface SpotCheckTable {
  id: Generated<number>;
  assessment_id: number;
  seed: string;
  method: string;
  requested: number;
  population: number;
  population_sha256: string;
  drawn_at: string;
  drawn_by: number;
}

export interface SpotCheckRecordTable {
  id: Generated<number>;
  spot_check_id: number;
  seq: number;
  registration_id: number;
  result: string;
  field: string | null;
  problem: string | null;
  photo_sha256: string | null;
  checked_by: number | null;
  checked_at: string | null;
  version: Generated<number>;
}

export interface CountSnapshotTable {
  id: Generated<number>;
  campaign_id: number;
  org_unit_id: number;
  cutoff: string;
  taken_at: string;
  taken_by: number;
  reason: string | null;
  superseded_at: string | null;
  valid_count: number;
}

export interface CountSnapshotUnitTable {
  id: Generated<number>;
  snapshot_id: number;
  org_unit_id: number;
  entered: number;
  invalid: number;
  duplicates: number;
  valid_count: number;
  invalid_by_reason_json: string;
}

export interface NominationTable {
  id: Generated<number>;
  campaign_id: number;
  org_unit_id: number;
  name: string;
  phone: string;
  work_unit: string;
  position: string;
  deeds: string;
  linked_user_id: number | null;
  unit_opinion: string;
  unit_opinion_date: string | null;
  status: string;
  submitted_at: string | null;
  city_opinion: string | null;
  city_opinion_date: string | null;
  evaluated_by: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
  version: number;
  /** How the person meets each 申报条件: JSON array of strings, index-aligned with the campaign's conditions ('[]' for forms made before 017). */
  condition_answers: Generated<string>;
}

// Money columns are bigint: PostgreSQL returns them as strings, so readers convert with Number().
type Money = ColumnType<number, number, number>;

export interface SiteFundTable {
  id: Generated<number>;
  campaign_id: number;
  district_id: number;
  org_unit_id: number;
  amount_fen: Money;
  reason: string;
  created_by: number;
  created_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
  revoke_reason: string | null;
}

export interface FeeSheetTable {
  id: Generated<number>;
  campaign_id: number;
  district_id: number;
  status: string;
  doc_number: string;
  snapshot_id: number;
  assessment_id: number;
  valid_count: number;
  assessed_total: number;
  tier_label: string;
  tier_percent: number;
  base_rate_fen: number;
  fee_base_fen: Money;
  fee_fen: Money;
  site_funds_fen: Money;
  total_fen: Money;
  site_funds_json: string;
  computed_by: number;
  computed_at: string;
  checked_by: number | null;
  checked_at: string | null;
  approved_by: number | null;
  approved_at: string | null;
  superseded_at: string | null;
  supersede_reason: string | null;
  version: number;
}
export type FeeSheetRow = Selectable<FeeSheetTable>;

export interface PaymentTable {
  id: Generated<number>;
  campaign_id: number;
  district_id: number;
  paid_on: string;
  amount_fen: Money;
  voucher_no: string;
  note: string;
  attachment_sha256: string | null;
  attachment_name: string | null;
  attachment_mime: string | null;
  attachment_size: number | null;
  created_by: number;
  created_at: string;
  voided_at: string | null;
  voided_by: number | null;
  void_reason: string | null;
}

export interface AllocationTable {
  id: Generated<number>;
  campaign_id: number;
  district_id: number;
  updated_by: number;
  updated_at: string;
  version: number;
}

export interface AllocationLineTable {
  id: Generated<number>;
  allocation_id: number;
  kind: string;
  purpose: string | null;
  org_unit_id: number | null;
  amount_fen: Money;
  note: string;
}

export interface NominationAttachmentTable {
  id: Generated<number>;
  nomination_id: number;
  sha256: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  uploaded_by: number;
  uploaded_at: string;
  deleted_at: string | null;
}

export interface PrintedDocumentTable {
  id: Generated<number>;
  doc_number: string;
  kind: string;
  object_id: number;
  campaign_id: number;
  org_unit_id: number;
  lines_json: string;
  content_sha256: string;
  issued_by: number;
  issued_at: string;
  superseded_at: string | null;
  superseded_by: string | null;
}

/** Maintained by triggers (migration 009): live records per unit, Shanghai day of entry, who entered, validity. */
export interface StatDailyTable {
  org_unit_id: number;
  day: string;
  entered_by: number;
  is_valid: number;
  is_counted: number;
  n: number;
}

/** Maintained by triggers (migration 009): live records per unit and value of each dimension. */
export interface StatDimTable {
  org_unit_id: number;
  is_valid: number;
  is_counted: number;
  dim: string;
  value: string;
  n: number;
}

/** SQLite only: the import batch whose own new rows the triggers leave to the import. */
export interface StatControlTable {
  id: number;
  bulk_batch_id: number | null;
}

export interface PopulationTargetTable {
  org_unit_id: number;
  target: number;
  updated_by: number;
  updated_at: string;
}

/** A surveyor's community (入户调查 assignment by a district admin). */
export interface SurveyorAssignmentTable {
  user_id: number;
  org_unit_id: number;
  assigned_by: number;
  assigned_at: string;
}

/** A phone upload's client-generated id and what it did (created / updated), kept for replays. */
export interface FieldUploadTable {
  client_id: string;
  user_id: number;
  registration_id: number | null;
  outcome: string;
  result_json: string;
  created_at: string;
}

/** The photo of a field record's signed paper form (one per record; the bytes under DATA_DIR/evidence by SHA-256). */
export interface FieldPhotoTable {
  registration_id: number;
  client_id: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: number;
  uploaded_at: string;
}

export interface DetailTableTable {
  id: Generated<number>;
  user_id: number;
  org_unit_id: number;
  kind: string;
  per_street: number;
  masked: number;
  status: string;
  rows_total: number;
  rows_written: number;
  file_name: string;
  sha256: string | null;
  size_bytes: number | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface AnalysisReportTable {
  id: Generated<number>;
  campaign_id: number;
  org_unit_id: number;
  status: string;
  sha256: string;
  file_name: string;
  mime: string;
  size_bytes: number;
  uploaded_by: number;
  uploaded_at: string;
  submitted_by: number | null;
  submitted_at: string | null;
  version: number;
}
