// The registration list's columns: the ones always shown, the ones a user may add or hide (列设置,
// remembered in this browser), and the orders users sort by (姓名, 社区/村, 录入时间 — the server
// sorts; see REGISTRATION_SORTS).
import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popover, Space, Typography } from 'antd';
import type { ColumnsType, SortOrder } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { RegistrationSort } from '../../shared/api-registration';
import { formatTime } from '../common/format';
import { displayValue, ENTRY_SOURCE_LABELS } from './labels';
import { StatusTags } from './StatusTags';
import type { Registration } from './types';

const MONO = { fontFamily: 'ui-monospace, Menlo, Consolas, monospace' };

/** The columns a user can show or hide, in table order; `shown` is the default. */
export const OPTIONAL_COLUMNS = [
  { key: 'idNumber', title: '公民身份号码', shown: true },
  { key: 'sex', title: '性别', shown: true },
  { key: 'birthDate', title: '出生年份', shown: true },
  { key: 'personCategory', title: '个人身份', shown: false },
  { key: 'hukouType', title: '户口性质', shown: false },
  { key: 'phone', title: '联系电话', shown: false },
  { key: 'orgUnit', title: '社区/村', shown: true },
  { key: 'surveyorName', title: '采集人', shown: false },
  { key: 'status', title: '状态', shown: true },
  { key: 'entrySource', title: '录入方式', shown: false },
  { key: 'enteredAt', title: '录入时间', shown: true },
] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number]['key'];

const STORAGE_KEY = 'canbao.registrations.columns';
const DEFAULT_SHOWN: OptionalColumn[] = OPTIONAL_COLUMNS.filter((c) => c.shown).map((c) => c.key);

function storedColumns(): OptionalColumn[] {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
    if (Array.isArray(raw)) return OPTIONAL_COLUMNS.map((c) => c.key).filter((k) => raw.includes(k));
  } catch {
    // an unreadable setting: the defaults
  }
  return DEFAULT_SHOWN;
}

/** Which optional columns are shown, kept in this browser. */
export function useShownColumns(): [OptionalColumn[], (next: OptionalColumn[]) => void] {
  const [shown, setShown] = useState<OptionalColumn[]>(storedColumns);
  const update = (next: OptionalColumn[]) => {
    setShown(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // private mode: the setting lasts for this page only
    }
  };
  return [shown, update];
}

export function ColumnSettings({ shown, onChange }: { shown: OptionalColumn[]; onChange: (next: OptionalColumn[]) => void }) {
  const content = (
    <Space orientation="vertical" size={4} data-testid="column-settings">
      <Typography.Text type="secondary">姓名列始终显示</Typography.Text>
      <Checkbox.Group<OptionalColumn>
        value={shown}
        onChange={(v) => onChange(v)}
        style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
        options={OPTIONAL_COLUMNS.map((c) => ({ value: c.key, label: c.title }))}
      />
      <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onChange(DEFAULT_SHOWN)}>
        恢复默认
      </Button>
    </Space>
  );
  return (
    <Popover content={content} title="列设置" trigger="click" placement="bottomRight">
      <Button icon={<SettingOutlined />} aria-label="列设置" data-testid="column-settings-button">
        列设置
      </Button>
    </Popover>
  );
}

/** The column a sort belongs to, and the order antd shows on it. */
function orderFor(sort: RegistrationSort, column: 'name' | 'orgUnit' | 'enteredAt'): SortOrder {
  if (sort === column) return 'ascend';
  if (sort === `-${column}`) return 'descend';
  return null;
}

export function registrationColumns(shown: readonly OptionalColumn[], sort: RegistrationSort): ColumnsType<Registration> {
  const all: Record<OptionalColumn, ColumnsType<Registration>[number]> = {
    idNumber: { title: '公民身份号码', key: 'idNumber', width: 190, render: (_, r) => <span style={MONO}>{r.record.idNumber ?? '—'}</span> },
    sex: { title: '性别', key: 'sex', width: 60, render: (_, r) => displayValue('sex', r.record.sex) },
    birthDate: { title: '出生年份', key: 'birthDate', width: 100, render: (_, r) => displayValue('birthDate', r.record.birthDate) },
    personCategory: { title: '个人身份', key: 'personCategory', width: 150, ellipsis: true, render: (_, r) => displayValue('personCategory', r.record.personCategory) },
    hukouType: { title: '户口性质', key: 'hukouType', width: 130, ellipsis: true, render: (_, r) => displayValue('hukouType', r.record.hukouType) },
    phone: { title: '联系电话', key: 'phone', width: 130, render: (_, r) => <span style={MONO}>{r.record.phone ?? '—'}</span> },
    orgUnit: { title: '社区/村', key: 'orgUnit', dataIndex: 'orgUnitName', width: 160, ellipsis: true, sorter: true, sortOrder: orderFor(sort, 'orgUnit'), sortDirections: ['ascend', 'descend'] },
    surveyorName: { title: '采集人', key: 'surveyorName', width: 100, ellipsis: true, render: (_, r) => r.record.surveyorName ?? '—' },
    status: { title: '状态', key: 'status', width: 130, render: (_, r) => <StatusTags r={r} /> },
    entrySource: { title: '录入方式', key: 'entrySource', width: 100, render: (_, r) => ENTRY_SOURCE_LABELS[r.entrySource] ?? r.entrySource },
    enteredAt: {
      title: '录入时间',
      key: 'enteredAt',
      dataIndex: 'enteredAt',
      width: 160,
      render: (v: string) => formatTime(v),
      sorter: true,
      sortOrder: orderFor(sort, 'enteredAt'),
      sortDirections: ['descend', 'ascend'],
    },
  };
  const name: ColumnsType<Registration>[number] = {
    title: '姓名',
    key: 'name',
    width: 110,
    fixed: 'left',
    sorter: true,
    sortOrder: orderFor(sort, 'name'),
    sortDirections: ['ascend', 'descend'],
    render: (_, r) => (
      <Link to={`/registrations/${r.id}`} onClick={(e) => e.stopPropagation()}>
        {r.record.name ?? '—'}
      </Link>
    ),
  };
  return [name, ...OPTIONAL_COLUMNS.filter((c) => shown.includes(c.key)).map((c) => all[c.key])];
}

/** A header click → the list's sort (no order: back to newest first). */
export function sortFromTable(columnKey: unknown, order: SortOrder | undefined): RegistrationSort {
  if (!order || (columnKey !== 'name' && columnKey !== 'orgUnit' && columnKey !== 'enteredAt')) return '-enteredAt';
  return (order === 'ascend' ? columnKey : `-${columnKey}`) as RegistrationSort;
}
