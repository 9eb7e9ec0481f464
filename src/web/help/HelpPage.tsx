// 帮助 (issue 14): the regulation itself as issued, what each role does and where in the system, and
// the import template with its rules — read from the same field list the import applies.
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { CODE_TABLES } from '../../shared/codes/index';
import { REGISTRATION_FIELDS } from '../../shared/registration';
import { ROLE_LABELS, type Role } from '../../shared/roles';
import { useUser } from '../auth/AuthContext';
import { downloadTemplate } from '../registration/importTemplate';
import regulation from './regulation.txt?raw';

const WORKFLOWS: Array<{ role: Role; steps: string[] }> = [
  {
    role: 'city_admin',
    steps: [
      '组织机构、用户管理：维护区、街道、社区和各级用户',
      '考核批次：设定考核表、费用规则、先进个人名额和时间安排（自查自评截止、数据截止、申报截止）',
      '考核评估：审核各区自评、抽查数据、确定考核结果',
      '考核费用：冻结有效录入人数，计算、复核、审批考核费用，登记拨付',
      '先进个人：评审各区推荐表，发布表彰名单',
      '审计日志：查看和导出全部操作记录，校验日志完整性',
    ],
  },
  {
    role: 'city_assessor',
    steps: ['考核评估：查阅各区自评与佐证材料，抽查登记数据，录入考核分和考核意见', '考核费用：计算或复核考核费用', '先进个人：评审推荐表'],
  },
  {
    role: 'district_admin',
    steps: [
      '用户管理：为本区录入员、调查员、查询用户开通账号',
      '调查员分配：为本区调查员分配负责入户调查的社区/村',
      '登记记录、统计分析：掌握本区登记进度，设定目标人数，生成人员明细表和分析报告',
      '考核评估：在截止日期前完成自查自评，上传佐证材料并提交',
      '考核费用：查看本区费用，按街道、社区分配拨付的经费',
      '先进个人：在名额内填写推荐表并提交',
    ],
  },
  { role: 'clerk', steps: ['登记记录：录入或批量导入本辖区的登记表，按提示改正问题数据', '统计分析：查看本辖区登记进度和本人工作量'] },
  { role: 'surveyor', steps: ['入户调查：逐户填写登记表（手机上同样可用），“保存并录入同户下一人”时户信息自动带入', '登记记录：查看和改正本人录入的记录'] },
  { role: 'viewer', steps: ['登记记录、统计分析：查看本辖区的登记情况（个人信息脱敏显示）'] },
];

const KIND_RULES: Record<string, string> = {
  idNumber: '18 位，最后一位可为 X；15 位旧号码自动换算为 18 位。Excel 中请先把该列设为“文本”，否则号码会变成 3.20411E+17 且末几位丢失',
  name: '2 至 30 个字，汉字、字母、间隔号“·”',
  date: '2016-05-03、2016/5/3、20160503 或 2016年5月3日；不能晚于今天',
  yearMonth: '2016-05、201605 或 2016年5月',
  phone: '手机 11 位；固定电话“区号-号码”，如 0519-88112733',
  text: '',
};

function TemplateRules() {
  const rows = REGISTRATION_FIELDS.map((f) => ({
    key: f.key,
    label: f.label,
    required: f.required === true ? '必填' : f.required === 'conditional' ? (f.condition ?? '条件必填') : '',
    rule: [
      f.kind === 'code' && f.codeTable ? `填《${CODE_TABLES[f.codeTable].name}》中的代码或名称均可（共 ${CODE_TABLES[f.codeTable].entries.length} 项）` : (KIND_RULES[f.kind] ?? ''),
      f.maxLength ? `不超过 ${f.maxLength} 个字` : '',
      f.derivedFrom ? '可不填，按公民身份号码自动填写' : '',
      f.defaultValue !== undefined ? `不填时为默认值 ${f.defaultValue}` : '',
      f.aliases.length ? `列名也可写作：${f.aliases.slice(0, 4).join('、')}` : '',
    ]
      .filter(Boolean)
      .join('；'),
  }));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph>
        导入文件可以是 Excel（.xlsx，含 WPS 保存的文件）或 CSV（UTF-8 或 GBK 编码）。表头可在前 10 行中的任意一行，也可以是两行表头（如“城乡居民基本医疗保险”下分“参保状态”“参保地”）；有“填表说明”等工作表时自动找到登记表所在的工作表。导入到街道或区时，文件须有“社区”列（社区名称或 12 位代码）。
      </Typography.Paragraph>
      <Typography.Paragraph>
        “全部无误才导入”时，文件中有任何问题行则不导入任何数据；“只导入无误的行”时，问题行不导入并列出。问题行可下载为原格式的 Excel：问题单元格标红并注明原因，改正后直接重新导入即可。同一人重复登记的只计一次；已登记的公民身份号码姓名、出生日期或性别不同时视为冲突，不会被静默改名。
      </Typography.Paragraph>
      <Space>
        <Button icon={<DownloadOutlined />} onClick={() => downloadTemplate(false)} data-testid="help-template">
          下载导入模板（社区用）
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => downloadTemplate(true)}>
          下载导入模板（街道、区用，含“社区”列）
        </Button>
      </Space>
      <Table
        size="small"
        pagination={false}
        dataSource={rows}
        rowKey="key"
        data-testid="help-fields"
        columns={[
          { title: '列名', dataIndex: 'label', width: 220 },
          { title: '是否必填', dataIndex: 'required', width: 200, render: (v: string) => (v === '必填' ? <Tag color="red">必填</Tag> : v) },
          { title: '填写要求', dataIndex: 'rule' },
        ]}
      />
    </Space>
  );
}

export function HelpPage() {
  const me = useUser();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'regulation';
  return (
    <Card title="帮助">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          {
            key: 'regulation',
            label: '考核办法',
            children: (
              <article className="help-regulation" data-testid="help-regulation" style={{ maxWidth: 860, lineHeight: 1.9, fontSize: 15 }}>
                {regulation
                  .split(/\n+/)
                  .filter((p) => p.trim())
                  .map((p, i) =>
                    i === 0 ? (
                      <Typography.Title key={i} level={3} style={{ textAlign: 'center' }}>
                        {p.trim()}
                      </Typography.Title>
                    ) : (
                      <Typography.Paragraph key={i} style={/^[一二三四五六七八九十]+、|^附件/.test(p.trim()) ? { fontWeight: 600, marginTop: 16 } : { textIndent: '2em' }}>
                        {p.trim()}
                      </Typography.Paragraph>
                    ),
                  )}
              </article>
            ),
          },
          {
            key: 'workflow',
            label: '各角色工作流程',
            children: (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="help-workflow">
                {WORKFLOWS.map((w) => (
                  <Card key={w.role} size="small" title={ROLE_LABELS[w.role]} extra={w.role === me.role ? <Tag color="blue">您的角色</Tag> : null}>
                    <ol style={{ margin: 0, paddingLeft: 20 }}>
                      {w.steps.map((s) => (
                        <li key={s}>{s}</li>
                      ))}
                    </ol>
                  </Card>
                ))}
              </Space>
            ),
          },
          { key: 'import', label: '导入模板与规则', children: <TemplateRules /> },
        ]}
      />
    </Card>
  );
}
