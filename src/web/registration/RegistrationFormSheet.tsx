// 《常州市社会保险全民参保登记表》 as a paper form (SPEC "Printing": title, boxed fields, signature lines
// for the resident and the surveyor, blank or filled). The boxes follow the record's field groups
// (户信息, 个人信息, 监护人, 参保情况, 备注); field labels and code tables are the shared data. Filled, a
// box shows what the detail page shows (masked where the server masked it); blank, a code field
// prints its options as tick boxes (□ 男 □ 女 …) and an ID number 18 boxes, for door-to-door use.
import type { ReactNode } from 'react';
import { CODE_TABLES, INSURANCE_TYPES, labelOf, UNINSURED_REASON_OTHER } from '../../shared/codes/index';
import { insurancePlaceKey, insuranceSinceKey, insuranceStatusKey, type RegistrationKey } from '../../shared/registration';
import { displayValue, def, fieldLabel } from './labels';

export const REGISTRATION_FORM_TITLE = '常州市社会保险全民参保登记表';

/** The record's values as the detail endpoint returns them; null prints the blank form. */
export type FormValues = Readonly<Record<string, string | null>> | null;

/**
 * The options a blank form prints for a code field: every entry, except where the table is long
 * (民族, 与户主关系) or has entries nobody ticks at a door (性别 未知/未说明): then the usual ones,
 * plus a line to write another in.
 */
const BLANK_OPTIONS: Partial<Record<RegistrationKey, { codes?: readonly string[]; writeIn?: string }>> = {
  sex: { codes: ['1', '2'] },
  ethnicity: { codes: ['01'], writeIn: '其他：' },
  relationToHead: { codes: ['02', '10', '20', '30', '50', '70', '97', '99'], writeIn: '其他：' },
};

function blankOptions(key: RegistrationKey): { labels: Array<{ code: string; label: string }>; writeIn?: string } {
  const f = def(key);
  const table = CODE_TABLES[f.codeTable!];
  const pick = BLANK_OPTIONS[key];
  const entries = pick?.codes ? pick.codes.map((code) => ({ code, label: labelOf(table, code) ?? code })) : table.entries.map((e) => ({ code: e.code, label: e.label }));
  return { labels: entries, writeIn: pick?.writeIn };
}

/** A value as printed: the detail page's text, nothing where the detail page shows a dash. */
function shown(values: Readonly<Record<string, string | null>>, key: RegistrationKey): string {
  const v = displayValue(key, values[key]);
  return v === '—' ? '' : v;
}

function Options({ k }: { k: RegistrationKey }) {
  const { labels, writeIn } = blankOptions(k);
  return (
    <span className="reg-options" data-testid={`options-${k}`}>
      {labels.map((o) => (
        <span key={o.code} className="reg-option">
          □&nbsp;{o.label}
          {k === 'uninsuredReason' && o.code === UNINSURED_REASON_OTHER && (
            <>
              （说明：<span className="reg-write-in" />）
            </>
          )}
        </span>
      ))}
      {writeIn && (
        <span className="reg-option">
          □&nbsp;{writeIn}
          <span className="reg-write-in" />
        </span>
      )}
    </span>
  );
}

function IdBoxes() {
  return (
    <span className="reg-id-boxes" aria-label="18位公民身份号码">
      {Array.from({ length: 18 }, (_, n) => (
        <span key={n} className="reg-id-box" />
      ))}
    </span>
  );
}

const DateBlank = ({ day = true }: { day?: boolean }) => (
  <span className="reg-date-blank">
    年<span className="gap" />月{day && (
      <>
        <span className="gap" />日
      </>
    )}
  </span>
);

/** One value box: the record's text, or on a blank form what helps the hand fill it in. */
function Value({ values, k, span = 1, className }: { values: FormValues; k: RegistrationKey; span?: number; className?: string }) {
  let content: ReactNode;
  if (values) {
    content = shown(values, k);
    if (k === 'uninsuredReason' && values.uninsuredNote) content = `${String(content)}（${values.uninsuredNote}）`;
  } else {
    const f = def(k);
    if (f.kind === 'code') content = <Options k={k} />;
    else if (f.kind === 'idNumber') content = <IdBoxes />;
    else if (f.kind === 'date') content = <DateBlank />;
    else if (f.kind === 'yearMonth') content = <DateBlank day={false} />;
    else content = null;
  }
  return (
    <td colSpan={span} className={`reg-value ${className ?? ''}`} data-field={k}>
      {content}
    </td>
  );
}

