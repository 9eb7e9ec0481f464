// The code tables of the registration record (SPEC §1 "Fields and code tables in practice").
export * from './table.js';
export { SEX } from './sex.js';
export { ETHNICITY } from './ethnicity.js';
export { RELATION_TO_HEAD } from './relation.js';
export { HUKOU_TYPE } from './hukou-type.js';
export { PERSON_CATEGORY } from './person-category.js';
export { ID_TYPE, DEFAULT_ID_TYPE } from './id-type.js';
export { INSURANCE_TYPES, INSURANCE_TYPE, INSURANCE_STATUS, INSURED_STATUSES } from './insurance.js';
export type { InsuranceTypeCode } from './insurance.js';
export { UNINSURED_REASON, UNINSURED_REASON_OTHER, WILLINGNESS } from './survey.js';

import type { CodeTable } from './table.js';
import { SEX } from './sex.js';
import { ETHNICITY } from './ethnicity.js';
import { RELATION_TO_HEAD } from './relation.js';
import { HUKOU_TYPE } from './hukou-type.js';
import { PERSON_CATEGORY } from './person-category.js';
import { ID_TYPE } from './id-type.js';
import { INSURANCE_STATUS, INSURANCE_TYPE } from './insurance.js';
import { UNINSURED_REASON, WILLINGNESS } from './survey.js';

export const CODE_TABLE_IDS = [
  'sex',
  'ethnicity',
  'relationToHead',
  'hukouType',
  'personCategory',
  'idType',
  'insuranceType',
  'insuranceStatus',
  'uninsuredReason',
  'willingness',
] as const;
export type CodeTableId = (typeof CODE_TABLE_IDS)[number];

/** Every shipped table by its id (the seed for an editable copy in the database). */
export const CODE_TABLES: Readonly<Record<CodeTableId, CodeTable>> = {
  sex: SEX,
  ethnicity: ETHNICITY,
  relationToHead: RELATION_TO_HEAD,
  hukouType: HUKOU_TYPE,
  personCategory: PERSON_CATEGORY,
  idType: ID_TYPE,
  insuranceType: INSURANCE_TYPE,
  insuranceStatus: INSURANCE_STATUS,
  uninsuredReason: UNINSURED_REASON,
  willingness: WILLINGNESS,
};

export function isCodeTableId(id: string): id is CodeTableId {
  return (CODE_TABLE_IDS as readonly string[]).includes(id);
}
