// HTTP contracts of field capture (入户调查, SPEC "Field capture", issue 15): a district admin
// assigns surveyors to communities; a surveyor's phone caches its communities' records (ID numbers
// masked) and uploads what it saved offline, each record with a client-generated id so that a
// resent upload never creates a record twice.
import { z } from 'zod';
import { MAX_ID } from './api.js';
import { otherRecord, registration, registrationError, registrationFields } from './api-registration.js';

const dbId = z.number().int().positive().max(MAX_ID);

/** Most communities one surveyor can be given at once, and most records one upload can carry. */
export const MAX_ASSIGNED_COMMUNITIES = 200;
export const MAX_UPLOAD_ITEMS = 200;

export const fieldAssignmentsQuery = z.object({ orgUnitId: z.coerce.number().int().positive().max(MAX_ID).optional() });

export const fieldCommunity = z.object({ orgUnitId: z.number().int(), code: z.string(), name: z.string() });

export const fieldSurveyor = z.object({
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  disabled: z.boolean(),
  communities: z.array(fieldCommunity),
});
export type FieldSurveyor = z.infer<typeof fieldSurveyor>;
export const fieldAssignments = z.object({ items: z.array(fieldSurveyor) });

export const fieldAssignmentSet = z.strictObject({
  orgUnitIds: z.array(dbId).max(MAX_ASSIGNED_COMMUNITIES, `一名调查员最多分配 ${MAX_ASSIGNED_COMMUNITIES} 个社区/村`),
});

/** A person already registered in a surveyor's community, as the phone caches it (ID number masked 6 + 4). */
export const fieldPerson = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumber: z.string(),
  householdId: z.number().int().nullable(),
  relationToHead: z.string().nullable(),
  residenceAddress: z.string().nullable(),
  isValid: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type FieldPerson = z.infer<typeof fieldPerson>;

export const fieldTask = fieldCommunity.extend({
  /** 登记目标人数 set for the community (statistics targets), or null. */
  target: z.number().int().nullable(),
  /** Records registered (not deleted), valid records, and persons counted here (有效数据). */
  registered: z.number().int(),
  valid: z.number().int(),
  counted: z.number().int(),
  persons: z.array(fieldPerson),
});
export const fieldTasks = z.object({ items: z.array(fieldTask) });

export const fieldUploadItem = z
  .strictObject({
    /** Generated on the phone when the record is saved; the same id sent again creates nothing. */
    clientId: z.uuid('客户端记录编号应为 UUID'),
    orgUnitId: dbId,
    record: registrationFields,
    /** An edit of a server record: its id and the version the phone started from. */
    registrationId: dbId.optional(),
    baseVersion: z.number().int().nonnegative().optional(),
    /** The surveyor has seen the server's record of the same ID number and registers this one anyway. */
    confirmDuplicate: z.boolean().optional(),
  })
  .refine((i) => (i.registrationId === undefined) === (i.baseVersion === undefined), { message: '修改已有记录时须同时提供 registrationId 和 baseVersion', path: ['baseVersion'] });

export const fieldUpload = z.strictObject({
  items: z.array(fieldUploadItem).min(1, '没有要上传的记录').max(MAX_UPLOAD_ITEMS, `一次最多上传 ${MAX_UPLOAD_ITEMS} 条记录`),
});
export type FieldUpload = z.infer<typeof fieldUpload>;
export type FieldUploadItem = FieldUpload['items'][number];

export const FIELD_UPLOAD_OUTCOMES = ['created', 'updated', 'conflict', 'rejected', 'replayed'] as const;
export type FieldUploadOutcome = (typeof FIELD_UPLOAD_OUTCOMES)[number];

export const fieldUploadResult = z.object({
  clientId: z.string(),
  /**
   * created / updated: written now; replayed: this clientId was written before (nothing written
   * again; registrationId and version as they were then); conflict: nothing written, the server's
   * record comes back; rejected: nothing written, errors say why.
   */
  outcome: z.enum(FIELD_UPLOAD_OUTCOMES),
  registrationId: z.number().int().optional(),
  version: z.number().int().optional(),
  /** created / updated: whether the record passed every rule (an invalid record is saved too, like the form). */
  isValid: z.boolean().optional(),
  message: z.string().optional(),
  errors: z.array(registrationError).optional(),
  /** conflict: the server's record (masked) when the caller may open it. */
  server: registration.optional(),
  /** conflict on a new record: every live record of the same ID number, in any district (where, and which counts). */
  otherRecords: z.array(otherRecord).optional(),
});
export type FieldUploadResult = z.infer<typeof fieldUploadResult>;
export const fieldUploadResponse = z.object({ results: z.array(fieldUploadResult) });

/** The photo of the signed paper form (PUT /api/field/uploads/:clientId/photo, raw body). */
export const FIELD_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type FieldPhotoType = (typeof FIELD_PHOTO_TYPES)[number];
export const MAX_FIELD_PHOTO_BYTES = 2 * 1024 * 1024;

export const fieldPhotoParams = z.object({ clientId: z.uuid('客户端记录编号应为 UUID') });

export const fieldPhotoResponse = z.object({
  registrationId: z.number().int(),
  photo: z.object({
    /** Bytes. */
    size: z.number().int(),
    sha256: z.string(),
    uploadedAt: z.string(),
  }),
});
export type FieldPhotoResponse = z.infer<typeof fieldPhotoResponse>;