/** A label box; `prefix` (户主, 监护人) goes on a line of its own so that the rest stays whole. */
function Label({ k, text, prefix }: { k?: RegistrationKey; text?: string; prefix?: string }) {
  const label = text ?? (k ? fieldLabel(k) : '');
  return (
    <th scope="row" className="reg-label">
      {prefix && label.startsWith(prefix) ? (
        <>
          {prefix}
          <br />
          {label.slice(prefix.length)}
        </>
      ) : (
        label
      )}
    </th>
  );
}

/** The group's name down the form's left edge, one character a line. */
function Group({ name, rows, hint }: { name: string; rows: number; hint?: string }) {
  return (
    <th scope="rowgroup" rowSpan={rows} className="reg-group">
      {Array.from(name).map((ch, n) => (
        <div key={n}>{ch}</div>
      ))}
      {hint && <div className="reg-group-hint">{hint}</div>}
    </th>
  );
}

/** The six-column grid of label/value pairs that every section but 参保情况 shares. */
function GridCols() {
  return (
    <colgroup>
      <col className="c-group" />
      <col className="c-label" />
      <col className="c-value" />
      <col className="c-label" />
      <col className="c-value" />
      <col className="c-label" />
      <col className="c-value-last" />
    </colgroup>
  );
}

function Section({ testId, children, cols }: { testId: string; children: ReactNode; cols?: ReactNode }) {
  return (
    <table className="reg-form-table" data-testid={testId}>
      {cols ?? <GridCols />}
      <tbody>{children}</tbody>
    </table>
  );
}

function InsuranceSection({ values }: { values: FormValues }) {
  const v = (k: RegistrationKey) => (values ? shown(values, k) : '');
  return (
    <Section
      testId="reg-form-insurance"
      cols={
        <colgroup>
          <col className="c-group" />
          <col className="c-ins-type" />
          <col className="c-ins-status" />
          <col className="c-ins-place" />
          <col className="c-ins-since" />
        </colgroup>
      }
    >
      <tr>
        <Group name="参保情况" rows={INSURANCE_TYPES.length + 3} />
        <th className="reg-label reg-head">{'险\u3000种'}</th>
        <th className="reg-label reg-head">参保状态</th>
        <th className="reg-label reg-head">参保地</th>
        <th className="reg-label reg-head">参保年月</th>
      </tr>
      {INSURANCE_TYPES.map((t) => (
        <tr key={t.code} className="reg-ins-row">
          <th scope="row" className="reg-label reg-ins-type">
            {t.label}
          </th>
          {values ? (
            <>
              <td className="reg-value">{v(insuranceStatusKey(t.code))}</td>
              <td className="reg-value">{v(insurancePlaceKey(t.code))}</td>
              <td className="reg-value reg-center">{v(insuranceSinceKey(t.code))}</td>
            </>
          ) : (
            <>
              <Value values={null} k={insuranceStatusKey(t.code)} />
              <td className="reg-value" />
              <Value values={null} k={insuranceSinceKey(t.code)} className="reg-center" />
            </>
          )}
        </tr>
      ))}
      <tr>
        <th scope="row" className="reg-label">
          {fieldLabel('uninsuredReason')}
          <div className="reg-label-hint">（八个险种均未参保的填写）</div>
        </th>
        <Value values={values} k="uninsuredReason" span={3} />
      </tr>
      <tr>
        <th scope="row" className="reg-label">
          {fieldLabel('willingness')}
        </th>
        <Value values={values} k="willingness" span={3} />
      </tr>
    </Section>
  );
}

/** The place of the record (区, 街道, 社区) above the table; blank lines on a blank form. */
function PlaceLine({ place }: { place: string[] | null }) {
  if (!place) {
    return (
      <div className="reg-form-meta" data-testid="reg-form-place">
        <span className="reg-write-in wide" />区<span className="reg-write-in wide" />街道（镇）<span className="reg-write-in wide" />社区（村）
      </div>
    );
  }
  return (
    <div className="reg-form-meta" data-testid="reg-form-place">
      社区（村）：<strong>{place.join(' ')}</strong>
    </div>
  );
}

function SurveyDate({ date }: { date: string | null }) {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  const part = (s: string | undefined, cls: string) => <span className={`sig-line ${cls}`}>{s ? String(Number(s)) : ''}</span>;
  return (
    <span>
      {fieldLabel('surveyDate')}：{part(m?.[1], 'sig-year')}年{part(m?.[2], 'sig-day')}月{part(m?.[3], 'sig-day')}日
    </span>
  );
}

