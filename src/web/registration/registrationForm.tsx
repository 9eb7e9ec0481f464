// The entry form's state and rules, shared by the desktop entry form (RegistrationEditor) and the
// phone app's person form (field/phone): validateRegistration on every change exactly as the
// server runs it, sex and birth date filled from a valid ID number, which fields are required now
// and when a field's message shows.
import { Alert } from 'antd';
import { useCallback, useMemo, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { ageOn, parseIdNumber } from '../../domain/id-number';
import { isMinor, isUninsured, validateRegistration } from '../../domain/registration';
import { INSURED_STATUSES, UNINSURED_REASON_OTHER } from '../../shared/codes/index';
import { REGISTRATION_KEYS, type RegistrationKey } from '../../shared/registration';
import { fieldId, type FieldCtl, type FormValues } from './fields';
import { GUARDIAN_KEYS, HOUSEHOLD_KEYS, stripLabel } from './labels';

/** The fields "保存并录入同户下一人" copies to the next member's form (with the community). */
export const HOUSEHOLD_CARRY_KEYS: readonly RegistrationKey[] = [
  ...HOUSEHOLD_KEYS,
  'hukouType',
  'hukouAddress',
  'residenceAddress',
  'surveyDate',
  'surveyorName',
];

export function blankValues(): FormValues {
  return Object.fromEntries(REGISTRATION_KEYS.map((k) => [k, ''])) as FormValues;
}

export function valuesOf(record: Readonly<Record<string, string | null | undefined>>): FormValues {
  const v = blankValues();
  for (const k of REGISTRATION_KEYS) v[k] = record[k] ?? '';
  return v;
}

export const cleanValue = (v: string): string | null => (v.trim() === '' ? null : v.trim());

export function sameValues(a: FormValues, b: FormValues): boolean {
  return REGISTRATION_KEYS.every((k) => (cleanValue(a[k]) ?? '') === (cleanValue(b[k]) ?? ''));
}

/** The non-empty fields of a form, trimmed: what a new record is saved with. */
export function recordOf(values: FormValues): Record<string, string> {
  const record: Record<string, string> = {};
  for (const k of REGISTRATION_KEYS) {
    const v = cleanValue(values[k]);
    if (v !== null) record[k] = v;
  }
  return record;
}

/** Scrolls a field into view and puts the cursor in it. */
export function focusField(key: RegistrationKey): void {
  const el = document.getElementById(fieldId(key));
  if (el) {
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el.focus({ preventScroll: true });
  }
}

type CtlInput = {
  values: FormValues;
  setValues: Dispatch<SetStateAction<FormValues>>;
  touched: ReadonlySet<RegistrationKey>;
  setTouched: Dispatch<SetStateAction<ReadonlySet<RegistrationKey>>>;
  /** A save was tried (or the record exists): every message shows. */
  attempted: boolean;
  today: string;
};

export function useRegistrationCtl({ values, setValues, touched, setTouched, attempted, today }: CtlInput) {
  const check = useMemo(() => validateRegistration(values, { today }), [values, today]);
  const errorByField = useMemo(() => new Map(check.errors.map((e) => [e.field, e])), [check]);

  const parsedId = useMemo(() => (values.idNumber.trim() ? parseIdNumber(values.idNumber, { today }) : null), [values.idNumber, today]);
  const birthDate = errorByField.has('birthDate') ? null : check.values.birthDate;
  const surveyOn = errorByField.has('surveyDate') ? today : (check.values.surveyDate ?? today);
  const minor = birthDate ? isMinor(birthDate, surveyOn) : null;
  const uninsured = isUninsured(check.values);
  const showGuardian = minor === true || GUARDIAN_KEYS.some((k) => values[k].trim() !== '');
  const showUninsured = uninsured || values.uninsuredReason !== '' || values.willingness !== '';
  const showNote = check.values.uninsuredReason === UNINSURED_REASON_OTHER || values.uninsuredNote.trim() !== '';

  const set = useCallback(
    (key: RegistrationKey, value: string) => {
      setValues((prev) => {
        const next = { ...prev, [key]: value };
        if (key === 'idNumber') {
          // A valid number gives sex and birth date: fill them (they are checked against it anyway).
          const p = parseIdNumber(value, { today });
          if (p.ok) {
            next.sex = p.value.sex;
            next.birthDate = p.value.birthDate;
          }
        }
        return next;
      });
    },
    [today, setValues],
  );
  const touch = useCallback(
    (key: RegistrationKey) => {
      setTouched((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
    },
    [setTouched],
  );

  const isRequired = useCallback(
    (key: RegistrationKey): boolean => {
      switch (key) {
        case 'idNumber':
        case 'name':
        case 'sex':
        case 'birthDate':
        case 'hukouType':
        case 'residenceAddress':
        case 'personCategory':
        case 'surveyDate':
          return true;
        case 'phone':
          return minor !== true;
        case 'guardianName':
        case 'guardianPhone':
          return minor === true;
        case 'uninsuredReason':
        case 'willingness':
          return uninsured;
        case 'uninsuredNote':
          return check.values.uninsuredReason === UNINSURED_REASON_OTHER;
        default:
          if (/^ins\d+Place$/.test(key)) {
            const status = values[key.replace('Place', 'Status') as RegistrationKey];
            return INSURED_STATUSES.has(status);
          }
          return false;
      }
    },
    [minor, uninsured, check.values.uninsuredReason, values],
  );

  const errorOf = useCallback(
    (key: RegistrationKey): string | null => {
      const e = errorByField.get(key);
      if (!e) return null;
      // The ID number is judged once typed in full; other fields once left (or on save).
      const typedFully = key === 'idNumber' && values.idNumber.replace(/\s/g, '').length >= 18;
      if (!attempted && !touched.has(key) && !typedFully) return null;
      return stripLabel(key, e.message);
    },
    [errorByField, attempted, touched, values.idNumber],
  );

  const ctl: FieldCtl = { values, today, set, touch, errorOf, isRequired };

  const idExtra: ReactNode =
    parsedId?.ok && !errorByField.has('idNumber') ? (
      <span data-testid="id-derived">
        出生日期 {parsedId.value.birthDate} · {parsedId.value.sex === '1' ? '男' : '女'} · {ageOn(parsedId.value.birthDate, surveyOn)} 岁
        {parsedId.value.convertedFrom15 && <>（15 位旧号码，保存为 {parsedId.value.idNumber}）</>}
      </span>
    ) : null;
  const derivedExtra = (k: 'sex' | 'birthDate') =>
    parsedId?.ok && values[k] === (k === 'sex' ? parsedId.value.sex : parsedId.value.birthDate) ? '已按公民身份号码自动填写' : undefined;

  return { check, errorByField, showGuardian, showUninsured, showNote, ctl, errorOf, idExtra, derivedExtra };
}

/**
 * The problems a clerk has met so far: those of fields left (or typed in full) and, once a save was
 * tried, all of them — an empty form does not open with a list of everything not yet typed.
 */
export function ProblemSummary({ check, shown, onPick }: { check: ReturnType<typeof validateRegistration>; shown: (k: RegistrationKey) => boolean; onPick: (k: RegistrationKey) => void }) {
  const converted = check.notes.filter((n) => n.code === 'CONVERTED_FROM_15');
  const errors = check.errors.filter((e) => shown(e.field));
  if (!check.valid && errors.length === 0) return null;
  if (check.valid) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="problem-summary"
        title="全部项目校验通过，保存后为有效数据（同一人重复登记的只计一次）。"
        description={converted.length ? converted.map((n) => n.message).join('；') : undefined}
      />
    );
  }
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="problem-summary"
      title={`${errors.length} 处问题：仍可保存，但保存后为无效数据，不计入有效数据。`}
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {errors.map((e) => (
            <li key={e.field}>
              <a
                href={`#${fieldId(e.field)}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  onPick(e.field);
                }}
              >
                {e.message}
              </a>
            </li>
          ))}
          {converted.map((n) => (
            <li key={n.field}>{n.message}</li>
          ))}
        </ul>
      }
    />
  );
}
