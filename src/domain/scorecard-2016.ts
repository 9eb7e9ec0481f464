// 附件2 《常州市市本级全民参保登记工作考核表》 of the 2016 regulation, as data: the template a new
// campaign starts from. Scores in tenths. Wording exactly as in the seed.
import type { Category, Criterion } from './score.js';

export type CriterionTemplate = Criterion & { id: string; text: string };
export type CategoryTemplate = Omit<Category, 'criteria'> & { id: string; criteria: CriterionTemplate[] };

/** The item "录入信息系统的数据应准确…" whose score follows from the spot check (accuracy.ts). */
export const ACCURACY_CRITERION_ID_2016 = '4.2';

export const SCORECARD_2016: readonly CategoryTemplate[] = [
  {
    id: '1',
    name: '组织领导',
    maxScore: 150,
    criteria: [
      { id: '1.1', maxScore: 50, text: '制订全民参保登记工作实施方案。' },
      { id: '1.2', maxScore: 50, text: '召开全民参保登记工作动员大会。' },
      { id: '1.3', maxScore: 50, text: '落实专人负责全民参保登记工作。' },
    ],
  },
  {
    id: '2',
    name: '基础管理',
    maxScore: 150,
    criteria: [
      { id: '2.1', maxScore: 50, text: '组建调查员队伍，开展调查登记工作培训。' },
      { id: '2.2', maxScore: 50, text: '张贴全民参保登记通告，宣传全民参保登记工作。' },
      { id: '2.3', maxScore: 50, text: '配备电脑等设备用于全民参保登记数据录入。' },
    ],
  },
  {
    id: '3',
    name: '入户调查',
    maxScore: 300,
    criteria: [
      { id: '3.1', maxScore: 100, text: '有调查员负责上门走访、入户调查。' },
      { id: '3.2', maxScore: 50, text: '入户调查佩戴工作牌，发放有关宣传材料。' },
      {
        id: '3.3',
        maxScore: 150,
        text: '如实采集被调查对象的基本信息，并填写《常州市社会保险全民参保登记表》。',
      },
    ],
  },
  {
    id: '4',
    name: '数据录入',
    maxScore: 200,
    criteria: [
      { id: '4.1', maxScore: 100, text: '在规定时间内完成全民参保登记数据录入工作。' },
      {
        id: ACCURACY_CRITERION_ID_2016,
        maxScore: 50,
        text: '录入信息系统的数据应准确。录入错误的，发现一例扣0.5分，本项扣完为止（以录入数据库数据为依据）。',
      },
      { id: '4.3', maxScore: 50, text: '做好全民参保登记工作资料的整理、归档工作。' },
    ],
  },
  {
    id: '5',
    name: '汇总分析',
    maxScore: 200,
    criteria: [
      { id: '5.1', maxScore: 100, text: '对本辖区内的登记数据进行统计，生成对应人员明细数据表。' },
      { id: '5.2', maxScore: 100, text: '撰写本辖区全民参保登记工作分析报告并报送市人社部门。' },
    ],
  },
];
