// The community (社区/村) a record belongs to: only level 'community' can be chosen, grouped by
// street. A grouped Select rather than OrgTreeSelect: typing '华山' + Enter picks the first match
// (antd's TreeSelect finds no active node under disabled street/district nodes, so Enter did nothing).
import { Select } from 'antd';
import { useMemo } from 'react';
import { normaliseCodeText } from '../../shared/codes/index';
import type { OrgNode } from '../common/orgTree';
import { useOrgs } from '../common/useOrgs';

type Option = { value: number; label: string; search: string };
type Group = { label: string; title: string; options: Option[] };

export function CommunitySelect({
  id,
  value,
  onChange,
  status,
}: {
  id?: string;
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  status?: 'error';
}) {
  const { index, loading } = useOrgs();
  const groups = useMemo(() => {
    const out: Group[] = [];
    const multiDistrict = [...index.byId.values()].filter((u) => u.level === 'district').length > 1;
    const walk = (nodes: readonly OrgNode[], path: string[]) => {
      for (const n of nodes) {
        const communities = n.children.filter((c) => c.level === 'community');
        if (communities.length) {
          const label = [...(multiDistrict ? path : []), n.name].join(' · ');
          out.push({
            label,
            title: label,
            options: communities.map((c) => ({ value: c.id, label: c.name, search: normaliseCodeText(`${c.name}|${c.code}|${n.name}`) })),
          });
        }
        const inner = n.children.filter((c) => c.level !== 'community');
        if (inner.length) walk(inner, n.level === 'district' || n.level === 'street' ? [...path, n.name] : path);
      }
    };
    walk(index.roots, []);
    // The user's own unit may itself be a community (no parent in the visible tree).
    const roots = index.roots.filter((r) => r.level === 'community');
    if (roots.length) out.unshift({ label: '本单位', title: '本单位', options: roots.map((c) => ({ value: c.id, label: c.name, search: normaliseCodeText(`${c.name}|${c.code}`) })) });
    return out;
  }, [index]);

  return (
    <Select<number>
      id={id}
      aria-label="登记社区/村"
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      options={groups}
      loading={loading}
      placeholder="输入社区/村名称或代码查找"
      status={status}
      style={{ width: '100%' }}
      allowClear
      showSearch={{
        filterOption: (input, option) => {
          const q = normaliseCodeText(input);
          const search = (option as Partial<Option> | undefined)?.search;
          return !q || !!search?.includes(q);
        },
      }}
      listHeight={320}
    />
  );
}
