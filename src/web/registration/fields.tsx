// One registration field of the entry form: its control by kind (code → Select of the code table,
// date → DatePicker, …), its label, required mark and the domain rule's message under it.
import { DatePicker, Form, Input } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { RegistrationKey } from '../../shared/registration';
import { CodeSelect } from './CodeSelect';
import { def } from './labels';

export type FormValues = Record<RegistrationKey, string>;

/** What a field needs from the form. */
export type FieldCtl = {
  values: FormValues;
  today: string;
  set: (key: RegistrationKey, value: string) => void;
  touch: (key: RegistrationKey) => void;
  /** The message to show under the field now (null: none or not yet). */
  errorOf: (key: RegistrationKey) => string | null;
  isRequired: (key: RegistrationKey) => boolean;
  readOnly?: boolean;
};

export const fieldId = (key: RegistrationKey) => `reg-${key}`;

const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'YYYY/M/D', 'YYYY.M.D'];

type ControlProps = { k: RegistrationKey; ctl: FieldCtl; size?: 'small' | 'middle'; disabled?: boolean; ariaLabel?: string; placeholder?: string };

export function FieldControl({ k, ctl, size, disabled, ariaLabel, placeholder }: ControlProps) {
  const f = def(k);
  const value = ctl.values[k];
  const status = ctl.errorOf(k) ? ('error' as const) : undefined;
  const id = fieldId(k);
  // Leaving a field judges it; an empty one is reported only on save (and in the summary meanwhile).
  const onBlur = () => {
    if (ctl.values[k].trim() !== '') ctl.touch(k);
  };
  const label = ariaLabel ?? f.label;
  switch (f.kind) {
    case 'code':
      return (
        <CodeSelect
          id={id}
          aria-label={label}
          table={f.codeTable!}
          value={value}
          onChange={(c) => {
            ctl.set(k, c);
            ctl.touch(k);
          }}
          onBlur={onBlur}
          allowClear={f.defaultValue === undefined}
          status={status}
          size={size}
          placeholder={placeholder ?? '请选择'}
        />
      );
    case 'date': {
      const d = value ? dayjs(value, 'YYYY-MM-DD', true) : null;
      return (
        <DatePicker
          id={id}
          aria-label={label}
          value={d && d.isValid() ? d : null}
          format={DATE_FORMATS}
          placeholder={placeholder ?? 'YYYY-MM-DD'}
          onChange={(v) => {
            ctl.set(k, v ? v.format('YYYY-MM-DD') : '');
            ctl.touch(k);
          }}
          onBlur={onBlur}
          disabledDate={(cur) => cur.format('YYYY-MM-DD') > ctl.today}
          status={status}
          size={size}
          disabled={disabled}
          style={{ width: '100%' }}
        />
      );
    }
    case 'text':
      if (k === 'remarks') {
        return (
          <Input.TextArea
            id={id}
            aria-label={label}
            value={value}
            onChange={(e) => ctl.set(k, e.target.value)}
            onBlur={onBlur}
            maxLength={f.maxLength}
            autoSize={{ minRows: 2, maxRows: 6 }}
            status={status}
            disabled={disabled}
          />
        );
      }
      break;
    default:
      break;
  }
  const inputMode = f.kind === 'phone' ? ('tel' as const) : f.kind === 'yearMonth' ? ('numeric' as const) : undefined;
  const maxLength = f.kind === 'idNumber' ? 24 : f.kind === 'phone' ? 30 : f.kind === 'yearMonth' ? 10 : f.maxLength;
  return (
    <Input
      id={id}
      aria-label={label}
      value={value}
      onChange={(e) => ctl.set(k, e.target.value)}
      onBlur={onBlur}
      maxLength={maxLength}
      inputMode={inputMode}
      enterKeyHint="next"
      autoComplete="off"
      spellCheck={false}
      placeholder={placeholder ?? (f.kind === 'yearMonth' ? 'YYYY-MM' : undefined)}
      status={status}
      size={size}
      disabled={disabled}
      style={f.kind === 'idNumber' ? { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', letterSpacing: 0.5 } : undefined}
    />
  );
}

/** Label + control + message, for the sections laid out in a grid. */
export function FieldItem({ k, ctl, extra, label }: { k: RegistrationKey; ctl: FieldCtl; extra?: ReactNode; label?: string }) {
  const f = def(k);
  const error = ctl.errorOf(k);
  return (
    <Form.Item
      label={label ?? f.label}
      htmlFor={fieldId(k)}
      required={ctl.isRequired(k)}
      validateStatus={error ? 'error' : undefined}
      help={error ?? undefined}
      extra={extra}
      style={{ marginBottom: 16 }}
    >
      <FieldControl k={k} ctl={ctl} />
    </Form.Item>
  );
}
