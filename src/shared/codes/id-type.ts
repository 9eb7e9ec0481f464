import type { CodeTable } from './table.js';

/** 证件类型. Both carry the 18-digit 公民身份号码 (GB 11643-1999); 户口簿 is used for children without an ID card. */
export const ID_TYPE: CodeTable = {
  id: 'idType',
  name: '证件类型',
  standard: '人社部 社会保险业务代码',
  entries: [
    { code: '01', label: '居民身份证', aliases: ['身份证', '二代身份证', '居民身份证(户口簿)'] },
    { code: '07', label: '户口簿', aliases: ['户口本', '户口薄'] },
  ],
};

/** The type assumed when the form or file leaves it blank. */
export const DEFAULT_ID_TYPE = '01';
