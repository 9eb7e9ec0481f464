// Where each field of the registration record lives: registration columns (snake_case of the
// field key) or the household row.
import { REGISTRATION_KEYS, type RegistrationKey } from '../../shared/registration.js';
import type { RegistrationRow, RegistrationTable } from '../db/schema.js';

/** The nullable text columns a record's fields are stored in. */
export type RecordColumns = { [K in keyof RegistrationTable as RegistrationTable[K] extends string | null ? (null extends RegistrationTable[K] ? K : never) : never]?: string | null };

export const HOUSEHOLD_KEYS: ReadonlySet<RegistrationKey> = new Set(['householdHeadName', 'householdHeadIdNumber', 'householdAddress']);

const COLUMN_CACHE = new Map<RegistrationKey, keyof RegistrationRow>();

/** 'idNumber' → 'id_number', 'ins110Status' → 'ins_110_status' (computed once per key: hot in imports). */
export function columnOf(key: RegistrationKey): keyof RegistrationRow {
  let col = COLUMN_CACHE.get(key);
  if (!col) {
    col = key
      .replace(/(\d+)/g, '_$1')
      .replace(/([A-Z])/g, '_$1')
      .toLowerCase() as keyof RegistrationRow;
    COLUMN_CACHE.set(key, col);
  }
  return col;
}

export const RECORD_KEYS: ReadonlyArray<RegistrationKey> = REGISTRATION_KEYS.filter((k) => !HOUSEHOLD_KEYS.has(k));

/** The record's own columns from normalised values (household fields excluded). */
export function toColumns(values: Partial<Record<RegistrationKey, string | null>>): RecordColumns {
  const out: Record<string, string | null> = {};
  for (const k of RECORD_KEYS) {
    const v = values[k];
    out[columnOf(k)] = v === undefined || v === '' ? null : v;
  }
  return out as RecordColumns;
}

export function fromColumns(row: RegistrationRow): Record<RegistrationKey, string | null> {
  const out = {} as Record<RegistrationKey, string | null>;
  for (const k of RECORD_KEYS) out[k] = (row[columnOf(k)] as string | null | undefined) ?? null;
  return out;
}
