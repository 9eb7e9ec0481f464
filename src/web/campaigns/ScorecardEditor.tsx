import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Input, InputNumber, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { campaignUpdate } from '../../shared/api';
import type { Campaign } from '../api/types';
import { formatScore, pointsToTenths } from '../common/format';
import { CRITERION_KIND_LABELS } from './labels';
import { criteriaSum, scorecardProblems, scorecardSums } from './rules';
import type { CampaignPatch } from './useCampaign';

type Kind = 'manual' | 'accuracy';
type EditCriterion = { key: number; id?: number; text: string; maxScore: number; kind: Kind };
type EditCategory = { key: number; id?: number; name: string; maxScore: number; criteria: EditCriterion[] };

let nextKey = 1;
const newKey = () => nextKey++;

function fromCampaign(c: Campaign): EditCategory[] {
  return [...c.categories]
    .sort((a, b) => a.seq - b.seq)
    .map((cat) => ({
      key: newKey(),
      id: cat.id,
      name: cat.name,
      maxScore: cat.maxScore,
      criteria: [...cat.criteria]
        .sort((a, b) => a.seq - b.seq)
        .map((cr) => ({ key: newKey(), id: cr.id, text: cr.text, maxScore: cr.maxScore, kind: cr.kind })),
    }));
}

function toPatch(cats: EditCategory[]): NonNullable<CampaignPatch['categories']> {
  return cats.map((c) => ({
    ...(c.id ? { id: c.id } : {}),
    name: c.name.trim(),
    maxScore: c.maxScore,
    criteria: c.criteria.map((cr) => ({ ...(cr.id ? { id: cr.id } : {}), text: cr.text.trim(), maxScore: cr.maxScore, kind: cr.kind })),
  }));
}

function move<T>(list: T[], i: number, d: number): T[] {
  const j = i + d;
  if (j < 0 || j >= list.length) return list;
  const out = [...list];
  const a = out[i] as T;
  out[i] = out[j] as T;
  out[j] = a;
  return out;
}

const scoreInput = (value: number, onChange: (tenths: number) => void, label: string, max = 100) => (
  <InputNumber<number>
    aria-label={label}
    value={value / 10}
    min={0.5}
    max={max}
    step={0.5}
    precision={1}
    style={{ width: 100 }}
    suffix="分"
    onChange={(v) => onChange(pointsToTenths(v ?? 0))}
  />
);

