import type { CodeTable } from './table.js';

// 民族, GB 3304-1991 (中国各民族名称的罗马字母拼写法和代码), in the standard's order.
// 毛南族 (formerly 毛难族, renamed 1986) and 德昂族 (formerly 崩龙族, renamed 1985) carry their old
// names as aliases, since old household registers still show them.
const NAMES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

const OLD_NAMES: Readonly<Record<string, string[]>> = { '36': ['毛难族', '毛难'], '46': ['崩龙族', '崩龙'] };

export const ETHNICITY: CodeTable = {
  id: 'ethnicity',
  name: '民族',
  standard: 'GB 3304-1991',
  entries: [
    ...NAMES.map((label, i) => {
      const code = String(i + 1).padStart(2, '0');
      // '汉' for '汉族': the short name is how people usually write it.
      return { code, label, aliases: [label.slice(0, -1), ...(OLD_NAMES[code] ?? [])] };
    }),
    { code: '97', label: '其他', aliases: ['其它', '其他民族', '未识别民族'] },
    { code: '98', label: '外国血统中国籍人士', aliases: ['外国血统'] },
  ],
};
