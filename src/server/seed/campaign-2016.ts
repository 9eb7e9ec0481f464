// The 2016 campaign exactly as the regulation sets it (seed: 常州市市本级全民参保登记工作考核办法).
// Scores in tenths of a point, money in fen.
import { DEFAULT_BASE_RATE_FEN, DEFAULT_FEE_TIERS_2016 } from '../../domain/fees.js';
import { AGENCY_CODE } from './org-codes.js';
import { ACCURACY_CRITERION_ID_2016, SCORECARD_2016 } from '../../domain/scorecard-2016.js';

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
  // 附件2 常州市市本级全民参保登记工作考核表 (the template lives in src/domain, tested there).
  categories: SCORECARD_2016.map((c) => ({
    name: c.name,
    maxScore: c.maxScore,
    criteria: c.criteria.map((k) => ({
      text: k.text,
      maxScore: k.maxScore,
      kind: k.id === ACCURACY_CRITERION_ID_2016 ? ('accuracy' as const) : ('manual' as const),
    })),
  })),
  // 五(二) 名额分配: unit codes of the seeded org tree.
  quotas: [
    { orgCode: '320411', quota: 8 },
    { orgCode: '320402', quota: 7 },
    { orgCode: '320404', quota: 6 },
    { orgCode: AGENCY_CODE, quota: 2 },
  ],
  // 五（一） 申报条件 (numbered and punctuated when shown as a list).
  awardConditions: ['积极组织、宣传全民参保登记工作', '认真做好全民参保登记入户调查、数据录入等工作', '及时完成各项工作任务，成绩突出'],
  // 五（三） "联系人：吴卫琴，电话：88112733".
  contactName: '吴卫琴',
  contactPhone: '88112733',
};

