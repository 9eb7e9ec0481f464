// A nomination as submitted (or as seen by whoever does not fill it): the fields of 附件3 in order.
import { Descriptions } from 'antd';
import type { Nomination } from '../../shared/api-awards';
import { chineseDate } from './labels';

/** Each 申报条件 of the campaign with how the person meets it (what the evaluator checks against). */
export function ConditionAnswers({ conditions, testId = 'readonly-conditions' }: { conditions: Nomination['conditions']; testId?: string }) {
  return (
    <ol className="award-conditions" data-testid={testId}>
      {conditions.map((c, i) => (
        <li key={i}>
          <div className="award-condition-text">{c.text}</div>
          <div className={c.answer ? 'award-condition-answer' : 'award-condition-answer award-condition-missing'}>{c.answer || '（未填写）'}</div>
        </li>
      ))}
    </ol>
  );
}

export function NominationReadOnly({ nomination: n }: { nomination: Nomination }) {
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      data-testid="nomination-readonly"
      styles={{ label: { width: 130 } }}
      items={[
        { key: 'name', label: '姓名', children: n.name },
        { key: 'phone', label: '联系电话', children: n.phone },
        { key: 'workUnit', label: '工作单位', children: n.workUnit },
        { key: 'position', label: '职务', children: n.position },
        { key: 'linked', label: '关联系统用户', span: 'filled', children: n.linkedWork ? `${n.linkedWork.displayName}（${n.linkedWork.orgUnitName} · ${n.linkedWork.roleLabel}）` : '未关联' },
        ...(n.conditions.length ? [{ key: 'conditions', label: '符合申报条件情况', span: 'filled' as const, children: <ConditionAnswers conditions={n.conditions} /> }] : []),
        { key: 'deeds', label: '先进事迹概述', span: 'filled', children: <div className="award-deeds" data-testid="readonly-deeds">{n.deeds}</div> },
        {
          key: 'unitOpinion',
          label: '区人社部门推荐意见',
          span: 'filled',
          children: (
            <>
              <div className="award-deeds">{n.unitOpinion || '—'}</div>
              {n.unitOpinionDate && <div style={{ textAlign: 'right' }}>{chineseDate(n.unitOpinionDate)}</div>}
            </>
          ),
        },
      ]}
    />
  );
}
