// The fields of the nomination form (附件3) as typed by the unit: 姓名, 联系电话, 工作单位, 职务, the
// user the person is linked to, how the person meets each 申报条件 of the campaign (seed 五（一）; the
// form's note asks the deeds to follow them), 先进事迹概述, and 区人社部门推荐意见 with its date.
// Checked with the shared contract's rules, exactly as the server checks them.
import { Alert, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import { CONDITION_ANSWER_MAX, nominationInput, type linkableUsers, type Nomination } from '../../shared/api-awards';
import { todayShanghai } from '../common/format';
import { zodRule } from '../common/zodRule';
import { DEEDS_MAX, FORM_FOOTNOTE } from './labels';

export type LinkableUser = z.infer<typeof linkableUsers>[number];

export type NominationValues = {
  name: string;
  phone: string;
  workUnit: string;
  position: string;
  deeds: string;
  /** One per condition of the campaign, in its order. */
  conditionAnswers: string[];
  linkedUserId: number | null;
  unitOpinion: string;
  unitOpinionDate: Dayjs | null;
};

/** The form's values of a saved nomination, or of a new one answering `conditionCount` conditions. */
export function valuesOf(n: Nomination | null, conditionCount = 0): NominationValues {
  return {
    name: n?.name ?? '',
    phone: n?.phone ?? '',
    workUnit: n?.workUnit ?? '',
    position: n?.position ?? '',
    deeds: n?.deeds ?? '',
    conditionAnswers: n ? n.conditions.map((c) => c.answer) : Array.from({ length: conditionCount }, () => ''),
    linkedUserId: n?.linkedUserId ?? null,
    unitOpinion: n?.unitOpinion ?? '',
    unitOpinionDate: n?.unitOpinionDate ? dayjs(n.unitOpinionDate) : null,
  };
}

/** The request body of the form's values (nominationUpdate without the version). */
export function bodyOf(v: Partial<NominationValues>) {
  return {
    name: (v.name ?? '').trim(),
    phone: (v.phone ?? '').trim(),
    workUnit: (v.workUnit ?? '').trim(),
    position: (v.position ?? '').trim(),
    deeds: (v.deeds ?? '').trim(),
    // Array.from: a hole (a field never touched) is an empty answer.
    conditionAnswers: Array.from(v.conditionAnswers ?? [], (a) => (a ?? '').trim()),
    linkedUserId: v.linkedUserId ?? null,
    unitOpinion: (v.unitOpinion ?? '').trim(),
    unitOpinionDate: v.unitOpinionDate ? v.unitOpinionDate.format('YYYY-MM-DD') : null,
  };
}

const shape = nominationInput.shape;
const required = (label: string) => ({ required: true, whitespace: true, message: `请填写${label}` });

/** The conditions not answered yet (0-based), which block a submission. */
export function unansweredConditions(v: Partial<NominationValues>, conditionCount: number): number[] {
  const answers = bodyOf(v).conditionAnswers;
  return Array.from({ length: conditionCount }, (_, i) => i).filter((i) => !answers[i]);
}

export function NominationFields({ linkable, linkableLoading, conditions }: { linkable: LinkableUser[]; linkableLoading: boolean; conditions: readonly string[] }) {
  const today = todayShanghai();
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item label="姓名" name="name" rules={[required('姓名'), zodRule(shape.name)]}>
            <Input maxLength={30} autoComplete="off" data-testid="field-name" autoFocus />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="联系电话" name="phone" rules={[required('联系电话'), zodRule(shape.phone)]}>
            <Input maxLength={20} autoComplete="off" inputMode="tel" data-testid="field-phone" placeholder="手机或固定电话，如 0519-88112733" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="工作单位" name="workUnit" rules={[required('工作单位'), zodRule(shape.workUnit)]}>
            <Input maxLength={100} autoComplete="off" data-testid="field-workUnit" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="职务" name="position" rules={[required('职务'), zodRule(shape.position)]}>
            <Input maxLength={60} autoComplete="off" data-testid="field-position" />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            label="关联系统用户"
            name="linkedUserId"
            extra="可选：被推荐人在本系统中有账号（录入员、调查员等）时选择，评审时可参考其录入的登记数据和抽查准确率。"
          >
            <Select<number>
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              loading={linkableLoading}
              placeholder="输入姓名或用户名查找"
              data-testid="field-linkedUser"
              notFoundContent={linkableLoading ? '加载中…' : '本单位没有可关联的用户'}
              options={linkable.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）· ${u.orgUnitName} · ${u.roleLabel}` }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24}>
          {conditions.length > 0 && (
            <fieldset className="award-condition-answers" data-testid="condition-answers">
              <legend>符合申报条件情况（《考核办法》五（一），提交前逐条填写）</legend>
              {conditions.map((c, i) => (
                <Form.Item
                  key={i}
                  label={`${i + 1}. ${c}`}
                  name={['conditionAnswers', i]}
                  rules={[{ max: CONDITION_ANSWER_MAX, message: `每条不能超过 ${CONDITION_ANSWER_MAX} 字` }]}
                >
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={CONDITION_ANSWER_MAX} data-testid={`field-condition-${i}`} placeholder="被推荐人如何符合本条：做了哪些工作、取得什么成绩" />
                </Form.Item>
              ))}
            </fieldset>
          )}
          <Alert type="info" showIcon style={{ marginBottom: 8 }} title={FORM_FOOTNOTE} />
          <Form.Item label="先进事迹概述" name="deeds" rules={[required('先进事迹概述'), zodRule(shape.deeds)]}>
            <Input.TextArea autoSize={{ minRows: 8, maxRows: 24 }} maxLength={DEEDS_MAX} showCount data-testid="field-deeds" placeholder="围绕申报条件概述其组织宣传、入户调查、数据录入等工作和取得的成绩" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item label="区人社部门推荐意见" name="unitOpinion" rules={[{ max: 1000, message: '推荐意见不能超过 1000 字' }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="field-unitOpinion" placeholder="如：同意推荐。" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label="推荐意见日期" name="unitOpinionDate">
            <DatePicker style={{ width: '100%' }} placeholder="年-月-日" disabledDate={(d) => d.format('YYYY-MM-DD') > today} data-testid="field-unitOpinionDate" />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