export function ScorecardEditor({
  campaign,
  onSave,
  onCancel,
}: {
  campaign: Campaign;
  onSave: (patch: CampaignPatch) => Promise<boolean>;
  onCancel: () => void;
}) {
  const { modal } = App.useApp();
  const [cats, setCats] = useState<EditCategory[]>(() => fromCampaign(campaign));
  const [totalScore, setTotalScore] = useState(campaign.totalScore);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const sums = scorecardSums(cats);
  const problems = scorecardProblems(cats, totalScore);

  const updateCat = (key: number, f: (c: EditCategory) => EditCategory) => setCats((cs) => cs.map((c) => (c.key === key ? f(c) : c)));
  const updateCrit = (catKey: number, key: number, f: (c: EditCriterion) => EditCriterion) =>
    updateCat(catKey, (c) => ({ ...c, criteria: c.criteria.map((cr) => (cr.key === key ? f(cr) : cr)) }));

  const doSave = async () => {
    setSaving(true);
    try {
      if (await onSave({ categories: toPatch(cats), totalScore })) onCancel();
    } finally {
      setSaving(false);
    }
  };

  const save = () => {
    const parsed = campaignUpdate.shape.categories.safeParse(toPatch(cats));
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '考核表填写不完整');
      return;
    }
    setError(null);
    if (problems.length) {
      modal.confirm({
        title: '分值合计不一致',
        content: (
          <ul style={{ paddingLeft: 20 }}>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ),
        okText: '仍然保存',
        cancelText: '返回修改',
        onOk: doSave,
      });
    } else {
      void doSave();
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {cats.map((cat, ci) => {
        const sum = criteriaSum(cat);
        return (
          <Card
            key={cat.key}
            size="small"
            title={
              <Space wrap>
                <Typography.Text type="secondary">考核项目 {ci + 1}</Typography.Text>
                <Input
                  aria-label="考核项目名称"
                  value={cat.name}
                  maxLength={40}
                  style={{ width: 180 }}
                  onChange={(e) => updateCat(cat.key, (c) => ({ ...c, name: e.target.value }))}
                />
                {scoreInput(cat.maxScore, (v) => updateCat(cat.key, (c) => ({ ...c, maxScore: v })), '考核项目分值')}
                {sum === cat.maxScore ? (
                  <Tag color="green">标准分合计 {formatScore(sum)} 分</Tag>
                ) : (
                  <Tag color="red">标准分合计 {formatScore(sum)} 分，不等于项目分值</Tag>
                )}
              </Space>
            }
            extra={
              <Space size={4}>
                <Button size="small" icon={<ArrowUpOutlined />} aria-label="上移" disabled={ci === 0} onClick={() => setCats((cs) => move(cs, ci, -1))} />
                <Button
                  size="small"
                  icon={<ArrowDownOutlined />}
                  aria-label="下移"
                  disabled={ci === cats.length - 1}
                  onClick={() => setCats((cs) => move(cs, ci, 1))}
                />
                <Button size="small" danger icon={<DeleteOutlined />} onClick={() => setCats((cs) => cs.filter((c) => c.key !== cat.key))}>
                  删除项目
                </Button>
              </Space>
            }
          >
            {cat.criteria.map((cr, ri) => (
              <Row key={cr.key} gutter={8} style={{ marginBottom: 8 }} align="top">
                <Col flex="32px" style={{ paddingTop: 5 }}>
                  {ri + 1}.
                </Col>
                <Col flex="auto">
                  <Input.TextArea
                    aria-label="考核标准"
                    value={cr.text}
                    maxLength={500}
                    autoSize={{ minRows: 1, maxRows: 4 }}
                    onChange={(e) => updateCrit(cat.key, cr.key, (c) => ({ ...c, text: e.target.value }))}
                  />
                </Col>
                <Col flex="110px">{scoreInput(cr.maxScore, (v) => updateCrit(cat.key, cr.key, (c) => ({ ...c, maxScore: v })), '标准分')}</Col>
                <Col flex="190px">
                  <Select<Kind>
                    aria-label="计分方式"
                    value={cr.kind}
                    style={{ width: 180 }}
                    onChange={(v) => updateCrit(cat.key, cr.key, (c) => ({ ...c, kind: v }))}
                    options={(['manual', 'accuracy'] as const).map((k) => ({ value: k, label: CRITERION_KIND_LABELS[k] }))}
                  />
                </Col>
                <Col flex="40px">
                  <Button
                    danger
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label="删除考核标准"
                    disabled={cat.criteria.length <= 1}
                    onClick={() => updateCat(cat.key, (c) => ({ ...c, criteria: c.criteria.filter((x) => x.key !== cr.key) }))}
                  />
                </Col>
              </Row>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() =>
                updateCat(cat.key, (c) => ({ ...c, criteria: [...c.criteria, { key: newKey(), text: '', maxScore: 50, kind: 'manual' }] }))
              }
            >
              添加考核标准
            </Button>
          </Card>
        );
      })}
      <Button
        type="dashed"
        block
        icon={<PlusOutlined />}
        onClick={() =>
          setCats((cs) => [...cs, { key: newKey(), name: '', maxScore: 50, criteria: [{ key: newKey(), text: '', maxScore: 50, kind: 'manual' }] }])
        }
      >
        添加考核项目
      </Button>
      <Card size="small">
        <Space wrap size="large">
          <span>
            考核总分：
            {scoreInput(totalScore, setTotalScore, '考核总分', 1000)}
          </span>
          <span>
            项目分值合计：<strong data-testid="editor-categories-total">{formatScore(sums.categoriesTotal)}</strong> 分
          </span>
          <span>
            标准分合计：<strong data-testid="editor-criteria-total">{formatScore(sums.criteriaTotal)}</strong> 分
          </span>
          <span>考核标准共 {sums.criteriaCount} 条</span>
        </Space>
      </Card>
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title="分值合计不一致"
          description={
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
      {error && <Alert type="error" showIcon title={error} />}
      <Space>
        <Button type="primary" loading={saving} onClick={save}>
          保存
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Space>
    </Space>
  );
}
