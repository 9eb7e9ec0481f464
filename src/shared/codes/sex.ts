import type { CodeTable } from './table.js';

/** 性别, GB/T 2261.1-2003. The citizen ID number's 17th digit gives 1 (odd) or 2 (even). */
export const SEX: CodeTable = {
  id: 'sex',
  name: '性别',
  standard: 'GB/T 2261.1-2003',
  entries: [
    { code: '0', label: '未知的性别', aliases: ['未知'] },
    { code: '1', label: '男', aliases: ['男性'] },
    { code: '2', label: '女', aliases: ['女性'] },
    { code: '9', label: '未说明的性别', aliases: ['未说明'] },
  ],
};
