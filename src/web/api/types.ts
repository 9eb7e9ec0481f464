// Types of the HTTP contracts, inferred from the shared zod schemas.
import type { z } from 'zod';
import type {
  auditPage,
  auditStatus,
  auditVerify,
  campaignList,
  campaignSummary,
  health,
  reauthResponse,
  resetPasswordResponse,
  sessionInfo,
  userCreateResponse,
} from '../../shared/api';

export type {
  AuditEntry,
  Campaign,
  OrgUnit,
  SessionUser,
  User,
} from '../../shared/api';
export type { Role, OrgLevel } from '../../shared/roles';

export type Health = z.infer<typeof health>;
export type SessionInfo = z.infer<typeof sessionInfo>;
export type UserCreateResponse = z.infer<typeof userCreateResponse>;
export type ResetPasswordResponse = z.infer<typeof resetPasswordResponse>;
export type ReauthResponse = z.infer<typeof reauthResponse>;
export type CampaignSummary = z.infer<typeof campaignSummary>;
export type CampaignList = z.infer<typeof campaignList>;
export type AuditPage = z.infer<typeof auditPage>;
export type AuditVerify = z.infer<typeof auditVerify>;
export type AuditStatus = z.infer<typeof auditStatus>;
export type Items<T> = { items: T[] };
export type Ok = { ok: true };
