import type { CodeTable } from './table.js';

/** 个人身份 (就业状态 on the survey form), GB/T 2261.4-2003. */
export const PERSON_CATEGORY: CodeTable = {
  id: 'personCategory',
  name: '个人身份',
  standard: 'GB/T 2261.4-2003',
  entries: [
    { code: '11', label: '公务员' },
    { code: '13', label: '专业技术人员', aliases: ['专技人员'] },
    { code: '17', label: '职员' },
    { code: '21', label: '企业管理人员' },
    { code: '24', label: '工人' },
    { code: '27', label: '农民', aliases: ['务农'] },
    { code: '31', label: '学生', aliases: ['在校学生'] },
    { code: '37', label: '现役军人', aliases: ['军人'] },
    { code: '51', label: '自由职业者', aliases: ['自由职业', '灵活就业'] },
    { code: '54', label: '个体经营者', aliases: ['个体', '个体户', '个体工商户'] },
    { code: '70', label: '无业人员', aliases: ['无业'] },
    { code: '80', label: '退(离)休人员', aliases: ['退休人员', '离休人员', '退休', '离休', '离退休人员'] },
    { code: '90', label: '其他', aliases: ['其它'] },
  ],
};
