import { Select } from 'antd';
import { useMemo } from 'react';
import { CODE_TABLES, normaliseCodeText, type CodeTableId } from '../../shared/codes/index';

type Option = { value: string; label: string; search: string };

/** Best matches first: the code or label itself, then labels starting with the text, then the rest. */
function rank(o: Option, q: string): number {
  if (!q) return 0;
  const label = normaliseCodeText(o.label);
  if (o.value === q || label === q) return 0;
  if (label.startsWith(q) || o.value.startsWith(q)) return 1;
  return 2;
}

function optionsOf(id: CodeTableId): Option[] {
  return CODE_TABLES[id].entries.map((e) => ({
    value: e.code,
    label: e.label,
    search: normaliseCodeText([e.code, e.label, ...(e.aliases ?? [])].join('|')),
  }));
}

type Props = {
  id?: string;
  table: CodeTableId;
  value: string;
  onChange: (code: string) => void;
  onBlur?: () => void;
  allowClear?: boolean;
  placeholder?: string;
  status?: 'error' | 'warning' | '';
  style?: React.CSSProperties;
  size?: 'small' | 'middle' | 'large';
  'aria-label'?: string;
};

/** A code field: shows the code table's labels, searchable by code, label or alias ('01', '汉', '汉族'). */
export function CodeSelect({ id, table, value, onChange, onBlur, allowClear = true, placeholder = '请选择', status, style, size, ...rest }: Props) {
  const options = useMemo(() => optionsOf(table), [table]);
  const known = value === '' || options.some((o) => o.value === value);
  // A stored value not in the table (old data, an import) stays visible as it is.
  const all = known ? options : [{ value, label: `${value}（不在代码表中）`, search: normaliseCodeText(value) }, ...options];
  return (
    <Select<string, Option>
      id={id}
      aria-label={rest['aria-label']}
      value={value === '' ? undefined : value}
      onChange={(v) => onChange(v ?? '')}
      onBlur={onBlur}
      options={all}
      allowClear={allowClear}
      placeholder={placeholder}
      status={status}
      size={size}
      style={{ width: '100%', ...style }}
      showSearch={{
        filterOption: (input, option) => {
          const q = normaliseCodeText(input);
          return !q || !!option?.search.includes(q);
        },
        filterSort: (a, b, { searchValue }) => {
          const q = normaliseCodeText(searchValue);
          return rank(a, q) - rank(b, q);
        },
      }}
      optionRender={(o) => (
        <span>
          {o.data.label}
          <span style={{ color: 'rgba(0, 0, 0, 0.6)', marginLeft: 8, fontSize: 12 }}>{o.data.value}</span>
        </span>
      )}
      popupMatchSelectWidth={false}
    />
  );
}
