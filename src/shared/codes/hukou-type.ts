import type { CodeTable } from './table.js';

/**
 * 户口性质, as coded in 人社 business systems. Since the 2014 household-registration reform
 * (国发〔2014〕25号) new registers say 居民户口 (50); the older agricultural/non-agricultural codes
 * stay because most people's records still carry them.
 */
export const HUKOU_TYPE: CodeTable = {
  id: 'hukouType',
  name: '户口性质',
  standard: '人社部 社会保险业务代码',
  entries: [
    { code: '10', label: '非农业', aliases: ['非农业户口', '非农', '城镇', '城镇户口'] },
    { code: '11', label: '本地非农业', aliases: ['本地非农业户口', '本地城镇'] },
    { code: '12', label: '外地非农业', aliases: ['外地非农业户口', '外地城镇'] },
    { code: '20', label: '农业', aliases: ['农业户口', '农村', '农村户口'] },
    { code: '21', label: '本地农业', aliases: ['本地农业户口', '本地农村'] },
    { code: '22', label: '外地农业', aliases: ['外地农业户口', '外地农村'] },
    { code: '30', label: '港澳台', aliases: ['港澳台居民'] },
    { code: '40', label: '外籍', aliases: ['外籍人员', '外国人'] },
    { code: '50', label: '居民户', aliases: ['居民户口', '居民', '统一居民户口'] },
  ],
};