export function RegistrationFormSheet({ values, place, masked }: { values: FormValues; place: string[] | null; masked?: boolean }) {
  const v = values;
  const surveyor = v ? shown(v, 'surveyorName') : '';
  return (
    <div className={`reg-form-sheet ${v ? '' : 'reg-form-blank'}`} data-testid="reg-form">
      <h1>{REGISTRATION_FORM_TITLE}</h1>
      <PlaceLine place={place} />
      <Section testId="reg-form-household">
        <tr>
          <Group name="户信息" rows={2} />
          <Label k="householdHeadName" />
          <Value values={v} k="householdHeadName" />
          <Label k="householdHeadIdNumber" prefix="户主" />
          <Value values={v} k="householdHeadIdNumber" span={3} className="reg-mono" />
        </tr>
        <tr>
          <Label k="householdAddress" />
          <Value values={v} k="householdAddress" span={5} />
        </tr>
      </Section>
      <Section testId="reg-form-person">
        <tr>
          <Group name="个人信息" rows={8} />
          <Label k="name" />
          <Value values={v} k="name" />
          <Label k="sex" />
          <Value values={v} k="sex" />
          <Label k="ethnicity" />
          <Value values={v} k="ethnicity" />
        </tr>
        <tr>
          <Label k="idType" />
          <Value values={v} k="idType" />
          <Label k="idNumber" />
          <Value values={v} k="idNumber" span={3} className="reg-mono" />
        </tr>
        <tr>
          <Label k="birthDate" />
          <Value values={v} k="birthDate" />
          <Label k="relationToHead" />
          <Value values={v} k="relationToHead" span={3} />
        </tr>
        <tr>
          <Label k="hukouType" />
          <Value values={v} k="hukouType" span={5} />
        </tr>
        <tr>
          <Label k="hukouAddress" />
          <Value values={v} k="hukouAddress" span={5} />
        </tr>
        <tr>
          <Label k="residenceAddress" />
          <Value values={v} k="residenceAddress" span={5} />
        </tr>
        <tr>
          <Label k="phone" />
          <Value values={v} k="phone" />
          <Label k="employer" />
          <Value values={v} k="employer" span={3} />
        </tr>
        <tr>
          <Label k="personCategory" />
          <Value values={v} k="personCategory" span={5} />
        </tr>
      </Section>
      <Section testId="reg-form-guardian">
        <tr>
          <Group name="监护人" rows={2} />
          <Label text="姓名" />
          <Value values={v} k="guardianName" />
          <Label text="公民身份号码" />
          <Value values={v} k="guardianIdNumber" span={3} className="reg-mono" />
        </tr>
        <tr>
          <Label text="联系电话" />
          <Value values={v} k="guardianPhone" />
          <td colSpan={4} className="reg-value reg-hint-cell">
            被调查人未满16周岁的，填写监护人信息
          </td>
        </tr>
      </Section>
      <InsuranceSection values={v} />
      <Section testId="reg-form-remarks">
        <tr className="reg-remarks-row">
          <Group name="备注" rows={1} />
          <Value values={v} k="remarks" span={6} className="reg-remarks" />
        </tr>
      </Section>
      <div className="reg-form-signatures" data-testid="reg-form-signatures">
        <span>
          被调查人（签字）：<span className="sig-line" />
        </span>
        <span>
          调查员（签字）：
          <span className="sig-box">
            <span className="sig-line" />
            {surveyor && <span className="sig-name">（{fieldLabel('surveyorName')}：{surveyor}）</span>}
          </span>
        </span>
        <SurveyDate date={v?.surveyDate ?? null} />
      </div>
      <div className="reg-form-foot">
        {v ? (
          masked ? (
            <p data-testid="reg-form-masked">注：证件号码、联系电话按个人信息保护要求脱敏打印，出生日期只显示年份。</p>
          ) : null
        ) : (
          <p>
            填表说明：1. {fieldLabel('idNumber')}按居民身份证或户口簿填写18位；2. 选择项在“□”内打“√”；3. 参保状态为{labelOf(CODE_TABLES.insuranceStatus, '1')}、
            {labelOf(CODE_TABLES.insuranceStatus, '2')}或{labelOf(CODE_TABLES.insuranceStatus, '4')}的，填写参保地和参保年月；4. 八个险种均未参保的，填写
            {fieldLabel('uninsuredReason')}和{fieldLabel('willingness')}；5. {fieldLabel('phone')}与监护人联系电话至少填写一项。
          </p>
        )}
      </div>
    </div>
  );
}
