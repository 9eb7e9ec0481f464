import { Space, Tag, Tooltip } from 'antd';
import type { Registration } from './types';

/** "该人员已在 新北区 三井社区 登记并计入" for a valid record that is not the counted one. */
export function countedElsewhereText(r: Pick<Registration, 'countedElsewhere'>): string {
  const c = r.countedElsewhere;
  if (!c) return '该人员已在其他登记记录中计入';
  return `该人员已在 ${c.districtName ? `${c.districtName} ` : ''}${c.orgUnitName} 登记并计入`;
}

export function isDuplicate(r: Pick<Registration, 'isValid' | 'isCounted'>): boolean {
  return r.isValid && !r.isCounted;
}

/** 有效 / 无效 (with the reasons) and 重复 (with where the person counts). */
export function StatusTags({ r }: { r: Registration }) {
  return (
    <Space size={4} wrap>
      {r.isValid ? (
        <Tag color="success">有效</Tag>
      ) : (
        <Tooltip
          title={
            r.errors.length ? (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {r.errors.map((e) => (
                  <li key={e.field}>{e.message}</li>
                ))}
              </ul>
            ) : (
              '未通过校验'
            )
          }
        >
          <Tag color="error" style={{ cursor: 'help' }}>
            无效{r.errors.length ? ` ${r.errors.length}` : ''}
          </Tag>
        </Tooltip>
      )}
      {isDuplicate(r) && (
        <Tooltip title={countedElsewhereText(r)}>
          <Tag color="warning" style={{ cursor: 'help' }}>
            重复
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}
