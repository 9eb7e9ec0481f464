// Builds registration rows directly in the database for tests of counting and duplicates.
import type { AppCtx } from '../context.js';
import type { NewRegistration } from '../db/schema.js';
import { getOrgUnitByCode, districtOf } from '../orgs/store.js';
import { resolveCounted } from '../registration/duplicates.js';
import { checkDigit } from '../../domain/id-number.js';

let serial = 0;

/** A syntactically valid 18-digit ID number for a region, birth date and sequence. */
export function fakeIdNumber(region = '320411', birth = '19800101', seq?: number): string {
  const s = String(seq ?? ++serial % 1000).padStart(3, '0');
  const first17 = `${region}${birth}${s}`;
  return first17 + checkDigit(first17);
}

/** The fields of a record that passes every rule, as the form and a phone send them; tests override what they check. */
export function validRecord(overrides: Record<string, string | null> = {}): Record<string, string | null> {
  return {
    idNumber: fakeIdNumber('320411', '19800101'),
    name: '张三',
    hukouType: '21',
    residenceAddress: '三井街道河海东路1号',
    phone: '13912345678',
    personCategory: '24',
    surveyDate: '2016-05-03',
    ins110Status: '1',
    ins110Place: '常州市',
    ins310Status: '1',
    ins310Place: '常州市',
    ...overrides,
  };
}

export async function makeRegistration(
  ctx: AppCtx,
  input: {
    orgCode: string;
    idNumber: string;
    name?: string;
    valid?: boolean;
    errors?: Array<{ field: string; code: string; message: string }>;
    enteredAt?: string;
    deletedAt?: string | null;
    countedByCity?: boolean;
    /** Any other columns (insurance, category, surveyor …). */
    columns?: Partial<NewRegistration>;
  },
): Promise<number> {
  const unit = await getOrgUnitByCode(ctx.db, input.orgCode);
  if (!unit) throw new Error(`no org ${input.orgCode}`);
  const district = await districtOf(ctx.db, unit);
  const admin = await ctx.db.selectFrom('app_user').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const at = input.enteredAt ?? new Date().toISOString();
  const valid = input.valid !== false;
  const row: NewRegistration = {
    org_unit_id: Number(unit.id),
    org_path: unit.path,
    district_id: district ? Number(district.id) : null,
    id_type: '01',
    id_number: input.idNumber,
    name: input.name ?? '测试',
    is_valid: valid ? 1 : 0,
    errors_json: valid ? null : JSON.stringify(input.errors ?? [{ field: 'phone', code: 'REQUIRED', message: '联系电话：必填' }]),
    is_counted: 0,
    counted_by_city: input.countedByCity ? 1 : 0,
    entered_by: Number(admin.id),
    entered_at: at,
    entry_source: 'form',
    updated_at: at,
    deleted_at: input.deletedAt ?? null,
    version: 0,
    ...input.columns,
  };
  const r = await ctx.db.insertInto('registration').values(row).returning('id').executeTakeFirstOrThrow();
  await resolveCounted(ctx.db, [input.idNumber]);
  return Number(r.id);
}
