// The 2016 campaign exactly as the regulation sets it (seed: 常州市市本级全民参保登记工作考核办法).
// Scores in tenths of a point, money in fen.
import { DEFAULT_BASE_RATE_FEN, DEFAULT_FEE_TIERS_2016 } from '../../domain/fees.js';
import { AGENCY_CODE } from './org-codes.js';

export const CAMPAIGN_2016 = {
  code: '2016',
  name: '2016年度常州市市本级全民参保登记工作考核',
  year: 2016,
  status: 'active' as const,
  // 三(一) "各区应在2016年6月上旬完成自查自评": 上旬 ends on the 10th.
  selfAssessmentDeadline: '2016-06-10',
  // The valid count is taken as entered by the end of the self-assessment period (editable).
  dataCutoff: '2016-06-10',
  // 五(三) "于2016年6月上旬前书面报送至市社保经办机构".
  nominationDeadline: '2016-06-10',
  // 四(一) "入户调查基准费用确定为3元/人".
  baseRateFen: DEFAULT_BASE_RATE_FEN,
  // 三 "考核总分为100分".
  totalScore: 1000,
  // 五 "评选全民参保登记工作先进个人23名".
  awardTotal: 23,
  feeTiers: DEFAULT_FEE_TIERS_2016,
  // 附件2 常州市市本级全民参保登记工作考核表.
  categories: [
    {
      name: '组织领导',
      maxScore: 150,
      criteria: [
        { text: '制订全民参保登记工作实施方案。', maxScore: 50 },
        { text: '召开全民参保登记工作动员大会。', maxScore: 50 },
        { text: '落实专人负责全民参保登记工作。', maxScore: 50 },
      ],
    },
    {
      name: '基础管理',
      maxScore: 150,
      criteria: [
        { text: '组建调查员队伍，开展调查登记工作培训。', maxScore: 50 },
        { text: '张贴全民参保登记通告，宣传全民参保登记工作。', maxScore: 50 },
        { text: '配备电脑等设备用于全民参保登记数据录入。', maxScore: 50 },
      ],
    },
    {
      name: '入户调查',
      maxScore: 300,
      criteria: [
        { text: '有调查员负责上门走访、入户调查。', maxScore: 100 },
        { text: '入户调查佩戴工作牌，发放有关宣传材料。', maxScore: 50 },
        { text: '如实采集被调查对象的基本信息，并填写《常州市社会保险全民参保登记表》。', maxScore: 150 },
      ],
    },
    {
      name: '数据录入',
      maxScore: 200,
      criteria: [
        { text: '在规定时间内完成全民参保登记数据录入工作。', maxScore: 100 },
        {
          text: '录入信息系统的数据应准确。录入错误的，发现一例扣0.5分，本项扣完为止（以录入数据库数据为依据）。',
          maxScore: 50,
          kind: 'accuracy' as const,
        },
        { text: '做好全民参保登记工作资料的整理、归档工作。', maxScore: 50 },
      ],
    },
    {
      name: '汇总分析',
      maxScore: 200,
      criteria: [
        { text: '对本辖区内的登记数据进行统计，生成对应人员明细数据表。', maxScore: 100 },
        { text: '撰写本辖区全民参保登记工作分析报告并报送市人社部门。', maxScore: 100 },
      ],
    },
  ],
  // 五(二) 名额分配: unit codes of the seeded org tree.
  quotas: [
    { orgCode: '320411', quota: 8 },
    { orgCode: '320402', quota: 7 },
    { orgCode: '320404', quota: 6 },
    { orgCode: AGENCY_CODE, quota: 2 },
  ],
};

